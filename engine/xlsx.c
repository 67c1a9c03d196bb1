/*
 * Excel workbooks read as responses: see xlsx.h for what cells become and
 * how the reader is hardened.
 *
 * The parts, in the order read: _rels/.rels (where the workbook is),
 * the workbook (its sheets, the date system), the workbook's rels (each
 * sheet's part), the styles (which cell formats are dates), the shared
 * strings, then the chosen sheet twice: once for its merged ranges (Excel
 * writes <mergeCells> after <sheetData>), then row by row as records. Each
 * part goes through libxml2's push parser in chunks; the sheet's completed
 * rows are queued per chunk (a chunk's worth at most) and handed out one
 * record at a time.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <zip.h>

#include "arena.h"
#include "diag.h"
#include "grow.h"
#include "strbuf.h"
#include "text.h"
#include "xlsx.h"

/* Input fed to the XML parser at a time. */
#define XLSX_CHUNK 16384
/* The most entries a workbook's zip may have. */
#define XLSX_MAX_ENTRIES 20000
/* The most a part may inflate to: workbook, rels and styles; shared strings;
 * the sheet (streamed). */
#define XLSX_SMALL_PART_MAX ((zip_uint64_t)16 << 20)
#define XLSX_STRINGS_MAX ((zip_uint64_t)512 << 20)
#define XLSX_SHEET_MAX ((zip_uint64_t)4 << 30)
/* A part over XLSX_RATIO_FLOOR bytes may inflate at most XLSX_MAX_RATIO
 * times its compressed size: sheet XML compresses 5 to 30 times, a bomb's
 * filler a thousand. */
#define XLSX_RATIO_FLOOR ((zip_uint64_t)1 << 20)
#define XLSX_MAX_RATIO 200
/* Nesting of elements (a sheet needs 5). */
#define XLSX_MAX_DEPTH 64
#define XLSX_MAX_SHEETS 4096
#define XLSX_MAX_RELS 20000
#define XLSX_MAX_XFS 65536
#define XLSX_MAX_NUMFMTS 4096
#define XLSX_MAX_MERGES 100000
/* Cells covered by merged ranges, in all (each is filled in its row). */
#define XLSX_MAX_MERGED_CELLS 16000000ull
/* Excel's own limits. */
#define XLSX_MAX_ROW 1048576ul
#define XLSX_MAX_COL 16384ul

static const char empty_field[CTM_CSV_FIELD_PAD + 1];

enum phase { PH_RELS, PH_WORKBOOK, PH_STYLES, PH_STRINGS, PH_MERGES, PH_SHEET };

enum numkind { NK_NUMBER = 0, NK_DATE, NK_DATETIME, NK_TIME };

enum cell_error {
	CE_NONE = 0,
	CE_SHARED_INDEX, /* n: the index */
	CE_TOO_LONG,
	CE_TOO_MANY,
	CE_REF,      /* the r attribute is no cell of this row */
	CE_ORDER,    /* a cell left of or at the one before */
	CE_ROW_ORDER /* a row at or above the one before */
};

typedef struct q_cell {
	size_t off, len;
	unsigned long col;
} q_cell;

typedef struct q_err {
	unsigned long col;
	enum cell_error code;
	unsigned long long n;
} q_err;

typedef struct q_row {
	unsigned long row;
	size_t first_cell, cells;
	size_t first_err, errs;
} q_row;

typedef struct merge {
	unsigned long r1, c1, r2, c2;
	const char *value; /* the top-left cell's text, once its row is read */
	size_t len;
} merge;

typedef struct sheet_ref {
	char *name, *rid;
} sheet_ref;

typedef struct rel {
	char *id, *target, *type;
} rel;

typedef struct numfmt {
	unsigned long id;
	enum numkind kind;
} numfmt;

typedef struct xlsx xlsx;

typedef struct part {
	xlsx *x;
	enum phase phase;
	const char *entry;
	zip_file_t *zf;
	zip_uint64_t size, got;
	xmlParserCtxtPtr ctxt;
	int depth, failed, done;
} part;

struct xlsx {
	zip_t *za;
	char *file;      /* the workbook, in messages about the archive */
	char *diag_name; /* "<file>:<sheet>": the records' file */
	ctm_ctx *main_ctx, *ctx;
	size_t max_field, max_fields;
	int date1904;
	ctm_arena arena;

	/* the workbook */
	char *workbook; /* its part's name */
	sheet_ref *sheets;
	size_t sheet_count, sheet_cap;
	rel *rels;
	size_t rel_count, rel_cap;

	/* styles: the kind of number each cell format shows */
	unsigned char *xf_kind;
	size_t xf_count, xf_cap;
	numfmt *numfmts;
	size_t numfmt_count, numfmt_cap;
	int in_cellxfs, in_numfmts;

	/* shared strings: string i is ss.s[ss_off[i] .. ss_off[i + 1]) */
	ctm_strbuf ss;
	size_t *ss_off;
	size_t ss_count, ss_cap;
	int in_si, in_rph, in_t, in_is, in_v, in_cell;
	int text_too_long;

	/* merged ranges, by first row; active: those covering the current row */
	merge *merges;
	size_t merge_count, merge_cap, merge_next;
	size_t *active;
	size_t active_count, active_cap;
	unsigned long long merged_cells;

	/* the sheet being read */
	part sheet;
	ctm_strbuf cur; /* the text of the cell, string or <t> being read */
	unsigned long row, col, last_row, last_col;
	char cell_type; /* 'n', 's', 'b', 'e', 'i' (inlineStr), 'S' (str), 'd' */
	unsigned long cell_style;
	int row_open;

	/* rows parsed and not yet handed out */
	ctm_strbuf qtext;
	q_cell *qcells;
	size_t qcell_count, qcell_cap;
	q_err *qerrs;
	size_t qerr_count, qerr_cap;
	q_row *qrows;
	size_t qrow_count, qrow_cap, qrow_next;

	/* the record handed out */
	ctm_csv_field *out;
	size_t out_cap, width;
	int fatal;
	int oom;
};

/* ---- messages ---- */

static void archive_error(xlsx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void archive_error(xlsx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ctm_diag__vreport(x->main_ctx, CTM_SEV_ERROR, x->file, 0, 0, fmt, ap);
	va_end(ap);
}

/* ---- attributes of SAX2's startElementNs: 5 pointers each ---- */

static int attr(const xmlChar **attrs, int n, const char *local, const char **v, size_t *len)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **a = attrs + 5 * i;
		if (strcmp((const char *)a[0], local) == 0) {
			*v = (const char *)a[3];
			*len = (size_t)(a[4] - a[3]);
			return 1;
		}
	}
	return 0;
}

static char *attr_dup(xlsx *x, const xmlChar **attrs, int n, const char *local)
{
	const char *v;
	size_t len;
	if (!attr(attrs, n, local, &v, &len))
		return NULL;
	char *s = ctm_arena__strndup(&x->arena, v, len);
	if (!s)
		x->oom = 1;
	return s;
}

/* A decimal number of at most 15 digits, or -1. */
static long long parse_uint(const char *s, size_t len)
{
	long long v = 0;
	if (len == 0 || len > 15)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "C12" into column 3 and row 12 (row 0 when it has no digits); 0 on
 * anything else. */
static int parse_ref(const char *s, size_t len, unsigned long *col, unsigned long *row)
{
	size_t i = 0;
	unsigned long c = 0;
	while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
		c = c * 26 + (unsigned long)((s[i] | 0x20) - 'a' + 1);
		if (c > XLSX_MAX_COL)
			return 0;
		i++;
	}
	if (i == 0)
		return 0;
	long long r = i < len ? parse_uint(s + i, len - i) : 0;
	if (r < 0 || (unsigned long long)r > XLSX_MAX_ROW)
		return 0;
	*col = c;
	*row = (unsigned long)r;
	return 1;
}

/* ---- number formats ---- */

/* What a format code shows: text in quotes, escaped characters, [colours]
 * and conditions are not its tokens; [h], [mm], [ss] (elapsed) are time. */
static enum numkind format_kind(const char *code, size_t len)
{
	int date = 0, time = 0, month_or_minute = 0;
	for (size_t i = 0; i < len; i++) {
		char c = code[i];
		if (c == '"') {
			while (++i < len && code[i] != '"')
				;
			continue;
		}
		if (c == '\\' || c == '_' || c == '*') {
			i++;
			continue;
		}
		if (c == '[') {
			size_t j = i + 1;
			if (j < len && (code[j] == 'h' || code[j] == 'H' || code[j] == 'm' ||
					code[j] == 'M' || code[j] == 's' || code[j] == 'S'))
				time = 1;
			while (i < len && code[i] != ']')
				i++;
			continue;
		}
		if (c == ';') /* the positive section decides */
			break;
		switch (c | 0x20) {
		case 'y':
		case 'd':
			date = 1;
			break;
		case 'h':
		case 's':
			time = 1;
			break;
		case 'm':
			month_or_minute = 1;
			break;
		case 'g': /* General */
			if (i + 7 <= len && ctm_text__fold_equal(code + i, 7, "general", 7))
				i += 6;
			break;
		default:
			break;
		}
	}
	if (month_or_minute && !time)
		date = 1;
	if (date && time)
		return NK_DATETIME;
	return date ? NK_DATE : time ? NK_TIME : NK_NUMBER;
}

/* Excel's built-in formats that show dates or times. */
static enum numkind builtin_kind(unsigned long id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
	    (id >= 50 && id <= 58))
		return NK_DATE;
	if (id == 22)
		return NK_DATETIME;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
		return NK_TIME;
	return NK_NUMBER;
}

static int numfmt_cmp(const void *a, const void *b)
{
	unsigned long x = ((const numfmt *)a)->id, y = ((const numfmt *)b)->id;
	return x < y ? -1 : x > y;
}

static enum numkind kind_of_format(const xlsx *x, unsigned long id)
{
	numfmt key = { id, NK_NUMBER };
	const numfmt *f = x->numfmt_count ? bsearch(&key, x->numfmts, x->numfmt_count,
						     sizeof(*x->numfmts), numfmt_cmp)
					  : NULL;
	return f ? f->kind : builtin_kind(id);
}

/* ---- values as Excel shows them ---- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long yy = (long long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

/* A serial date-time as ISO 8601 text into buf; 0 when out of Excel's range
 * (then shown as a number). */
static int format_serial(const xlsx *x, double v, enum numkind kind, char *buf, size_t size)
{
	if (!(v >= 0 && v < 2958466)) /* 9999-12-31 */
		return 0;
	double whole = floor(v);
	long long days = (long long)whole;
	long long secs = llround((v - whole) * 86400.0);
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	long long y;
	unsigned m, d;
	if (x->date1904) {
		civil_from_days(days - 24107, &y, &m, &d); /* 1904-01-01 is day -24107 */
	} else if (days == 60) {
		/* Excel's 29 February 1900, which never was */
		y = 1900, m = 2, d = 29;
	} else {
		/* 1 is 1900-01-01; from 61 on, one day off for the day that never was */
		civil_from_days(days - (days < 60 ? 25568 : 25569), &y, &m, &d);
	}
	if (kind == NK_TIME)
		snprintf(buf, size, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
	else if (kind == NK_DATETIME)
		snprintf(buf, size, "%04lld-%02u-%02u %02lld:%02lld:%02lld", y, m, d, secs / 3600,
			 secs / 60 % 60, secs % 60);
	else
		snprintf(buf, size, "%04lld-%02u-%02u", y, m, d);
	return 1;
}

/* A number cell's text: its shortest form of at most 15 significant
 * digits (Excel's precision), integers in full; as a date or time when its
 * format shows one; as written when it is no number. */
static void format_number(const xlsx *x, const char *s, size_t len, enum numkind kind,
			  ctm_strbuf *out)
{
	char tmp[64], buf[64];
	if (len == 0 || len >= sizeof(tmp)) {
		ctm_strbuf__append(out, s, len);
		return;
	}
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	char *end = NULL;
	errno = 0;
	double v = strtod(tmp, &end);
	if (end != tmp + len || errno || !isfinite(v)) {
		ctm_strbuf__append(out, s, len);
		return;
	}
	if (kind != NK_NUMBER && format_serial(x, v, kind, buf, sizeof(buf))) {
		ctm_strbuf__append(out, buf, strlen(buf));
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sizeof(buf), "%.0f", v == 0 ? 0.0 : v);
	else {
		/* the fewest digits that give the same double, at most 15 */
		int p = 1;
		for (; p < 15; p++) {
			snprintf(buf, sizeof(buf), "%.*g", p, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		if (p == 15)
			snprintf(buf, sizeof(buf), "%.15g", v);
	}
	ctm_strbuf__append(out, buf, strlen(buf));
}

/* ---- Excel's escapes ---- */

static int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Excel writes a character XML cannot hold (a control character) in a
 * string as _xHHHH_, and an underscore that starts such text as _x005F_:
 * decoded in place, b->len updated. _x0000_ stays as written (no field holds
 * a NUL). */
static void decode_escapes(ctm_strbuf *b)
{
	if (!b->s || !memchr(b->s, '_', b->len))
		return;
	size_t w = 0;
	for (size_t r = 0; r < b->len;) {
		if (b->s[r] == '_' && r + 7 <= b->len && b->s[r + 1] == 'x' && b->s[r + 6] == '_') {
			int v = 0, ok = 1;
			for (int k = 2; k < 6; k++) {
				int h = hex_value(b->s[r + k]);
				ok &= h >= 0;
				v = v * 16 + (h < 0 ? 0 : h);
			}
			/* only the characters that need it: below 0x20, U+FFFE, U+FFFF, '_' */
			if (ok && v != 0 && (v < 0x20 || v == 0x5F)) {
				b->s[w++] = (char)v;
				r += 7;
				continue;
			}
		}
		b->s[w++] = b->s[r++];
	}
	b->len = w;
	b->s[w] = '\0';
}

/* ---- the queue of rows ---- */

static q_row *open_row(xlsx *x)
{
	return x->qrow_count ? &x->qrows[x->qrow_count - 1] : NULL;
}

static void row_error(xlsx *x, unsigned long col, enum cell_error code, unsigned long long n)
{
	q_row *r = open_row(x);
	if (!r || !x->row_open)
		return;
	/* one error of a kind per row is enough to say */
	for (size_t i = r->first_err; i < r->first_err + r->errs; i++)
		if (x->qerrs[i].code == code)
			return;
	if (ctm_grow__reserve((void **)&x->qerrs, &x->qerr_cap, x->qerr_count + 1,
			      sizeof(*x->qerrs))) {
		x->oom = 1;
		return;
	}
	x->qerrs[x->qerr_count++] = (q_err){ col, code, n };
	r->errs++;
}

/* Ends the cell being read: its text into the queue. */
static void end_cell(xlsx *x)
{
	const char *s = x->cur.s ? x->cur.s : "";
	size_t len = x->cur.len;
	size_t start = x->qtext.len;

	switch (x->cell_type) {
	case 's': {
		long long i = parse_uint(s, len);
		if (i < 0 || (unsigned long long)i >= x->ss_count) {
			row_error(x, x->col, CE_SHARED_INDEX, i < 0 ? ~0ull : (unsigned long long)i);
			len = 0;
			break;
		}
		const char *str = x->ss.s + x->ss_off[i];
		ctm_strbuf__append(&x->qtext, str, x->ss_off[i + 1] - x->ss_off[i]);
		break;
	}
	case 'b':
		if (len == 1 && (s[0] == '0' || s[0] == '1'))
			ctm_strbuf__append(&x->qtext, s[0] == '1' ? "TRUE" : "FALSE",
					   s[0] == '1' ? 4 : 5);
		else
			ctm_strbuf__append(&x->qtext, s, len);
		break;
	case 'n': {
		enum numkind kind = x->cell_style < x->xf_count ? (enum numkind)x->xf_kind[x->cell_style]
								: NK_NUMBER;
		format_number(x, s, len, kind, &x->qtext);
		break;
	}
	default: /* inline strings, formula strings, errors, ISO dates: as written */
		if (x->cell_type == 'i' || x->cell_type == 'S') {
			decode_escapes(&x->cur);
			s = x->cur.s ? x->cur.s : "";
			len = x->cur.len;
		}
		ctm_strbuf__append(&x->qtext, s, len);
		break;
	}
	size_t got = x->qtext.len - start;
	if (got > x->max_field || x->text_too_long) {
		row_error(x, x->col, CE_TOO_LONG, x->max_field);
		x->qtext.len = start + (got > x->max_field ? x->max_field : got);
		/* cut back to a whole UTF-8 character */
		while (x->qtext.len > start && ((unsigned char)x->qtext.s[x->qtext.len] & 0xC0) == 0x80)
			x->qtext.len--;
		got = x->qtext.len - start;
	}
	if (got == 0) {
		x->qtext.len = start;
		if (x->qtext.s)
			x->qtext.s[start] = '\0';
		return;
	}
	/* the padding the CSV reader's fields have (csv.h) */
	static const char pad[CTM_CSV_FIELD_PAD];
	ctm_strbuf__append(&x->qtext, pad, sizeof(pad));
	if (x->qtext.failed) {
		x->oom = 1;
		return;
	}
	if (x->col > x->max_fields) {
		row_error(x, x->col, CE_TOO_MANY, x->max_fields);
		x->qtext.len = start;
		return;
	}
	if (ctm_grow__reserve((void **)&x->qcells, &x->qcell_cap, x->qcell_count + 1,
			      sizeof(*x->qcells))) {
		x->oom = 1;
		return;
	}
	x->qcells[x->qcell_count++] = (q_cell){ start, got, x->col };
	open_row(x)->cells++;
}

/* ---- SAX handlers, per part ---- */

static void sheet_start(xlsx *x, const char *name, const xmlChar **attrs, int n)
{
	const char *v;
	size_t len;

	if (strcmp(name, "row") == 0) {
		unsigned long r = x->last_row + 1;
		long long given = attr(attrs, n, "r", &v, &len) ? parse_uint(v, len) : -1;
		if (ctm_grow__reserve((void **)&x->qrows, &x->qrow_cap, x->qrow_count + 1,
				      sizeof(*x->qrows))) {
			x->oom = 1;
			return;
		}
		x->row_open = 1;
		int out_of_order = given >= 0 && (unsigned long long)given <= x->last_row;
		if (given > 0 && (unsigned long long)given <= XLSX_MAX_ROW && !out_of_order)
			r = (unsigned long)given;
		x->qrows[x->qrow_count++] =
			(q_row){ r, x->qcell_count, 0, x->qerr_count, 0 };
		if (out_of_order || given == 0 || (unsigned long long)given > XLSX_MAX_ROW)
			row_error(x, 1, CE_ROW_ORDER, (unsigned long long)(given < 0 ? 0 : given));
		x->row = x->last_row = r;
		x->last_col = 0;
	} else if (strcmp(name, "c") == 0 && x->row_open) {
		unsigned long col = x->last_col + 1, row = 0;
		if (attr(attrs, n, "r", &v, &len)) {
			if (!parse_ref(v, len, &col, &row) || (row && row != x->row)) {
				row_error(x, x->last_col + 1, CE_REF, 0);
				col = x->last_col + 1;
			} else if (col <= x->last_col) {
				row_error(x, col, CE_ORDER, 0);
				col = x->last_col + 1;
			}
		}
		if (col > XLSX_MAX_COL)
			col = XLSX_MAX_COL;
		x->col = x->last_col = col;
		x->cell_type = 'n';
		if (attr(attrs, n, "t", &v, &len)) {
			if (len == 1 && (v[0] == 's' || v[0] == 'b' || v[0] == 'e' || v[0] == 'n' ||
					 v[0] == 'd'))
				x->cell_type = v[0];
			else if (len == 9 && memcmp(v, "inlineStr", 9) == 0)
				x->cell_type = 'i';
			else
				x->cell_type = 'S';
		}
		long long s = attr(attrs, n, "s", &v, &len) ? parse_uint(v, len) : 0;
		x->cell_style = s < 0 ? 0 : (unsigned long)s;
		x->in_cell = 1;
		x->text_too_long = 0;
		ctm_strbuf__reset(&x->cur);
	} else if (x->in_cell) {
		if (strcmp(name, "v") == 0)
			x->in_v = 1;
		else if (strcmp(name, "is") == 0)
			x->in_is = 1;
		else if (strcmp(name, "rPh") == 0)
			x->in_rph = 1;
		else if (strcmp(name, "t") == 0 && x->in_is && !x->in_rph)
			x->in_t = 1;
	}
}

static void sheet_end(xlsx *x, const char *name)
{
	if (strcmp(name, "c") == 0 && x->in_cell) {
		end_cell(x);
		x->in_cell = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
	} else if (strcmp(name, "row") == 0) {
		x->row_open = 0;
	} else if (strcmp(name, "v") == 0) {
		x->in_v = 0;
	} else if (strcmp(name, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(name, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(name, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(name, "sheetData") == 0) {
		x->sheet.done = 1; /* what follows (merges, print setup) was read before */
		xmlStopParser(x->sheet.ctxt);
	}
}

static void merges_start(xlsx *x, part *p, const char *name, const xmlChar **attrs, int n)
{
	const char *v;
	size_t len;
	if (strcmp(name, "sheetData") == 0) {
		/* its rows are read in the second pass */
		return;
	}
	if (strcmp(name, "mergeCell") != 0 || !attr(attrs, n, "ref", &v, &len))
		return;
	const char *colon = memchr(v, ':', len);
	merge m = { 0, 0, 0, 0, NULL, 0 };
	if (!colon || !parse_ref(v, (size_t)(colon - v), &m.c1, &m.r1) ||
	    !parse_ref(colon + 1, len - (size_t)(colon - v) - 1, &m.c2, &m.r2) || !m.r1 ||
	    !m.r2 || m.r2 < m.r1 || m.c2 < m.c1)
		return; /* a range that names no cells merges none */
	if (x->merge_count >= XLSX_MAX_MERGES) {
		archive_error(x, "more than %d merged ranges in the sheet: not read (unmerge the "
				 "cells, or save the sheet as CSV UTF-8)",
			      XLSX_MAX_MERGES);
		p->failed = 1;
		xmlStopParser(p->ctxt);
		return;
	}
	x->merged_cells += (unsigned long long)(m.r2 - m.r1 + 1) * (m.c2 - m.c1 + 1);
	if (x->merged_cells > XLSX_MAX_MERGED_CELLS) {
		archive_error(x, "merged ranges cover more than %llu cells: not read (unmerge the "
				 "cells, or save the sheet as CSV UTF-8)",
			      XLSX_MAX_MERGED_CELLS);
		p->failed = 1;
		xmlStopParser(p->ctxt);
		return;
	}
	if (ctm_grow__reserve((void **)&x->merges, &x->merge_cap, x->merge_count + 1,
			      sizeof(*x->merges))) {
		x->oom = 1;
		return;
	}
	x->merges[x->merge_count++] = m;
}

static void strings_start(xlsx *x, const char *name)
{
	if (strcmp(name, "si") == 0) {
		x->in_si = 1;
		x->text_too_long = 0;
		ctm_strbuf__reset(&x->cur);
	} else if (strcmp(name, "rPh") == 0) {
		x->in_rph = 1;
	} else if (strcmp(name, "t") == 0 && x->in_si && !x->in_rph) {
		x->in_t = 1;
	}
}

static void strings_end(xlsx *x, const char *name)
{
	if (strcmp(name, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (ctm_grow__reserve((void **)&x->ss_off, &x->ss_cap, x->ss_count + 2,
				      sizeof(*x->ss_off))) {
			x->oom = 1;
			return;
		}
		if (x->ss_count == 0)
			x->ss_off[0] = 0;
		decode_escapes(&x->cur);
		ctm_strbuf__append(&x->ss, x->cur.s ? x->cur.s : "", x->cur.len);
		if (x->ss.failed)
			x->oom = 1;
		x->ss_off[++x->ss_count] = x->ss.len;
	} else if (strcmp(name, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(name, "t") == 0) {
		x->in_t = 0;
	}
}

static void workbook_start(xlsx *x, const char *name, const xmlChar **attrs, int n)
{
	const char *v;
	size_t len;
	if (strcmp(name, "workbookPr") == 0 && attr(attrs, n, "date1904", &v, &len))
		x->date1904 = (len == 1 && v[0] == '1') || (len == 4 && memcmp(v, "true", 4) == 0);
	if (strcmp(name, "sheet") != 0 || x->sheet_count >= XLSX_MAX_SHEETS)
		return;
	sheet_ref s = { attr_dup(x, attrs, n, "name"), attr_dup(x, attrs, n, "id") };
	if (!s.name || !s.rid)
		return;
	if (ctm_grow__reserve((void **)&x->sheets, &x->sheet_cap, x->sheet_count + 1,
			      sizeof(*x->sheets))) {
		x->oom = 1;
		return;
	}
	x->sheets[x->sheet_count++] = s;
}

static void rels_start(xlsx *x, const char *name, const xmlChar **attrs, int n)
{
	if (strcmp(name, "Relationship") != 0 || x->rel_count >= XLSX_MAX_RELS)
		return;
	rel r = { attr_dup(x, attrs, n, "Id"), attr_dup(x, attrs, n, "Target"),
		  attr_dup(x, attrs, n, "Type") };
	if (!r.id || !r.target)
		return;
	if (ctm_grow__reserve((void **)&x->rels, &x->rel_cap, x->rel_count + 1, sizeof(*x->rels))) {
		x->oom = 1;
		return;
	}
	x->rels[x->rel_count++] = r;
}

static void styles_start(xlsx *x, const char *name, const xmlChar **attrs, int n)
{
	const char *v;
	size_t len;
	if (strcmp(name, "cellXfs") == 0) {
		x->in_cellxfs = 1;
	} else if (strcmp(name, "numFmts") == 0) {
		x->in_numfmts = 1;
	} else if (strcmp(name, "numFmt") == 0 && x->in_numfmts &&
		   x->numfmt_count < XLSX_MAX_NUMFMTS && attr(attrs, n, "numFmtId", &v, &len)) {
		long long id = parse_uint(v, len);
		const char *code;
		size_t cl;
		if (id < 0 || !attr(attrs, n, "formatCode", &code, &cl))
			return;
		if (ctm_grow__reserve((void **)&x->numfmts, &x->numfmt_cap, x->numfmt_count + 1,
				      sizeof(*x->numfmts))) {
			x->oom = 1;
			return;
		}
		x->numfmts[x->numfmt_count++] = (numfmt){ (unsigned long)id, format_kind(code, cl) };
	} else if (strcmp(name, "xf") == 0 && x->in_cellxfs && x->xf_count < XLSX_MAX_XFS) {
		long long id = attr(attrs, n, "numFmtId", &v, &len) ? parse_uint(v, len) : 0;
		if (ctm_grow__reserve((void **)&x->xf_kind, &x->xf_cap, x->xf_count + 1, 1)) {
			x->oom = 1;
			return;
		}
		/* numFmts come before cellXfs in styles.xml */
		x->xf_kind[x->xf_count++] =
			(unsigned char)(id < 0 ? NK_NUMBER : kind_of_format(x, (unsigned long)id));
	}
}

static void styles_end(xlsx *x, const char *name)
{
	if (strcmp(name, "cellXfs") == 0)
		x->in_cellxfs = 0;
	else if (strcmp(name, "numFmts") == 0) {
		x->in_numfmts = 0;
		if (x->numfmt_count)
			qsort(x->numfmts, x->numfmt_count, sizeof(*x->numfmts), numfmt_cmp);
	}
}

static void on_start(void *user, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
		     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	part *p = user;
	xlsx *x = p->x;
	const char *name = (const char *)localname;
	(void)prefix;
	(void)uri;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;

	if (p->failed)
		return;
	if (++p->depth > XLSX_MAX_DEPTH) {
		archive_error(x, "part '%s': elements nested deeper than %d levels", p->entry,
			      XLSX_MAX_DEPTH);
		p->failed = 1;
		xmlStopParser(p->ctxt);
		return;
	}
	switch (p->phase) {
	case PH_SHEET:
		sheet_start(x, name, attributes, nb_attributes);
		break;
	case PH_MERGES:
		merges_start(x, p, name, attributes, nb_attributes);
		break;
	case PH_STRINGS:
		strings_start(x, name);
		break;
	case PH_WORKBOOK:
		workbook_start(x, name, attributes, nb_attributes);
		break;
	case PH_RELS:
		rels_start(x, name, attributes, nb_attributes);
		break;
	case PH_STYLES:
		styles_start(x, name, attributes, nb_attributes);
		break;
	}
	if (x->oom) {
		p->failed = 1;
		xmlStopParser(p->ctxt);
	}
}

static void on_end(void *user, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *uri)
{
	part *p = user;
	xlsx *x = p->x;
	const char *name = (const char *)localname;
	(void)prefix;
	(void)uri;

	if (p->failed)
		return;
	p->depth--;
	if (p->phase == PH_SHEET)
		sheet_end(x, name);
	else if (p->phase == PH_STRINGS)
		strings_end(x, name);
	else if (p->phase == PH_STYLES)
		styles_end(x, name);
	if (x->oom) {
		p->failed = 1;
		xmlStopParser(p->ctxt);
	}
}

static void on_text(void *user, const xmlChar *ch, int len)
{
	part *p = user;
	xlsx *x = p->x;
	int wanted = (p->phase == PH_SHEET && x->in_cell && (x->in_v || x->in_t)) ||
		     (p->phase == PH_STRINGS && x->in_si && x->in_t);
	if (!wanted || p->failed || len <= 0)
		return;
	size_t room = x->max_field + 8 > x->cur.len ? x->max_field + 8 - x->cur.len : 0;
	if ((size_t)len > room) {
		/* kept to past the bound, so that the cell is said to be too long
		 * where it is used; what is kept stays bounded */
		x->text_too_long = 1;
		len = (int)room;
	}
	ctm_strbuf__append(&x->cur, (const char *)ch, (size_t)len);
	if (x->cur.failed) {
		x->oom = 1;
		p->failed = 1;
		xmlStopParser(p->ctxt);
	}
}

static void on_doctype(void *user, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	part *p = user;
	(void)name;
	(void)external_id;
	(void)system_id;
	if (p->failed)
		return;
	archive_error(p->x, "part '%s': a DOCTYPE is not allowed in a workbook (no DTDs or "
			    "entities are read)",
		      p->entry);
	p->failed = 1;
	xmlStopParser(p->ctxt);
}

static void on_xml_error(void *user, xmlErrorPtr e)
{
	part *p = user;
	if (p->failed || !e || e->level < XML_ERR_ERROR)
		return;
	char msg[200];
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "malformed");
	size_t ml = strlen(msg);
	while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
		msg[--ml] = '\0';
	archive_error(p->x, "part '%s' is not well-formed XML (line %d): %s", p->entry, e->line,
		      msg);
	p->failed = 1;
}

static xmlSAXHandler sax_handler(void)
{
	xmlSAXHandler h;
	memset(&h, 0, sizeof(h));
	h.initialized = XML_SAX2_MAGIC;
	h.startElementNs = on_start;
	h.endElementNs = on_end;
	h.characters = on_text;
	h.cdataBlock = on_text;
	h.internalSubset = on_doctype;
	h.serror = on_xml_error;
	return h;
}

/* ---- parts ---- */

/* Opens entry for parsing, within max bytes inflated and the ratio bound.
 * 1 opened, 0 absent (not said), or CTM_EINVALID / CTM_ENOMEM (said). */
static int part_open(xlsx *x, part *p, enum phase phase, const char *entry, zip_uint64_t max)
{
	memset(p, 0, sizeof(*p));
	p->x = x;
	p->phase = phase;
	p->entry = entry;
	zip_int64_t idx = zip_name_locate(x->za, entry, 0);
	if (idx < 0)
		return 0;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		archive_error(x, "part '%s' cannot be read: %s", entry, zip_strerror(x->za));
		return CTM_EINVALID;
	}
	if (st.size > max) {
		archive_error(x, "part '%s' would inflate to %llu bytes, more than the %llu "
				 "continuum reads: refused",
			      entry, (unsigned long long)st.size, (unsigned long long)max);
		return CTM_EINVALID;
	}
	if (st.size > XLSX_RATIO_FLOOR &&
	    (st.comp_size == 0 || st.size / st.comp_size > XLSX_MAX_RATIO)) {
		archive_error(x, "part '%s' would inflate from %llu to %llu bytes (more than %d "
				 "times): refused as a zip bomb",
			      entry, (unsigned long long)st.comp_size,
			      (unsigned long long)st.size, XLSX_MAX_RATIO);
		return CTM_EINVALID;
	}
	p->size = st.size;
	if (!(p->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0))) {
		archive_error(x, "part '%s' cannot be read: %s", entry, zip_strerror(x->za));
		return CTM_EINVALID;
	}
	xmlSAXHandler h = sax_handler();
	p->ctxt = xmlCreatePushParserCtxt(&h, p, NULL, 0, entry);
	if (!p->ctxt)
		return CTM_ENOMEM;
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET);
	return 1;
}

static void part_close(part *p)
{
	if (p->ctxt)
		xmlFreeParserCtxt(p->ctxt);
	if (p->zf)
		zip_fclose(p->zf);
	p->ctxt = NULL;
	p->zf = NULL;
}

/* Feeds the next chunk. 1 more to come, 0 the part is done, or
 * CTM_EINVALID / CTM_ENOMEM (said). */
static int part_step(part *p)
{
	char buf[XLSX_CHUNK];
	xlsx *x = p->x;
	if (p->done)
		return 0;
	zip_int64_t got = zip_fread(p->zf, buf, sizeof(buf));
	if (got < 0) {
		archive_error(x, "part '%s' cannot be read (a damaged archive): %s", p->entry,
			      zip_file_strerror(p->zf));
		return CTM_EINVALID;
	}
	p->got += (zip_uint64_t)got;
	if (p->got > p->size) {
		archive_error(x, "part '%s' inflates to more than the %llu bytes its directory "
				 "says: refused",
			      p->entry, (unsigned long long)p->size);
		return CTM_EINVALID;
	}
	int last = got == 0;
	xmlParseChunk(p->ctxt, buf, (int)got, last);
	if (x->oom)
		return CTM_ENOMEM;
	if (p->failed)
		return CTM_EINVALID;
	if (p->done)
		return 0;
	if (last) {
		if (!p->ctxt->wellFormed) {
			archive_error(x, "part '%s' is not well-formed XML", p->entry);
			return CTM_EINVALID;
		}
		p->done = 1;
		return 0;
	}
	return 1;
}

/* Parses a whole part. 1, 0 absent, or an error (said). */
static int part_read(xlsx *x, enum phase phase, const char *entry, zip_uint64_t max)
{
	part p;
	int rc = part_open(x, &p, phase, entry, max);
	while (rc == 1 && (rc = part_step(&p)) == 1)
		;
	if (rc == 0 && p.ctxt)
		rc = 1;
	part_close(&p);
	return rc;
}

/* The target of relationship id (or of the first of type suffix when id is
 * NULL), as a part name relative to base_dir ("xl/"). */
static char *rel_target(xlsx *x, const char *id, const char *type_suffix, const char *base_dir)
{
	for (size_t i = 0; i < x->rel_count; i++) {
		const rel *r = &x->rels[i];
		if (id ? strcmp(r->id, id) != 0
		       : !(r->type && strlen(r->type) >= strlen(type_suffix) &&
			   strcmp(r->type + strlen(r->type) - strlen(type_suffix), type_suffix) ==
				   0))
			continue;
		ctm_strbuf b = CTM_STRBUF_INIT;
		if (r->target[0] == '/')
			ctm_strbuf__append(&b, r->target + 1, strlen(r->target) - 1);
		else
			ctm_strbuf__printf(&b, "%s%s", base_dir, r->target);
		char *s = b.failed ? NULL : ctm_arena__strdup(&x->arena, b.s ? b.s : "");
		ctm_strbuf__free(&b);
		if (!s)
			x->oom = 1;
		return s;
	}
	return NULL;
}

static int merge_cmp(const void *a, const void *b)
{
	const merge *x = a, *y = b;
	if (x->r1 != y->r1)
		return x->r1 < y->r1 ? -1 : 1;
	return x->c1 < y->c1 ? -1 : x->c1 > y->c1;
}

/* ---- the record source ---- */

static void put_field(xlsx *x, size_t col, const char *data, size_t len, unsigned long row)
{
	x->out[col - 1] = (ctm_csv_field){ data, len, row, col | CTM_DIAG_CELL, 0 };
}

static void say_cell_error(xlsx *x, unsigned long row, const q_err *e)
{
	unsigned long col = e->col | CTM_DIAG_CELL;
	switch (e->code) {
	case CE_SHARED_INDEX:
		if (e->n == ~0ull)
			ctm_diag__error(x->ctx, x->diag_name, row, col,
					"a shared-string cell holds no index");
		else
			ctm_diag__error(x->ctx, x->diag_name, row, col,
					"shared string %llu does not exist (the workbook has %zu)",
					e->n, x->ss_count);
		break;
	case CE_TOO_LONG:
		ctm_diag__error(x->ctx, x->diag_name, row, col, "cell longer than %llu bytes",
				e->n);
		break;
	case CE_TOO_MANY:
		ctm_diag__error(x->ctx, x->diag_name, row, col, "row has more than %llu cells",
				e->n);
		break;
	case CE_REF:
		ctm_diag__error(x->ctx, x->diag_name, row, col,
				"a cell's reference is not a cell of its row");
		break;
	case CE_ORDER:
		ctm_diag__error(x->ctx, x->diag_name, row, col,
				"a cell comes after one to its right");
		break;
	case CE_ROW_ORDER:
		ctm_diag__error(x->ctx, x->diag_name, row, col,
				"row %llu comes after row %lu or is beyond Excel's last", e->n,
				row - 1);
		break;
	case CE_NONE:
		break;
	}
}

/* The merged ranges covering row: activated in order of first row, dropped
 * after their last. */
static int update_active(xlsx *x, unsigned long row)
{
	size_t k = 0;
	for (size_t i = 0; i < x->active_count; i++)
		if (x->merges[x->active[i]].r2 >= row)
			x->active[k++] = x->active[i];
	x->active_count = k;
	while (x->merge_next < x->merge_count && x->merges[x->merge_next].r1 <= row) {
		if (x->merges[x->merge_next].r2 >= row) {
			if (ctm_grow__reserve((void **)&x->active, &x->active_cap,
					      x->active_count + 1, sizeof(*x->active)))
				return CTM_ENOMEM;
			x->active[x->active_count++] = x->merge_next;
		}
		x->merge_next++;
	}
	return 0;
}

/* Row r of the queue as the record handed out. */
static int build_record(xlsx *x, const q_row *r, const ctm_csv_field **fields, size_t *count)
{
	size_t width = x->width;
	const q_cell *cells = x->qcells + r->first_cell;
	if (r->cells && cells[r->cells - 1].col > width)
		width = cells[r->cells - 1].col;
	if (update_active(x, r->row) < 0)
		return CTM_ENOMEM;
	for (size_t i = 0; i < x->active_count; i++) {
		unsigned long c2 = x->merges[x->active[i]].c2;
		if (c2 > width && c2 <= x->max_fields)
			width = c2;
	}
	if (width == 0)
		width = 1;
	if (ctm_grow__reserve((void **)&x->out, &x->out_cap, width, sizeof(*x->out)))
		return CTM_ENOMEM;
	for (size_t c = 1; c <= width; c++)
		put_field(x, c, empty_field, 0, r->row);
	for (size_t i = 0; i < r->cells; i++)
		put_field(x, cells[i].col, x->qtext.s + cells[i].off, cells[i].len, r->row);
	/* a merged range shows its top-left cell's value in every cell */
	for (size_t i = 0; i < x->active_count; i++) {
		merge *m = &x->merges[x->active[i]];
		if (m->r1 == r->row && !m->value && m->c1 <= width) {
			const ctm_csv_field *tl = &x->out[m->c1 - 1];
			if (!(m->value = ctm_arena__strndup(&x->arena, tl->data, tl->len + CTM_CSV_FIELD_PAD)))
				return CTM_ENOMEM;
			m->len = tl->len;
		}
		if (!m->value || !m->len)
			continue;
		for (unsigned long c = m->c1; c <= m->c2 && c <= width; c++)
			if (x->out[c - 1].len == 0)
				put_field(x, c, m->value, m->len, r->row);
	}
	int blank = 1;
	for (size_t c = 0; c < width && blank; c++)
		blank = x->out[c].len == 0;
	if (blank) {
		/* a row of empty cells: a blank line, as the CSV reader gives one */
		*fields = x->out;
		*count = 1;
		return 0;
	}
	if (x->width == 0)
		x->width = width; /* the header's: every later row has at least as many */
	*fields = x->out;
	*count = width;
	return 0;
}

/* Moves the row still open (a chunk ended inside it) to the front of the
 * queue, every row before it having been handed out: the queue holds at most
 * a chunk's rows. */
static void compact(xlsx *x)
{
	if (!x->row_open || x->qrow_count == 0) {
		x->qrow_count = x->qrow_next = 0;
		x->qcell_count = x->qerr_count = 0;
		ctm_strbuf__reset(&x->qtext);
		return;
	}
	q_row r = x->qrows[x->qrow_count - 1];
	size_t base = r.cells ? x->qcells[r.first_cell].off : x->qtext.len;
	if (r.cells)
		memmove(x->qcells, x->qcells + r.first_cell, r.cells * sizeof(*x->qcells));
	for (size_t i = 0; i < r.cells; i++)
		x->qcells[i].off -= base;
	if (r.errs)
		memmove(x->qerrs, x->qerrs + r.first_err, r.errs * sizeof(*x->qerrs));
	if (x->qtext.s) {
		memmove(x->qtext.s, x->qtext.s + base, x->qtext.len - base);
		x->qtext.len -= base;
		x->qtext.s[x->qtext.len] = '\0';
	}
	r.first_cell = r.first_err = 0;
	x->qrows[0] = r;
	x->qrow_count = 1;
	x->qrow_next = 0;
	x->qcell_count = r.cells;
	x->qerr_count = r.errs;
}

static int source_next(void *user, const ctm_csv_field **fields, size_t *count, int *bad)
{
	xlsx *x = user;
	int rc;

	if (x->fatal)
		return x->fatal;
	for (;;) {
		size_t closed = x->qrow_count - (x->row_open ? 1 : 0);
		if (x->qrow_next < closed)
			break;
		compact(x);
		if (x->sheet.done) {
			if (x->row_open) {
				x->row_open = 0; /* cannot be: the sheet ended well-formed */
				continue;
			}
			return 0;
		}
		if ((rc = part_step(&x->sheet)) < 0)
			return x->fatal = rc;
		if (rc == 0)
			x->sheet.done = 1;
	}
	const q_row *r = &x->qrows[x->qrow_next++];
	if ((rc = build_record(x, r, fields, count)) < 0)
		return x->fatal = rc;
	for (size_t i = r->first_err; i < r->first_err + r->errs; i++)
		say_cell_error(x, r->row, &x->qerrs[i]);
	*bad = r->errs != 0;
	return 1;
}

static void source_set_context(void *user, ctm_ctx *ctx) { ((xlsx *)user)->ctx = ctx; }

static unsigned long long source_bytes(void *user) { return ((xlsx *)user)->sheet.got; }

static void source_free(void *user)
{
	xlsx *x = user;
	if (!x)
		return;
	part_close(&x->sheet);
	if (x->za)
		zip_discard(x->za);
	ctm_strbuf__free(&x->ss);
	ctm_strbuf__free(&x->cur);
	ctm_strbuf__free(&x->qtext);
	free(x->ss_off);
	free(x->xf_kind);
	free(x->numfmts);
	free(x->merges);
	free(x->active);
	free(x->qcells);
	free(x->qerrs);
	free(x->qrows);
	free(x->out);
	free(x->sheets);
	free(x->rels);
	free(x->file);
	free(x->diag_name);
	ctm_arena__free(&x->arena);
	free(x);
}

/* ---- opening ---- */

ctm_xlsx_kind ctm_xlsx__sniff(const void *head, size_t len)
{
	static const unsigned char zip[4] = { 'P', 'K', 3, 4 };
	static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	if (len >= 4 && memcmp(head, zip, 4) == 0)
		return CTM_XLSX_ZIP;
	if (len >= 8 && memcmp(head, ole2, 8) == 0)
		return CTM_XLSX_OLE2;
	return CTM_XLSX_NOT;
}

/* The mimetype an OpenDocument file starts with. */
static int is_opendocument(xlsx *x)
{
	zip_int64_t idx = zip_name_locate(x->za, "mimetype", 0);
	char buf[64] = { 0 };
	if (idx < 0)
		return 0;
	zip_file_t *f = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!f)
		return 0;
	zip_int64_t got = zip_fread(f, buf, sizeof(buf) - 1);
	zip_fclose(f);
	return got > 0 && strncmp(buf, "application/vnd.oasis.opendocument", 34) == 0;
}

static int open_archive(xlsx *x, const char *path, const void *buf, size_t len)
{
	int zerr = 0;
	zip_error_t error;
	zip_error_init(&error);
	if (buf) {
		zip_source_t *src = zip_source_buffer_create(buf, len, 0, &error);
		if (src && !(x->za = zip_open_from_source(src, ZIP_RDONLY, &error)))
			zip_source_free(src);
	} else {
		x->za = zip_open(path, ZIP_RDONLY, &zerr);
		if (!x->za)
			zip_error_init_with_code(&error, zerr);
	}
	if (!x->za) {
		int sys = zip_error_code_system(&error);
		int eio = zip_error_code_zip(&error) == ZIP_ER_OPEN ||
			  zip_error_code_zip(&error) == ZIP_ER_READ;
		if (eio && sys)
			ctm_diag__error(x->main_ctx, NULL, 0, 0, "cannot open %s: %s", x->file,
					strerror(sys));
		else
			archive_error(x, "not a readable workbook (an .xlsx file is a zip archive): %s",
				      zip_error_strerror(&error));
		zip_error_fini(&error);
		return eio && sys ? CTM_EIO : CTM_EINVALID;
	}
	zip_error_fini(&error);
	zip_int64_t entries = zip_get_num_entries(x->za, 0);
	if (entries < 0 || entries > XLSX_MAX_ENTRIES) {
		archive_error(x, "a zip archive of %lld entries (more than %d): refused",
			      (long long)entries, XLSX_MAX_ENTRIES);
		return CTM_EINVALID;
	}
	return 0;
}

static int contains(const char *hay, size_t n, const char *needle, size_t nl)
{
	const char *p = hay, *end = hay + n;
	while ((size_t)(end - p) >= nl && (p = memchr(p, needle[0], (size_t)(end - p - nl + 1)))) {
		if (memcmp(p, needle, nl) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Whether the sheet's part holds "mergeCell" anywhere: a byte search over
 * the inflated part, far cheaper than parsing it, so that a sheet without
 * merged ranges (the usual export) is parsed once. '<' is escaped in text,
 * so the element cannot hide; a string holding the word only costs the
 * parse. 1 yes, 0 no, 2 no such part, or an error (said). */
static int has_merges(xlsx *x, const char *entry)
{
	static const char word[] = "mergeCell";
	const size_t wl = sizeof(word) - 1;
	part p;
	char buf[XLSX_CHUNK + sizeof(word)];
	size_t keep = 0;
	int rc = part_open(x, &p, PH_MERGES, entry, XLSX_SHEET_MAX);
	if (rc <= 0)
		return rc == 0 ? 2 : rc;
	for (;;) {
		zip_int64_t got = zip_fread(p.zf, buf + keep, XLSX_CHUNK);
		if (got < 0) {
			archive_error(x, "part '%s' cannot be read (a damaged archive): %s", entry,
				      zip_file_strerror(p.zf));
			rc = CTM_EINVALID;
			break;
		}
		p.got += (zip_uint64_t)got;
		if (p.got > p.size) {
			archive_error(x, "part '%s' inflates to more than the %llu bytes its "
					 "directory says: refused",
				      entry, (unsigned long long)p.size);
			rc = CTM_EINVALID;
			break;
		}
		size_t n = keep + (size_t)got;
		if (got == 0) {
			rc = 0;
			break;
		}
		if (n >= wl && contains(buf, n, word, wl)) {
			rc = 1;
			break;
		}
		/* the word may straddle two chunks */
		keep = n < wl - 1 ? n : wl - 1;
		memmove(buf, buf + n - keep, keep);
	}
	part_close(&p);
	return rc;
}

static int choose_sheet(xlsx *x, const char *wanted, const sheet_ref **out)
{
	if (x->sheet_count == 0) {
		archive_error(x, "the workbook has no sheets");
		return CTM_EINVALID;
	}
	if (!wanted) {
		*out = &x->sheets[0];
		return 0;
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < x->sheet_count; i++) {
			const char *n = x->sheets[i].name;
			if (pass == 0 ? strcmp(n, wanted) == 0
				      : ctm_text__fold_equal(n, strlen(n), wanted, strlen(wanted))) {
				*out = &x->sheets[i];
				return 0;
			}
		}
	ctm_strbuf names = CTM_STRBUF_INIT;
	for (size_t i = 0; i < x->sheet_count && i < 20; i++)
		ctm_strbuf__printf(&names, "%s'%s'", i ? ", " : "", x->sheets[i].name);
	if (x->sheet_count > 20)
		ctm_strbuf__printf(&names, ", ...");
	archive_error(x, "no sheet '%s' in the workbook (--sheet): its sheets are %s", wanted,
		      names.s ? names.s : "");
	ctm_strbuf__free(&names);
	return CTM_EINVALID;
}

/* Everything before the sheet's rows: the parts, the styles, the strings
 * and the merged ranges. */
static int read_workbook(xlsx *x, const char *wanted_sheet)
{
	int rc;
	const sheet_ref *sheet = NULL;

	/* _rels/.rels names the workbook part (xl/workbook.xml in practice) */
	if ((rc = part_read(x, PH_RELS, "_rels/.rels", XLSX_SMALL_PART_MAX)) < 0)
		return rc;
	x->workbook = rc ? rel_target(x, NULL, "/officeDocument", "") : NULL;
	if (!x->workbook && !x->oom)
		x->workbook = ctm_arena__strdup(&x->arena, "xl/workbook.xml");
	if (!x->workbook)
		return CTM_ENOMEM;
	if ((rc = part_read(x, PH_WORKBOOK, x->workbook, XLSX_SMALL_PART_MAX)) < 0)
		return rc;
	if (rc == 0) {
		if (is_opendocument(x))
			archive_error(x, "an OpenDocument spreadsheet (.ods) is not read: save it "
					 "as an Excel workbook (.xlsx) or as CSV UTF-8");
		else
			archive_error(x, "a zip archive but not an Excel workbook (it has no %s): "
					 "give the responses as .xlsx or as CSV UTF-8",
				      x->workbook);
		return CTM_EINVALID;
	}
	if ((rc = choose_sheet(x, wanted_sheet, &sheet)) < 0)
		return rc;

	/* the workbook's own rels: "xl/_rels/workbook.xml.rels" */
	const char *slash = strrchr(x->workbook, '/');
	size_t dir_len = slash ? (size_t)(slash - x->workbook) + 1 : 0;
	ctm_strbuf b = CTM_STRBUF_INIT;
	ctm_strbuf__printf(&b, "%.*s_rels/%s.rels", (int)dir_len, x->workbook,
			   x->workbook + dir_len);
	char *dir = ctm_arena__strndup(&x->arena, x->workbook, dir_len);
	char *rels_name = b.failed ? NULL : ctm_arena__strdup(&x->arena, b.s);
	ctm_strbuf__free(&b);
	if (!rels_name || !dir)
		return CTM_ENOMEM;
	x->rel_count = 0;
	if ((rc = part_read(x, PH_RELS, rels_name, XLSX_SMALL_PART_MAX)) < 0)
		return rc;
	const char *sheet_part = rel_target(x, sheet->rid, NULL, dir);
	const char *styles = rel_target(x, NULL, "/styles", dir);
	const char *strings = rel_target(x, NULL, "/sharedStrings", dir);
	if (x->oom)
		return CTM_ENOMEM;
	if (!sheet_part) {
		archive_error(x, "sheet '%s' has no part in the workbook (relationship '%s')",
			      sheet->name, sheet->rid);
		return CTM_EINVALID;
	}
	b = (ctm_strbuf)CTM_STRBUF_INIT;
	ctm_strbuf__printf(&b, "%s:%s", x->file, sheet->name);
	if (b.failed)
		return CTM_ENOMEM;
	x->diag_name = ctm_strbuf__detach(&b);
	if (!x->diag_name)
		return CTM_ENOMEM;

	if (styles && (rc = part_read(x, PH_STYLES, styles, XLSX_SMALL_PART_MAX)) < 0)
		return rc;
	if (strings && (rc = part_read(x, PH_STRINGS, strings, XLSX_STRINGS_MAX)) < 0)
		return rc;
	ctm_strbuf__free(&x->cur);
	if ((rc = has_merges(x, sheet_part)) == 1)
		rc = part_read(x, PH_MERGES, sheet_part, XLSX_SHEET_MAX);
	else if (rc == 0)
		rc = 1; /* no merged ranges: the rows are read once */
	else if (rc == 2)
		rc = 0; /* no such part */
	if (rc < 0)
		return rc;
	if (rc == 0) {
		archive_error(x, "sheet '%s': its part '%s' is missing from the archive",
			      sheet->name, sheet_part);
		return CTM_EINVALID;
	}
	if (x->merge_count)
		qsort(x->merges, x->merge_count, sizeof(*x->merges), merge_cmp);
	if ((rc = part_open(x, &x->sheet, PH_SHEET, sheet_part, XLSX_SHEET_MAX)) < 0)
		return rc;
	return rc == 1 ? CTM_OK : CTM_EINVALID;
}

int ctm_xlsx__open(ctm_csv **out, const char *path, const char *name, const void *buf,
		   size_t len, const char *sheet, const ctm_csv_limits *limits, ctm_ctx *ctx)
{
	xlsx *x = calloc(1, sizeof(*x));
	int rc;

	*out = NULL;
	if (!x)
		return CTM_ENOMEM;
	x->main_ctx = x->ctx = ctx;
	x->max_field = limits && limits->max_field_bytes ? limits->max_field_bytes : (size_t)1 << 20;
	x->max_fields = limits && limits->max_fields ? limits->max_fields : CTM_CSV_MAX_FIELDS;
	if (!(x->file = strdup(name ? name : path ? path : "<memory>"))) {
		free(x);
		return CTM_ENOMEM;
	}
	xmlInitParser();
	if (buf) {
		/* an OLE2 file is sniffed by the caller; here only the archive */
		rc = open_archive(x, NULL, buf, len);
	} else {
		rc = open_archive(x, path, NULL, 0);
	}
	if (rc == CTM_OK)
		rc = read_workbook(x, sheet);
	if (rc == CTM_ENOMEM && ctm_ctx_error_count(ctx) == 0)
		ctm_diag__error(ctx, x->file, 0, 0, "out of memory while reading the workbook");
	if (rc != CTM_OK) {
		source_free(x);
		return rc;
	}
	ctm_csv_source src = { source_next, source_set_context, source_bytes, source_free, x };
	return ctm_csv__open_source(out, x->diag_name, &src, ctx);
}
