/* Internal: how library code reports problems into a ctm_ctx. */
#ifndef CTM_UTIL_DIAG_H
#define CTM_UTIL_DIAG_H

#include <stdarg.h>
#include "continuum/error.h"

/* Gives `file` to every diagnostic from index `since` on that names no file:
 * a writer given a stream cannot say which file it is, its caller can. */
void ctm_diag__name_file(ctm_ctx *ctx, size_t since, const char *file);

/*
 * Appends a diagnostic. ctx may be NULL (nothing is kept). When the cap of its
 * severity is reached (errors have theirs, warnings and notes share another),
 * or memory runs out, the diagnostic is only counted: reporting never fails,
 * so callers need no error path for it.
 *
 * A warning is folded (counted in the kept one's repeats, not kept again)
 * when a warning with the same fmt text and the same file is kept: fmt is
 * the warning's kind, so give each kind of warning its own format string,
 * its details in the arguments. A fmt without text of its own ("%s",
 * "%.*s": a message passed through) has no kind and is never folded.
 */
void ctm_diag__report(ctm_ctx *ctx, ctm_severity sev, const char *file, unsigned long line,
		      unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

void ctm_diag__vreport(ctm_ctx *ctx, ctm_severity sev, const char *file, unsigned long line,
		       unsigned long column, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* The one rule for versioned option structs: NULL means the defaults (the
 * caller passes NULL through); a version from 1 to current is accepted,
 * anything else -- 0 is a struct never initialised -- is CTM_EUSAGE, said in
 * ctx under the function's name. Returns 0 or CTM_EUSAGE. */
int ctm_diag__check_version(ctm_ctx *ctx, const char *function, unsigned int version,
			    unsigned int current);

/* The body of every ctm_*_options_init: *opts (size bytes, its first
 * member the unsigned version) set to defaults with the given version.
 * CTM_EUSAGE when opts is NULL or version is not 1 to current. */
int ctm_diag__init_options(void *opts, size_t size, const void *defaults, unsigned int version,
			   unsigned int current);

/* Nonzero when ctx keeps no more diagnostics of severity sev (NULL, or the
 * cap of sev reached: errors, or warnings and notes): what of that severity
 * is reported from then on is only counted (a warning may still be folded
 * into a kept one). Warnings never fill the errors' cap, nor errors theirs. */
int ctm_diag__full(const ctm_ctx *ctx, ctm_severity sev);

/* Counts n diagnostics of severity sev as reported and not kept, exactly as
 * n calls of ctm_diag__report would once ctm_diag__full(ctx, sev) (for
 * warnings: without folding): for a check that would report an item
 * against each of many others. */
void ctm_diag__count_dropped(ctm_ctx *ctx, ctm_severity sev, size_t n);

/* A column with this bit set is a spreadsheet column (1 = A) and its line
 * the row: the diagnostic is a cell's (ctm_diag.cell), its file naming the
 * workbook and sheet. The bit is taken off when the diagnostic is kept;
 * exclusions keep it the same way (ctm_exclusion.cell). */
#define CTM_DIAG_CELL (1UL << 30)

#define ctm_diag__error(ctx, file, line, col, ...) \
	ctm_diag__report((ctx), CTM_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define ctm_diag__warning(ctx, file, line, col, ...) \
	ctm_diag__report((ctx), CTM_SEV_WARNING, (file), (line), (col), __VA_ARGS__)

#endif
