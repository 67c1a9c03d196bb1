/* Internal: numbers and CSV fields as every output writes them (CSV, JSON,
 * PDF): one rule for rounding, -0, NaN and infinities. */
#ifndef CTM_UTIL_FORMAT_H
#define CTM_UTIL_FORMAT_H

#include <stddef.h>
#include <stdio.h>

/* Decimals of every number in the score and compare tables (docs/scoring.md). */
#define CTM_FORMAT_TABLE_DECIMALS 4
/* The most decimals ctm_format__number prints. */
#define CTM_FORMAT_MAX_DECIMALS 10
/* A buffer this large holds any number ctm_format__number writes. */
#define CTM_FORMAT_NUMBER_SIZE 330

enum {
	CTM_FORMAT_PLUS = 1,          /* "+" before a positive value (a change) */
	CTM_FORMAT_UNICODE_MINUS = 2, /* U+2212 MINUS SIGN instead of "-" (print) */
};

/*
 * Writes x with `decimals` (0..CTM_FORMAT_MAX_DECIMALS) places into buf
 * (size >= CTM_FORMAT_NUMBER_SIZE is always enough) and returns its length.
 * The rule: NaN and infinities are undefined -- nothing is written (buf is
 * "") and 0 is returned; a value that rounds to zero at this precision is
 * printed without a sign ("0.0000", never "-0.0000" nor "+0.0000").
 */
size_t ctm_format__number(char *buf, size_t size, double x, int decimals, unsigned flags);

/* One CSV field (RFC 4180), quoted only when it must be. */
void ctm_format__csv_field(FILE *out, const char *s);
/* A comma, then x with CTM_FORMAT_TABLE_DECIMALS places, or only the comma
 * when x is undefined (an empty cell). */
void ctm_format__csv_number(FILE *out, double x);
/* x with CTM_FORMAT_TABLE_DECIMALS places, or null when undefined. */
void ctm_format__json_number(FILE *out, double x);
/* A JSON string (quotes, backslashes and control characters escaped); NULL
 * is written as "". */
void ctm_format__json_string(FILE *out, const char *s);

#endif
