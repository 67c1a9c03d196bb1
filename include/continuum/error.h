/*
 * continuum — diagnostics: errors and warnings with their location.
 *
 * Every library call that reads input takes a ctm_ctx. Problems are appended
 * to it as diagnostics, all of them (up to a cap), so that a user sees every
 * bad cell of a file at once rather than one per run. The library never
 * prints: the caller decides what to show.
 *
 * Errors and warnings are capped separately: up to the cap of errors, and up
 * to the cap of warnings and notes together, so that a hundred warnings (the
 * unused columns of a wide export) never keep an error from being kept. A
 * warning of the same kind (the same message template, e.g. "column '...' is
 * not used: ...") and the same file as one already kept is not kept again:
 * it is folded into the one kept, which counts it in its `repeats`. Errors
 * are never folded: each keeps its own location.
 *
 * A context is not thread-safe; use one per thread. Every function below
 * accepts a NULL context (a no-op, or 0 / NULL as a result), and so does
 * every library call that takes one: its diagnostics are then lost, but its
 * return code is the same (calls that decide on validity by counting errors
 * count them in a private context of their own).
 */
#ifndef CONTINUUM_ERROR_H
#define CONTINUUM_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctm_ctx ctm_ctx;

typedef enum ctm_severity { CTM_SEV_ERROR = 0, CTM_SEV_WARNING = 1, CTM_SEV_NOTE = 2 } ctm_severity;

/** One diagnostic. line and column are 1-based; 0 means "not known". The
 * strings are owned by the context that holds the diagnostic. The location
 * and message of a warning with repeats are those of its first occurrence. */
typedef struct ctm_diag {
	ctm_severity severity;
	const char *file; /**< file name as given, or NULL */
	unsigned long line;
	unsigned long column;
	const char *message; /**< UTF-8, no trailing newline */
	/** How many more warnings of the same kind, in the same file, were
	 * reported after this one and folded into it (not kept, not dropped);
	 * 0 normally, and always 0 for an error or a note. */
	size_t repeats;
	/** Nonzero when line and column are a spreadsheet cell's row and
	 * column (1 is A), the file naming the workbook and its sheet
	 * ("book.xlsx:Sheet1"): formatted "book.xlsx:Sheet1!C12". */
	int cell;
} ctm_diag;

/** Default cap: a context keeps up to this many errors and, besides, up to
 * this many warnings and notes; later ones are only counted. */
#define CTM_CTX_DEFAULT_MAX_DIAGS 100

/** A new, empty context that keeps up to CTM_CTX_DEFAULT_MAX_DIAGS errors
 * and as many warnings and notes. The caller owns it: free with ctm_ctx_free.
 * Returns NULL when out of memory. */
CTM_EXTERN(ctm_ctx *) ctm_ctx_new(void);

/** Frees a context and every diagnostic in it (pointers from ctm_ctx_get
 * become invalid). Accepts NULL. */
CTM_EXTERN(void) ctm_ctx_free(ctm_ctx *ctx);

/** Forgets every diagnostic and sets the error, warning and dropped counts
 * to 0; the cap is kept. Pointers from ctm_ctx_get become invalid. Accepts
 * NULL. */
CTM_EXTERN(void) ctm_ctx_clear(ctm_ctx *ctx);

/** Sets the cap: how many errors are kept, and how many warnings and notes
 * (together) are kept besides: max each, or 1 when max is 0. Later ones are
 * only counted (ctm_ctx_dropped_count), except warnings folded into a kept
 * one (ctm_diag.repeats). Diagnostics already kept stay, even beyond a lower
 * cap. Accepts NULL (no-op). */
CTM_EXTERN(void) ctm_ctx_set_max_diags(ctm_ctx *ctx, size_t max);

/** Number of diagnostics kept, errors, warnings and notes together (at most
 * twice the cap); 0 for NULL. */
CTM_EXTERN(size_t) ctm_ctx_count(const ctm_ctx *ctx);

/** The i-th kept diagnostic, in the order reported (errors and warnings
 * mixed: a caller that shows errors first picks them out); borrowed, valid
 * until the context is cleared or freed (or another diagnostic is added to
 * it: the array may move, and a kept warning's repeats may grow). NULL when
 * i is out of range or ctx is NULL. */
CTM_EXTERN(const ctm_diag *) ctm_ctx_get(const ctm_ctx *ctx, size_t i);

/** Errors reported since creation or the last clear, kept or not; 0 for NULL.
 * Errors are never folded: those not kept are this count less the errors
 * among the kept diagnostics. */
CTM_EXTERN(size_t) ctm_ctx_error_count(const ctm_ctx *ctx);

/** Warnings reported since creation or the last clear, kept, folded into a
 * kept one (its repeats) or dropped; 0 for NULL. */
CTM_EXTERN(size_t) ctm_ctx_warning_count(const ctm_ctx *ctx);

/** Diagnostics reported and neither kept nor folded into a kept warning:
 * the cap of their severity was reached, or memory ran out while keeping
 * them. 0 for NULL. */
CTM_EXTERN(size_t) ctm_ctx_dropped_count(const ctm_ctx *ctx);

/**
 * Formats a diagnostic as "file:line:column: SEVERITY: message" (for a
 * spreadsheet's cell "file!C12: SEVERITY: message"), SEVERITY
 * being error, warning or note (":column" is left out when the column is not
 * known, ":line:column" when the line is not; without a file the whole
 * location is left out: "SEVERITY: message"), followed, for a warning with
 * repeats, by " (and N more like it)", N being its repeats, into buf, always
 * NUL-terminated when size > 0;
 * buf may be NULL when size is 0. Returns the length the full text needs,
 * without the NUL, like snprintf: the text was cut when the result is >= size.
 * A NULL diag gives "" and 0. Nothing is allocated; the caller owns buf.
 */
CTM_EXTERN(size_t) ctm_diag_format(const ctm_diag *diag, char *buf, size_t size);

/**
 * A spreadsheet cell's name, "C12", from its 1-based column and row into buf
 * (at least 24 bytes; always NUL-terminated when size > 0). Returns buf.
 */
CTM_EXTERN(char *) ctm_cell_name(unsigned long column, unsigned long row, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
