/* The umbrella header alone, compiled as C11 with every warning an error. */
#include "continuum.h"

#include <stdio.h>

int main(void)
{
	printf("%s\n", ctm_version());
	return CTM_VERSION_MAJOR < 0;
}
