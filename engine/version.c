#include "continuum/version.h"

const char *ctm_version(void) { return CTM_VERSION_STRING; }
