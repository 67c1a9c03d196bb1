/*
 * continuum — diagnostics: errors and warnings with their location.
 *
 * Every library call that reads input takes a ctm_ctx. Problems are appended
 * to it as diagnostics, all of them (up to a cap), so that a user sees every
 * bad cell of a file at once rather than one per run. The library never
 * prints: the caller decides what to show.
 *
 * A context is not thread-safe; use one per thread.
 */
#ifndef CONTINUUM_ERROR_H
#define CONTINUUM_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctm_ctx ctm_ctx;

typedef enum ctm_severity {
	CTM_SEV_ERROR = 0,
	CTM_SEV_WARNING = 1,
	CTM_SEV_NOTE = 2
} ctm_severity;

/** One diagnostic. line and column are 1-based; 0 means "not known". */
typedef struct ctm_diag {
	ctm_severity severity;
	const char *file;     /**< file name as given, or NULL */
	unsigned long line;
	unsigned long column;
	const char *message;  /**< UTF-8, no trailing newline */
} ctm_diag;

/** Default number of diagnostics kept; later ones are only counted. */
#define CTM_CTX_DEFAULT_MAX_DIAGS 100

/** A new, empty context. Returns NULL when out of memory. Free with ctm_ctx_free. */
CTM_EXTERN(ctm_ctx *) ctm_ctx_new(void);

/** Frees a context and every diagnostic in it. Accepts NULL. */
CTM_EXTERN(void) ctm_ctx_free(ctm_ctx *ctx);

/** Forgets every diagnostic and count. */
CTM_EXTERN(void) ctm_ctx_clear(ctm_ctx *ctx);

/** Sets how many diagnostics are kept (at least 1); the rest are counted. */
CTM_EXTERN(void) ctm_ctx_set_max_diags(ctm_ctx *ctx, size_t max);

/** Number of diagnostics kept (at most the cap). */
CTM_EXTERN(size_t) ctm_ctx_count(const ctm_ctx *ctx);

/** The i-th kept diagnostic, in the order reported; borrowed, valid until the
 * context is cleared or freed. NULL when i is out of range. */
CTM_EXTERN(const ctm_diag *) ctm_ctx_get(const ctm_ctx *ctx, size_t i);

/** Errors reported so far, kept or not. */
CTM_EXTERN(size_t) ctm_ctx_error_count(const ctm_ctx *ctx);

/** Warnings reported so far, kept or not. */
CTM_EXTERN(size_t) ctm_ctx_warning_count(const ctm_ctx *ctx);

/** Diagnostics reported but not kept because the cap was reached. */
CTM_EXTERN(size_t) ctm_ctx_dropped_count(const ctm_ctx *ctx);

/**
 * Formats a diagnostic as "file:line:column: error: message" (parts that are
 * not known are left out) into buf, always NUL-terminated when size > 0.
 * Returns the length the full text needs, like snprintf.
 */
CTM_EXTERN(size_t) ctm_diag_format(const ctm_diag *diag, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
