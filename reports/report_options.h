/* Private to reports/: the partnership's options (ctm_report_options version
 * 3) as the readiness report and the comparison report both use them. */
#ifndef CTM_REPORTS_REPORT_OPTIONS_H
#define CTM_REPORTS_REPORT_OPTIONS_H

#include <stddef.h>

#include "continuum/error.h"
#include "continuum/report.h"

/* What ctm_report_options (version 3) makes of a document: read once per
 * document by ctm_report__identity_load, for the readiness report and the
 * comparison alike. */
typedef struct ctm_report_identity {
	const char *organization; /* NULL: none */
	const char *title;        /* the given title, or NULL */
	const char *date;         /* in words ("3 December 2026"), or NULL */
	char date_buf[48];
	const char *logo_path;    /* names the logo in messages */
	unsigned char *logo;      /* its bytes (owned), or NULL */
	size_t logo_size;
	char *notes;              /* paragraphs separated by '\n' (owned), or NULL */
	unsigned int omit;        /* CTM_REPORT_OMIT_* */
} ctm_report_identity;

/* Fills *id from opts (NULL, or a version before 3: nothing), reading the
 * logo and the notes. 0, or the error of either file (said in ctx); *id is
 * to be freed with ctm_report__identity_free either way. */
int ctm_report__identity_load(ctm_report_identity *id, const ctm_report_options *opts,
			      ctm_ctx *ctx);
void ctm_report__identity_free(ctm_report_identity *id);

/* What can be refused of opts before a document is drawn (NULL: 0): the
 * version, the paper, and from version 3 the date and the sections to omit,
 * each said in ctx after "FUNCTION: ". 0 or CTM_EUSAGE. The readiness
 * report, the comparison and ctm_report_options_check share it. */
int ctm_report__options_usable(const ctm_report_options *opts, const char *function,
			       ctm_ctx *ctx);

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
