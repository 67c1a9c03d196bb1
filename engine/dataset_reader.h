/* Internal: the state of reading one responses file, shared by the reader
 * (dataset.c) and the second thread that reads the later part of a large
 * file (dataset_split.c). */
#ifndef CTM_ENGINE_DATASET_READER_H
#define CTM_ENGINE_DATASET_READER_H

#include <stdint.h>

#include "completion.h"
#include "csv.h"
#include "dataset_internal.h"

/*
 * Answers repeat: a column holds a handful of spellings. A small table per
 * item remembers what recent cells matched, keyed by their bytes, so that
 * most cells cost a hash and a compare instead of trimming, folding and a
 * scan of the spellings. (ctm_columns__match_answer depends on nothing but the item
 * and the cell, so a remembered result is the result.)
 */
#define MEMO_SLOTS 64   /* per item, a power of two: a column has 5-25 spellings */
#define MEMO_MAX_LEN 16 /* longer cells are matched each time */

typedef struct memo_slot {
	uint64_t w0, w1; /* the cell's bytes (memo_key) */
	double value, rated;
	uint32_t len;    /* 0: unused */
	uint32_t result; /* a ctm_cell_result */
} memo_slot;

/* Per-file reading state. */
typedef struct ctm_reader {
	ctm_dataset *ds;
	ctm_ctx *ctx; /* where errors go */
	const char *file;
	const ctm_column *columns;
	size_t column_count;
	const size_t *item_cols; /* the columns that hold an item, in order */
	size_t item_col_count;
	const size_t *comment_cols; /* the columns of open-text prompts, in order */
	size_t comment_col_count;
	size_t row_comment_first, row_comment_n; /* the row's answers to them */
	int key_col[5]; /* region, wave, partner, respondent, role: column or -1 */
	const ctm_completion_check *checks; /* rows a platform marks incomplete */
	size_t check_count;
	int time_col; /* the platform's end or submit time, or -1 (--duplicates last) */
	double *values; /* per item: the row's value, 0 when missing */
	int *has_value;
	memo_slot *memo;        /* MEMO_SLOTS per item */
	size_t file_index;      /* in ds->file_names */
	size_t records;         /* data records, blank lines not counted */
	size_t rows;            /* of them, rows read (not left out) */
	unsigned long end_line; /* after a merged part: the line of its last record */

	/* Exports come sorted by group and partner: the last row's group, unit
	 * (partner aggregation) and partner are checked before any hashing. */
	ctm_group_acc *last_group;
	size_t last_unit;   /* in last_group, or SIZE_MAX */
	char *last_partner; /* a copy, in last_group; NULL when none */
	size_t last_partner_index; /* its index in last_group's partners */
	struct ctm_group_acc *excl_group; /* the row's group, once known: its exclusions */
	size_t last_partner_len, last_partner_cap;
} ctm_reader;

/* Allocates the reader's per-item buffers (values, has_value, memo). 0, or
 * CTM_ENOMEM. */
int ctm_dataset__reader_alloc(ctm_reader *rd);
/* Frees what the reader allocated (not what it borrows). */
void ctm_dataset__reader_free(ctm_reader *rd);

/* The next record, its reader complaints going to scratch (lenient) or ctx:
 * 1 with *f, *n, *bad and *line set, 0 at the end, or a fatal error. */
int ctm_dataset__next_record(ctm_csv *csv, ctm_ctx *scratch, ctm_ctx *ctx, const ctm_csv_field **f,
			     size_t *n, int *bad, unsigned long *line);
/* One data record: a malformed one becomes an exclusion (lenient; strict, the
 * reader has reported it), so does a blank one; the rest are read. Returns 0
 * or CTM_ENOMEM: a row's own errors are in the context. */
int ctm_dataset__handle_record(ctm_reader *rd, ctm_ctx *scratch, const ctm_csv_field *f, size_t n,
			       int bad, unsigned long line);

/* ---- the later part of a large file, read on a second thread (dataset_split.c) */

typedef struct ctm_part_reader ctm_part_reader;

/* Starts reading the later part of the input on a second thread, when it is
 * large enough and the data set may use two. NULL when not (also when out of
 * memory: reading in order needs nothing of this). */
ctm_part_reader *ctm_dataset__start_part(const ctm_reader *rd, ctm_csv *csv, const char *mem,
					 unsigned long long size);
/* The offset in the input where the part begins. */
unsigned long long ctm_dataset__part_split(const ctm_part_reader *p);
/* Bytes of the input the part has read so far (for progress). */
unsigned long long ctm_dataset__part_bytes(const ctm_part_reader *p);
/* Called once the first reader has come to (or past) the part's start: joins
 * the part and merges it if that changes nothing. Returns 1 when merged (the
 * input has been read to its end), 0 when the first reader must read on, or
 * CTM_ENOMEM. */
int ctm_dataset__finish_part(ctm_part_reader *p, ctm_reader *rd, ctm_csv *csv);
/* Stops the thread (if running) and frees the part. Accepts NULL. */
void ctm_dataset__part_free(ctm_part_reader *p);

#endif
