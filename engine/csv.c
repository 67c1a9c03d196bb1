/*
 * Streaming RFC 4180 reader (see csv.h for the contract).
 *
 * The input is read through one fixed chunk (64 KiB for files; the caller's
 * buffer itself in memory mode). Every byte of the current record is copied
 * into one growable buffer, fields separated by NULs, so that a record may
 * span any number of chunks and the chunk can be refilled at any byte. That
 * buffer and the field array are kept from record to record: in steady state
 * reading a record allocates nothing.
 *
 * Runs of plain ASCII bytes are found eight bytes at a time and copied with
 * memcpy; only the bytes that matter (delimiters, quotes, line breaks, NUL,
 * non-ASCII) go through the byte-by-byte state machine. UTF-8 is validated
 * incrementally, so a sequence may be split across two chunks. The delimiter
 * is a member read into a local once per call of the hot loop, not a mode
 * tested at every byte.
 *
 * Input that is not UTF-8 (UTF-16 after its BOM, or Windows-1252 when asked)
 * is decoded to UTF-8 where chunks are filled (decode_chunk): the undecoded
 * bytes go through a second buffer (raw) and the parser only ever sees UTF-8.
 * Decoding never fails there: a byte or unit that is not a character becomes
 * a marker (mark_bad) in the decoded text, which the parser reports where it
 * meets it, with the line and column it has counted by then.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "csv.h"
#include "diag.h"
#include "utf8.h"

/* Overridable so that a test build can put chunk boundaries everywhere. */
#ifndef CTM_CSV_CHUNK_SIZE
#define CTM_CSV_CHUNK_SIZE (64 * 1024)
#endif
#define CHUNK_SIZE ((size_t)CTM_CSV_CHUNK_SIZE)
#define REC_INITIAL 4096
#define FIELDS_INITIAL 64
/* A decoded chunk may overrun CHUNK_SIZE by one character's bytes (at most
 * 4: a marker or a supplementary character), so that no character is ever
 * split between two decoded chunks. */
#define DECODE_SLACK 4
/* How much text after the BOM the delimiter is looked for in, when the
 * first record is longer: whatever the chunk size, so that file and memory
 * readers (and a fuzz build's 7-byte chunks) find the same. */
#define DETECT_WINDOW ((size_t)64 * 1024)

enum state {
	ST_FIELD_START,     /* before the first byte of a field */
	ST_UNQUOTED,        /* inside an unquoted field */
	ST_QUOTED,          /* inside a quoted field */
	ST_QUOTE_IN_QUOTED, /* just after a quote inside a quoted field */
	ST_AFTER_QUOTE      /* after the closing quote */
};

/* What the input is decoded from (XC_NONE: it is read as UTF-8). */
enum xcode { XC_NONE, XC_UTF16LE, XC_UTF16BE, XC_1252 };

/*
 * A marker in decoded text, where the input held no character: 0xFF (never
 * in UTF-8, so never in decoded text otherwise), a kind, and a 12-bit value
 * in two bytes 0x80-0xBF. None of its bytes is ASCII, so the parser's quote
 * and delimiter handling pass over it as over any non-ASCII byte; the four
 * are always in one chunk (DECODE_SLACK).
 */
#define MARK 0xFF
#define MARK_LEN 4
enum mark_kind {
	MARK_NOT_1252 = 0x81,  /* value: the byte */
	MARK_SURROGATE = 0x82, /* value: the UTF-16 unit - 0xD800 */
	MARK_ODD_BYTE = 0x83   /* value: the byte */
};

/* Byte classes: which bytes stop a run of plain bytes in each state. */
#define STOP_UNQUOTED 1
#define STOP_QUOTED 2
#define STOP_BOTH (STOP_UNQUOTED | STOP_QUOTED)
#define X8(v) v, v, v, v, v, v, v, v
#define X64(v) X8(v), X8(v), X8(v), X8(v), X8(v), X8(v), X8(v), X8(v)

static const unsigned char byte_class[256] = {
	[0] = STOP_BOTH,
	['\n'] = STOP_BOTH,
	['\r'] = STOP_BOTH,
	['"'] = STOP_BOTH,
	/* the delimiter stops unquoted runs too: it is compared on its own (scan) */
	/* every non-ASCII byte goes through the UTF-8 validator */
	[0x80] = X64(STOP_BOTH),
	X64(STOP_BOTH)
};

struct ctm_csv {
	char *name;
	ctm_ctx *ctx;
	ctm_csv_source src; /* records from a source (src.next set), not text */
	size_t max_field_bytes;
	size_t max_fields;
	char delim;     /* ',', ';' or TAB; 0 until found (find_delimiter) */
	int want_1252;  /* limits->encoding is CTM_CSV_WINDOWS_1252 */
	int begun;      /* the first ctm_csv__next has set the input up */
	int hint_given; /* the cause of invalid UTF-8 was suggested (or no use) */
	int saw_invalid_utf8;

	/* Input: chunk[0..chunk_len) starts at byte chunk_abs of the input. */
	FILE *file;                /* NULL in memory mode */
	int fd;                    /* pread mode (ctm_csv__open_fd_at): the descriptor; else -1 */
	unsigned long long fd_off; /* pread mode: the file offset of the next chunk */
	int close_file;            /* 0 for stdin */
	char *chunk_buf;           /* owned chunk in file mode */
	const char *chunk;
	size_t chunk_len;
	size_t pos; /* next byte to read in chunk */
	unsigned long long chunk_abs;
	int eof; /* the chunk is the last one */
	int bom_checked;
	int fatal;   /* sticky CTM_EIO or CTM_ENOMEM */
	char *ahead; /* the first chunk, extended to find the delimiter (or NULL) */

	/* Decoding (xcode != XC_NONE): chunk_buf holds decoded text, and offsets
	 * (chunk_abs, line_start) are in that text; raw[raw_pos..raw_len) is
	 * input not decoded yet, raw[0] at input offset raw_abs. */
	int xcode;
	const char *raw; /* raw_own, or the caller's buffer in memory mode */
	char *raw_own;
	size_t raw_len, raw_pos;
	int raw_eof; /* no input beyond raw[raw_len] */
	unsigned long long raw_abs;
	unsigned long long chunk_raw_start, chunk_raw_end; /* the chunk's input bytes */

	/* Position: the line being read and where it started. */
	unsigned long line;
	unsigned long long line_start;
	int prev_cr; /* the last byte consumed was a CR */

	/* The current record. */
	char *rec;
	size_t rec_len, rec_cap;
	ctm_csv_field *fields;
	size_t *offsets; /* field starts in rec: rec moves as it grows */
	int rec_moved;   /* rec grew during this record: fields[].data are stale */
	size_t nfields, fields_cap;
	unsigned long record_line;
	int bad;
	int too_many;

	/* The current field. */
	size_t fld_off;
	unsigned long fld_line, fld_col;
	int fld_quoted;
	int fld_keep;       /* 0 when past max_fields: parsed, not stored */
	int fld_skip;       /* stop storing and validating: an error was found */
	int fld_struct_err; /* a quote error was reported for this field */

	/* UTF-8 sequence in progress. */
	unsigned u8_need;                    /* continuation bytes still expected */
	unsigned char u8_lead, u8_lo, u8_hi; /* allowed range of the next one */
	size_t u8_off;                       /* where its lead byte is stored in rec */
	unsigned long u8_line, u8_col;
};

static unsigned long long abs_pos(const ctm_csv *csv, const char *p)
{
	return csv->chunk_abs + (unsigned long long)(p - csv->chunk);
}

static unsigned long col_at(const ctm_csv *csv, const char *p)
{
	return (unsigned long)(abs_pos(csv, p) - csv->line_start + 1);
}

/* Counts a line break at p: CR, LF, or the LF of a CRLF (no new line). */
static void newline(ctm_csv *csv, const char *p)
{
	if (*p == '\n' && csv->prev_cr) {
		csv->prev_cr = 0;
	} else {
		csv->line++;
		csv->prev_cr = (*p == '\r');
	}
	csv->line_start = abs_pos(csv, p) + 1;
}

/* Makes room for n more bytes plus the field's terminating NUL, and keeps
 * CTM_CSV_FIELD_PAD bytes allocated past them. */
static int reserve(ctm_csv *csv, size_t n)
{
	size_t need, cap;
	char *grown;

	if (n > SIZE_MAX - 1 - CTM_CSV_FIELD_PAD - csv->rec_len)
		return CTM_ENOMEM;
	need = csv->rec_len + n + 1 + CTM_CSV_FIELD_PAD;
	if (need <= csv->rec_cap)
		return 0;
	cap = csv->rec_cap ? csv->rec_cap : REC_INITIAL;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	grown = realloc(csv->rec, cap);
	if (!grown)
		return CTM_ENOMEM;
	csv->rec = grown;
	csv->rec_cap = cap;
	csv->rec_moved = 1;
	return 0;
}

/*
 * Stops storing the current field after an error: what was stored is kept,
 * minus an incomplete UTF-8 sequence, so that the field stays valid UTF-8.
 */
static void stop_field(ctm_csv *csv)
{
	if (csv->u8_need)
		csv->rec_len = csv->u8_off;
	csv->u8_need = 0;
	csv->fld_skip = 1;
	csv->bad = 1;
}

static void report(ctm_csv *csv, unsigned long line, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(ctm_csv *csv, unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctm_diag__vreport(csv->ctx, CTM_SEV_ERROR, csv->name, line, col, fmt, ap);
	va_end(ap);
	csv->bad = 1;
}

/* Appends bytes to the current field, enforcing the size limit. */
static int put(ctm_csv *csv, const char *s, size_t n)
{
	size_t len, room;
	int rc;

	if (csv->fld_skip)
		return 0;
	len = csv->rec_len - csv->fld_off;
	room = csv->max_field_bytes - len;
	if (n > room) {
		report(csv, csv->fld_line, csv->fld_col, "field longer than %zu bytes",
		       csv->max_field_bytes);
		/* Keep the field's first max_field_bytes bytes; the rest is skipped. */
		if (!csv->u8_need && room) {
			if ((rc = reserve(csv, room)) < 0)
				return rc;
			memcpy(csv->rec + csv->rec_len, s, room);
			csv->rec_len += room;
		}
		stop_field(csv);
		return 0;
	}
	if ((rc = reserve(csv, n)) < 0)
		return rc;
	memcpy(csv->rec + csv->rec_len, s, n);
	csv->rec_len += n;
	return 0;
}

/*
 * The first invalid UTF-8 of a file also names its likely cause: a file
 * saved by Excel as plain "CSV" is in the Windows encoding, whose accented
 * letters and curly quotes are not UTF-8. Once: the rest are the same file.
 * Not for a file with a UTF-8 BOM (it was saved as UTF-8), one decoded
 * already, nor by a reader opened in the middle (the reader of the start
 * gives it): hint_given is set then.
 */
static const char *utf8_hint(ctm_csv *csv)
{
	csv->saw_invalid_utf8 = 1;
	if (csv->hint_given)
		return "";
	csv->hint_given = 1;
	return " (the file may be in the Windows encoding, Windows-1252: save it as \"CSV "
	       "UTF-8\" or pass --encoding windows-1252)";
}

static void utf8_error(ctm_csv *csv, unsigned long line, unsigned long col, const char *what)
{
	report(csv, line, col, "invalid UTF-8 in field: %s%s", what, utf8_hint(csv));
	stop_field(csv);
}

/* utf8_error for a byte that is wrong on its own, named by its value. */
static void utf8_byte_error(ctm_csv *csv, unsigned long col, const char *what, unsigned char c)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%s 0x%02X", what, c);
	utf8_error(csv, csv->line, col, buf);
}

/* The marker at p (see MARK) met in a field: says what the input held there. */
static void decode_error(ctm_csv *csv, const char *p)
{
	const unsigned char *m = (const unsigned char *)p;
	unsigned value = (unsigned)(m[2] & 0x3F) << 6 | (m[3] & 0x3F);
	unsigned long col = col_at(csv, p);

	if (m[1] == MARK_NOT_1252)
		report(csv, csv->line, col, "byte 0x%02X is not a character in Windows-1252",
		       value);
	else if (m[1] == MARK_SURROGATE)
		report(csv, csv->line, col, "invalid UTF-16 in field: unpaired surrogate 0x%04X",
		       0xD800 + value);
	else
		report(csv, csv->line, col,
		       "invalid UTF-16 in field: odd byte 0x%02X at the end of the input", value);
	stop_field(csv);
}

/* An ASCII byte (or the end of the field) came: no sequence may be open. */
static void utf8_boundary(ctm_csv *csv)
{
	if (csv->u8_need)
		utf8_error(csv, csv->u8_line, csv->u8_col, "truncated sequence");
}

/*
 * Validates and stores one non-ASCII byte. The ranges are those of Unicode's
 * table of well-formed byte sequences (3-7), which rule out overlongs,
 * surrogates and code points above U+10FFFF at the byte where they show.
 */
static int utf8_byte(ctm_csv *csv, const char *p)
{
	unsigned char c = (unsigned char)*p;

	/* Decoded text is UTF-8 but for markers, which every path of the parser
	 * brings here (the fast path stops at non-UTF-8). Reported unless the
	 * field has had its error; counted as one column either way, as the
	 * input's one byte or unit, so that the rest of the line keeps its
	 * columns. */
	if (c == MARK && csv->xcode != XC_NONE) {
		if (!csv->fld_skip)
			decode_error(csv, p);
		csv->line_start += MARK_LEN - 1;
		return 0;
	}
	if (csv->fld_skip)
		return 0;
	if (csv->u8_need) {
		if (c < csv->u8_lo || c > csv->u8_hi) {
			const char *what = "truncated sequence";
			if (c >= 0x80 && c <= 0xBF) {
				/* a continuation byte, out of range after this lead */
				if (csv->u8_lead == 0xE0 || csv->u8_lead == 0xF0)
					what = "overlong encoding";
				else if (csv->u8_lead == 0xED)
					what = "surrogate code point";
				else if (csv->u8_lead == 0xF4)
					what = "code point above U+10FFFF";
			}
			utf8_error(csv, csv->u8_line, csv->u8_col, what);
			return 0;
		}
		/* stored while the sequence is still open, so that hitting the
		 * size limit here drops the whole sequence */
		int rc = put(csv, p, 1);
		if (rc < 0 || csv->fld_skip)
			return rc;
		csv->u8_need--;
		csv->u8_lo = 0x80;
		csv->u8_hi = 0xBF;
		return 0;
	}

	unsigned char lo, hi;
	unsigned need = ctm_utf8__lead(c, &lo, &hi);
	unsigned long col;

	if (!need) {
		col = col_at(csv, p);
		if (c < 0xC0)
			utf8_byte_error(csv, col, "unexpected continuation byte", c);
		else if (c < 0xC2)
			utf8_error(csv, csv->line, col, "overlong encoding");
		else if (c < 0xF8)
			utf8_error(csv, csv->line, col, "code point above U+10FFFF");
		else
			utf8_byte_error(csv, col, "invalid byte", c);
		return 0;
	}
	col = col_at(csv, p);
	csv->u8_off = csv->rec_len;
	csv->u8_line = csv->line;
	csv->u8_col = col;
	csv->u8_lead = c;
	csv->u8_lo = lo;
	csv->u8_hi = hi;
	/* put() may hit the size limit and drop the sequence: set need after */
	csv->u8_need = 0;
	int rc = put(csv, p, 1);
	if (rc == 0 && !csv->fld_skip)
		csv->u8_need = need;
	return rc;
}

static void nul_byte(ctm_csv *csv, const char *p)
{
	if (csv->fld_skip)
		return;
	report(csv, csv->line, col_at(csv, p), "NUL byte in field");
	stop_field(csv);
}

static int begin_field(ctm_csv *csv, const char *p)
{
	csv->fld_off = csv->rec_len;
	csv->fld_line = csv->line;
	csv->fld_col = col_at(csv, p);
	csv->fld_quoted = 0;
	csv->fld_struct_err = 0;
	csv->fld_skip = 0;
	csv->fld_keep = 1;
	csv->u8_need = 0;

	if (csv->nfields >= csv->max_fields) {
		if (!csv->too_many)
			report(csv, csv->fld_line, csv->fld_col, "record has more than %zu fields",
			       csv->max_fields);
		csv->too_many = 1;
		/* still parsed, so that the quoting stays in step, but not kept */
		csv->fld_keep = 0;
		csv->fld_skip = 1;
		return 0;
	}
	if (csv->nfields == csv->fields_cap) {
		size_t cap = csv->fields_cap ? csv->fields_cap * 2 : FIELDS_INITIAL;
		if (cap > csv->max_fields)
			cap = csv->max_fields;
		ctm_csv_field *f = realloc(csv->fields, cap * sizeof(*f));
		if (!f)
			return CTM_ENOMEM;
		csv->fields = f;
		size_t *o = realloc(csv->offsets, cap * sizeof(*o));
		if (!o)
			return CTM_ENOMEM;
		csv->offsets = o;
		csv->fields_cap = cap;
	}
	return 0;
}

static int end_field(ctm_csv *csv)
{
	int rc;

	utf8_boundary(csv);
	if (!csv->fld_keep)
		return 0;
	if ((rc = reserve(csv, 0)) < 0)
		return rc;
	csv->offsets[csv->nfields] = csv->fld_off;
	csv->fields[csv->nfields] = (ctm_csv_field){ csv->rec + csv->fld_off,
						     csv->rec_len - csv->fld_off, csv->fld_line,
						     csv->fld_col, csv->fld_quoted };
	csv->rec[csv->rec_len++] = '\0';
	csv->nfields++;
	return 0;
}

/* Reports a quote problem, once per field. */
static void struct_error(ctm_csv *csv, const char *p, const char *msg)
{
	if (csv->fld_struct_err)
		return;
	csv->fld_struct_err = 1;
	report(csv, csv->line, col_at(csv, p), "%s", msg);
}

/* Reads up to want bytes of input (file or pread mode) into dst; fewer only
 * at the end of the input. Returns 0 or CTM_EIO (reported). */
static int read_input(ctm_csv *csv, char *dst, size_t want, size_t *got)
{
	size_t n = 0;

	if (csv->fd >= 0) {
		while (n < want) {
			ssize_t r = pread(csv->fd, dst + n, want - n, (off_t)csv->fd_off);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				goto fail;
			if (r == 0)
				break;
			n += (size_t)r;
			csv->fd_off += (unsigned long long)r;
		}
	} else if (csv->file) {
		/* fread only returns short at end of file or on error */
		n = fread(dst, 1, want, csv->file);
		if (n < want && ferror(csv->file))
			goto fail;
	}
	*got = n;
	return 0;

fail:
	ctm_diag__error(csv->ctx, NULL, 0, 0, "cannot read %s: %s", csv->name, strerror(errno));
	*got = 0;
	return CTM_EIO;
}

/* Moves the few undecoded bytes left to the front of raw and reads more
 * after them. Returns 0 (raw_eof set at the end of the input) or CTM_EIO. */
static int more_raw(ctm_csv *csv)
{
	size_t left = csv->raw_len - csv->raw_pos, got = 0;
	int rc;

	if (!csv->raw_own) {
		csv->raw_eof = 1; /* memory mode: the input is all there */
		return 0;
	}
	memmove(csv->raw_own, csv->raw_own + csv->raw_pos, left);
	csv->raw_abs += csv->raw_pos;
	csv->raw_pos = 0;
	rc = read_input(csv, csv->raw_own + left, CHUNK_SIZE - left, &got);
	csv->raw_len = left + got;
	if (rc == 0 && csv->raw_len < CHUNK_SIZE)
		csv->raw_eof = 1;
	return rc;
}

/* Writes code point cp (a Unicode scalar value) as UTF-8; returns its length. */
static size_t put_utf8(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Writes a marker (see MARK) for what is not a character; returns MARK_LEN. */
static size_t mark_bad(char *out, enum mark_kind kind, unsigned value)
{
	unsigned char *o = (unsigned char *)out;

	o[0] = MARK;
	o[1] = (unsigned char)kind;
	o[2] = (unsigned char)(0x80 | (value >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (value & 0x3F));
	return MARK_LEN;
}

/* Windows-1252's 0x80-0x9F, from Microsoft's table (unicode.org CP1252.TXT); 0 for
 * the five bytes that are no character. 0xA0-0xFF are U+00A0-U+00FF. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80-87 */
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,      /* 88-8F */
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90-97 */
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178  /* 98-9F */
};

/* Decodes one byte of Windows-1252 to out; returns the bytes written. */
static size_t decode_1252(char *out, unsigned char c)
{
	if (c < 0x80) {
		*out = (char)c;
		return 1;
	}
	if (c >= 0xA0)
		return put_utf8(out, c);
	if (!cp1252_high[c - 0x80])
		return mark_bad(out, MARK_NOT_1252, c);
	return put_utf8(out, cp1252_high[c - 0x80]);
}

/*
 * Decodes one UTF-16 character from r, where avail >= 1 bytes may be read
 * (and fewer than 4 only at the end of the input), to out. Returns the bytes
 * of r used; *len is set to the bytes written. An unpaired surrogate or a
 * last odd byte becomes a marker.
 */
static size_t decode_utf16(int big_endian, const unsigned char *r, size_t avail, char *out,
			   size_t *len)
{
	unsigned u, u2;

	if (avail < 2) {
		*len = mark_bad(out, MARK_ODD_BYTE, r[0]);
		return 1;
	}
	u = big_endian ? (unsigned)r[0] << 8 | r[1] : (unsigned)r[1] << 8 | r[0];
	if (u < 0xD800 || u > 0xDFFF) {
		*len = put_utf8(out, u);
		return 2;
	}
	if (u < 0xDC00 && avail >= 4) {
		u2 = big_endian ? (unsigned)r[2] << 8 | r[3] : (unsigned)r[3] << 8 | r[2];
		if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
			*len = put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
			return 4;
		}
	}
	*len = mark_bad(out, MARK_SURROGATE, u - 0xD800);
	return 2;
}

/* refill when decoding: about a chunk of decoded text. */
static int decode_chunk(ctm_csv *csv)
{
	char *out = csv->chunk_buf;
	size_t n = 0;
	int rc;

	csv->chunk = out;
	csv->chunk_raw_start = csv->raw_abs + csv->raw_pos;
	while (n < CHUNK_SIZE) {
		/* a UTF-16 character takes up to 4 bytes: have them in raw */
		if (csv->raw_len - csv->raw_pos < 4 && !csv->raw_eof && (rc = more_raw(csv)) < 0)
			return rc;
		size_t avail = csv->raw_len - csv->raw_pos;
		const unsigned char *r = (const unsigned char *)csv->raw + csv->raw_pos;
		if (!avail)
			break;
		if (csv->xcode == XC_1252) {
			size_t i = 0;
			while (i < avail && n < CHUNK_SIZE)
				n += decode_1252(out + n, r[i++]);
			csv->raw_pos += i;
		} else {
			size_t len;
			csv->raw_pos += decode_utf16(csv->xcode == XC_UTF16BE, r, avail, out + n,
						     &len);
			n += len;
		}
	}
	csv->chunk_len = n;
	csv->chunk_raw_end = csv->raw_abs + csv->raw_pos;
	csv->eof = csv->raw_eof && csv->raw_pos == csv->raw_len;
	return 0;
}

/* Loads the next chunk. Returns 0 (eof set when there is no more) or CTM_EIO. */
static int refill(ctm_csv *csv)
{
	csv->chunk_abs += csv->chunk_len;
	csv->chunk_len = 0;
	csv->pos = 0;
	if (csv->ahead) {
		/* the extended first chunk is read: back to chunk_buf */
		free(csv->ahead);
		csv->ahead = NULL;
		csv->chunk = csv->chunk_buf;
	}
	if (csv->xcode != XC_NONE)
		return decode_chunk(csv);
	if (!csv->file && csv->fd < 0) {
		csv->eof = 1;
		return 0;
	}
	int rc = read_input(csv, csv->chunk_buf, CHUNK_SIZE, &csv->chunk_len);
	if (rc == 0 && csv->chunk_len < CHUNK_SIZE)
		csv->eof = 1;
	return rc;
}

/* Nonzero when one of the eight bytes of v is c (exact as a truth value). */
static uint64_t has_byte(uint64_t v, unsigned char c)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x = v ^ (ones * c);
	return (x - ones) & ~x & 0x8080808080808080ull;
}

/* The first byte in [p, end) that is not plain in this state (delim stops
 * an unquoted run). */
static const char *scan(const char *p, const char *end, int quoted, char delim)
{
	unsigned char mask = quoted ? STOP_QUOTED : STOP_UNQUOTED;

	while (end - p >= 8) {
		uint64_t v, hit;
		memcpy(&v, p, 8);
		hit = (v & 0x8080808080808080ull) | has_byte(v, 0) | has_byte(v, '"') |
		      has_byte(v, '\n') | has_byte(v, '\r');
		if (!quoted)
			hit |= has_byte(v, (unsigned char)delim);
		if (hit)
			break;
		p += 8;
	}
	while (p < end && !(byte_class[(unsigned char)*p] & mask) && (quoted || *p != delim))
		p++;
	return p;
}

/* The number of continuation bytes (1-3) of the well-formed sequence whose
 * lead byte (>= 0x80) is at p, or 0 when it is not one or does not end
 * before end. */
static inline unsigned utf8_tail(const char *p, const char *end)
{
	size_t len = ctm_utf8__decode(p, (size_t)(end - p), NULL);
	return len ? (unsigned)len - 1 : 0;
}

#if defined(__SSE2__)
/* Bit i set when p[i] ends a run of plain bytes outside quotes: the
 * delimiter, a line break, quote, NUL or non-ASCII byte (movemask of the
 * bytes themselves gives their high bit). delim is sixteen copies of it. */
static inline unsigned stop_mask16(const char *p, __m128i delim)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i hit = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, delim), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
					  _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
			     _mm_cmpeq_epi8(v, _mm_setzero_si128())));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(hit, v));
}
#endif

/*
 * Fast path: when the field at p is unquoted, well-formed UTF-8 without NUL or
 * quote, and ends (at the delimiter or a line break) inside the chunk, returns
 * where it ends; else NULL, and the state machine reads it byte by byte (it
 * may span chunks, hold an error to report, or be quoted). Sequences are
 * checked against the same ranges as utf8_byte.
 */
static const char *plain_field_end(const char *p, const char *end, char delim)
{
#if defined(__SSE2__)
	const __m128i delims = _mm_set1_epi8(delim);
#endif
	for (;;) {
#if defined(__SSE2__)
		/* Sixteen bytes at a time: the first stop byte is the mask's lowest bit. */
		while (end - p >= 16) {
			unsigned mask = stop_mask16(p, delims);
			if (mask) {
				p += __builtin_ctz(mask);
				break;
			}
			p += 16;
		}
		if (end - p < 16)
			p = scan(p, end, 0, delim);
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Fields are short: go to the first stop byte of each word at once.
		 * The lowest bit of has_byte is exact (false hits only lie above a
		 * true one), so the lowest bit of the union is the first stop byte. */
		while (end - p >= 8) {
			uint64_t v, hit;
			memcpy(&v, p, 8);
			hit = (v & 0x8080808080808080ull) | has_byte(v, 0) | has_byte(v, '"') |
			      has_byte(v, '\n') | has_byte(v, '\r') |
			      has_byte(v, (unsigned char)delim);
			if (hit) {
				p += __builtin_ctzll(hit) >> 3;
				break;
			}
			p += 8;
		}
		if (end - p < 8)
			p = scan(p, end, 0, delim);
#else
		p = scan(p, end, 0, delim);
#endif
		if (p == end)
			return NULL;
		unsigned char c = (unsigned char)*p;
		if (c < 0x80)
			return *p == delim || c == '\n' || c == '\r' ? p : NULL;
		unsigned need = utf8_tail(p, end);
		if (!need)
			return NULL;
		p += need + 1;
	}
}

#if defined(__SSE2__)
/* The stop bits (stop_mask16) of the 64 bytes at blk. */
static inline uint64_t stop_bits(const char *blk, __m128i delims)
{
	return (uint64_t)stop_mask16(blk, delims) | (uint64_t)stop_mask16(blk + 16, delims) << 16 |
	       (uint64_t)stop_mask16(blk + 32, delims) << 32 |
	       (uint64_t)stop_mask16(blk + 48, delims) << 48;
}

/*
 * plain_field_end for a run of fields, with the stop bytes found 64 at a
 * time instead of again for every field: *blk is a block of 64 bytes (NULL:
 * none yet) and *bits its stop bits not yet passed, which the next call, for
 * the field after the returned end, goes on from. The answer is always
 * plain_field_end's: near the chunk's end it is plain_field_end's own.
 */
static const char *plain_field_end_run(const char **blk, uint64_t *bits, const char *p,
				       const char *end, char delim, __m128i delims)
{
	const char *b = *blk;
	uint64_t m = *bits;

	if (!b) {
		if (end - p < 64)
			return plain_field_end(p, end, delim);
		b = p;
		m = stop_bits(b, delims);
	}
	for (;;) {
		if (!m) {
			/* the field goes on past the block */
			if (end - b < 128) {
				*blk = NULL;
				return plain_field_end(p, end, delim);
			}
			b += 64;
			m = stop_bits(b, delims);
			continue;
		}
		unsigned pos = (unsigned)__builtin_ctzll(m);
		const char *at = b + pos;
		unsigned char c = (unsigned char)*at;
		if (c < 0x80) {
			if (*at == delim || c == '\n' || c == '\r') {
				*blk = b;
				*bits = m & (m - 1);
				return at;
			}
			*blk = NULL; /* a quote or NUL: the state machine reads the field */
			return NULL;
		}
		unsigned need = utf8_tail(at, end);
		if (!need) {
			*blk = NULL;
			return NULL;
		}
		unsigned last = pos + need; /* the sequence's last byte, from b */
		if (last < 63) {
			m &= ~((2ull << last) - 1);
			continue;
		}
		/* the sequence ends the block or leaves it: a new one after it */
		b = at + need + 1;
		if (end - b < 64) {
			*blk = NULL;
			return plain_field_end(p, end, delim);
		}
		m = stop_bits(b, delims);
	}
}
#endif

/*
 * Looks at the input's first bytes: a UTF-8 BOM is skipped, a UTF-16 BOM
 * says the rest is UTF-16. Returns what to decode from. A BOM says what the
 * file is even when Windows-1252 was asked for: no text in that encoding
 * starts with "ï»¿", "ÿþ" or "þÿ", and one list of files may mix both.
 */
static enum xcode read_bom(ctm_csv *csv)
{
	const unsigned char *b = (const unsigned char *)csv->chunk + csv->pos;
	size_t n = csv->chunk_len - csv->pos;

	/* the first chunk is full unless the input is shorter than a chunk */
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		csv->pos += 3;
		csv->line_start = 3;
		csv->hint_given = 1; /* it was saved as UTF-8 */
		return XC_NONE;
	}
	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		csv->pos += 2;
		return b[0] == 0xFF ? XC_UTF16LE : XC_UTF16BE;
	}
	return csv->want_1252 ? XC_1252 : XC_NONE;
}

/*
 * Decodes from here on: the chunk's bytes not read yet become the first
 * undecoded input (in file modes the chunk's buffer becomes raw), and the
 * first chunk of text is decoded from them. Offsets start again at 0 in the
 * text. Returns 0, CTM_EIO or CTM_ENOMEM.
 */
static int begin_decoding(ctm_csv *csv, enum xcode xcode)
{
	csv->xcode = xcode;
	csv->hint_given = 1; /* decoded text is UTF-8 */
	csv->raw = csv->chunk;
	if (csv->chunk_buf) {
		csv->raw_own = csv->chunk_buf;
		csv->chunk_buf = NULL;
	}
	if (!(csv->chunk_buf = malloc(CHUNK_SIZE + DECODE_SLACK)))
		return CTM_ENOMEM;
	csv->raw_len = csv->chunk_len;
	csv->raw_pos = csv->pos;
	csv->raw_eof = csv->eof;
	csv->raw_abs = csv->chunk_abs;
	csv->chunk = csv->chunk_buf;
	csv->chunk_abs = 0;
	csv->chunk_len = 0;
	csv->pos = 0;
	csv->line_start = 0;
	csv->eof = 0;
	return decode_chunk(csv);
}

/* The candidate delimiters counted outside quotes in the first record. */
typedef struct delim_count {
	size_t n[3]; /* ',', ';', TAB */
	size_t seen; /* bytes looked at, at most DETECT_WINDOW */
	int quoted;
	int begun; /* past the blank lines before the record */
	int done;  /* the record's line break was found */
} delim_count;

static void count_delims(delim_count *dc, const char *p, size_t len)
{
	if (len > DETECT_WINDOW - dc->seen)
		len = DETECT_WINDOW - dc->seen;
	for (size_t i = 0; i < len && !dc->done; i++) {
		char c = p[i];
		dc->seen++;
		if ((c == '\n' || c == '\r') && !dc->quoted) {
			dc->done = dc->begun; /* blank lines before it are no record */
			continue;
		}
		dc->begun = 1;
		if (c == '"')
			dc->quoted = !dc->quoted; /* a doubled quote toggles twice */
		else if (dc->quoted)
			continue;
		else if (c == ',')
			dc->n[0]++;
		else if (c == ';')
			dc->n[1]++;
		else if (c == '\t')
			dc->n[2]++;
	}
}

/*
 * The first record goes on past the chunk: the chunk is extended (into a
 * buffer of its own, ahead) until the record's line break or DETECT_WINDOW
 * bytes, counting on, and then read as one chunk; refill goes back to
 * chunk_buf after it. Returns 0, CTM_EIO or CTM_ENOMEM.
 */
static int read_ahead(ctm_csv *csv, delim_count *dc)
{
	size_t len = csv->chunk_len - csv->pos;
	unsigned long long start = csv->chunk_abs + csv->pos;
	unsigned long long raw_start = csv->chunk_raw_start;
	/* before each refill len < DETECT_WINDOW (every byte was counted) */
	char *buf = malloc(DETECT_WINDOW + CHUNK_SIZE + DECODE_SLACK);
	int rc;

	if (!buf)
		return CTM_ENOMEM;
	memcpy(buf, csv->chunk + csv->pos, len);
	while (!dc->done && dc->seen < DETECT_WINDOW && !csv->eof) {
		if ((rc = refill(csv)) < 0) {
			free(buf);
			return rc;
		}
		memcpy(buf + len, csv->chunk, csv->chunk_len);
		count_delims(dc, csv->chunk, csv->chunk_len);
		len += csv->chunk_len;
	}
	csv->ahead = buf;
	csv->chunk = buf;
	csv->chunk_len = len;
	csv->pos = 0;
	csv->chunk_abs = start;
	csv->chunk_raw_start = raw_start;
	return 0;
}

/*
 * The delimiter, when it was not given: the most frequent of ',', ';' and
 * TAB outside quotes in the first record (the header), up to its line break
 * or DETECT_WINDOW bytes; a tie or none of them is ','. A header is a list
 * of names, which hold the delimiter less often than the data does, and a
 * file in which no column name has a comma or semicolon decides clearly.
 * Returns 0, CTM_EIO or CTM_ENOMEM.
 */
static int find_delimiter(ctm_csv *csv)
{
	delim_count dc = { { 0, 0, 0 }, 0, 0, 0, 0 };
	int rc;

	count_delims(&dc, csv->chunk + csv->pos, csv->chunk_len - csv->pos);
	if (!dc.done && dc.seen < DETECT_WINDOW && !csv->eof && (rc = read_ahead(csv, &dc)) < 0)
		return rc;
	size_t comma = dc.n[0], semicolon = dc.n[1], tab = dc.n[2];
	csv->delim = semicolon > comma && semicolon > tab ? ';'
		   : tab > comma && tab > semicolon       ? '\t'
							  : ',';
	return 0;
}

/* What the first ctm_csv__next does first: the first chunk loaded, the BOM
 * looked at, decoding begun, the delimiter found. Returns 0, CTM_EIO or
 * CTM_ENOMEM. */
static int begin_input(ctm_csv *csv)
{
	enum xcode xcode = csv->want_1252 ? XC_1252 : XC_NONE;
	int rc;

	csv->begun = 1;
	if (!csv->bom_checked) {
		csv->bom_checked = 1;
		if ((csv->file || csv->fd >= 0) && (rc = refill(csv)) < 0)
			return rc;
		xcode = read_bom(csv);
	}
	if (xcode != XC_NONE && (rc = begin_decoding(csv, xcode)) < 0)
		return rc;
	return csv->delim ? 0 : find_delimiter(csv);
}

/* What store_plain_fields did. */
enum plain_run {
	PLAIN_NONE,      /* nothing: the field at *pp needs the state machine */
	PLAIN_FIELD,     /* fields stored, the last ended by the delimiter */
	PLAIN_RECORD,    /* fields stored, the last ended by a line break */
	PLAIN_CHUNK_END, /* fields stored up to the end of the chunk */
};

/*
 * The common case: a run of plain fields (no quote, no escape, valid UTF-8)
 * that fit, stored in one go from *pp, with the same result as the state
 * machine; *pp ends after the last one stored. The record's state lives in
 * locals here: stores through rec (a char pointer) would otherwise make the
 * compiler reload every member of csv after each field. Inline: it is the
 * reader's hot loop.
 */
static inline enum plain_run store_plain_fields(ctm_csv *csv, const char **pp, const char *end)
{
	const char *p = *pp;
	char *rec = csv->rec;
	size_t rec_len = csv->rec_len;
	const size_t rec_cap = csv->rec_cap;
	size_t nf = csv->nfields;
	const size_t nf_max = csv->fields_cap < csv->max_fields ? csv->fields_cap : csv->max_fields;
	ctm_csv_field *const fl = csv->fields;
	size_t *const offs = csv->offsets;
	const size_t max_bytes = csv->max_field_bytes;
	const unsigned long line = csv->line;
	/* col_at(csv, p) is (p - chunk) + col_base: the line goes on */
	const unsigned long long col_base = csv->chunk_abs - csv->line_start + 1;
	const char *const chunk = csv->chunk;
	const char delim = csv->delim;
	const char *q = NULL;
#if defined(__SSE2__)
	const __m128i delims = _mm_set1_epi8(delim);
	const char *blk = NULL;
	uint64_t blk_bits = 0;
#endif

	while (nf < nf_max) {
#if defined(__SSE2__)
		q = plain_field_end_run(&blk, &blk_bits, p, end, delim, delims);
#else
		q = plain_field_end(p, end, delim);
#endif
		if (!q)
			break;
		size_t n = (size_t)(q - p);
		/* room for the field, its NUL, the 16-byte copy and
		 * so the pad */
		_Static_assert(CTM_CSV_FIELD_PAD <= 16, "the pad fits the copy");
		if (n > max_bytes || rec_cap - rec_len <= n + 16) {
			q = NULL;
			break;
		}
		if (n <= 16 && end - p >= 16)
			memcpy(rec + rec_len, p, 16); /* inlined */
		else
			memcpy(rec + rec_len, p, n);
		offs[nf] = rec_len;
		fl[nf] = (ctm_csv_field){
			rec + rec_len, n, line,
			(unsigned long)(col_base + (unsigned long long)(p - chunk)), 0
		};
		rec_len += n;
		rec[rec_len++] = '\0';
		nf++;
		p = q + 1;
		if (*q != delim || p == end || *p == '"')
			break;
	}
	csv->rec_len = rec_len;
	csv->nfields = nf;
	*pp = p;
	if (q) {
		if (*q == delim)
			return PLAIN_FIELD;
		newline(csv, q);
		return PLAIN_RECORD;
	}
	return p == end ? PLAIN_CHUNK_END : PLAIN_NONE;
}

/* At the end of the input inside a record: the last field ends there. */
static int end_of_input(ctm_csv *csv, enum state st, const char *p)
{
	int rc;

	switch (st) {
	case ST_FIELD_START:
		/* after a trailing comma: one more, empty field */
		if ((rc = begin_field(csv, p)) < 0)
			return rc;
		break;
	case ST_QUOTED:
		utf8_boundary(csv);
		report(csv, csv->fld_line, csv->fld_col, "unterminated quoted field (opened here)");
		break;
	default: break;
	}
	return end_field(csv);
}

/* The field ends at the delimiter or line break at *pp: 1 when a line break
 * ended the record too, 0 to go on, or a fatal error. */
static int end_at_separator(ctm_csv *csv, const char **pp, enum state *st)
{
	const char *p = *pp;
	int rc;

	if ((rc = end_field(csv)) < 0)
		return rc;
	*pp = p + 1;
	if (*p == csv->delim) {
		*st = ST_FIELD_START;
		return 0;
	}
	newline(csv, p);
	return 1;
}

/* One step inside an unquoted field from *pp (< end): 1 when a line break
 * ended the record, 0 to go on, or a fatal error. */
static int step_unquoted(ctm_csv *csv, const char **pp, const char *end, enum state *st)
{
	const char *p = *pp, *q = scan(p, end, 0, csv->delim);
	int rc = 0;

	if (q != p) {
		utf8_boundary(csv);
		if ((rc = put(csv, p, (size_t)(q - p))) < 0)
			return rc;
		*pp = p = q;
		if (p == end)
			return 0;
	}
	if (*p == csv->delim || *p == '\n' || *p == '\r')
		return end_at_separator(csv, pp, st);
	switch (*p) {
	case '"':
		utf8_boundary(csv);
		struct_error(csv, p, "unexpected quote in unquoted field");
		/* kept as a literal quote, as most readers do */
		rc = put(csv, p, 1);
		break;
	case '\0':
		utf8_boundary(csv);
		nul_byte(csv, p);
		break;
	default: rc = utf8_byte(csv, p); break;
	}
	*pp = p + 1;
	return rc < 0 ? rc : 0;
}

/* One step inside a quoted field from *pp (< end): 0 to go on, or a fatal
 * error (a line break inside quotes never ends the record). */
static int step_quoted(ctm_csv *csv, const char **pp, const char *end, enum state *st)
{
	const char *p = *pp, *q = scan(p, end, 1, csv->delim);
	int rc = 0;

	if (q != p) {
		utf8_boundary(csv);
		if ((rc = put(csv, p, (size_t)(q - p))) < 0)
			return rc;
		csv->prev_cr = 0;
		*pp = p = q;
		if (p == end)
			return 0;
	}
	switch (*p) {
	case '"':
		utf8_boundary(csv);
		csv->prev_cr = 0;
		*st = ST_QUOTE_IN_QUOTED;
		break;
	case '\n':
	case '\r':
		utf8_boundary(csv);
		if ((rc = put(csv, p, 1)) < 0)
			return rc;
		newline(csv, p);
		break;
	case '\0':
		utf8_boundary(csv);
		csv->prev_cr = 0;
		nul_byte(csv, p);
		break;
	default:
		csv->prev_cr = 0;
		rc = utf8_byte(csv, p);
		break;
	}
	*pp = p + 1;
	return rc < 0 ? rc : 0;
}

/* One step after a quoted field's closing quote, at *pp (< end): 1 when a
 * line break ended the record, 0 to go on, or a fatal error. */
static int step_after_quote(ctm_csv *csv, const char **pp, enum state *st)
{
	const char *p = *pp;

	if (*p == csv->delim || *p == '\n' || *p == '\r')
		return end_at_separator(csv, pp, st);
	/* `"ab"c` reads as `abc`, reported once */
	struct_error(csv, p, "text after closing quote");
	*st = ST_UNQUOTED;
	return 0;
}

int ctm_csv__next(ctm_csv *csv, const ctm_csv_field **fields, size_t *count, int *bad)
{
	enum state st = ST_FIELD_START;
	const char *p, *end;
	int started = 0;
	int rc = 0;

	if (fields)
		*fields = NULL;
	if (count)
		*count = 0;
	if (csv->src.next) {
		const ctm_csv_field *f = NULL;
		size_t n = 0;
		int b = 0;
		rc = csv->src.next(csv->src.user, &f, &n, &b);
		if (rc > 0 && n) {
			csv->record_line = f[0].line;
			csv->line = f[0].line;
		}
		if (fields)
			*fields = rc > 0 ? f : NULL;
		if (count)
			*count = rc > 0 ? n : 0;
		if (bad)
			*bad = rc > 0 ? b : 0;
		return rc;
	}
	if (bad)
		*bad = 0;
	if (!csv)
		return CTM_EUSAGE;
	if (csv->fatal)
		return csv->fatal;

	csv->rec_len = 0;
	csv->rec_moved = 0;
	csv->nfields = 0;
	csv->bad = 0;
	csv->too_many = 0;

	if (!csv->begun && (rc = begin_input(csv)) < 0)
		goto fatal;
	p = csv->chunk + csv->pos;
	end = csv->chunk + csv->chunk_len;

	/* The state machine; each state's step is a function above. Kept as one
	 * loop (about 120 lines): the states share p, end and the refill. */
	for (;;) {
		if (p == end) {
			if (!csv->eof) {
				csv->pos = csv->chunk_len;
				if ((rc = refill(csv)) < 0)
					goto fatal;
				p = csv->chunk;
				end = p + csv->chunk_len;
				continue;
			}
			if (st == ST_FIELD_START && !started)
				goto eof;
			if ((rc = end_of_input(csv, st, p)) < 0)
				goto fatal;
			goto record;
		}

		switch (st) {
		case ST_FIELD_START:
			if (!started) {
				/* the LF of a CRLF whose CR ended the last record */
				if (*p == '\n' && csv->prev_cr) {
					newline(csv, p);
					p++;
					continue;
				}
				csv->prev_cr = 0;
				started = 1;
				csv->record_line = csv->line;
			}
			if (*p != '"') {
				enum plain_run run = store_plain_fields(csv, &p, end);
				if (run == PLAIN_RECORD)
					goto record;
				if (run != PLAIN_NONE)
					break;
			}
			if ((rc = begin_field(csv, p)) < 0)
				goto fatal;
			if (*p == '"') {
				csv->fld_quoted = 1;
				p++;
				st = ST_QUOTED;
			} else {
				st = ST_UNQUOTED;
			}
			break;
		case ST_UNQUOTED: rc = step_unquoted(csv, &p, end, &st); break;
		case ST_QUOTED: rc = step_quoted(csv, &p, end, &st); break;
		case ST_QUOTE_IN_QUOTED:
			if (*p == '"') {
				/* a doubled quote stands for one */
				rc = put(csv, p, 1);
				p++;
				st = ST_QUOTED;
			} else {
				st = ST_AFTER_QUOTE;
			}
			break;
		case ST_AFTER_QUOTE: rc = step_after_quote(csv, &p, &st); break;
		}
		if (rc < 0)
			goto fatal;
		if (rc > 0)
			goto record;
	}

record:
	csv->pos = (size_t)(p - csv->chunk);
	if (csv->rec_moved)
		for (size_t i = 0; i < csv->nfields; i++)
			csv->fields[i].data = csv->rec + csv->offsets[i];
	if (fields)
		*fields = csv->fields;
	if (count)
		*count = csv->nfields;
	if (bad)
		*bad = csv->bad;
	return 1;

eof:
	csv->pos = (size_t)(p - csv->chunk);
	return 0;

fatal:
	csv->fatal = rc;
	return rc;
}

static int open_common(ctm_csv **out, const char *name, const ctm_csv_limits *limits, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;

	/* any other delimiter could be a quote or a line break, or split UTF-8 */
	if (limits && limits->delimiter != 0 && limits->delimiter != ',' &&
	    limits->delimiter != ';' && limits->delimiter != '\t') {
		ctm_diag__error(ctx, NULL, 0, 0,
				"the CSV delimiter is ',', ';' or a tab, not 0x%02X",
				(unsigned char)limits->delimiter);
		return CTM_EUSAGE;
	}
	if (limits && limits->encoding != CTM_CSV_UTF8 &&
	    limits->encoding != CTM_CSV_WINDOWS_1252) {
		ctm_diag__error(ctx, NULL, 0, 0, "unknown CSV encoding %d", (int)limits->encoding);
		return CTM_EUSAGE;
	}
	csv = calloc(1, sizeof(*csv));
	if (!csv)
		return CTM_ENOMEM;
	if (name) {
		size_t n = strlen(name) + 1;
		if (!(csv->name = malloc(n))) {
			free(csv);
			return CTM_ENOMEM;
		}
		memcpy(csv->name, name, n);
	}
	csv->ctx = ctx;
	csv->max_field_bytes = (size_t)1 << 20;
	csv->max_fields = CTM_CSV_MAX_FIELDS;
	csv->delim = ',';
	if (limits && limits->max_field_bytes)
		csv->max_field_bytes = limits->max_field_bytes;
	if (limits && limits->max_fields)
		csv->max_fields = limits->max_fields;
	if (limits) {
		csv->delim = limits->delimiter;
		csv->want_1252 = limits->encoding == CTM_CSV_WINDOWS_1252;
	}
	csv->line = 1;
	csv->fd = -1;
	*out = csv;
	return 0;
}

int ctm_csv__open_memory(ctm_csv **out, const char *name, const char *buf, size_t len,
			 const ctm_csv_limits *limits, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	int rc;

	if (!out)
		return CTM_EUSAGE;
	*out = NULL;
	if (!buf && len)
		return CTM_EUSAGE;
	if ((rc = open_common(&csv, name, limits, ctx)) < 0)
		return rc;
	csv->chunk = buf ? buf : "";
	csv->chunk_len = len;
	csv->eof = 1;
	*out = csv;
	return 0;
}

int ctm_csv__open_source(ctm_csv **out, const char *name, const ctm_csv_source *src,
			 ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	int rc;

	if (!out || !src || !src->next) {
		if (src && src->free)
			src->free(src->user);
		return CTM_EUSAGE;
	}
	*out = NULL;
	if ((rc = open_common(&csv, name, NULL, ctx)) < 0) {
		if (src->free)
			src->free(src->user);
		return rc;
	}
	csv->src = *src;
	csv->begun = 1;
	csv->hint_given = 1;
	if (csv->src.set_context)
		csv->src.set_context(csv->src.user, ctx);
	*out = csv;
	return 0;
}

int ctm_csv__open_file(ctm_csv **out, const char *path, const ctm_csv_limits *limits, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	int is_stdin;
	int rc;

	if (!out || !path)
		return CTM_EUSAGE;
	*out = NULL;
	is_stdin = strcmp(path, "-") == 0;
	if ((rc = open_common(&csv, is_stdin ? "<stdin>" : path, limits, ctx)) < 0)
		return rc;
	csv->chunk_buf = malloc(CHUNK_SIZE);
	if (!csv->chunk_buf) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	csv->chunk = csv->chunk_buf;

	if (is_stdin) {
		csv->file = stdin;
	} else {
		struct stat st;
		csv->file = fopen(path, "rb");
		if (!csv->file) {
			ctm_diag__error(ctx, NULL, 0, 0, "cannot open %s: %s", path,
					strerror(errno));
			rc = CTM_EIO;
			goto cleanup;
		}
		csv->close_file = 1;
		/* fopen succeeds on a directory; say so now rather than at the first read */
		if (fstat(fileno(csv->file), &st) == 0 && S_ISDIR(st.st_mode)) {
			ctm_diag__error(ctx, NULL, 0, 0, "cannot open %s: %s", path,
					strerror(EISDIR));
			rc = CTM_EIO;
			goto cleanup;
		}
	}
	*out = csv;
	csv = NULL;

cleanup:
	ctm_csv__free(csv);
	return rc;
}

int ctm_csv__open_fd_at(ctm_csv **out, const char *name, int fd, unsigned long long offset,
			const ctm_csv_limits *limits, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	int rc;

	if (!out || fd < 0)
		return CTM_EUSAGE;
	*out = NULL;
	if ((rc = open_common(&csv, name, limits, ctx)) < 0)
		return rc;
	if (!(csv->chunk_buf = malloc(CHUNK_SIZE))) {
		ctm_csv__free(csv);
		return CTM_ENOMEM;
	}
	csv->chunk = csv->chunk_buf;
	csv->fd = fd;
	csv->fd_off = offset;
	csv->chunk_abs = offset;
	csv->line_start = offset;
	/* A record starts at offset: no BOM there, and the first chunk is
	 * loaded by the first ctm_csv__next. */
	if ((rc = refill(csv)) < 0) {
		ctm_csv__free(csv);
		return rc;
	}
	csv->bom_checked = 1;
	csv->hint_given = 1;
	*out = csv;
	return 0;
}

void ctm_csv__start_mid_input(ctm_csv *csv)
{
	csv->bom_checked = 1;
	csv->hint_given = 1;
}

unsigned long long ctm_csv__next_record_offset(const ctm_csv *csv)
{
	unsigned long long off = csv->chunk_abs + csv->pos;
	/* After a CR, an LF would still belong to the record just read. */
	if (csv->prev_cr) {
		if (csv->pos < csv->chunk_len)
			return off + (csv->chunk[csv->pos] == '\n');
		if (!csv->eof)
			return ~0ull;
	}
	return off;
}

unsigned long ctm_csv__line(const ctm_csv *csv) { return csv->line; }

int ctm_csv__fd(const ctm_csv *csv) { return csv->file ? fileno(csv->file) : csv->fd; }

void ctm_csv__set_context(ctm_csv *csv, ctm_ctx *ctx)
{
	if (!csv)
		return;
	csv->ctx = ctx;
	if (csv->src.set_context)
		csv->src.set_context(csv->src.user, ctx);
}

unsigned long long ctm_csv__bytes_read(const ctm_csv *csv)
{
	if (csv->src.next)
		return csv->src.bytes_read ? csv->src.bytes_read(csv->src.user) : 0;
	if (csv->xcode == XC_NONE)
		return csv->chunk_abs + csv->pos;
	/* decoded: the chunk's share of the input it came from, in proportion */
	unsigned long long span = csv->chunk_raw_end - csv->chunk_raw_start;
	return csv->chunk_raw_start + (csv->chunk_len ? span * csv->pos / csv->chunk_len : 0);
}

char ctm_csv__delimiter(const ctm_csv *csv) { return csv ? csv->delim : 0; }

int ctm_csv__transcoded(const ctm_csv *csv)
{
	return csv && (csv->xcode != XC_NONE || csv->src.next);
}

int ctm_csv__hint_pending(const ctm_csv *csv) { return csv && !csv->hint_given; }

int ctm_csv__saw_invalid_utf8(const ctm_csv *csv) { return csv && csv->saw_invalid_utf8; }

unsigned long ctm_csv__record_line(const ctm_csv *csv) { return csv ? csv->record_line : 0; }

const char *ctm_csv__name(const ctm_csv *csv) { return csv ? csv->name : NULL; }

unsigned long ctm_csv__first_column(const ctm_csv *csv)
{
	return csv && csv->src.next ? 1 | CTM_DIAG_CELL : 1;
}

void ctm_csv__free(ctm_csv *csv)
{
	if (!csv)
		return;
	if (csv->src.free)
		csv->src.free(csv->src.user);
	if (csv->file && csv->close_file)
		fclose(csv->file);
	free(csv->chunk_buf);
	free(csv->ahead);
	free(csv->raw_own);
	free(csv->rec);
	free(csv->fields);
	free(csv->offsets);
	free(csv->name);
	free(csv);
}
