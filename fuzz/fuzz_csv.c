/* libFuzzer target: the streaming CSV reader itself (engine/csv.c), every
 * record read to the end and every field checked against the reader's
 * promises. The first input byte chooses how it is read:
 *   bits 0-1  the delimiter: 0 found from the first record, 1 ',', 2 ';',
 *             3 TAB
 *   bit 2     the encoding Windows-1252 (else UTF-8; a BOM decides either way)
 *   bit 3     small limits: fields of at most 8 bytes, records of 4 fields
 *   bits 4-5  0 from memory; 1 through a temporary file (a fuzz build reads
 *             files in 7-byte chunks: every token, UTF-16 unit and BOM is
 *             split somewhere, and the delimiter is found by reading ahead);
 *             2 and 3 both, which must give the same records, positions and
 *             diagnostics (abort otherwise)
 *   bit 6     then a second reader from memory at a record in the middle
 *             (the next byte chooses which), opened with the first one's
 *             delimiter as engine/dataset_split.c does, must read the same
 *             records with lines shifted (not for decoded input, which is
 *             never split)
 * The rest is the CSV. Checked for every field: NUL-terminated, no NUL, valid
 * UTF-8, within the limits, its pad readable, positions from 1; the delimiter
 * in use one of the three (the one given, if one was); bytes read never
 * going back nor past the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum/error.h"
#include "csv.h"
#include "fuzz.h"
#include "utf8.h"

static char file_path[] = "/tmp/ctm-fuzz-csv.XXXXXX";
static int file_fd = -1;

static void remove_file(void) { unlink(file_path); }

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_csv: %s\n", what);
		abort();
	}
}

/* Rewrites the temporary file with buf. */
static void write_file(const char *buf, size_t len)
{
	size_t done = 0;

	if (ftruncate(file_fd, 0) != 0 || lseek(file_fd, 0, SEEK_SET) != 0)
		abort();
	while (done < len) {
		ssize_t n = write(file_fd, buf + done, len - done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
}

/*
 * Reads csv to its end, checks every record, and writes what it read to out:
 * fields with positions. The offset at which each record after the first
 * starts is kept in offsets[] (up to *noffsets, the count there on return)
 * with its line in lines[].
 */
static void read_all(ctm_csv *csv, const ctm_csv_limits *lim, size_t input_len, FILE *out,
		     unsigned long long *offsets, unsigned long *lines, size_t *noffsets)
{
	const ctm_csv_field *f;
	size_t n, kept = 0, cap = noffsets ? *noffsets : 0;
	int bad, got;
	unsigned long long last = 0;

	while ((got = ctm_csv__next(csv, &f, &n, &bad)) == 1) {
		char d = ctm_csv__delimiter(csv);
		check(d == ',' || d == ';' || d == '\t', "delimiter");
		check(!lim->delimiter || d == lim->delimiter, "delimiter not the one given");
		check(n >= 1 && n <= (lim->max_fields ? lim->max_fields : CTM_CSV_MAX_FIELDS),
		      "field count");
		fprintf(out, "%s%lu:", bad ? "!" : "", ctm_csv__record_line(csv));
		for (size_t i = 0; i < n; i++) {
			char pad[CTM_CSV_FIELD_PAD];
			check(f[i].data[f[i].len] == '\0', "not NUL-terminated");
			check(strlen(f[i].data) == f[i].len, "NUL in field");
			check(ctm_utf8__invalid_at(f[i].data, f[i].len) == f[i].len, "not UTF-8");
			check(f[i].len <= (lim->max_field_bytes ? lim->max_field_bytes : 1u << 20),
			      "field too long");
			check(f[i].line >= 1 && f[i].column >= 1, "position");
			memcpy(pad, f[i].data, sizeof(pad)); /* ASan: the pad is there */
			fprintf(out, " %lu:%lu:%d[%s]", f[i].line, f[i].column, f[i].quoted,
				f[i].data);
		}
		fputc('\n', out);
		unsigned long long at = ctm_csv__bytes_read(csv);
		check(at >= last && at <= input_len, "bytes read");
		last = at;
		unsigned long long next = ctm_csv__next_record_offset(csv);
		if (kept < cap && next != ~0ull && next < input_len &&
		    (!kept || next > offsets[kept - 1])) {
			offsets[kept] = next;
			lines[kept] = ctm_csv__line(csv);
			kept++;
		}
	}
	check(got == 0 || got == CTM_EIO || got == CTM_ENOMEM, "result");
	check(got < 0 || ctm_csv__next(csv, &f, &n, &bad) == 0, "end not sticky");
	if (noffsets)
		*noffsets = kept;
}

/* Reads in (from memory or the file) and returns what it read and said as
 * text (malloc'd; NULL when out of memory). */
static char *read_and_dump(const char *in, size_t len, const ctm_csv_limits *lim, int via_file,
			   char *delim, int *transcoded, unsigned long long *offsets,
			   unsigned long *lines, size_t *noffsets)
{
	ctm_ctx *ctx = ctm_ctx_new();
	ctm_csv *csv = NULL;
	char *text = NULL, line[1024];
	size_t text_len = 0;
	FILE *out = open_memstream(&text, &text_len);
	int rc;

	if (!ctx || !out)
		goto cleanup;
	if (via_file) {
		write_file(in, len);
		rc = ctm_csv__open_file(&csv, file_path, lim, ctx);
	} else {
		rc = ctm_csv__open_memory(&csv, file_path, in, len, lim, ctx);
	}
	check(rc == 0 || rc == CTM_ENOMEM, "open");
	if (rc == 0) {
		read_all(csv, lim, len, out, offsets, lines, noffsets);
		*delim = ctm_csv__delimiter(csv);
		*transcoded = ctm_csv__transcoded(csv);
	}
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), line, sizeof(line));
		fprintf(out, "%s\n", line);
	}

cleanup:
	if (out)
		fclose(out);
	ctm_csv__free(csv);
	ctm_ctx_free(ctx);
	return text;
}

/* Diagnostic i of ctx as "line:column: message" with line less shift and
 * without the hint (into buf). */
static void diag_text(const ctm_ctx *ctx, size_t i, unsigned long shift, char *buf, size_t n)
{
	const ctm_diag *d = ctm_ctx_get(ctx, i);
	const char *hint = strstr(d->message, " (the file may be in the Windows encoding");
	int mlen = hint ? (int)(hint - d->message) : (int)strlen(d->message);
	snprintf(buf, n, "%lu:%lu: %.*s", d->line - shift, d->column, mlen, d->message);
}

/*
 * A second reader from memory at the record boundary `offset` (where line
 * `line` starts), opened with the first reader's delimiter as
 * dataset_split.c opens one, must read what the first reads from there:
 * the same records and diagnostics, lines shifted, columns the same.
 */
static void check_mid_input(const char *in, size_t len, const ctm_csv_limits *lim,
			    unsigned long long offset, unsigned long line)
{
	ctm_ctx *ctx_a = ctm_ctx_new(), *ctx_b = ctm_ctx_new();
	ctm_csv *a = NULL, *b = NULL;
	ctm_csv_limits part = *lim;
	const ctm_csv_field *fa, *fb;
	size_t na, nb;
	int bad_a, bad_b, ga, gb;
	char ta[1024], tb[1024];
	unsigned long shift = line - 1;

	if (!ctx_a || !ctx_b || ctm_csv__open_memory(&a, file_path, in, len, lim, NULL) != 0)
		goto cleanup;
	/* the first reader up to the boundary, its diagnostics dropped */
	while (ctm_csv__next_record_offset(a) != offset)
		if (ctm_csv__next(a, &fa, &na, &bad_a) != 1)
			goto cleanup; /* out of memory */
	ctm_csv__set_context(a, ctx_a);
	part.delimiter = ctm_csv__delimiter(a);
	part.encoding = CTM_CSV_UTF8;
	if (ctm_csv__open_memory(&b, file_path, in + offset, (size_t)(len - offset), &part,
				 ctx_b) != 0)
		goto cleanup;
	ctm_csv__start_mid_input(b);
	do {
		ga = ctm_csv__next(a, &fa, &na, &bad_a);
		gb = ctm_csv__next(b, &fb, &nb, &bad_b);
		if (ga < 0 || gb < 0)
			goto cleanup; /* out of memory */
		check(ga == gb, "mid-input: records end elsewhere");
		if (ga != 1)
			break;
		check(na == nb && bad_a == bad_b, "mid-input: record differs");
		check(ctm_csv__record_line(a) == ctm_csv__record_line(b) + shift,
		      "mid-input: record line");
		for (size_t i = 0; i < na; i++)
			check(fa[i].len == fb[i].len &&
				      memcmp(fa[i].data, fb[i].data, fa[i].len) == 0 &&
				      fa[i].line == fb[i].line + shift &&
				      fa[i].column == fb[i].column && fa[i].quoted == fb[i].quoted,
			      "mid-input: field differs");
	} while (ga == 1);
	check(ctm_ctx_count(ctx_a) == ctm_ctx_count(ctx_b), "mid-input: diagnostics differ");
	for (size_t i = 0; i < ctm_ctx_count(ctx_a); i++) {
		diag_text(ctx_a, i, shift, ta, sizeof(ta));
		diag_text(ctx_b, i, 0, tb, sizeof(tb));
		check(strcmp(ta, tb) == 0, "mid-input: diagnostic differs");
	}

cleanup:
	ctm_csv__free(a);
	ctm_csv__free(b);
	ctm_ctx_free(ctx_a);
	ctm_ctx_free(ctx_b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = { 0, ',', ';', '\t' };
	ctm_csv_limits lim = CTM_CSV_LIMITS_INIT;
	unsigned long long offsets[64];
	unsigned long lines[64];
	size_t noffsets = 64;
	char delim = 0;
	int transcoded = 0, mode, pick = 0;
	const char *in;
	size_t len;
	uint8_t flags;

	if (file_fd < 0) {
		file_fd = mkstemp(file_path);
		if (file_fd < 0)
			abort();
		atexit(remove_file);
	}
	if (size < 1)
		return 0;
	flags = data[0];
	in = (const char *)data + 1;
	len = size - 1;
	if ((flags & 64) && len) {
		pick = (unsigned char)in[0];
		in++;
		len--;
	}
	lim.delimiter = delims[flags & 3];
	lim.encoding = (flags & 4) ? CTM_CSV_WINDOWS_1252 : CTM_CSV_UTF8;
	if (flags & 8) {
		lim.max_field_bytes = 8;
		lim.max_fields = 4;
	}
	mode = (flags >> 4) & 3;

	char *first = read_and_dump(in, len, &lim, mode == 1, &delim, &transcoded, offsets, lines,
				    &noffsets);
	if (mode >= 2) {
		char d2 = 0;
		int t2 = 0;
		size_t n2 = 0;
		char *second = read_and_dump(in, len, &lim, 1, &d2, &t2, NULL, NULL, &n2);
		if (first && second &&
		    (strcmp(first, second) != 0 || d2 != delim || t2 != transcoded)) {
			fprintf(stderr, "memory and file readings differ:\n%s\n---\n%s\n", first,
				second);
			abort();
		}
		free(second);
	}
	if ((flags & 64) && first && !transcoded && noffsets) {
		size_t k = (size_t)pick % noffsets;
		check_mid_input(in, len, &lim, offsets[k], lines[k]);
	}
	free(first);
	return 0;
}
