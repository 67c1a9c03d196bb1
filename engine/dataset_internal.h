/* Internal: the data set's accumulators, shared by the reader and scoring. */
#ifndef CTM_ENGINE_DATASET_INTERNAL_H
#define CTM_ENGINE_DATASET_INTERNAL_H

#include <stdint.h>

#include "continuum/responses.h"
#include "arena.h"
#include "csv.h"
#include "hashmap.h"
#include "strbuf.h"
#include "idset.h"
#include "rubric_internal.h"

/*
 * One group's running sums. Items are numbered dimensions first, then
 * questions, then the rated values of the questions factors use: item i < D
 * is dimension i, item D + k is question k (its score), item D + Q + v is the
 * value of the question whose value_item is v. A unit's
 * sums and counts live at [u * items + i]; a role's at [r * D + d]. Values are
 * summed in row order, so a unit's mean is computed exactly as
 * sum(values) / len(values) would be.
 */
/* One answer to an open-text prompt: free text, shown verbatim and
 * unattributed (no unit or row is kept with it). */
typedef struct ctm_comment_text {
	const char *text; /* in the data set's arena: trimmed, line breaks as LF */
	size_t len;
	size_t prompt; /* the comment's index in the rubric */
	int dead;      /* taken back: its row was replaced (--duplicates last) */
} ctm_comment_text;

/* A row added under --duplicates last (dataset.c). */
typedef struct ctm_kept_row {
	size_t comment_first, comment_n; /* its answers in the group's comments */
	size_t unit, role;   /* role: SIZE_MAX when none */
	double *values;      /* per item, as the row added them (0 when missing) */
	unsigned char *has;  /* per item: the row had an answer */
	uint64_t time;       /* its end or submit time, YYYYMMDDhhmmss; 0 unknown */
	unsigned long line;  /* where it was read */
	size_t file_index;
} ctm_kept_row;

/* --duplicates last: each respondent's row as added, to take it back when a
 * later submission replaces it; allocated by a group's first such row, as
 * no other read needs it (issue 21: a group costs what it holds). */
typedef struct ctm_group_kept {
	ctm_hashmap index; /* respondent id -> kept */
	struct ctm_kept_row *rows;
	size_t count, cap;
} ctm_group_kept;

typedef struct ctm_group_acc {
	const char *region, *wave;
	uint32_t region_len, wave_len; /* of a hash map's key: below 4 GiB */
	size_t index; /* order of first appearance */

	/* Units: sums, unit_names and counts are one allocation (at sums,
	 * dataset.c grow_units); roles' four arrays are another (at
	 * role_sums): a one-row group costs two malloc chunks, not seven. */
	ctm_hashmap unit_index; /* unit name -> unit */
	size_t unit_count, unit_cap;
	const char **unit_names;
	double *sums;
	uint32_t *counts;

	ctm_hashmap partners; /* distinct partner names -> index (names borrowed:
			       * the data set's first spellings, names.c) */
	size_t partner_count;
	size_t *partner_rows; /* [partner index]: rows read (the audit's respondents per partner) */
	size_t partner_rows_cap;
	ctm_exclusion *excl; /* what was left out of this group's rows (reasons shared
			      * with the data set's exclusions) */
	size_t excl_count, excl_cap;
	ctm_idset respondent_ids; /* for duplicates */
	size_t respondent_count;  /* rows accepted */

	ctm_group_kept *kept; /* --duplicates last only; else NULL */

	ctm_comment_text *comments; /* in the order read */
	size_t comment_count, comment_cap;

	ctm_hashmap role_index; /* role name -> role (names borrowed, as partners') */
	size_t role_count, role_cap;
	const char **role_names;
	size_t *role_respondents;
	double *role_sums;
	uint32_t *role_counts;
} ctm_group_acc;

/* One matcher entry: a folded spelling and what it stands for. */
typedef struct ctm_spelling {
	const char *folded; /* its match key (ctm_text__match_key) */
	size_t len;
	size_t unit;  /* the level (0-based) or option it names: a level's id and
		       * name, an option's code and label share one */
	double value; /* level value, or option score (NaN: the option has none) */
	double rated; /* the option's rated value (NaN: none; dimensions: unused) */
	int missing;  /* an option marked missing */
} ctm_spelling;

typedef struct ctm_item_matcher {
	ctm_spelling *spellings;
	size_t count;
	int is_dimension;
	const char *id;
	const char *expected;           /* for messages: "1-5 or a level's id or name" */
	const char *const *descriptors; /* dimensions: by level value, [0] unused; else NULL */
	const char **descriptor_keys;   /* their match keys, by level value; else NULL */
	size_t *descriptor_key_lens;
	ctm_spelling *recodes;          /* --recode and the REDCap dictionary: an answer's key
					 * and what it stands for, tried first */
	size_t recode_count, recode_cap;
} ctm_item_matcher;

typedef struct ctm_column_rename {
	const char *folded_header;
	size_t len;
	const char *id;
	unsigned long line; /* in the map file */
} ctm_column_rename;

/* What a header may name, indexed once per data set (a responses file may
 * have 10,000 columns): each key maps to the first item that has it, which
 * is what a walk over the items in order would find. Keys: the rubric's
 * ids, and folded copies in the data set's arena. */
typedef struct ctm_column_index {
	ctm_hashmap ids;        /* item id, exactly -> item */
	ctm_hashmap folded_ids; /* item id, folded -> item */
	ctm_hashmap texts;      /* a dimension's prompt or a question's text, keyed -> item */
	/* (ids, folded_ids and texts also hold the comments' ids and prompts,
	 * as matched + the comment's index, after every item) */
	ctm_hashmap names;      /* a dimension's name, keyed -> item (grid rows only) */
	size_t longest;         /* the longest key of folded_ids and texts */
} ctm_column_index;

typedef struct ctm_exclusion_acc {
	ctm_exclusion pub;
} ctm_exclusion_acc;

/* The first spelling of a name key (names.c). */
typedef struct ctm_name_spelling {
	const char *s;
	size_t len;
} ctm_name_spelling;

/* One line of an --aliases file (to set) or an --exclude file. */
typedef struct ctm_name_fix {
	int column;       /* 0 region, 1 wave, 2 partner, 3 respondent, 4 role */
	const char *from; /* as written */
	const char *to;   /* an alias's replacement; NULL for an exclusion */
	size_t to_len;
	const char *reason; /* an exclusion's: "excluded by FILE:LINE" */
	const char *file;
	unsigned long line;
	size_t hits; /* rows it applied to */
} ctm_name_fix;

/* A file read: its identity (device and inode) and its content's hash. */
typedef struct ctm_input {
	const char *name;
	unsigned long long dev, ino, size;
	uint64_t hash;
	int has_id;
} ctm_input;

/* An input given again: name, the one read before, and how it is one. */
typedef struct ctm_input_repeat {
	const char *name, *same_as;
	int same_file; /* one file (device and inode); else the same bytes */
} ctm_input_repeat;

/* A row that looks like a test (ctm_dataset.suspects). */
typedef struct ctm_suspect_row {
	const char *region, *wave, *partner; /* as the group and partner are shown */
	size_t file; /* in ds->file_names */
	unsigned long line;
	int all_top; /* 1 every answer the top one, 2 the bottom one, 0 its name says test */
	const char *why; /* the name that says so ("test", "demo", ...) or NULL */
} ctm_suspect_row;

#define CTM_SUSPECT_ROWS_KEPT 1000

struct ctm_dataset {
	const ctm_rubric *rubric;
	int lenient;
	int keep_incomplete;      /* read incomplete, test and preview rows too */
	ctm_duplicates duplicates;
	const char *constants[5]; /* --set: region, wave, partner, (respondent: never), role; or NULL */
	size_t constant_len[5];
	ctm_csv_limits csv_limits; /* the delimiter and encoding every file is read with */
	const char *sheet;         /* a workbook's sheet to read (--sheet), or NULL */
	ctm_aggregate aggregate;
	ctm_progress_fn progress;
	void *progress_user;
	ctm_arena arena;
	size_t items;   /* D + Q + the valued questions (rubric valued_count): the sums' stride */
	size_t matched; /* D + Q: the items a column can be */
	size_t dims;  /* D */
	ctm_item_matcher *matchers;
	int matchers_borrowed; /* a second reader's copy: the recodes are the data set's */

	ctm_column_index names;

	ctm_column_rename *renames;
	size_t rename_count;
	ctm_hashmap rename_index; /* folded header -> rename */
	size_t rename_longest;    /* the longest folded header */

	ctm_hashmap group_index; /* "region\0wave" -> group */
	ctm_group_acc **groups;
	size_t group_count, group_cap;

	size_t rows;
	const char **file_names; /* files read, in order (in the arena) */
	size_t file_count, file_cap;

	ctm_exclusion *exclusions;
	size_t exclusion_count, exclusion_cap;

	/* Names as people mean them (engine/names.c): per key column (region,
	 * wave, partner, respondent: unused, role), the first spelling of every
	 * name key; --aliases and --exclude, each indexed per column by the name
	 * key of its value. */
	ctm_hashmap canon[5];
	ctm_hashmap raw_canon[5]; /* every spelling seen, byte for byte -> its first spelling */
	ctm_hashmap partner_test; /* partner (first spelling) -> 1 + its test word, or 0 */
	ctm_name_spelling *spellings;
	size_t spelling_count, spelling_cap;
	ctm_strbuf name_key;
	ctm_name_fix *fixes;
	size_t fix_count, fix_cap;
	ctm_hashmap alias_index[5], exclude_index[5];
	/* Inputs read (ctm_dataset_read_file): a file given twice is read once. */
	ctm_input *inputs;
	size_t input_count, input_cap;
	ctm_input_repeat *repeats; /* the inputs not read again */
	size_t repeat_count, repeat_cap;
	/* Rows that look like tests (a name such as "test", or every answer the
	 * top one), for the audit: the first CTM_SUSPECT_ROWS_KEPT kept. */
	ctm_suspect_row *suspects;
	size_t suspect_count, suspect_cap, suspect_total;
	double *item_top, *item_bottom; /* per item: its highest and lowest answer (NaN: none) */

	unsigned threads;                   /* ctm_dataset_set_threads: 1 or 2 (0: as many CPUs) */
	unsigned long long split_min_bytes; /* files this large are read in two parts */
	unsigned long long split_at;        /* tests: split here (0: in the middle) */
	size_t parts_merged;                /* tests: parts read on a second thread and used */
};

/* Files smaller than this are read on one thread: a second one would not
 * pay for its start and the merge. */
#define CTM_SPLIT_MIN_BYTES (8ull << 20)

/* Column roles after matching a header. */
typedef enum ctm_column_kind {
	CTM_COL_IGNORED = 0,
	CTM_COL_REGION,
	CTM_COL_WAVE,
	CTM_COL_PARTNER,
	CTM_COL_RESPONDENT,
	CTM_COL_ROLE,
	CTM_COL_ITEM,
	CTM_COL_COMMENT /* an open-text prompt's column; item: the comment's index */
} ctm_column_kind;

typedef struct ctm_column {
	ctm_column_kind kind;
	size_t item;
	size_t value_item; /* a question factors rate: the item of its value; else SIZE_MAX */
} ctm_column;

/* What a header's second row (texts) is. */
enum {
	CTM_HEADER_TEXTS_NONE = 0,
	/* Qualtrics' question texts under its own names (Q1, Q3_1, ...) */
	CTM_HEADER_TEXTS_QUESTIONS = 1,
	/* the legacy layout's row 1 (V1.., Q1, Q3_1, ...) under the header it
	 * names with row 2: only a --map written with these names uses them */
	CTM_HEADER_TEXTS_NAMES = 2
};

/*
 * Decides what every header cell is: the one place that does (docs/scoring.md
 * "Responses"). texts (text_count of them, may be NULL) is a Qualtrics
 * export's other header row, of the kind texts_kind says: with
 * CTM_HEADER_TEXTS_QUESTIONS a column whose header names nothing is matched
 * by its question text. Reports duplicates, missing required columns
 * (errors), survey platforms' system columns (one warning for all) and other
 * unused columns (one warning each). system (may be NULL) marks the columns
 * known from the export itself to be the platform's (ImportId row). Returns 0 or CTM_EINVALID / CTM_ENOMEM.
 */
int ctm_columns__match_header(const ctm_dataset *ds, const ctm_csv_field *fields, size_t count,
			      const ctm_csv_field *texts, size_t text_count, int texts_kind,
			      const unsigned char *system, ctm_column *columns, const char *file,
			      ctm_ctx *ctx);

/* Per column of a Qualtrics ImportId row (count of them), into system: 1
 * where the column is not a question (its ImportId is no "QID..."):
 * Qualtrics' own fields and the survey's embedded data. */
void ctm_columns__import_id_system(const ctm_csv_field *fields, size_t count,
				   unsigned char *system);

/*
 * Nonzero when a record is a Qualtrics export's third header row: at least
 * one non-empty cell, and every non-empty cell of the form {"ImportId":...}.
 * No answer of any rubric looks like that, so such a row is never data.
 */
int ctm_columns__is_import_id_row(const ctm_csv_field *fields, size_t count);

/* Builds the per-item answer matchers for ds->rubric. 0 or CTM_ENOMEM. */
int ctm_columns__build_matchers(ctm_dataset *ds);

/* Builds ds->names, what headers and a map's ids are matched against (before
 * ctm_columns__load_map and ctm_columns__match_header). 0 or CTM_ENOMEM. */
int ctm_columns__build_index(ctm_dataset *ds);

/* Reads the --map file into ds->renames. */
int ctm_columns__load_map(ctm_dataset *ds, const char *path, ctm_ctx *ctx);

/* What a survey header names, as a responses file's header is resolved
 * (after the map's renaming): 1 with *col set, or 0. */
int ctm_columns__resolve_header(const ctm_dataset *ds, const char *h, size_t len,
				ctm_column *col);

/* Renames header (a REDCap field found by its label) to item id (kept, not
 * copied), unless the map renames it already. 0 or CTM_ENOMEM. */
int ctm_columns__add_rename(ctm_dataset *ds, const char *header, size_t len, const char *id,
			    unsigned long line);

/* The item whose id is id (exactly, then ignoring case), or SIZE_MAX. */
size_t ctm_columns__item_by_id(const ctm_dataset *ds, const char *id, size_t len);

/* Reads a recode file (CSV "item,from,to") into the matchers' recodes. 0,
 * CTM_EIO, CTM_EINVALID (said in ctx) or CTM_ENOMEM. */
int ctm_recode__load(ctm_dataset *ds, const char *path, ctm_ctx *ctx);

/* Reads a REDCap data dictionary: the choices of each field read as an item
 * become recodes of its codes to its labels. As ctm_recode__load. */
int ctm_recode__load_redcap(ctm_dataset *ds, const char *path, ctm_ctx *ctx);

/* The outcome of reading one answer cell. */
typedef enum ctm_cell_result { CTM_CELL_VALUE, CTM_CELL_MISSING, CTM_CELL_INVALID } ctm_cell_result;

/* A cell's answer: *value is the level value or the option's score (NaN
 * when the option has none), *rated the option's rated value (NaN when none;
 * not set for dimensions). */
ctm_cell_result ctm_columns__match_answer(const ctm_item_matcher *m, const char *cell, size_t len,
					  size_t levels, double *value, double *rated);

/* The group whose region and wave have these names' keys (names.c), or
 * NULL: none, or out of memory (*oom then set). */
ctm_group_acc *ctm_dataset__find_group(const ctm_dataset *ds, const char *region, size_t rlen,
				       const char *wave, size_t wlen, int *oom);

/* The group of region and wave, made if new; NULL when out of memory. */
ctm_group_acc *ctm_dataset__find_or_add_group(ctm_dataset *ds, const char *region, size_t rlen,
					      const char *wave, size_t wlen);

/* The index of name in a map of names, stored in ds's arena and given
 * next_index if new (*added then 1); SIZE_MAX when out of memory. */
size_t ctm_dataset__intern(ctm_dataset *ds, ctm_hashmap *map, const char *name, size_t len,
			   size_t next_index, int *added);

/* As ctm_dataset__intern, but name is kept, not copied: it must live as
 * long as the data set (a first spelling of names.c, or a literal). */
size_t ctm_dataset__intern_borrowed(ctm_dataset *ds, ctm_hashmap *map, const char *name,
				    size_t len, size_t next_index, int *added);

/* A group's unit and role of that name, with zeroed sums if new; SIZE_MAX
 * when out of memory. A unit's name is copied unless borrowed (then it must
 * live as long as the data set); a role's name is always borrowed (its
 * first spelling, names.c, or a literal). */
size_t ctm_dataset__add_unit(ctm_dataset *ds, ctm_group_acc *g, const char *name, size_t len,
			     int borrowed);
size_t ctm_dataset__add_role(ctm_dataset *ds, ctm_group_acc *g, const char *name, size_t len);

/*
 * Two-part reading (dataset.c): part holds what a second thread read from the
 * later part of a file. can_merge is 0 when a respondent id is in both
 * parts (a duplicate: the caller reads the part again in order, to report
 * it). merge adds part's groups, sums, ids and exclusions to ds, its lines
 * moved by line_shift; 0 or CTM_ENOMEM.
 */
int ctm_dataset__can_merge(const ctm_dataset *ds, const ctm_dataset *part);
int ctm_dataset__merge(ctm_dataset *ds, const ctm_dataset *part, unsigned long line_shift);

/* Tests: read files of at least min_bytes in two parts (the second from the
 * first record at or after byte split_at, or from the middle when 0). */
void ctm_dataset__set_split(ctm_dataset *ds, unsigned long long min_bytes,
			    unsigned long long split_at);

/*
 * Names (names.c). canonical: *s, *len replaced by the first spelling of
 * their name key in column k (0 region, 1 wave, 2 partner, 4 role), this one
 * when new. fix_lookup: the --exclude (exclude set) or --aliases fix of a
 * value of column k, or NULL. load_fixes reads the two files (either may be
 * NULL). unused_fixes warns of every fix that matched no row. 0 or
 * CTM_ENOMEM / CTM_EINVALID (said).
 */
int ctm_names__canonical(ctm_dataset *ds, int k, const char **s, size_t *len);
/* As canonical, but looking only: a name not seen is left as it is. */
int ctm_names__find(const ctm_dataset *ds, int k, const char **s, size_t *len);
/* A row read (its keys and answers): remembered when it looks like a test.
 * keys: region, wave, partner, respondent (each with its length). */
int ctm_names__check_row(ctm_dataset *ds, const char *const *keys, const size_t *lens,
			 const double *values, const int *has_value, size_t file,
			 unsigned long line);
ctm_name_fix *ctm_names__fix(ctm_dataset *ds, int k, const char *s, size_t len, int exclude);
int ctm_names__load_fixes(ctm_dataset *ds, const char *aliases, const char *exclude,
			  ctm_ctx *ctx);
void ctm_names__unused_fixes(const ctm_dataset *ds, ctm_ctx *ctx);
/* Groups in SPEC's natural order of region, then wave, applied to their
 * name keys (so that the order never depends on which spelling came first).
 * 0 or CTM_ENOMEM (order unchanged). */
int ctm_names__sort_groups(const ctm_group_acc **order, size_t n);
void ctm_names__free(ctm_dataset *ds);

/* Nonzero for the spellings of a missing answer: empty, NA, N/A. */
int ctm_columns__is_missing_marker(const char *s, size_t len);

#endif
