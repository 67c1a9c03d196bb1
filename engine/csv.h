/*
 * Internal: a streaming RFC 4180 CSV reader.
 *
 * Reads one record at a time from a file (or memory), never holding more than
 * the current record. Quoted fields may hold the delimiter, doubled quotes and
 * line breaks; records end with LF or CRLF (mixed is fine); a UTF-8 BOM at the
 * start is skipped. Every field is validated as UTF-8.
 *
 * Delimiter: ',', ';' or TAB, given in ctm_csv_limits or, when that says 0,
 * found from the first record (the header): the one of the three that occurs
 * most often outside double quotes before its first line break outside quotes
 * (blank lines before it skipped; looked for in at most its first 64 KiB); a
 * tie, or none of them, gives ','. Every record of the input is then read
 * with it (ctm_csv__delimiter says which, for a second reader of the file).
 *
 * Encoding: the reader returns UTF-8 whatever the input was.
 * - A UTF-16 BOM (FF FE little-endian, FE FF big-endian) at the start makes
 *   the rest UTF-16, decoded to UTF-8 chunk by chunk as it is read (never
 *   all at once); an unpaired surrogate, or an odd last byte, is an error
 *   located like invalid UTF-8 ("invalid UTF-16 in field: ...").
 * - CTM_CSV_WINDOWS_1252 decodes every byte with Microsoft's Windows-1252
 *   table; the five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
 *   are errors "byte 0xNN is not a character in Windows-1252".
 * - A BOM (UTF-8 or UTF-16) says what the input is even when Windows-1252 was
 *   asked for: no Windows-1252 text starts with those bytes.
 * - In UTF-8, the first invalid UTF-8 of an input adds to its message a hint
 *   that the file may be in Windows-1252 and how to read it (not when the
 *   input starts with a UTF-8 BOM, which says it was saved as UTF-8; never
 *   from a reader opened in the middle of a file, as the reader of its start
 *   gives it: see ctm_csv__hint_pending).
 * ctm_csv__transcoded says whether the input was decoded.
 *
 * Problems are reported into the ctm_ctx as "file:line:column: error: ...",
 * where line is the physical line on which the field starts and column is the
 * 1-based byte column of the field's first byte on that line (counting the
 * opening quote). In decoded input (UTF-16, Windows-1252) lines are the same,
 * and columns count bytes of the UTF-8 text the input was decoded to, which
 * is what the caller's field data holds: an é before the point counts 2,
 * whatever it took in the file; a byte or unit that is no character (the
 * errors above) counts 1. The reader recovers where it can and goes on,
 * so that a file gets all its errors reported in one run.
 *
 * Details of the implementation (csv.c):
 * - Line breaks are LF, CRLF and also a lone CR (old Mac files, Excel's "CSV
 *   (Macintosh)"): a lone CR ends a record like LF, and counts as a physical
 *   line everywhere, also inside quoted fields (where it is kept as data).
 * - Columns count bytes from the start of the physical line; after a BOM the
 *   first field is at column 1.
 * - Where each error points: "field longer than N bytes" and "unterminated
 *   quoted field (opened here)" at the field's first byte; "record has more
 *   than N fields" at the first field too many; invalid UTF-8 at the first
 *   byte of the bad sequence (its lead byte; a stray continuation or invalid
 *   byte is its own lead); "NUL byte in field", "unexpected quote in unquoted
 *   field" and "text after closing quote" at the offending byte.
 * - At most one content error (UTF-8, UTF-16, Windows-1252, NUL, size) and one quote error per
 *   field are reported; "too many fields" once per record.
 * - Recovery: after a content error the field is returned truncated before
 *   the bad byte (an over-long field to its first max_field_bytes bytes, cut
 *   back to a whole UTF-8 character), so returned data is always valid UTF-8
 *   without NUL; the skipped bytes are not stored. A stray quote is kept as a
 *   literal `"`; text after a closing quote is appended (`"ab"c` gives abc);
 *   fields past max_fields are parsed but not returned.
 */
#ifndef CTM_ENGINE_CSV_H
#define CTM_ENGINE_CSV_H

#include <stdio.h>
#include "continuum/error.h"

typedef struct ctm_csv ctm_csv;

/* Bytes readable from the start of every field, however short (they are
 * allocated; past data[len] their values mean nothing): a short field can be
 * loaded in two 8-byte words. */
#define CTM_CSV_FIELD_PAD 16

/* One field of the current record; borrowed, valid until the next call. */
typedef struct ctm_csv_field {
	const char *data;     /* not NUL-terminated... */
	size_t len;           /* ...but data[len] == '\0' is guaranteed, and so are
			       * CTM_CSV_FIELD_PAD readable bytes from data on */
	unsigned long line;   /* physical line where the field starts, 1-based */
	unsigned long column; /* byte column where the field starts, 1-based */
	int quoted;           /* the field was written in quotes */
} ctm_csv_field;

/* The most fields a record may hold by default (and so the most columns a
 * rubric's survey file may need: rubric_build.c checks). */
#define CTM_CSV_MAX_FIELDS 10000

/* The text encodings a reader can take (ctm_csv_limits.encoding). */
typedef enum ctm_csv_encoding {
	CTM_CSV_UTF8 = 0,    /* UTF-8 (a UTF-8 BOM skipped); UTF-16 when a UTF-16 BOM starts it */
	CTM_CSV_WINDOWS_1252 /* the Windows encoding, read as UTF-8 */
} ctm_csv_encoding;

/* What a reader is opened with; NULL limits mean CTM_CSV_LIMITS_INIT (',', UTF-8). */
typedef struct ctm_csv_limits {
	size_t max_field_bytes; /* a longer field is an error (default 1 MiB) */
	size_t max_fields;      /* a record with more fields is an error (CTM_CSV_MAX_FIELDS) */
	char delimiter;         /* ',', ';' or '\t'; 0: found from the first record */
	ctm_csv_encoding encoding;
} ctm_csv_limits;

#define CTM_CSV_LIMITS_INIT \
	{ \
		1u << 20, CTM_CSV_MAX_FIELDS, ',', CTM_CSV_UTF8 \
	}
/* A limit of 0 means the default. */

/*
 * Opens a file for reading ("-" reads standard input). name is used in
 * diagnostics (copied). limits may be NULL for the defaults (',' and UTF-8).
 * Returns 0, CTM_EIO (reported in ctx), CTM_ENOMEM, or CTM_EUSAGE for a
 * delimiter other than 0, ',', ';' and TAB, or an unknown encoding.
 *
 * The path is the diagnostics name ("<stdin>" for "-"). ctx is kept and
 * used by ctm_csv__next: it must outlive the reader (it may be NULL). A
 * failure to open is reported without file or line: "cannot open PATH:
 * strerror". The file is read in 64 KiB chunks, never whole.
 */
int ctm_csv__open_file(ctm_csv **out, const char *path, const ctm_csv_limits *limits, ctm_ctx *ctx);

/*
 * Reads the regular file open on fd from byte offset on, where a record must
 * start (a second reader of the same file: see dataset.c). Uses pread, so the
 * descriptor's own position is neither used nor moved and another reader may
 * share it; fd stays the caller's. There is no BOM to skip; lines count from 1
 * and columns from offset. Positions (ctm_csv__bytes_read,
 * ctm_csv__next_record_offset) are offsets in the file. Give the delimiter of
 * the reader that found offset (ctm_csv__delimiter) in limits: 0 would look
 * for one in the record at offset.
 * Returns 0, CTM_EIO (reported in ctx), CTM_ENOMEM or CTM_EUSAGE (as
 * ctm_csv__open_file).
 */
int ctm_csv__open_fd_at(ctm_csv **out, const char *name, int fd, unsigned long long offset,
			const ctm_csv_limits *limits, ctm_ctx *ctx);

/* Tells a reader opened on memory that its input starts at a record in the
 * middle of a file: no BOM check, no hint on invalid UTF-8. Call before the
 * first ctm_csv__next. */
void ctm_csv__start_mid_input(ctm_csv *csv);

/* Reads from a buffer that the caller keeps alive until ctm_csv__free.
 * name may be NULL (diagnostics then have no file). */
int ctm_csv__open_memory(ctm_csv **out, const char *name, const char *buf, size_t len,
			 const ctm_csv_limits *limits, ctm_ctx *ctx);

/*
 * A source of records that is no text: a workbook's sheet (engine/xlsx.c).
 * A reader opened on one (ctm_csv__open_source) hands out its records as
 * they are, so that everything reading CSV reads it unchanged: next returns
 * as ctm_csv__next does (fields with line and column set by the source),
 * set_context follows ctm_csv__set_context, bytes_read estimates progress,
 * and free releases user. Such a reader is never split (it reports itself
 * as transcoded) and has no descriptor.
 */
typedef struct ctm_csv_source {
	int (*next)(void *user, const ctm_csv_field **fields, size_t *count, int *bad);
	void (*set_context)(void *user, ctm_ctx *ctx);
	unsigned long long (*bytes_read)(void *user);
	void (*free)(void *user);
	void *user;
} ctm_csv_source;

/* The column of a record's first field as located in messages: 1, or for a
 * source (a workbook) cell column A (1 with CTM_DIAG_CELL). */
unsigned long ctm_csv__first_column(const ctm_csv *csv);

/* Takes src (its user is freed with the reader, also when this fails). */
int ctm_csv__open_source(ctm_csv **out, const char *name, const ctm_csv_source *src,
			 ctm_ctx *ctx);

/*
 * Reads the next record.
 * Returns 1 with *fields and *count set when a record was read, 0 at end of input,
 * or a negative code on a fatal problem (CTM_EIO, CTM_ENOMEM; the reader then
 * returns that code on every later call).
 *
 * Recoverable problems -- invalid UTF-8, a NUL byte, a field over the size
 * limit, a stray quote inside an unquoted field, text after a closing quote,
 * an unterminated quote at end of input, too many fields -- are reported as
 * errors in ctx and the record is still returned with *bad set to 1 (the
 * offending field is returned truncated or empty). The caller decides whether
 * to skip it. A record consisting of one empty unquoted field (a blank line)
 * is returned as such (count == 1, len == 0).
 */
int ctm_csv__next(ctm_csv *csv, const ctm_csv_field **fields, size_t *count, int *bad);

/*
 * Sends the diagnostics of later calls to ctx instead (may be NULL: they are
 * dropped), e.g. a scratch context per record. The reader keeps the pointer.
 */
void ctm_csv__set_context(ctm_csv *csv, ctm_ctx *ctx);

/* Bytes of input consumed so far (for progress reports). In decoded input
 * an estimate, in bytes of the input (not of the text): exact at chunk ends,
 * never more than the input's size. */
unsigned long long ctm_csv__bytes_read(const ctm_csv *csv);

/* The offset at which the next record starts (an LF completing the last
 * record's CR counted as read), or ~0ull when that is not known yet (the last
 * byte read was a CR at the end of a chunk). In decoded input the offset is
 * in the decoded text, not in the file: no offset into the file can be got
 * from it (see ctm_csv__transcoded). */
unsigned long long ctm_csv__next_record_offset(const ctm_csv *csv);

/* The delimiter the reader splits fields at: the one given, or the one found
 * from the first record once the first ctm_csv__next has returned (0 before
 * then). */
char ctm_csv__delimiter(const ctm_csv *csv);

/* Nonzero when the input is decoded to UTF-8 (UTF-16 after its BOM, or
 * Windows-1252), known once the first ctm_csv__next has returned: the text's
 * offsets are then not the file's, so the file cannot be split at an offset
 * (dataset_split.c). */
int ctm_csv__transcoded(const ctm_csv *csv);

/* Nonzero while the next invalid UTF-8 would still carry the hint (none so
 * far, no BOM, not decoded, not opened in the middle). With
 * ctm_csv__saw_invalid_utf8 of a second reader of the same file, tells
 * whether that reader's messages differ from what reading in order gives:
 * the first of them would have carried it. */
int ctm_csv__hint_pending(const ctm_csv *csv);

/* Nonzero once a field of the input was found not to be UTF-8. */
int ctm_csv__saw_invalid_utf8(const ctm_csv *csv);

/* The physical line the next record starts on, once ctm_csv__next_record_offset
 * is known. */
unsigned long ctm_csv__line(const ctm_csv *csv);

/* The input's file descriptor (file and pread modes), or -1 in memory mode. */
int ctm_csv__fd(const ctm_csv *csv);

/* Physical line on which the current record starts (1-based). */
unsigned long ctm_csv__record_line(const ctm_csv *csv);

/* The diagnostics name given at open. */
const char *ctm_csv__name(const ctm_csv *csv);

/* Closes the file (not stdin) and frees everything. Accepts NULL. */
void ctm_csv__free(ctm_csv *csv);

#endif
