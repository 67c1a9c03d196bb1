#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "continuum/common.h"
#include "diag.h"

int ctm__atomic_begin(ctm_atomic *a, const char *path, ctm_ctx *ctx)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	int fd = -1;

	memset(a, 0, sizeof(*a));
	if (!*base) {
		ctm__error(ctx, path, 0, 0, "cannot write: the output path names a directory");
		return CTM_EWRITE;
	}
	size_t need = dir_len + 1 + strlen(base) + sizeof(".tmpXXXXXX");
	a->path = strdup(path);
	a->tmp_path = malloc(need);
	if (!a->path || !a->tmp_path)
		goto fail_nomem;
	/* ".NAME.tmpXXXXXX": hidden, and recognisably ours if ever left over. */
	memcpy(a->tmp_path, path, dir_len);
	snprintf(a->tmp_path + dir_len, need - dir_len, ".%s.tmpXXXXXX", base);
	fd = mkstemp(a->tmp_path);
	if (fd < 0) {
		ctm__error(ctx, path, 0, 0, "cannot write: %s", strerror(errno));
		free(a->tmp_path);
		a->tmp_path = NULL;
		goto fail;
	}
	/* mkstemp makes 0600; an output is an ordinary file. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	a->file = fdopen(fd, "wb");
	if (!a->file) {
		ctm__error(ctx, path, 0, 0, "cannot write: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	return CTM_OK;

fail_nomem:
	ctm__error(ctx, path, 0, 0, "cannot write: out of memory");
fail:
	ctm__atomic_abort(a);
	return CTM_EWRITE;
}

int ctm__atomic_commit(ctm_atomic *a, ctm_ctx *ctx)
{
	int rc = CTM_OK;
	if (!a->file)
		return CTM_EWRITE;
	if (fflush(a->file) != 0 || ferror(a->file) || fsync(fileno(a->file)) != 0) {
		ctm__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	if (fclose(a->file) != 0 && rc == CTM_OK) {
		ctm__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	a->file = NULL;
	if (rc == CTM_OK && rename(a->tmp_path, a->path) != 0) {
		ctm__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	if (rc == CTM_OK) {
		free(a->tmp_path);
		a->tmp_path = NULL;
	}
	ctm__atomic_abort(a);
	return rc;
}

void ctm__atomic_abort(ctm_atomic *a)
{
	if (a->file) {
		fclose(a->file);
		a->file = NULL;
	}
	if (a->tmp_path) {
		unlink(a->tmp_path);
		free(a->tmp_path);
		a->tmp_path = NULL;
	}
	free(a->path);
	a->path = NULL;
}
