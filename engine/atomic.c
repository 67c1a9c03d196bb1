#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "continuum/common.h"
#include "continuum/io.h"
#include "diag.h"

/* The temporaries being written, for ctm_cleanup_temporaries. A signal
 * handler reads this, so it cannot be guarded by a mutex (the handler could
 * interrupt the thread holding it): each slot is a lock-free atomic pointer,
 * claimed by compare-and-swap from NULL and released by storing NULL, which
 * makes registration safe from several threads (--jobs) and from a handler. */
static _Atomic(const char *) temporaries[CTM_MAX_TEMPORARIES];

int ctm__temporary_register(const char *path)
{
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		const char *expected = NULL;
		if (atomic_compare_exchange_strong(&temporaries[i], &expected, path))
			return 0;
	}
	return -1;
}

void ctm__temporary_unregister(const char *path)
{
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		const char *expected = path;
		if (atomic_compare_exchange_strong(&temporaries[i], &expected, NULL))
			return;
	}
}

void ctm_cleanup_temporaries(void)
{
	/* Only atomic loads and unlink(2): async-signal-safe. A name registered
	 * before mkstemp filled it in names no file, so unlinking it is harmless. */
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		const char *p = atomic_load(&temporaries[i]);
		if (p)
			unlink(p);
	}
}

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
	/* Registered before it exists, so no signal can find it unknown. */
	ctm__temporary_register(a->tmp_path);
	fd = mkstemp(a->tmp_path);
	if (fd < 0) {
		ctm__error(ctx, path, 0, 0, "cannot write: %s", strerror(errno));
		ctm__temporary_unregister(a->tmp_path);
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
		ctm__temporary_unregister(a->tmp_path);
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
		ctm__temporary_unregister(a->tmp_path);
		free(a->tmp_path);
		a->tmp_path = NULL;
	}
	free(a->path);
	a->path = NULL;
}
