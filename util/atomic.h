/* Internal: the one way the library writes a file. The data goes to a
 * temporary created with O_EXCL in the destination's directory (so rename
 * cannot cross file systems); once complete, the file is synced, renamed over
 * the destination, and the directory synced: a failed or interrupted run
 * leaves either the old file or the new one, never half. Several files
 * written together (compare, template) are committed as a set: all new, or
 * all as they were before -- also when a signal arrives in the middle. */
#ifndef CTM_UTIL_ATOMIC_H
#define CTM_UTIL_ATOMIC_H

#include <stdio.h>

#include "continuum/error.h"

typedef struct ctm_atomic {
	char *path;        /* destination */
	char *tmp_path;    /* the temporary, until renamed */
	char *backup_path; /* the destination's previous file, while a set commits */
	FILE *file;        /* write here between begin and commit */
	int renamed;       /* the temporary is in place (during a set's commit) */
	int in_place;      /* a device, FIFO or socket written where it is */
} ctm_atomic;

/* Creates the temporary and opens a->file: mode 0666 less the umask for a
 * new file, the mode (and, where the process may, the owner) of the file it
 * will replace. An existing destination that is not a regular file (a
 * device, a FIFO, a socket, /dev/stdout) is opened and written where it is,
 * never replaced. Returns 0 or CTM_EWRITE (path and reason in ctx); a is
 * always safe to abort. */
int ctm_atomic__begin(ctm_atomic *a, const char *path, ctm_ctx *ctx);

/* Flushes, syncs and renames the one file; on failure removes the temporary.
 * 0 or CTM_EWRITE. */
int ctm_atomic__commit(ctm_atomic *a, ctm_ctx *ctx);

/*
 * Commits the n files begun in set together: every temporary is flushed and
 * synced first; then, for each destination that exists, a hard link to it is
 * kept as a backup before the temporary is renamed over it. If anything fails
 * the renamed files are taken back (the backups renamed over them, new files
 * removed), so the previous set is whole again; a signal during the commit
 * does the same through ctm_cleanup_temporaries. Only when every file is in
 * place is the set final and the backups removed. 0 or CTM_EWRITE.
 */
int ctm_atomic__commit_set(ctm_atomic *set, size_t n, ctm_ctx *ctx);

/* Begins the n files PREFIX + suffixes[i] of a set (ctm_atomic__begin for
 * each). 0, CTM_ENOMEM or CTM_EWRITE; set is always safe to abort. */
int ctm_atomic__begin_set(ctm_atomic *set, size_t n, const char *prefix,
			  const char *const *suffixes, ctm_ctx *ctx);

/* Removes the temporary (if any) and frees. Safe after commit and twice. */
void ctm_atomic__abort(ctm_atomic *a);

/* For tests only: when set, called at every step of a set's commit (after
 * the temporaries are synced, after each backup, after each rename, once
 * the set is final), where a signal could arrive. */
extern void (*ctm_atomic__step_hook)(void);

/* The registry behind ctm_cleanup_temporaries (continuum/io.h): a name
 * registered here is removed by a signal handler. The functions above use
 * it; it is public to util/ for tests. register returns 0, or -1 when all
 * CTM_MAX_TEMPORARIES slots are in use (the file can still be written; it is
 * only not cleaned on a signal). The string must live until unregistered. */
int ctm_atomic__register_temporary(const char *path);
void ctm_atomic__unregister_temporary(const char *path);

#endif
