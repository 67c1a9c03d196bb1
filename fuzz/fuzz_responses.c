/* libFuzzer target: responses read (CSV), scored and written as CSV and JSON,
 * against the fixed rubric fuzz_rubric.xml (embedded at build time, loaded
 * once). The first input byte chooses the options, so that one corpus
 * exercises every path:
 *   bit 0  --lenient
 *   bit 1  --aggregate respondent (else the rubric's: partner)
 *   bit 2  --target 2 (else the rubric's)
 *   bit 3  --min-n 1 (else the rubric's)
 *   bit 4  the rest is split in two "files" at its middle, read as one set
 *   bit 5  read through a temporary file (the streaming path: in a fuzz
 *          build the engine reads files in 7-byte chunks, so that a record,
 *          a quote, a CRLF or a UTF-8 sequence is split at every byte)
 *   bit 6  two-part reading (engine/dataset.c): the next two bytes choose a
 *          split point; the input is read in order and then split there on
 *          two threads, and everything the two readings give -- status,
 *          diagnostics, exclusions, the JSON table -- must be the same
 *          (abort otherwise); bit 4 is then ignored
 *   bit 7  (without bit 6) read from memory and through the temporary file,
 *          which must give the same (abort otherwise): the memory reader
 *          finds long inputs' fields 64 bytes at a time, the fuzz build's
 *          file reader sees 7 bytes at a time; bits 4 and 5 are then ignored
 * The rest is the CSV. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum/error.h"
#include "continuum/responses.h"
#include "continuum/rubric.h"
#include "continuum/score.h"
#include "dataset_internal.h"
#include "fuzz.h"

extern const unsigned char ctm_fuzz_rubric[];
extern const size_t ctm_fuzz_rubric_len;

static ctm_rubric *rubric;
static FILE *devnull;
static char file_path[] = "/tmp/ctm-fuzz-responses.XXXXXX";
static int file_fd = -1;

static void remove_file(void) { unlink(file_path); }

/* Reads buf through the file reader: rewrites the temporary and reads it. */
static int read_via_file(ctm_dataset *ds, const char *buf, size_t len, ctm_ctx *ctx)
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
	return ctm_dataset_read_file(ds, file_path, ctx);
}

static int setup(void)
{
	ctm_ctx *ctx = ctm_ctx_new();
	int rc = -1;

	if (!ctx)
		return -1;
	if (ctm_rubric_load_memory(&rubric, "fuzz_rubric.xml", (const char *)ctm_fuzz_rubric,
				   ctm_fuzz_rubric_len, ctx) != CTM_OK)
		goto cleanup;
	devnull = fopen("/dev/null", "wb");
	if (!devnull)
		goto cleanup;
	file_fd = mkstemp(file_path);
	if (file_fd < 0)
		goto cleanup;
	atexit(remove_file);
	rc = 0;
cleanup:
	ctm_ctx_free(ctx);
	return rc;
}

/* Reads csv (split at split_at, or in order when 0) and returns all it led
 * to as text (malloc'd), or NULL when out of memory. */
static char *read_and_dump(const ctm_read_options *ropts, const ctm_score_options *sopts,
			   const char *csv, size_t len, int via_file, unsigned long long split_at)
{
	ctm_ctx *ctx = ctm_ctx_new();
	ctm_dataset *ds = NULL;
	ctm_results *res = NULL;
	char *text = NULL, line[512];
	size_t text_len = 0;
	FILE *out = open_memstream(&text, &text_len);
	int rc;

	if (!ctx || !out || ctm_dataset_new(&ds, rubric, ropts, ctx) != CTM_OK)
		goto cleanup;
	if (split_at)
		ctm_dataset__set_split(ds, 0, split_at);
	/* the file's name for both, so that the two readings' messages compare */
	rc = via_file ? read_via_file(ds, csv, len, ctx)
		      : ctm_dataset_read_memory(ds, file_path, csv, len, ctx);
	fprintf(out, "rc %d rows %zu\n", rc, ctm_dataset_row_count(ds));
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
	for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		fprintf(out, "%s %zu %lu:%lu\n", e->reason, e->count, e->first_line,
			e->first_column);
	}
	if (rc == CTM_OK && ctm_score_run(&res, ds, sopts, ctx) == CTM_OK) {
		ctm_results_write(res, CTM_FORMAT_JSON, out, ctx);
		/* the open-text answers, which the JSON does not carry */
		for (size_t g = 0; g < ctm_results_group_count(res); g++) {
			const ctm_group *gr = ctm_results_group(res, g);
			for (size_t k = 0; k < ctm_group_comment_count(gr, 0); k++)
				fprintf(out, "comment %zu [%s]\n", g, ctm_group_comment(gr, 0, k));
		}
	}

cleanup:
	if (out)
		fclose(out);
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_ctx_free(ctx);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_read_options ropts = CTM_READ_OPTIONS_INIT;
	ctm_score_options sopts = CTM_SCORE_OPTIONS_INIT;
	ctm_ctx *ctx = NULL;
	ctm_dataset *ds = NULL;
	ctm_results *res = NULL;
	const char *csv;
	size_t len, half;
	uint8_t flags;

	/* The fixed rubric must load: a failure here is a bug, not an input. */
	if (!rubric && setup() != 0)
		abort();
	if (size < 1)
		return 0;
	flags = data[0];
	csv = (const char *)data + 1;
	len = size - 1;
	ropts.lenient = flags & 1;
	ropts.aggregate = (flags & 2) ? CTM_AGGREGATE_BY_RESPONDENT : CTM_AGGREGATE_FROM_RUBRIC;
	sopts.target = (flags & 4) ? 2 : 0;
	sopts.min_n = (flags & 8) ? 1 : 0;

	if ((flags & 64) && len >= 2) {
		unsigned long long at = ((unsigned long long)data[1] << 8 | data[2]) % (len - 1) +
					1;
		char *in_order = read_and_dump(&ropts, &sopts, csv + 2, len - 2, flags & 32, 0);
		char *split = read_and_dump(&ropts, &sopts, csv + 2, len - 2, flags & 32, at);
		if (in_order && split && strcmp(in_order, split) != 0) {
			fprintf(stderr, "two-part reading split at %llu differs:\n%s\n---\n%s\n",
				at, in_order, split);
			abort();
		}
		free(in_order);
		free(split);
		return 0;
	}

	if (flags & 128) {
		char *in_memory = read_and_dump(&ropts, &sopts, csv, len, 0, 0);
		char *from_file = read_and_dump(&ropts, &sopts, csv, len, 1, 0);
		if (in_memory && from_file && strcmp(in_memory, from_file) != 0) {
			fprintf(stderr, "memory and file readings differ:\n%s\n---\n%s\n",
				in_memory, from_file);
			abort();
		}
		free(in_memory);
		free(from_file);
		return 0;
	}

	ctx = ctm_ctx_new();
	if (!ctx)
		goto cleanup;
	if (ctm_dataset_new(&ds, rubric, &ropts, ctx) != CTM_OK)
		goto cleanup;
	if (flags & 32) {
		if (read_via_file(ds, csv, len, ctx) != CTM_OK)
			goto cleanup;
	} else if (flags & 16) {
		half = len / 2;
		if (ctm_dataset_read_memory(ds, "a.csv", csv, half, ctx) != CTM_OK)
			goto cleanup;
		if (ctm_dataset_read_memory(ds, "b.csv", csv + half, len - half, ctx) != CTM_OK)
			goto cleanup;
	} else if (ctm_dataset_read_memory(ds, "fuzz.csv", csv, len, ctx) != CTM_OK) {
		goto cleanup;
	}
	if (ctm_score_run(&res, ds, &sopts, ctx) != CTM_OK)
		goto cleanup;
	ctm_results_write(res, CTM_FORMAT_CSV, devnull, ctx);
	ctm_results_write(res, CTM_FORMAT_JSON, devnull, ctx);

cleanup:
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_ctx_free(ctx);
	return 0;
}
