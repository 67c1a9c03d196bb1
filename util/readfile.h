/* Internal: a small file read whole, with a bound (a logo, notes). */
#ifndef CTM_UTIL_READFILE_H
#define CTM_UTIL_READFILE_H

#include <stddef.h>

#include "continuum/error.h"

/*
 * Reads path into *out (malloc'd, NUL-terminated past *len; the caller
 * frees) and its length into *len, reading at most max + 1 bytes: a *len of
 * max + 1 means the file is longer than max. The buffer grows as the file
 * does, so a small file costs little whatever max is. Returns 0, CTM_EIO
 * ("cannot read the WHAT: reason", said in ctx with the path) or
 * CTM_ENOMEM (said too).
 */
int ctm_readfile__bounded(const char *path, size_t max, char **out, size_t *len,
			  const char *what, ctm_ctx *ctx);

#endif
