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
 * incrementally, so a sequence may be split across two chunks.
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

enum state {
	ST_FIELD_START,     /* before the first byte of a field */
	ST_UNQUOTED,        /* inside an unquoted field */
	ST_QUOTED,          /* inside a quoted field */
	ST_QUOTE_IN_QUOTED, /* just after a quote inside a quoted field */
	ST_AFTER_QUOTE      /* after the closing quote */
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
	[','] = STOP_UNQUOTED,
	/* every non-ASCII byte goes through the UTF-8 validator */
	[0x80] = X64(STOP_BOTH),
	X64(STOP_BOTH)
};

struct ctm_csv {
	char *name;
	ctm_ctx *ctx;
	size_t max_field_bytes;
	size_t max_fields;

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
	int fatal; /* sticky CTM_EIO or CTM_ENOMEM */

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

static void utf8_error(ctm_csv *csv, unsigned long line, unsigned long col, const char *what)
{
	report(csv, line, col, "invalid UTF-8 in field: %s", what);
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
	unsigned long col = col_at(csv, p);

	if (!need) {
		if (c < 0xC0) {
			report(csv, csv->line, col,
			       "invalid UTF-8 in field: unexpected continuation byte 0x%02X", c);
			stop_field(csv);
		} else if (c < 0xC2) {
			utf8_error(csv, csv->line, col, "overlong encoding");
		} else if (c < 0xF8) {
			utf8_error(csv, csv->line, col, "code point above U+10FFFF");
		} else {
			report(csv, csv->line, col, "invalid UTF-8 in field: invalid byte 0x%02X",
			       c);
			stop_field(csv);
		}
		return 0;
	}
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

/* refill for pread mode: a full chunk unless the file ends. */
static int refill_pread(ctm_csv *csv)
{
	while (csv->chunk_len < CHUNK_SIZE) {
		ssize_t got = pread(csv->fd, csv->chunk_buf + csv->chunk_len,
				    CHUNK_SIZE - csv->chunk_len, (off_t)csv->fd_off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ctm_diag__error(csv->ctx, NULL, 0, 0, "cannot read %s: %s", csv->name,
					strerror(errno));
			return CTM_EIO;
		}
		if (got == 0) {
			csv->eof = 1;
			break;
		}
		csv->chunk_len += (size_t)got;
		csv->fd_off += (unsigned long long)got;
	}
	return 0;
}

/* Loads the next chunk. Returns 0 (eof set when there is no more) or CTM_EIO. */
static int refill(ctm_csv *csv)
{
	csv->chunk_abs += csv->chunk_len;
	csv->chunk_len = 0;
	csv->pos = 0;
	if (csv->fd >= 0)
		return refill_pread(csv);
	if (!csv->file) {
		csv->eof = 1;
		return 0;
	}
	/* fread only returns short at end of file or on error */
	csv->chunk_len = fread(csv->chunk_buf, 1, CHUNK_SIZE, csv->file);
	if (csv->chunk_len < CHUNK_SIZE) {
		if (ferror(csv->file)) {
			ctm_diag__error(csv->ctx, NULL, 0, 0, "cannot read %s: %s", csv->name,
					strerror(errno));
			return CTM_EIO;
		}
		csv->eof = 1;
	}
	return 0;
}

/* Nonzero when one of the eight bytes of v is c (exact as a truth value). */
static uint64_t has_byte(uint64_t v, unsigned char c)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x = v ^ (ones * c);
	return (x - ones) & ~x & 0x8080808080808080ull;
}

/* The first byte in [p, end) that is not plain in this state. */
static const char *scan(const char *p, const char *end, int quoted)
{
	unsigned char mask = quoted ? STOP_QUOTED : STOP_UNQUOTED;

	while (end - p >= 8) {
		uint64_t v, hit;
		memcpy(&v, p, 8);
		hit = (v & 0x8080808080808080ull) | has_byte(v, 0) | has_byte(v, '"') |
		      has_byte(v, '\n') | has_byte(v, '\r');
		if (!quoted)
			hit |= has_byte(v, ',');
		if (hit)
			break;
		p += 8;
	}
	while (p < end && !(byte_class[(unsigned char)*p] & mask))
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
/* Bit i set when p[i] ends a run of plain bytes outside quotes: a comma,
 * line break, quote, NUL or non-ASCII byte (movemask of the bytes themselves
 * gives their high bit). */
static inline unsigned stop_mask16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i hit = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
					  _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
			     _mm_cmpeq_epi8(v, _mm_setzero_si128())));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(hit, v));
}
#endif

/*
 * Fast path: when the field at p is unquoted, well-formed UTF-8 without NUL or
 * quote, and ends (at a comma or line break) inside the chunk, returns where it
 * ends; else NULL, and the state machine reads it byte by byte (it may span
 * chunks, hold an error to report, or be quoted). Sequences are checked against
 * the same ranges as utf8_byte.
 */
static const char *plain_field_end(const char *p, const char *end)
{
	for (;;) {
#if defined(__SSE2__)
		/* Sixteen bytes at a time: the first stop byte is the mask's lowest bit. */
		while (end - p >= 16) {
			unsigned mask = stop_mask16(p);
			if (mask) {
				p += __builtin_ctz(mask);
				break;
			}
			p += 16;
		}
		if (end - p < 16)
			p = scan(p, end, 0);
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Fields are short: go to the first stop byte of each word at once.
		 * The lowest bit of has_byte is exact (false hits only lie above a
		 * true one), so the lowest bit of the union is the first stop byte. */
		while (end - p >= 8) {
			uint64_t v, hit;
			memcpy(&v, p, 8);
			hit = (v & 0x8080808080808080ull) | has_byte(v, 0) | has_byte(v, '"') |
			      has_byte(v, '\n') | has_byte(v, '\r') | has_byte(v, ',');
			if (hit) {
				p += __builtin_ctzll(hit) >> 3;
				break;
			}
			p += 8;
		}
		if (end - p < 8)
			p = scan(p, end, 0);
#else
		p = scan(p, end, 0);
#endif
		if (p == end)
			return NULL;
		unsigned char c = (unsigned char)*p;
		if (c < 0x80)
			return c == ',' || c == '\n' || c == '\r' ? p : NULL;
		unsigned need = utf8_tail(p, end);
		if (!need)
			return NULL;
		p += need + 1;
	}
}

#if defined(__SSE2__)
/* The stop bits (stop_mask16) of the 64 bytes at blk. */
static inline uint64_t stop_bits(const char *blk)
{
	return (uint64_t)stop_mask16(blk) | (uint64_t)stop_mask16(blk + 16) << 16 |
	       (uint64_t)stop_mask16(blk + 32) << 32 | (uint64_t)stop_mask16(blk + 48) << 48;
}

/*
 * plain_field_end for a run of fields, with the stop bytes found 64 at a
 * time instead of again for every field: *blk is a block of 64 bytes (NULL:
 * none yet) and *bits its stop bits not yet passed, which the next call, for
 * the field after the returned end, goes on from. The answer is always
 * plain_field_end's: near the chunk's end it is plain_field_end's own.
 */
static const char *plain_field_end_run(const char **blk, uint64_t *bits, const char *p,
				       const char *end)
{
	const char *b = *blk;
	uint64_t m = *bits;

	if (!b) {
		if (end - p < 64)
			return plain_field_end(p, end);
		b = p;
		m = stop_bits(b);
	}
	for (;;) {
		if (!m) {
			/* the field goes on past the block */
			if (end - b < 128) {
				*blk = NULL;
				return plain_field_end(p, end);
			}
			b += 64;
			m = stop_bits(b);
			continue;
		}
		unsigned pos = (unsigned)__builtin_ctzll(m);
		const char *at = b + pos;
		unsigned char c = (unsigned char)*at;
		if (c < 0x80) {
			if (c == ',' || c == '\n' || c == '\r') {
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
			return plain_field_end(p, end);
		}
		m = stop_bits(b);
	}
}
#endif

static void skip_bom(ctm_csv *csv)
{
	csv->bom_checked = 1;
	/* the first chunk is full unless the input is shorter than a chunk */
	if (csv->chunk_len - csv->pos >= 3 &&
	    memcmp(csv->chunk + csv->pos, "\xEF\xBB\xBF", 3) == 0) {
		csv->pos += 3;
		csv->line_start = 3;
	}
}

/* What store_plain_fields did. */
enum plain_run {
	PLAIN_NONE,      /* nothing: the field at *pp needs the state machine */
	PLAIN_FIELD,     /* fields stored, the last ended by a comma */
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
	const char *q = NULL;
#if defined(__SSE2__)
	const char *blk = NULL;
	uint64_t blk_bits = 0;
#endif

	while (nf < nf_max) {
#if defined(__SSE2__)
		q = plain_field_end_run(&blk, &blk_bits, p, end);
#else
		q = plain_field_end(p, end);
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
		if (*q != ',' || p == end || *p == '"')
			break;
	}
	csv->rec_len = rec_len;
	csv->nfields = nf;
	*pp = p;
	if (q) {
		if (*q == ',')
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

/* The field ends at the comma or line break at *pp: 1 when a line break
 * ended the record too, 0 to go on, or a fatal error. */
static int end_at_separator(ctm_csv *csv, const char **pp, enum state *st)
{
	const char *p = *pp;
	int rc;

	if ((rc = end_field(csv)) < 0)
		return rc;
	*pp = p + 1;
	if (*p == ',') {
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
	const char *p = *pp, *q = scan(p, end, 0);
	int rc = 0;

	if (q != p) {
		utf8_boundary(csv);
		if ((rc = put(csv, p, (size_t)(q - p))) < 0)
			return rc;
		*pp = p = q;
		if (p == end)
			return 0;
	}
	switch (*p) {
	case ',':
	case '\n':
	case '\r': return end_at_separator(csv, pp, st);
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
	const char *p = *pp, *q = scan(p, end, 1);
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

	switch (*p) {
	case ',':
	case '\n':
	case '\r': return end_at_separator(csv, pp, st);
	default:
		/* `"ab"c` reads as `abc`, reported once */
		struct_error(csv, p, "text after closing quote");
		*st = ST_UNQUOTED;
		return 0;
	}
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

	if (!csv->bom_checked) {
		if ((csv->file || csv->fd >= 0) && (rc = refill(csv)) < 0)
			goto fatal;
		skip_bom(csv);
	}
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
	if (limits && limits->max_field_bytes)
		csv->max_field_bytes = limits->max_field_bytes;
	if (limits && limits->max_fields)
		csv->max_fields = limits->max_fields;
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
	*out = csv;
	return 0;
}

void ctm_csv__start_mid_input(ctm_csv *csv) { csv->bom_checked = 1; }

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
	if (csv)
		csv->ctx = ctx;
}

unsigned long long ctm_csv__bytes_read(const ctm_csv *csv) { return csv->chunk_abs + csv->pos; }

unsigned long ctm_csv__record_line(const ctm_csv *csv) { return csv ? csv->record_line : 0; }

const char *ctm_csv__name(const ctm_csv *csv) { return csv ? csv->name : NULL; }

void ctm_csv__free(ctm_csv *csv)
{
	if (!csv)
		return;
	if (csv->file && csv->close_file)
		fclose(csv->file);
	free(csv->chunk_buf);
	free(csv->rec);
	free(csv->fields);
	free(csv->offsets);
	free(csv->name);
	free(csv);
}
