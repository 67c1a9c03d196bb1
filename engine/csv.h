/*
 * Internal: a streaming RFC 4180 CSV reader.
 *
 * Reads one record at a time from a file (or memory), never holding more than
 * the current record. Quoted fields may hold commas, doubled quotes and line
 * breaks; records end with LF or CRLF (mixed is fine); a UTF-8 BOM at the start
 * is skipped. Every field is validated as UTF-8.
 *
 * Problems are reported into the ctm_ctx as "file:line:column: error: ...",
 * where line is the physical line on which the field starts and column is the
 * 1-based byte column of the field's first byte on that line (counting the
 * opening quote). The reader recovers where it can and goes on, so that a file
 * gets all its errors reported in one run.
 */
#ifndef CTM_ENGINE_CSV_H
#define CTM_ENGINE_CSV_H

#include <stdio.h>
#include "continuum/error.h"

typedef struct ctm_csv ctm_csv;

/* One field of the current record; borrowed, valid until the next call. */
typedef struct ctm_csv_field {
	const char *data;     /* not NUL-terminated... */
	size_t len;           /* ...but data[len] == '\0' is guaranteed */
	unsigned long line;   /* physical line where the field starts, 1-based */
	unsigned long column; /* byte column where the field starts, 1-based */
	int quoted;           /* the field was written in quotes */
} ctm_csv_field;

typedef struct ctm_csv_limits {
	size_t max_field_bytes;  /* a longer field is an error (default 1 MiB) */
	size_t max_fields;       /* a record with more fields is an error (default 10000) */
} ctm_csv_limits;

#define CTM_CSV_LIMITS_INIT { 1u << 20, 10000 }

/*
 * Opens a file for reading ("-" reads standard input). name is used in
 * diagnostics (copied). limits may be NULL for the defaults.
 * Returns 0, CTM_EIO (reported in ctx) or CTM_ENOMEM.
 */
int ctm_csv_open_file(ctm_csv **out, const char *path, const ctm_csv_limits *limits,
		      ctm_ctx *ctx);

/* Reads from a buffer that the caller keeps alive until ctm_csv_free. */
int ctm_csv_open_memory(ctm_csv **out, const char *name, const char *buf, size_t len,
			const ctm_csv_limits *limits, ctm_ctx *ctx);

/*
 * Reads the next record.
 * Returns 1 with *fields/*count set when a record was read, 0 at end of input,
 * or a negative code on a fatal problem (CTM_EIO, CTM_ENOMEM).
 *
 * Recoverable problems -- invalid UTF-8, a NUL byte, a field over the size
 * limit, a stray quote inside an unquoted field, text after a closing quote,
 * an unterminated quote at end of input, too many fields -- are reported as
 * errors in ctx and the record is still returned with *bad set to 1 (the
 * offending field is returned truncated or empty). The caller decides whether
 * to skip it. A record consisting of one empty unquoted field (a blank line)
 * is returned as such (count == 1, len == 0).
 */
int ctm_csv_next(ctm_csv *csv, const ctm_csv_field **fields, size_t *count, int *bad);

/* Physical line on which the current record starts (1-based). */
unsigned long ctm_csv_record_line(const ctm_csv *csv);

/* The diagnostics name given at open. */
const char *ctm_csv_name(const ctm_csv *csv);

/* Closes the file (not stdin) and frees everything. Accepts NULL. */
void ctm_csv_free(ctm_csv *csv);

#endif
