/* continuum — command-line front end. */
#include <stdio.h>
#include <string.h>
#include "continuum.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("continuum %s\n", ctm_version());
		return 0;
	}
	return 2;
}
