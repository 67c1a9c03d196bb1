/* The partnership's options of a report (version 3 of ctm_report_options):
 * checking them before a batch begins, the report's date, and the
 * facilitator's notes read as paragraphs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "readfile.h"
#include "strbuf.h"
#include "utf8.h"
#include "report_internal.h"

/* Notes are a page or two of text; a larger file is the wrong file. */
#define NOTES_BYTES_MAX (256u << 10)

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int ctm_report__date_parse(const char *s, int *y, int *m, int *d)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1)
		return -1;
	if (*d > days[*m - 1] + (*m == 2 && leap(*y)))
		return -1;
	return 0;
}

const char *ctm_report__date_text(char *buf, size_t size, const char *iso)
{
	static const char *const months[12] = { "January", "February", "March",     "April",
						"May",     "June",     "July",      "August",
						"September", "October", "November", "December" };
	int y, m, d;

	if (ctm_report__date_parse(iso, &y, &m, &d) != 0)
		return NULL;
	/* the day written out in words of the month: "3 December 2026" reads the
	 * same to every reader, where 03/12 does not */
	snprintf(buf, size, "%d %s %d", d, months[m - 1], y);
	return buf;
}

/* One fault of the notes, at its line and column (bytes, 1-based). */
static void notes_fault(ctm_ctx *ctx, const char *path, unsigned long line, unsigned long col,
			const char *what)
{
	ctm_diag__error(ctx, path, line, col, "%s; the notes are plain UTF-8 text", what);
}

int ctm_report__notes_read(const char *path, char **out, ctm_ctx *ctx)
{
	char *buf = NULL;
	ctm_strbuf text = { 0 };
	size_t n = 0;
	int rc, faults = 0;

	*out = NULL;
	if ((rc = ctm_readfile__bounded(path, NOTES_BYTES_MAX, &buf, &n, "notes", ctx)) < 0)
		return rc;
	rc = CTM_EINVALID;
	if (n > NOTES_BYTES_MAX) {
		ctm_diag__error(ctx, path, 0, 0, "the notes are longer than %u KB",
				NOTES_BYTES_MAX >> 10);
		goto cleanup;
	}
	/* Paragraphs are runs of non-blank lines; the lines of one are joined
	 * with a space, as a reader of plain text takes them. A tab is a space.
	 * Every fault is said, each at its place. */
	size_t i = 0;
	unsigned long line = 1, line_start = 0;
	int in_para = 0, line_blank = 1, pending_space = 0;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = line_start = 3;
	while (i < n) {
		unsigned char c = (unsigned char)buf[i];
		unsigned long col = (unsigned long)(i - line_start + 1);
		if (c == '\n' || c == '\r') {
			if (line_blank && in_para) {
				ctm_strbuf__printf(&text, "\n"); /* a paragraph ends */
				in_para = 0;
			}
			pending_space = in_para;
			line_blank = 1;
			i += c == '\r' && i + 1 < n && buf[i + 1] == '\n' ? 2 : 1;
			line++;
			line_start = i;
			continue;
		}
		uint32_t cp = 0;
		size_t k = ctm_utf8__decode(buf + i, n - i, &cp);
		if (k == 0) {
			char what[48];
			snprintf(what, sizeof(what), "invalid UTF-8 (byte 0x%02X)", c);
			notes_fault(ctx, path, line, col, what);
			faults++;
			i++;
			continue;
		}
		if ((cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			char what[48];
			snprintf(what, sizeof(what), "control character U+%04X", (unsigned)cp);
			notes_fault(ctx, path, line, col, what);
			faults++;
			i += k;
			continue;
		}
		if (cp == ' ' || cp == '\t') {
			pending_space |= in_para && !line_blank;
			i += k;
			continue;
		}
		if (pending_space && in_para)
			ctm_strbuf__printf(&text, " ");
		pending_space = 0;
		ctm_strbuf__printf(&text, "%.*s", (int)k, buf + i);
		in_para = 1;
		line_blank = 0;
		i += k;
	}
	if (text.failed) {
		rc = CTM_ENOMEM;
		ctm_diag__error(ctx, path, 0, 0, "out of memory reading the notes");
		goto cleanup;
	}
	if (faults)
		goto cleanup;
	/* the last paragraph's end */
	while (text.len && text.s[text.len - 1] == '\n')
		text.s[--text.len] = '\0';
	if (!text.len) {
		ctm_diag__error(ctx, path, 0, 0,
				"the notes are empty; give a text of one or more paragraphs, or "
				"leave out --notes");
		goto cleanup;
	}
	*out = text.s;
	text.s = NULL;
	rc = CTM_OK;

cleanup:
	ctm_strbuf__free(&text);
	free(buf);
	return rc;
}

int ctm_report__identity_load(ctm_report_identity *id, const ctm_report_options *opts,
			      ctm_ctx *ctx)
{
	memset(id, 0, sizeof(*id));
	if (!opts || opts->version < 3)
		return CTM_OK;
	if (opts->organization && *opts->organization)
		id->organization = opts->organization;
	if (opts->title && *opts->title)
		id->title = opts->title;
	if (opts->date)
		id->date = ctm_report__date_text(id->date_buf, sizeof(id->date_buf), opts->date);
	id->omit = opts->omit;
	int rc = CTM_OK;
	if (opts->logo && *opts->logo) {
		id->logo_path = opts->logo;
		rc = ctm_draw__image_read(opts->logo, &id->logo, &id->logo_size, ctx);
	}
	if (rc == CTM_OK && opts->notes && *opts->notes)
		rc = ctm_report__notes_read(opts->notes, &id->notes, ctx);
	return rc;
}

void ctm_report__identity_free(ctm_report_identity *id)
{
	free(id->logo);
	free(id->notes);
	id->logo = NULL;
	id->notes = NULL;
}

int ctm_report__options_usable(const ctm_report_options *opts, const char *function,
			       ctm_ctx *ctx)
{
	int y, m, d;

	if (!opts)
		return CTM_OK;
	if (ctm_diag__check_version(ctx, function, opts->version, CTM_REPORT_OPTIONS_VERSION) < 0)
		return CTM_EUSAGE;
	if (opts->paper != CTM_PAPER_A4 && opts->paper != CTM_PAPER_LETTER) {
		ctm_diag__error(ctx, NULL, 0, 0, "%s: unknown paper size", function);
		return CTM_EUSAGE;
	}
	if (opts->version < 3)
		return CTM_OK;
	if (opts->date && ctm_report__date_parse(opts->date, &y, &m, &d) != 0) {
		ctm_diag__error(ctx, NULL, 0, 0,
				"%s: the report's date is a day written YYYY-MM-DD (e.g. "
				"2026-03-31), not '%s'",
				function, opts->date);
		return CTM_EUSAGE;
	}
	if (opts->omit & ~CTM_REPORT_OMIT_ALL) {
		ctm_diag__error(ctx, NULL, 0, 0, "%s: unknown section bits 0x%X to omit", function,
				opts->omit & ~CTM_REPORT_OMIT_ALL);
		return CTM_EUSAGE;
	}
	return CTM_OK;
}

int ctm_report_options_check(const ctm_report_options *opts, ctm_ctx *ctx)
{
	unsigned char *logo = NULL;
	char *notes = NULL;
	size_t size = 0;
	int rc = ctm_report__options_usable(opts, "ctm_report_options_check", ctx);

	if (rc != CTM_OK || !opts || opts->version < 3)
		return rc;
	/* the files are read, and the logo decoded, as every report will */
	if (opts->logo && *opts->logo)
		rc = ctm_draw__image_read(opts->logo, &logo, &size, ctx);
	if (rc == CTM_OK && opts->logo && *opts->logo)
		rc = ctm_draw__image_check(logo, size, opts->logo, ctx);
	if (opts->notes && *opts->notes) {
		int nrc = ctm_report__notes_read(opts->notes, &notes, ctx);
		if (rc == CTM_OK)
			rc = nrc;
	}
	free(logo);
	free(notes);
	return rc;
}
