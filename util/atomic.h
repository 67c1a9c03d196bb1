/* Internal: writing an output atomically. The data goes to a temporary file
 * in the destination's directory (so rename cannot cross file systems) and
 * is renamed over the destination only once complete and synced: a failed or
 * interrupted run leaves either the old file or the new one, never half. */
#ifndef CTM_UTIL_ATOMIC_H
#define CTM_UTIL_ATOMIC_H

#include <stdio.h>
#include "continuum/error.h"

typedef struct ctm_atomic {
	char *path;     /* destination */
	char *tmp_path; /* the temporary, while open */
	FILE *file;
} ctm_atomic;

/* Creates the temporary. Returns 0 or CTM_EWRITE (reason in ctx). */
int ctm_atomic__begin(ctm_atomic *a, const char *path, ctm_ctx *ctx);
/* Flushes, syncs and renames; on failure removes the temporary. 0 or CTM_EWRITE. */
int ctm_atomic__commit(ctm_atomic *a, ctm_ctx *ctx);
/* Removes the temporary (if any) and frees. Safe after commit. */
void ctm_atomic__abort(ctm_atomic *a);

/* The registry behind ctm_cleanup_temporaries (continuum/io.h), for any code
 * of the library that makes its own temporary instead of using the functions
 * above (e.g. a writer that needs a path, not a FILE *). Register the name
 * before the file is created; unregister it after it is renamed or removed,
 * and only then free the string: a signal handler may read it until then.
 * register returns 0, or -1 when all CTM_MAX_TEMPORARIES slots are in use
 * (the file can still be written; it is only not cleaned on a signal). */
int ctm_atomic__register_temporary(const char *path);
void ctm_atomic__unregister_temporary(const char *path);

#endif
