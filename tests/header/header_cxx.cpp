// The umbrella header alone, compiled as C++ with every warning an error.
#include "continuum.h"

#include <cstdio>

int main()
{
	ctm_read_options read = CTM_READ_OPTIONS_INIT;
	ctm_score_options score = CTM_SCORE_OPTIONS_INIT;
	std::printf("%s %u %u\n", ctm_version(), read.version, score.version);
	return 0;
}
