/* realpath(3) is XSI. */
#define _XOPEN_SOURCE 700

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
#include "strbuf.h"

/*
 * The files a signal handler must put right, for ctm_cleanup_temporaries. The
 * handler can interrupt any thread at any point, so nothing here takes a
 * lock: a slot is claimed by compare-and-swap on `claimed`, its fields are
 * written, and only then is `path` published; the handler reads `path` and,
 * when set, the fields written before it. What the handler does with a slot:
 * - no restore_to, not committed: remove path (a temporary, or a new file of
 *   a set whose commit has not finished);
 * - restore_to, not committed: rename path (a backup) back over restore_to;
 * - committed (the set's flag is set): remove backups, keep everything else.
 */
static struct {
	atomic_int claimed;
	_Atomic(const char *) path;
	const char *restore_to;
	const atomic_int *committed;
} registry[CTM_MAX_TEMPORARIES];

static int registry_add(const char *path, const char *restore_to, const atomic_int *committed)
{
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		int expected = 0;
		if (!atomic_compare_exchange_strong(&registry[i].claimed, &expected, 1))
			continue;
		registry[i].restore_to = restore_to;
		registry[i].committed = committed;
		atomic_store(&registry[i].path, path);
		return 0;
	}
	return -1;
}

static void registry_remove(const char *path)
{
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		const char *expected = path;
		if (atomic_compare_exchange_strong(&registry[i].path, &expected, NULL)) {
			registry[i].restore_to = NULL;
			registry[i].committed = NULL;
			atomic_store(&registry[i].claimed, 0);
			return;
		}
	}
}

int ctm_atomic__register_temporary(const char *path) { return registry_add(path, NULL, NULL); }

void ctm_atomic__unregister_temporary(const char *path) { registry_remove(path); }

void ctm_cleanup_temporaries(void)
{
	/* Only atomic loads, unlink(2) and rename(2): async-signal-safe. A name
	 * registered before its file exists names nothing, so acting on it is
	 * harmless. */
	for (size_t i = 0; i < CTM_MAX_TEMPORARIES; i++) {
		const char *p = atomic_load(&registry[i].path);
		if (!p)
			continue;
		const atomic_int *committed = registry[i].committed;
		int done = committed && atomic_load(committed);
		if (registry[i].restore_to) {
			/* A backup whose destination was not replaced yet is the
			 * same file, onto which rename does nothing: hence the
			 * unlink after it. */
			if (!done && rename(p, registry[i].restore_to) != 0)
				continue; /* then the backup is the previous file */
			unlink(p);
		} else if (!done) {
			unlink(p);
		}
	}
}

/* Six hex digits for a temporary's name: different per process, thread
 * and call; O_EXCL settles any collision. */
static unsigned long name_suffix(void)
{
	static atomic_ulong counter;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long long x = (unsigned long long)getpid() * 0x9E3779B97F4A7C15ull ^
			       (unsigned long long)ts.tv_nsec * 0xC2B2AE3D27D4EB4Full ^
			       (atomic_fetch_add(&counter, 1) + 1) * 0x165667B19E3779F9ull;
	return (unsigned long)(x >> 40);
}

/* The longest file name a directory entry holds (NAME_MAX on Linux). */
#define NAME_BYTES 255

/* "DIR/.BASE.KINDxxxxxx" beside path, or NULL when out of memory. A base
 * too long for that to be a valid name is shortened (on a UTF-8 character
 * boundary): the name only has to be unique, and O_EXCL sees to that. */
static char *sibling_name(const char *path, const char *kind)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) + 1 : 0;
	const char *base = path + dir_len;
	size_t room = NAME_BYTES - (2 + strlen(kind) + 6), len = strlen(base);
	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)base[len] & 0xC0) == 0x80)
			len--;
	}
	return ctm_strbuf__format("%.*s.%.*s.%s%06lx", dir_len, path, (int)len, base, kind,
				  name_suffix() & 0xFFFFFFul);
}

/* Makes a->file write to fd as it is (a device, a FIFO, our own stdout):
 * 1, or -1 with the reason in ctx (fd closed). */
static int write_in_place(ctm_atomic *a, int fd, const char *path, ctm_ctx *ctx)
{
	if (fd < 0 || !(a->file = fdopen(fd, "wb"))) {
		ctm_diag__error(ctx, path, 0, 0, "cannot write: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	a->in_place = 1;
	return 1;
}

/* An existing destination that is not a regular file (a device, a FIFO, a
 * socket, /dev/stdout) is written to where it is: replacing it by a file
 * would break it, and it cannot be renamed over. 1 when a->file was opened
 * so, 0 when the destination is a regular file or absent, -1 on error. */
static int open_in_place(ctm_atomic *a, const char *path, ctm_ctx *ctx)
{
	struct stat st;

	/* (a directory is left to the rename, which fails and says why) */
	if (stat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return 0;
	return write_in_place(a, open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY), path, ctx);
}

/* A file that replaces another keeps its permissions and, where the
 * process may, its owner (a 600 file stays 600). */
static void keep_mode(int fd, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	(void)fchmod(fd, st.st_mode & 07777);
	if (fchown(fd, st.st_uid, st.st_gid) != 0)
		(void)fchmod(fd, st.st_mode & 0777); /* not ours to give: no setuid bits */
}

/* A destination that is a symbolic link to a regular file. When the file is
 * this process's standard output or error (/dev/stdout with stdout sent to
 * a file, /proc/self/fd/2...), the output is written to that descriptor as
 * it is (its offset and append mode kept): a rename would replace the link
 * in /dev. Otherwise the link's target is what is replaced, beside itself,
 * and the link stays. 1 when a->file was opened on the descriptor, 0 to go
 * on (a->path now the target's path), -1 on error (said in ctx). */
static int follow_link(ctm_atomic *a, const char *path, ctm_ctx *ctx)
{
	struct stat lst, st, fd_st;

	if (lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode) || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return 0;
	for (int std = STDOUT_FILENO; std <= STDERR_FILENO; std++) {
		if (fstat(std, &fd_st) != 0 || fd_st.st_dev != st.st_dev ||
		    fd_st.st_ino != st.st_ino)
			continue;
		return write_in_place(a, fcntl(std, F_DUPFD_CLOEXEC, 3), path, ctx);
	}
	char *target = realpath(path, NULL);
	if (!target) {
		if (errno != ENOMEM)
			return 0;
		ctm_diag__error(ctx, path, 0, 0, "cannot write: out of memory");
		return -1;
	}
	free(a->path);
	a->path = target;
	return 0;
}

int ctm_atomic__begin(ctm_atomic *a, const char *path, ctm_ctx *ctx)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int fd = -1;

	memset(a, 0, sizeof(*a));
	if (!*base) {
		ctm_diag__error(ctx, path, 0, 0, "cannot write: the output path names a directory");
		return CTM_EWRITE;
	}
	if (!(a->path = strdup(path)))
		goto fail_nomem;
	switch (follow_link(a, path, ctx)) {
	case 1: return CTM_OK;
	case -1: goto fail;
	default: break;
	}
	switch (open_in_place(a, path, ctx)) {
	case 1: return CTM_OK;
	case -1: goto fail;
	default: break;
	}
	/* ".NAME.tmpXXXXXX": hidden, and recognisably ours if ever left over.
	 * Made with O_EXCL and mode 0666 rather than mkstemp, so that the kernel
	 * applies the umask as to any new file: mkstemp's 0600 would need a
	 * chmod, and reading the umask means setting it, which races with other
	 * threads creating files (report --jobs). */
	for (int attempt = 0;; attempt++) {
		if (!(a->tmp_path = sibling_name(a->path, "tmp")))
			goto fail_nomem;
		/* Registered before it exists, so no signal can find it unknown. */
		ctm_atomic__register_temporary(a->tmp_path);
		fd = open(a->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			break;
		int err = errno;
		ctm_atomic__unregister_temporary(a->tmp_path);
		free(a->tmp_path);
		a->tmp_path = NULL;
		if (err != EEXIST || attempt == 100) {
			ctm_diag__error(ctx, path, 0, 0, "cannot write: %s", strerror(err));
			goto fail;
		}
	}
	keep_mode(fd, a->path);
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

/* Flushes, syncs and closes a->file. 0 or CTM_EWRITE. */
static int finish_file(ctm_atomic *a, ctm_ctx *ctx)
{
	int rc = CTM_OK;

	if (!a->file)
		return CTM_EWRITE;
	/* a pipe or a terminal cannot be synced (EINVAL): flushing is all */
	if (fflush(a->file) != 0 || ferror(a->file) ||
	    (fsync(fileno(a->file)) != 0 &&
	     !(a->in_place && (errno == EINVAL || errno == EROFS)))) {
		ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	if (fclose(a->file) != 0 && rc == CTM_OK) {
		ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		rc = CTM_EWRITE;
	}
	a->file = NULL;
	return rc;
}

/* Makes the renames in path's directory durable; best effort (some file
 * systems refuse to sync a directory). */
static void sync_directory(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? ctm_strbuf__format("%.*s", (int)(slash - path) + 1, path)
			  : ctm_strbuf__format(".");
	if (!dir)
		return;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
}

/* Renames the temporary into place (it is forgotten by the registry). */
static int rename_into_place(ctm_atomic *a, ctm_ctx *ctx)
{
	if (rename(a->tmp_path, a->path) != 0) {
		ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
		return CTM_EWRITE;
	}
	ctm_atomic__unregister_temporary(a->tmp_path);
	free(a->tmp_path);
	a->tmp_path = NULL;
	a->renamed = 1;
	return CTM_OK;
}

int ctm_atomic__commit(ctm_atomic *a, ctm_ctx *ctx)
{
	/* One file needs no backup: rename(2) replaces it atomically. */
	int rc = finish_file(a, ctx);
	if (rc == CTM_OK && !a->in_place)
		rc = rename_into_place(a, ctx);
	if (rc == CTM_OK && !a->in_place)
		sync_directory(a->path);
	ctm_atomic__abort(a);
	return rc;
}

/* Keeps the destination's present file, if there is one, as a hard link
 * a->backup_path, registered so that a signal renames it back (until the
 * set's committed flag is set, when a signal removes it instead); a new
 * destination is registered so that a signal removes it. */
static int keep_previous(ctm_atomic *a, const atomic_int *committed, ctm_ctx *ctx)
{
	struct stat st;

	if (a->in_place)
		return CTM_OK; /* written where it is: nothing to keep or rename */
	if (lstat(a->path, &st) != 0) {
		if (errno != ENOENT) {
			ctm_diag__error(ctx, a->path, 0, 0, "cannot write: %s", strerror(errno));
			return CTM_EWRITE;
		}
		registry_add(a->path, NULL, committed);
		return CTM_OK;
	}
	if (!S_ISREG(st.st_mode))
		return CTM_OK; /* the rename fails, and says why */
	for (int attempt = 0;; attempt++) {
		if (!(a->backup_path = sibling_name(a->path, "bak"))) {
			ctm_diag__error(ctx, a->path, 0, 0, "cannot write: out of memory");
			return CTM_EWRITE;
		}
		/* Registered before it exists: a signal then renames nothing. */
		registry_add(a->backup_path, a->path, committed);
		if (link(a->path, a->backup_path) == 0)
			return CTM_OK;
		int err = errno;
		registry_remove(a->backup_path);
		free(a->backup_path);
		a->backup_path = NULL;
		if (err != EEXIST || attempt == 100) {
			ctm_diag__error(ctx, a->path, 0, 0,
					"cannot write: cannot keep the previous file: %s",
					strerror(err));
			return CTM_EWRITE;
		}
	}
}

/* Takes back a file of a set: its backup over it (a destination never
 * replaced is its backup's own file, onto which rename(2) does nothing, so
 * the backup's name is removed after), or a new file removed. */
static void take_back(ctm_atomic *a)
{
	if (a->backup_path) {
		if (rename(a->backup_path, a->path) == 0) {
			unlink(a->backup_path);
			registry_remove(a->backup_path);
			free(a->backup_path);
			a->backup_path = NULL;
		}
	} else if (a->renamed) {
		unlink(a->path);
	}
	a->renamed = 0;
}

void (*ctm_atomic__step_hook)(void);

static void step(void)
{
	if (ctm_atomic__step_hook)
		ctm_atomic__step_hook();
}

int ctm_atomic__begin_set(ctm_atomic *set, size_t n, const char *prefix,
			  const char *const *suffixes, ctm_ctx *ctx)
{
	memset(set, 0, n * sizeof(*set));
	for (size_t i = 0; i < n; i++) {
		char *path = ctm_strbuf__format("%s%s", prefix, suffixes[i]);
		if (!path) {
			ctm_diag__error(ctx, NULL, 0, 0, "out of memory");
			return CTM_ENOMEM;
		}
		int rc = ctm_atomic__begin(&set[i], path, ctx);
		free(path);
		if (rc < 0)
			return rc;
	}
	return CTM_OK;
}

int ctm_atomic__commit_set(ctm_atomic *set, size_t n, ctm_ctx *ctx)
{
	atomic_int committed;
	size_t kept = 0;
	int rc = CTM_OK;

	if (n == 1)
		return ctm_atomic__commit(set, ctx);
	atomic_init(&committed, 0);
	/* Everything that can fail without touching a destination first. */
	for (size_t i = 0; i < n && rc == CTM_OK; i++)
		rc = finish_file(&set[i], ctx);
	step();
	for (; kept < n && rc == CTM_OK; kept++) {
		rc = keep_previous(&set[kept], &committed, ctx);
		step();
	}
	for (size_t i = 0; i < n && rc == CTM_OK; i++) {
		if (!set[i].in_place)
			rc = rename_into_place(&set[i], ctx);
		step();
	}
	if (rc == CTM_OK) {
		/* One store makes the whole set final, for a signal too. */
		atomic_store(&committed, 1);
		step();
		for (size_t i = 0; i < n; i++)
			if (!set[i].in_place)
				sync_directory(set[i].path);
	} else {
		for (size_t i = n; i-- > 0;)
			take_back(&set[i]);
	}
	/* The set is final or taken back: forget what a signal would have done. */
	for (size_t i = 0; i < kept; i++) {
		ctm_atomic *a = &set[i];
		if (a->backup_path) {
			/* left after a failure only when it could not be put
			 * back: then it is the one copy of the previous file */
			if (rc == CTM_OK)
				unlink(a->backup_path);
			registry_remove(a->backup_path);
		} else if (!a->in_place) {
			registry_remove(a->path);
		}
	}
	for (size_t i = 0; i < n; i++)
		ctm_atomic__abort(&set[i]);
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
	free(a->backup_path);
	a->backup_path = NULL;
	free(a->path);
	a->path = NULL;
	a->renamed = 0;
	a->in_place = 0;
}
