/* Private to reports/: the partnership's options (ctm_report_options version
 * 3) as the readiness report and the comparison report both use them. */
#ifndef CTM_REPORTS_REPORT_OPTIONS_H
#define CTM_REPORTS_REPORT_OPTIONS_H

#include <stddef.h>

#include "continuum/error.h"

/* A "YYYY-MM-DD" day of the Gregorian calendar into *y, *m, *d (0), or -1. */
int ctm_report__date_parse(const char *s, int *y, int *m, int *d);
/* The day in words into buf ("3 December 2026"), or NULL when iso is not a
 * day. */
const char *ctm_report__date_text(char *buf, size_t size, const char *iso);
/* The notes file read as paragraphs separated by '\n' into *out (malloc'd):
 * lines of a paragraph joined by a space, a tab a space, a UTF-8 BOM
 * skipped; every fault (invalid UTF-8, a control character) said as
 * FILE:LINE:COLUMN. 0, CTM_EIO, CTM_EINVALID (also: empty, or over 256 KB),
 * CTM_ENOMEM. */
int ctm_report__notes_read(const char *path, char **out, ctm_ctx *ctx);

/* The facilitator's summary (report_notes.c): a new page headed
 * "Facilitator's summary" holding the notes' paragraphs as written. */
struct ctm_draw_doc;
int ctm_report__notes_page(struct ctm_draw_doc *doc, const char *notes);

#endif
