#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "readfile.h"

int ctm_readfile__bounded(const char *path, size_t max, char **out, size_t *len,
			  const char *what, ctm_ctx *ctx)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int rc = CTM_EIO;

	*out = NULL;
	*len = 0;
	if (!f) {
		ctm_diag__error(ctx, path, 0, 0, "cannot read the %s: %s", what, strerror(errno));
		return CTM_EIO;
	}
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64 * 1024;
			if (ncap > max + 1)
				ncap = max + 1;
			char *grown = realloc(buf, ncap + 1);
			if (!grown) {
				ctm_diag__error(ctx, path, 0, 0, "out of memory reading the %s", what);
				rc = CTM_ENOMEM;
				goto cleanup;
			}
			buf = grown;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0 || n == max + 1)
			break;
	}
	if (ferror(f)) {
		ctm_diag__error(ctx, path, 0, 0, "cannot read the %s: %s", what, strerror(errno));
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	rc = CTM_OK;

cleanup:
	free(buf);
	fclose(f);
	return rc;
}
