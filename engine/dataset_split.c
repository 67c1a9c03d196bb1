/*
 * Reading a large file in two parts on two threads (see the comment below);
 * the reading itself is dataset.c's.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_reader.h"

/* ---- reading a large file in two parts ----
 *
 * A second thread reads the later half of a large file into a data set of
 * its own while this one reads the first half; at the point where the
 * second began, its sums are merged on, and the result is what reading in
 * order gives. The split is a guess -- the first line break after the middle,
 * which may lie inside a quoted field -- so the merge happens only when it is
 * sure to change nothing: the first reader arrives exactly at the split
 * point between two records; the part has no diagnostics at all (a bad row
 * is reported with its true position by reading it again in order); and no
 * respondent id is in both parts. Otherwise the part is thrown away and the
 * first reader reads on, as if there had been no split. Only speed depends
 * on the guess, never the result.
 */
struct ctm_part_reader {
	pthread_t thread;
	int started;
	ctm_dataset *ds;  /* the part's own sums */
	ctm_ctx *ctx;     /* the part's diagnostics: any means "read it again" */
	ctm_ctx *scratch; /* lenient: as read_csv's */
	ctm_csv *csv;
	ctm_reader rd;
	unsigned long long split; /* the offset in the input where the part begins */
	unsigned long long start; /* its reader's offset there (0 in memory mode) */
	atomic_int stop;
	atomic_ullong bytes;
	int rc;
};

static void *read_part(void *arg)
{
	ctm_part_reader *p = arg;
	const ctm_csv_field *f;
	size_t n;
	int bad, got;
	unsigned long line;
	unsigned long long records = 0;

	while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
		got = ctm_dataset__next_record(p->csv, p->scratch, p->ctx, &f, &n, &bad, &line);
		if (got <= 0) {
			p->rc = got;
			break;
		}
		if (++records % 4096 == 0)
			atomic_store_explicit(&p->bytes, ctm_csv__bytes_read(p->csv) - p->start,
					      memory_order_relaxed);
		if ((p->rc = ctm_dataset__handle_record(&p->rd, p->scratch, f, n, bad, line)) !=
		    CTM_OK)
			break;
		if (ctm_ctx_count(p->ctx)) {
			p->rc = CTM_EINVALID; /* the part is read again: stop now */
			break;
		}
	}
	atomic_store_explicit(&p->bytes, ctm_csv__bytes_read(p->csv) - p->start,
			      memory_order_relaxed);
	return NULL;
}

void ctm_dataset__part_free(ctm_part_reader *p)
{
	if (!p)
		return;
	if (p->started) {
		atomic_store(&p->stop, 1);
		pthread_join(p->thread, NULL);
	}
	ctm_csv__free(p->csv);
	ctm_ctx_free(p->ctx);
	ctm_ctx_free(p->scratch);
	ctm_dataset__reader_free(&p->rd);
	ctm_dataset_free(p->ds);
	free(p);
}

/* Where the part starts: the first record boundary (a byte after an LF) at
 * or after target, found within a MiB; 0 when none. */
static unsigned long long find_split(int fd, const char *mem, unsigned long long size,
				     unsigned long long target)
{
	char buf[64 * 1024];
	unsigned long long at = target - 1; /* the byte before the split is an LF */

	while (at < size && at < target + (1u << 20)) {
		size_t want = size - at < sizeof(buf) ? (size_t)(size - at) : sizeof(buf);
		const char *block = mem ? mem + at : buf;
		if (!mem) {
			ssize_t got = pread(fd, buf, want, (off_t)at);
			if (got <= 0)
				return 0;
			want = (size_t)got;
		}
		const char *lf = memchr(block, '\n', want);
		if (lf) {
			unsigned long long split = at + (unsigned long long)(lf - block) + 1;
			return split < size ? split : 0;
		}
		at += want;
	}
	return 0;
}

static unsigned cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* Starts reading the later part of the input on a second thread, when it is
 * large enough and the data set may use two. NULL when not (also when out of
 * memory: reading in order needs nothing of this). Never for decoded input
 * (UTF-16, Windows-1252): its reader's offsets are in the decoded text, not
 * in the file, so no split point in the file can be compared with them. */
ctm_part_reader *ctm_dataset__start_part(const ctm_reader *rd, ctm_csv *csv, const char *mem,
					 unsigned long long size)
{
	ctm_dataset *ds = rd->ds;
	unsigned threads = ds->threads ? ds->threads : cpu_count();
	unsigned long long data_start = ctm_csv__next_record_offset(csv);
	int fd = ctm_csv__fd(csv);
	ctm_part_reader *p = NULL;
	/* the part is read as the first reader reads: same delimiter (found
	 * from the header, which the part does not see) and sizes; UTF-8, as
	 * the input is not decoded */
	ctm_csv_limits limits = ds->csv_limits;
	limits.delimiter = ctm_csv__delimiter(csv);
	limits.encoding = CTM_CSV_UTF8;

	/* a resubmission replaces a row read before it: read in order */
	if (ds->duplicates == CTM_DUPLICATES_LAST)
		return NULL;
	/* --aliases and --exclude are counted as they match: read in order */
	if (threads < 2 || ds->fix_count || size < ds->split_min_bytes || data_start >= size || (!mem && fd < 0) ||
	    ctm_csv__transcoded(csv) || !limits.delimiter)
		return NULL;
	unsigned long long target = ds->split_at ? ds->split_at
						 : data_start + (size - data_start) / 2;
	if (target <= data_start)
		target = data_start + 1;
	unsigned long long split = find_split(fd, mem, size, target);
	if (!split)
		return NULL;

	if (!(p = calloc(1, sizeof(*p))) || !(p->ds = calloc(1, sizeof(*p->ds))))
		goto fail;
	p->ds->rubric = ds->rubric;
	p->ds->lenient = ds->lenient;
	p->ds->aggregate = ds->aggregate;
	p->ds->dims = ds->dims;
	p->ds->items = ds->items;
	p->ds->matched = ds->matched;
	/* what reading needs of the data set, shared: it is only read, and the
	 * matchers hold the recodes (built once) */
	p->ds->matchers = ds->matchers;
	p->ds->matchers_borrowed = 1;
	p->ds->keep_incomplete = ds->keep_incomplete;
	p->ds->duplicates = ds->duplicates;
	memcpy(p->ds->constants, ds->constants, sizeof(ds->constants));
	memcpy(p->ds->constant_len, ds->constant_len, sizeof(ds->constant_len));
	p->ds->csv_limits = ds->csv_limits;
	if (!(p->ctx = ctm_ctx_new()))
		goto fail;
	if (ds->lenient) {
		if (!(p->scratch = ctm_ctx_new()))
			goto fail;
		ctm_ctx_set_max_diags(p->scratch, 1);
	}
	if (mem) {
		if (ctm_csv__open_memory(&p->csv, rd->file, mem + split, (size_t)(size - split),
					 &limits, p->ctx))
			goto fail;
		ctm_csv__start_mid_input(p->csv);
		p->start = 0;
	} else {
		if (ctm_csv__open_fd_at(&p->csv, rd->file, fd, split, &limits, p->ctx))
			goto fail;
		p->start = split;
	}
	p->split = split;
	p->rd = (ctm_reader){ .ds = p->ds,
			      .ctx = p->ctx,
			      .file = rd->file,
			      .columns = rd->columns,
			      .column_count = rd->column_count,
			      .item_cols = rd->item_cols,
			      .item_col_count = rd->item_col_count,
			      .comment_cols = rd->comment_cols,
			      .comment_col_count = rd->comment_col_count,
			      .file_index = rd->file_index,
			      .checks = rd->checks,
			      .check_count = rd->check_count,
			      .time_col = rd->time_col,
			      .last_unit = SIZE_MAX };
	memcpy(p->rd.key_col, rd->key_col, sizeof(rd->key_col));
	if (ctm_dataset__reader_alloc(&p->rd))
		goto fail;
	atomic_init(&p->stop, 0);
	atomic_init(&p->bytes, 0);
	if (pthread_create(&p->thread, NULL, read_part, p) != 0)
		goto fail;
	p->started = 1;
	return p;

fail:
	ctm_dataset__part_free(p);
	return NULL;
}

/*
 * Called once the first reader has come to (or past) the part's start: joins
 * the part and merges it if that changes nothing. Returns 1 when merged (the
 * input has been read to its end), 0 when the first reader must read on, or
 * CTM_ENOMEM.
 */
int ctm_dataset__finish_part(ctm_part_reader *p, ctm_reader *rd, ctm_csv *csv)
{
	unsigned long long split = p->split;
	int at_split = ctm_csv__next_record_offset(csv) == split;

	if (!at_split)
		atomic_store(&p->stop, 1);
	pthread_join(p->thread, NULL);
	p->started = 0;
	/* in lenient mode a bad row is an exclusion, not a diagnostic, named by
	 * its message: the part's first invalid UTF-8 would have carried the
	 * hint (csv.h) if the first reader has not given it */
	if (!at_split || p->rc != CTM_OK || ctm_ctx_count(p->ctx) ||
	    (ctm_csv__hint_pending(csv) && ctm_csv__saw_invalid_utf8(p->csv)) ||
	    !ctm_dataset__can_merge(rd->ds, p->ds))
		return 0;
	/* the part counted lines from 1 at the split */
	unsigned long shift = ctm_csv__line(csv) - 1;
	int rc = ctm_dataset__merge(rd->ds, p->ds, shift);
	if (rc != CTM_OK)
		return rc;
	rd->rows += p->rd.rows;
	rd->records += p->rd.records;
	if (ctm_csv__record_line(p->csv))
		rd->end_line = ctm_csv__record_line(p->csv) + shift;
	rd->ds->parts_merged++;
	return 1;
}

unsigned long long ctm_dataset__part_split(const ctm_part_reader *p) { return p->split; }

unsigned long long ctm_dataset__part_bytes(const ctm_part_reader *p)
{
	return atomic_load_explicit(&p->bytes, memory_order_relaxed);
}
