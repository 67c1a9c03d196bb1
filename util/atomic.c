#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

int ctm_atomic__register_temporary(const char *path)
{
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		const char *expected = NULL;
		if (atomic_compare_exchange_strong(&temporaries[i], &expected, path))
			return 0;
	}
	return -1;
}

void ctm_atomic__unregister_temporary(const char *path)
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

/* Six hex digits for a temporary's name: different per process, thread
 * and call; O_EXCL settles any collision. */
static unsigned long temporary_suffix(void)
{
	static atomic_ulong counter;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long long x = (unsigned long long)getpid() * 0x9E3779B97F4A7C15ull ^
			       (unsigned long long)ts.tv_nsec * 0xC2B2AE3D27D4EB4Full ^
			       (atomic_fetch_add(&counter, 1) + 1) * 0x165667B19E3779F9ull;
	return (unsigned long)(x >> 40);
}

int ctm_atomic__begin(ctm_atomic *a, const char *path, ctm_ctx *ctx)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	int fd = -1;

	memset(a, 0, sizeof(*a));
	if (!*base) {
		ctm_diag__error(ctx, path, 0, 0, "cannot write: the output path names a directory");
		return CTM_EWRITE;
	}
	size_t need = dir_len + 1 + strlen(base) + sizeof(".tmpXXXXXX");
	a->path = strdup(path);
	a->tmp_path = malloc(need);
	if (!a->path || !a->tmp_path)
		goto fail_nomem;
	/* ".NAME.tmpXXXXXX": hidden, and recognisably ours if ever left over.
	 * Made with O_EXCL and mode 0666 rather than mkstemp, so that the kernel
	 * applies the umask as to any new file: mkstemp's 0600 would need a
	 * chmod, and reading the umask means setting it, which races with other
	 * threads creating files (report --jobs). */
	memcpy(a->tmp_path, path, dir_len);
	for (int attempt = 0;; attempt++) {
		snprintf(a->tmp_path + dir_len, need - dir_len, ".%s.tmp%06lx", base,
			 temporary_suffix() & 0xFFFFFFul);
		/* Registered before it exists, so no signal can find it unknown. */
		ctm_atomic__register_temporary(a->tmp_path);
		fd = open(a->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			break;
		int err = errno;
		ctm_atomic__unregister_temporary(a->tmp_path);
		if (err != EEXIST || attempt == 100) {
			ctm_diag__error(ctx, path, 0, 0, "cannot write: %s", strerror(err));
			free(a->tmp_path);
			a->tmp_path = NULL;
			goto fail;
		}
	}
	a->file = fdopen(fd, "wb");
	if (!a->file) {
		ctm_diag__error(ctx, path, 0, 0, "cannot write: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	return CTM_OK;

fail_nomem:
	ctm_diag__error(ctx, path, 0, 0, "cannot write: out of memory");
fail:
	ctm_atomic__abort(a);
	return CTM_EWRITE;
}

int ctm_atomic__commit(ctm_atomic *a, ctm_ctx *ctx)
{
	int rc = CTM_OK;
	if (!a->file)
		return CTM_EWRITE;
	if (fflush(a->file) != 0 || ferror(a->file) || fsync(fileno(a->file)) != 0) {
		ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	if (fclose(a->file) != 0 && rc == CTM_OK) {
		ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	a->file = NULL;
	if (rc == CTM_OK && rename(a->tmp_path, a->path) != 0) {
		ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	if (rc == CTM_OK) {
		ctm_atomic__unregister_temporary(a->tmp_path);
		free(a->tmp_path);
		a->tmp_path = NULL;
	}
	ctm_atomic__abort(a);
	return rc;
}

void ctm_atomic__abort(ctm_atomic *a)
{
	if (a->file) {
		fclose(a->file);
		a->file = NULL;
	}
	if (a->tmp_path) {
		unlink(a->tmp_path);
		ctm_atomic__unregister_temporary(a->tmp_path);
		free(a->tmp_path);
		a->tmp_path = NULL;
	}
	free(a->path);
	a->path = NULL;
}
