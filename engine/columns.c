/*
 * What a column is and what a cell says: the matcher.
 *
 * A header is, in this order: renamed by --map; a reserved column (region,
 * wave, partner, respondent, role); an item id (exactly, then ignoring case);
 * a dimension's prompt or a question's text (ignoring case and white space),
 * so that a form built from `continuum template` needs no mapping. When a
 * Qualtrics export gives a second header row of question texts, a column that
 * row 1 does not name is tried by its row-2 text the same way (row 1 wins
 * where both name something: it is the survey designer's own name; but see
 * resolve_header for ids that differ in case only). Anything
 * else is not used: the system columns of the survey platforms (Qualtrics,
 * Google Forms, LimeSurvey, REDCap: see platform_column) are named together
 * in one warning, any other column in a warning of its own.
 *
 * A placement cell is a level value 1..L, or a level's id or name, or the
 * text of the dimension's descriptor for a level (what a form built from the
 * questionnaire offers as choices: Qualtrics and Google Forms export the
 * choice text); a question cell is an option's code or label; all ignoring
 * case (descriptors also white space). Empty, NA and N/A are missing
 * everywhere.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_internal.h"
#include "diag.h"
#include "strbuf.h"
#include "text.h"
#include "grow.h"

/* Longest cell compared against spellings on the stack; longer ones are
 * keyed on the heap (a descriptor's text can be long). */
#define MAX_SPELLING 512

int ctm_columns__is_missing_marker(const char *s, size_t len)
{
	return len == 0 || ctm_text__fold_equal(s, len, "na", 2) ||
	       ctm_text__fold_equal(s, len, "n/a", 3);
}

/* The match key of s in the arena (NUL-terminated), its length in *len_out. */
static const char *key_copy(ctm_arena *arena, const char *s, size_t *len_out)
{
	size_t len = strlen(s);
	char *d = ctm_arena__alloc(arena, len + 1);
	if (!d)
		return NULL;
	len = ctm_text__match_key(d, len + 1, s, len);
	d[len] = '\0';
	*len_out = len;
	return d;
}

/* The folded copy of s in the arena (ids: folded, nothing else changed). */
static const char *fold_copy(ctm_arena *arena, const char *s, size_t *len_out)
{
	size_t len = strlen(s);
	char *d = ctm_arena__alloc(arena, len + 1);
	if (!d)
		return NULL;
	ctm_text__fold(d, s, len);
	d[len] = '\0';
	*len_out = len;
	return d;
}

static int add_spelling(ctm_arena *arena, ctm_item_matcher *m, const char *text, size_t unit,
			double value, double rated, int missing)
{
	if (!text)
		return 0;
	ctm_spelling *sp = &m->spellings[m->count];
	sp->folded = key_copy(arena, text, &sp->len);
	if (!sp->folded)
		return -1;
	sp->unit = unit;
	sp->value = value;
	sp->rated = rated;
	sp->missing = missing;
	m->count++;
	return 0;
}

/* The keys of a dimension's descriptors, by level value. */
static int add_descriptor_keys(ctm_arena *arena, ctm_item_matcher *m, size_t levels)
{
	m->descriptor_keys = ctm_arena__alloc(arena, (levels + 1) * sizeof(*m->descriptor_keys));
	m->descriptor_key_lens = ctm_arena__alloc(arena,
						  (levels + 1) * sizeof(*m->descriptor_key_lens));
	if (!m->descriptor_keys || !m->descriptor_key_lens)
		return -1;
	m->descriptor_keys[0] = NULL;
	for (size_t l = 1; l <= levels; l++) {
		const char *d = m->descriptors[l];
		m->descriptor_keys[l] = d ? key_copy(arena, d, &m->descriptor_key_lens[l]) : NULL;
		if (d && !m->descriptor_keys[l])
			return -1;
	}
	return 0;
}

int ctm_columns__build_matchers(ctm_dataset *ds)
{
	const ctm_rubric *r = ds->rubric;
	ctm_arena *arena = &ds->arena;

	size_t matched = r->dimension_count + r->question_count;
	ds->matchers = ctm_arena__alloc(arena, (matched ? matched : 1) * sizeof(*ds->matchers));
	if (!ds->matchers)
		return CTM_ENOMEM;
	memset(ds->matchers, 0, (matched ? matched : 1) * sizeof(*ds->matchers));
	for (size_t i = 0; i < r->dimension_count; i++) {
		ctm_item_matcher *m = &ds->matchers[i];
		m->is_dimension = 1;
		m->id = r->dimensions[i].id;
		m->count = 0;
		m->spellings = ctm_arena__alloc(arena, 2 * r->level_count * sizeof(*m->spellings));
		if (!m->spellings)
			return CTM_ENOMEM;
		for (size_t l = 0; l < r->level_count; l++) {
			if (add_spelling(arena, m, r->levels[l].id, l, (double)(l + 1), NAN, 0) ||
			    add_spelling(arena, m, r->levels[l].name, l, (double)(l + 1), NAN, 0))
				return CTM_ENOMEM;
		}
		m->expected = NULL;
		m->descriptors = r->dimensions[i].descriptors;
		if (add_descriptor_keys(arena, m, r->level_count))
			return CTM_ENOMEM;
	}
	for (size_t q = 0; q < r->question_count; q++) {
		ctm_item_matcher *m = &ds->matchers[r->dimension_count + q];
		const ctm_scale *sc = r->questions[q].scale;
		size_t n = sc ? sc->option_count : 0;
		m->is_dimension = 0;
		m->id = r->questions[q].id;
		m->descriptors = NULL;
		m->descriptor_keys = NULL;
		m->descriptor_key_lens = NULL;
		m->count = 0;
		m->spellings = ctm_arena__alloc(arena, (2 * n + 1) * sizeof(*m->spellings));
		if (!m->spellings)
			return CTM_ENOMEM;
		/* The list of codes, for messages. */
		size_t total = 1;
		for (size_t k = 0; k < n; k++)
			total += strlen(sc->options[k].code) + 2;
		char *expected = ctm_arena__alloc(arena, total);
		if (!expected)
			return CTM_ENOMEM;
		expected[0] = '\0';
		for (size_t k = 0; k < n; k++) {
			const ctm_option *o = &sc->options[k];
			if (add_spelling(arena, m, o->code, k, o->score, o->value, o->missing) ||
			    add_spelling(arena, m, o->label, k, o->score, o->value, o->missing))
				return CTM_ENOMEM;
			if (k)
				strcat(expected, ", ");
			strcat(expected, o->code);
		}
		m->expected = expected;
	}
	return CTM_OK;
}

/* Maps key to item unless a key before it has it already. 0 or -1. */
static int put_first(ctm_hashmap *map, const char *key, size_t len, size_t item)
{
	uint64_t h = ctm_hashmap__hash(key, len);
	if (ctm_hashmap__get(map, key, len, h))
		return 0;
	return ctm_hashmap__put(map, key, len, h, item);
}

int ctm_columns__build_index(ctm_dataset *ds)
{
	const ctm_rubric *r = ds->rubric;
	ctm_column_index *ix = &ds->names;

	/* items, then the open-text prompts (their columns hold free text) */
	for (size_t i = 0; i < ds->matched + r->comment_count; i++) {
		const ctm_comment *cm = i >= ds->matched ? &r->comments[i - ds->matched] : NULL;
		const char *id = cm		? cm->id
				 : i < ds->dims ? r->dimensions[i].id
						: r->questions[i - ds->dims].id;
		const char *text = cm		  ? cm->prompt
				   : i < ds->dims ? r->dimensions[i].prompt
						  : r->questions[i - ds->dims].text;
		const char *name = !cm && i < ds->dims ? r->dimensions[i].name : NULL;
		size_t len;
		const char *f;
		if (id) {
			len = strlen(id);
			if (put_first(&ix->ids, id, len, i) ||
			    !(f = fold_copy(&ds->arena, id, &len)) ||
			    put_first(&ix->folded_ids, f, len, i))
				return CTM_ENOMEM;
			if (len > ix->longest)
				ix->longest = len;
		}
		if (text) {
			if (!(f = key_copy(&ds->arena, text, &len)) ||
			    put_first(&ix->texts, f, len, i))
				return CTM_ENOMEM;
			if (len > ix->longest)
				ix->longest = len;
		}
		/* A grid's row may name a dimension by its name (ctm_columns__grid_row). */
		if (name) {
			if (!(f = key_copy(&ds->arena, name, &len)) ||
			    put_first(&ix->names, f, len, i))
				return CTM_ENOMEM;
			if (len > ix->longest)
				ix->longest = len;
		}
	}
	return CTM_OK;
}

/* The spelling whose key is key, or NULL. */
static const ctm_spelling *find_spelling(const ctm_item_matcher *m, const char *key, size_t len)
{
	for (size_t i = 0; i < m->count; i++) {
		const ctm_spelling *sp = &m->spellings[i];
		if (sp->len == len && memcmp(sp->folded, key, len) == 0)
			return sp;
	}
	return NULL;
}

static ctm_cell_result spelling_result(const ctm_spelling *sp, double *value, double *rated)
{
	if (sp->missing)
		return CTM_CELL_MISSING;
	*value = sp->value;
	*rated = sp->rated;
	return CTM_CELL_VALUE;
}

/* The level of a dimension's descriptor text (key), 0 when none; SIZE_MAX
 * when two levels share it (it cannot say which was ticked). */
static size_t descriptor_level(const ctm_item_matcher *m, const char *key, size_t len,
			       size_t levels)
{
	size_t found = 0;
	for (size_t l = 1; m->descriptor_keys && l <= levels; l++) {
		const char *d = m->descriptor_keys[l];
		if (d && m->descriptor_key_lens[l] == len && memcmp(d, key, len) == 0) {
			if (found)
				return SIZE_MAX;
			found = l;
		}
	}
	return found;
}

/* The level 1..levels a run of digits is (leading zeros fine), or 0. */
static size_t digits_level(const char *s, size_t len, size_t levels)
{
	size_t v = 0;
	if (!ctm_text__all_digits(s, len))
		return 0;
	for (size_t i = 0; i < len && v <= levels; i++)
		v = v * 10 + (size_t)(s[i] - '0');
	return v >= 1 && v <= levels ? v : 0;
}

/* "3.0", "3.00": how pandas and R write a whole number; its digits' length,
 * else 0. */
static size_t whole_number_digits(const char *s, size_t len)
{
	size_t d = 0;
	while (d < len && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d == 0 || d + 1 >= len || s[d] != '.')
		return 0;
	for (size_t i = d + 1; i < len; i++)
		if (s[i] != '0')
			return 0;
	return d;
}

/*
 * An answer written as a number and a name together: "3 - Coordination",
 * "3: Coordination", "3. Coordination", "3) Coordination", "Coordination
 * (3)", and for a dimension "Level 3". Into num and text (text empty for
 * "Level N"). 1 when key has one of these forms.
 */
static int split_number_and_name(const char *k, size_t len, int dimension, const char **num,
				 size_t *nlen, const char **text, size_t *tlen)
{
	size_t d = 0;
	while (d < len && k[d] >= '0' && k[d] <= '9')
		d++;
	if (d > 0 && d < len) {
		size_t i = d;
		if (k[i] == ' ')
			i++;
		if (i < len && (k[i] == '-' || k[i] == ':' || k[i] == '.' || k[i] == ')')) {
			i++;
			if (i < len && k[i] == ' ')
				i++;
			if (i < len) {
				*num = k;
				*nlen = d;
				*text = k + i;
				*tlen = len - i;
				return 1;
			}
		}
	}
	if (len > 3 && k[len - 1] == ')') {
		size_t e = len - 1, b = e;
		while (b > 0 && k[b - 1] >= '0' && k[b - 1] <= '9')
			b--;
		if (b < e && b > 1 && k[b - 1] == '(') {
			size_t t = b - 1;
			while (t > 0 && k[t - 1] == ' ')
				t--;
			if (t > 0) {
				*num = k + b;
				*nlen = e - b;
				*text = k;
				*tlen = t;
				return 1;
			}
		}
	}
	if (dimension && len > 6 && memcmp(k, "level ", 6) == 0 &&
	    ctm_text__all_digits(k + 6, len - 6)) {
		*num = k + 6;
		*nlen = len - 6;
		*text = k;
		*tlen = 0;
		return 1;
	}
	return 0;
}

/* The answer of a cell's key, k (trimmed, folded, not a missing marker). */
static ctm_cell_result match_key(const ctm_item_matcher *m, const char *k, size_t len,
				 size_t levels, double *value, double *rated)
{
	const ctm_spelling *sp;
	size_t lv, d;

	/* the user's and the dictionary's recodes come before the rubric's own
	 * spellings: "0" may stand for level 1 */
	for (size_t i = 0; i < m->recode_count; i++) {
		sp = &m->recodes[i];
		if (sp->len == len && memcmp(sp->folded, k, len) == 0)
			return spelling_result(sp, value, rated);
	}
	if (ctm_columns__is_missing_marker(k, len))
		return CTM_CELL_MISSING;

	if (m->is_dimension && ctm_text__all_digits(k, len)) {
		/* more than two digits never are a level */
		if ((lv = digits_level(k, len, levels)) == 0)
			return CTM_CELL_INVALID;
		*value = (double)lv;
		return CTM_CELL_VALUE;
	}
	if ((sp = find_spelling(m, k, len)) != NULL)
		return spelling_result(sp, value, rated);
	if ((d = whole_number_digits(k, len)) != 0)
		return match_key(m, k, d, levels, value, rated);

	const char *num, *text;
	size_t nlen, tlen;
	if (split_number_and_name(k, len, m->is_dimension, &num, &nlen, &text, &tlen)) {
		/* the number and the name must name the same level or option */
		if (m->is_dimension) {
			if ((lv = digits_level(num, nlen, levels)) == 0)
				return CTM_CELL_INVALID;
			const ctm_spelling *named = tlen ? find_spelling(m, text, tlen) : NULL;
			if (tlen && !(named && named->unit == lv - 1) &&
			    descriptor_level(m, text, tlen, levels) != lv)
				return CTM_CELL_INVALID;
			*value = (double)lv;
			return CTM_CELL_VALUE;
		}
		const ctm_spelling *coded = find_spelling(m, num, nlen);
		const ctm_spelling *named = find_spelling(m, text, tlen);
		if (coded && named && coded->unit == named->unit)
			return spelling_result(coded, value, rated);
		return CTM_CELL_INVALID;
	}
	/* Descriptors last: long texts, compared only when nothing short matched. */
	lv = m->is_dimension ? descriptor_level(m, k, len, levels) : 0;
	if (lv == 0 || lv == SIZE_MAX)
		return CTM_CELL_INVALID;
	*value = (double)lv;
	return CTM_CELL_VALUE;
}

ctm_cell_result ctm_columns__match_answer(const ctm_item_matcher *m, const char *cell, size_t len,
					  size_t levels, double *value, double *rated)
{
	char stack[MAX_SPELLING];
	char *key = stack;

	if (len >= sizeof(stack) && !(key = malloc(len + 1)))
		return CTM_CELL_INVALID; /* out of memory: said as not an answer */
	size_t klen = ctm_text__match_key(key, len + 1, cell, len);
	ctm_cell_result res = match_key(m, key, klen, levels, value, rated);
	if (key != stack)
		free(key);
	return res;
}

/* ---- headers ---- */

static const char *const reserved_kinds_names[] = { "region", "wave", "partner", "respondent",
						    "role" };
static const ctm_column_kind reserved_kinds[] = { CTM_COL_REGION, CTM_COL_WAVE, CTM_COL_PARTNER,
						  CTM_COL_RESPONDENT, CTM_COL_ROLE };

/* What resolve_name may match besides reserved names and exact item ids. */
#define NAME_IDS_ANY_CASE 1 /* item ids ignoring case */
#define NAME_TEXT 2         /* a dimension's prompt or a question's text */
#define NAME_DIM_NAME 4     /* a dimension's name (a grid's row) */

/* The item (or comment: matched and above) of key in map, into col; 0 when
 * none. */
static int lookup_item(const ctm_dataset *ds, const ctm_hashmap *map, const char *key, size_t len,
		       ctm_column *col)
{
	const ctm_hashmap_slot *slot = ctm_hashmap__get(map, key, len, ctm_hashmap__hash(key, len));
	if (!slot)
		return 0;
	col->kind = slot->value < ds->matched ? CTM_COL_ITEM : CTM_COL_COMMENT;
	col->item = slot->value < ds->matched ? slot->value : slot->value - ds->matched;
	return 1;
}

/*
 * Resolves a name (header, or a map's id) to a column; 0 when it is none.
 * In this order: a reserved name, an item id exactly, an item id ignoring
 * case, a prompt or question text; each the first item that has it. scratch
 * holds ds->names.longest bytes.
 */
static int resolve_name(const ctm_dataset *ds, const char *h, size_t len, ctm_column *col, int how,
			char *scratch)
{
	const ctm_column_index *ix = &ds->names;

	for (size_t k = 0; k < 5; k++) {
		if (ctm_text__fold_equal(h, len, reserved_kinds_names[k],
					 strlen(reserved_kinds_names[k]))) {
			col->kind = reserved_kinds[k];
			return 1;
		}
	}
	if (lookup_item(ds, &ix->ids, h, len, col))
		return 1;
	if ((how & NAME_IDS_ANY_CASE) && len <= ix->longest) {
		ctm_text__fold(scratch, h, len);
		if (lookup_item(ds, &ix->folded_ids, scratch, len, col))
			return 1;
	}
	if (!(how & NAME_TEXT))
		return 0;
	size_t n = ctm_text__match_key(scratch, ix->longest, h, len);
	if (n == SIZE_MAX)
		return 0;
	return lookup_item(ds, &ix->texts, scratch, n, col) ||
	       ((how & NAME_DIM_NAME) && lookup_item(ds, &ix->names, scratch, n, col));
}

/* The rename of header h (keyed as the map's headers are), or NULL. scratch
 * holds ds->rename_longest bytes. */
static const ctm_column_rename *find_rename(const ctm_dataset *ds, const char *h, size_t len,
					    char *scratch)
{
	if (!ds->rename_count)
		return NULL;
	size_t n = ctm_text__match_key(scratch, ds->rename_longest, h, len);
	if (n == SIZE_MAX)
		return NULL;
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&ds->rename_index, scratch, n,
							ctm_hashmap__hash(scratch, n));
	return slot ? &ds->renames[slot->value] : NULL;
}

static const char *column_label(const ctm_dataset *ds, const ctm_column *c)
{
	switch (c->kind) {
	case CTM_COL_REGION: return "region";
	case CTM_COL_WAVE: return "wave";
	case CTM_COL_PARTNER: return "partner";
	case CTM_COL_RESPONDENT: return "respondent";
	case CTM_COL_ROLE: return "role";
	case CTM_COL_ITEM:
		return c->item < ds->dims ? ds->rubric->dimensions[c->item].id
					  : ds->rubric->questions[c->item - ds->dims].id;
	case CTM_COL_COMMENT: return ds->rubric->comments[c->item].id;
	default: return "?";
	}
}

/*
 * The system columns survey platforms add to every export, which never hold
 * answers. They are left out like any unknown column, but named together in
 * one warning rather than one warning each: a Qualtrics export alone has
 * seventeen of them, and a warning per column would bury a real misspelt
 * header. Names compare ignoring case.
 */
static const char *const platform_names[] = {
	/* Qualtrics (row 1 names, current and legacy exports) */
	"StartDate",
	"EndDate",
	"Status",
	"IPAddress",
	"Progress",
	"Duration (in seconds)",
	"Finished",
	"RecordedDate",
	"ResponseId",
	"ResponseID",
	"ResponseSet",
	"RecipientLastName",
	"RecipientFirstName",
	"RecipientEmail",
	"ExternalReference",
	"ExternalDataReference",
	"LocationLatitude",
	"LocationLongitude",
	"LocationAccuracy",
	"DistributionChannel",
	"UserLanguage",
	"EmailAddress",
	/* Google Forms */
	"Timestamp",
	"Email address",
	"Score",
	/* LimeSurvey (codes, and the headings of a full-text export) */
	"id",
	"submitdate",
	"lastpage",
	"startlanguage",
	"seed",
	"startdate",
	"datestamp",
	"ipaddr",
	"refurl",
	"token",
	"interviewtime",
	"Response ID",
	"Date submitted",
	"Last page",
	"Start language",
	"Date started",
	"Date last action",
	"IP address",
	"Referrer URL",
	"Total time",
	/* REDCap (raw names, and the labels of a label export) */
	"record_id",
	"Record ID",
	"Event Name",
	"Survey Identifier",
	"Survey Timestamp",
	"Repeat Instrument",
	"Repeat Instance",
	"Data Access Group",
	"Complete?",
	/* SurveyMonkey */
	"Respondent ID",
	"Collector ID",
	"Start Date",
	"End Date",
	"Email Address",
	"First Name",
	"Last Name",
	/* Microsoft Forms */
	"ID",
	"Start time",
	"Completion time",
	"Email",
	"Name",
	"Last modified time",
	/* KoboToolbox and ODK (Central, Collect) */
	"start",
	"end",
	"today",
	"deviceid",
	"username",
	"simserial",
	"subscriberid",
	"phonenumber",
	"audit",
	"SubmissionDate",
	"KEY",
	"SubmitterID",
	"SubmitterName",
	"AttachmentsPresent",
	"AttachmentsExpected",
	"ReviewState",
	"DeviceID",
	"Edits",
	"FormVersion",
	"instanceID",
	"meta/instanceID",
	"meta-instanceID",
	"formhub/uuid",
	"__version__",
	/* LimeSurvey timings */
	"interviewtime",
};

static int ends_with_folded(const char *h, size_t len, const char *suffix)
{
	size_t sl = strlen(suffix);
	return len > sl && ctm_text__fold_equal(h + len - sl, sl, suffix, sl);
}

/* Nonzero when h is a survey platform's system column (see platform_names). */
static int platform_column(const char *h, size_t len)
{
	for (size_t k = 0; k < sizeof(platform_names) / sizeof(platform_names[0]); k++)
		if (ctm_text__fold_equal(h, len, platform_names[k], strlen(platform_names[k])))
			return 1;
	/* Qualtrics' own fields (Q_RecaptchaScore, Q_RelevantIDDuplicate, ...),
	 * REDCap's (redcap_event_name, redcap_survey_identifier, ...) and its
	 * per-instrument "<form>_timestamp" and "<form>_complete". */
	if ((len > 2 && memcmp(h, "Q_", 2) == 0) ||
	    (len > 7 && ctm_text__fold_equal(h, 7, "redcap_", 7)))
		return 1;
	if (ends_with_folded(h, len, "_timestamp") || ends_with_folded(h, len, "_complete"))
		return 1;
	/* Kobo's own fields all start with "_" (_id, _uuid, _submission_time,
	 * _validation_status, _notes, _status, _submitted_by, _tags, _index);
	 * SurveyMonkey's "Custom Data 1", ...; LimeSurvey's timings
	 * "groupTime12", "12X34X56Time" and their full-text headings. */
	if ((len > 1 && h[0] == '_') ||
	    (len > 11 && ctm_text__fold_equal(h, 11, "custom data", 11)) ||
	    (len > 9 && ctm_text__fold_equal(h, 9, "grouptime", 9)) ||
	    (len > 11 && ctm_text__fold_equal(h, 11, "group time:", 11)) ||
	    (len > 14 && ctm_text__fold_equal(h, 14, "question time:", 14)))
		return 1;
	if (len > 4 && memcmp(h + len - 4, "Time", 4) == 0 && h[0] >= '0' && h[0] <= '9' &&
	    memchr(h, 'X', len))
		return 1;
	return 0;
}

/*
 * A grid's (matrix's) column: Google Forms heads it "Question [Row]",
 * Qualtrics' question-text row "Question - Row" (SurveyMonkey's two header
 * rows are combined as the former). It is the item whose name, id, prompt or
 * text Row is; the question before it is the grid's own and says nothing
 * about which item. For " - ", every split from the right is tried, as a
 * question may hold " - " itself.
 */
static int resolve_grid(const ctm_dataset *ds, const char *h, size_t len, ctm_column *col,
			char *scratch)
{
	const int how = NAME_IDS_ANY_CASE | NAME_TEXT | NAME_DIM_NAME;

	if (len > 3 && h[len - 1] == ']') {
		size_t b = len - 1;
		while (b > 0 && h[b - 1] != '[')
			b--;
		if (b > 1 && resolve_name(ds, h + b, len - 1 - b, col, how, scratch))
			return 1;
	}
	for (size_t i = len; i >= 3; i--) {
		if (memcmp(h + i - 3, " - ", 3) != 0)
			continue;
		if (i < len && i > 3 && resolve_name(ds, h + i, len - i, col, how, scratch))
			return 1;
	}
	return 0;
}

/*
 * Resolves one header, and its Qualtrics row-2 text when texts is set (text
 * may still be empty). Row 1 of a Qualtrics export holds Qualtrics' own
 * question names, Q1, Q2, ..., which a rubric's ids q1, q2, ... would match
 * ignoring case though they are different questions (Q1 may ask for the
 * region). So there an id in row 1 counts only when written exactly, and
 * otherwise the question text of row 2 decides.
 */
static int resolve_header(const ctm_dataset *ds, const char *h, size_t len, int texts,
			  const char *text, size_t tlen, ctm_column *col, char *scratch)
{
	const ctm_column_rename *rn = find_rename(ds, h, len, scratch);
	if (rn)
		return resolve_name(ds, rn->id, strlen(rn->id), col, NAME_IDS_ANY_CASE, scratch);
	if (resolve_name(ds, h, len, col, texts ? NAME_TEXT : NAME_TEXT | NAME_IDS_ANY_CASE,
			 scratch))
		return 1;
	if (!texts || !tlen)
		return 0;
	if ((rn = find_rename(ds, text, tlen, scratch)) != NULL)
		return resolve_name(ds, rn->id, strlen(rn->id), col, NAME_IDS_ANY_CASE, scratch);
	return resolve_name(ds, text, tlen, col, NAME_TEXT | NAME_IDS_ANY_CASE, scratch);
}

/* resolve_header, then the header or its text as a grid's column. */
static int resolve_column(const ctm_dataset *ds, const char *h, size_t len, int texts,
			  const char *text, size_t tlen, ctm_column *col, char *scratch)
{
	if (resolve_header(ds, h, len, texts, text, tlen, col, scratch))
		return 1;
	if (resolve_grid(ds, h, len, col, scratch))
		return 1;
	if (texts && tlen && resolve_grid(ds, text, tlen, col, scratch))
		return 1;
	/* KoboToolbox heads a question inside a group with its group path,
	 * "placement/planning" (XML names, '/' between groups): the last name
	 * counts, as an id only, for a label may hold a '/' of its own. */
	size_t cut = len > 1 ? len - 1 : 0;
	while (cut > 0 && h[cut - 1] != '/')
		cut--;
	if (cut > 1) {
		const char *leaf = h + cut;
		size_t ll = len - (size_t)(leaf - h);
		const ctm_column_rename *rn = find_rename(ds, leaf, ll, scratch);
		return resolve_name(ds, rn ? rn->id : leaf, rn ? strlen(rn->id) : ll, col,
				    NAME_IDS_ANY_CASE, scratch);
	}
	return 0;
}

/* ---- items that no column holds ---- */

/* Compared this far: a header is near an item when their starts are. */
#define NEAR_PREFIX 48
/* Unused headers compared with each item named (a bound on the cost). */
#define NEAR_MAX_HEADERS 1000
/* Items given their nearest headers; the rest are only named. */
#define NAMED_ITEMS 5
/* Nearer than this (edits per character) is worth naming. */
#define NEAR_MAX_DISTANCE 0.5

/* Edit distance of the first NEAR_PREFIX bytes of two keys. */
_Static_assert(NEAR_PREFIX <= CTM_TEXT_EDIT_MAX, "the shared edit distance compares this far");
static size_t edit_distance(const char *a, size_t al, const char *b, size_t bl)
{
	return ctm_text__edit_distance(a, al < NEAR_PREFIX ? al : NEAR_PREFIX, b,
				       bl < NEAR_PREFIX ? bl : NEAR_PREFIX, NEAR_PREFIX);
}

/* How far header key h is from what item i may be called (its id, name,
 * prompt or text), relative to length: 0 same, 1 nothing alike. */
static double item_distance(const ctm_dataset *ds, size_t i, const char *h, size_t hl)
{
	const ctm_rubric *r = ds->rubric;
	const char *names[3] = { i < ds->dims ? r->dimensions[i].id : r->questions[i - ds->dims].id,
				 i < ds->dims ? r->dimensions[i].name : NULL,
				 i < ds->dims ? r->dimensions[i].prompt
					      : r->questions[i - ds->dims].text };
	double best = 1.0;
	char key[NEAR_PREFIX * 4];

	for (int k = 0; k < 3; k++) {
		if (!names[k])
			continue;
		size_t nl = strlen(names[k]);
		if (nl > NEAR_PREFIX * 3)
			nl = NEAR_PREFIX * 3;
		size_t kl = ctm_text__match_key(key, sizeof(key), names[k], nl);
		if (kl == SIZE_MAX)
			continue;
		size_t a = hl < NEAR_PREFIX ? hl : NEAR_PREFIX, b = kl < NEAR_PREFIX ? kl : NEAR_PREFIX;
		double d = (double)edit_distance(h, hl, key, kl) / (double)(a > b ? a : b);
		if (d < best)
			best = d;
	}
	return best;
}

/* "'Q7' (column 3), ...": up to three unused headers near item i, nearest
 * first, into buf (empty when none is near). */
static void nearest_headers(const ctm_dataset *ds, size_t i, const ctm_csv_field *fields,
			    size_t count, const ctm_column *columns, char *buf, size_t size)
{
	size_t best[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
	double dist[3] = { 2, 2, 2 };
	char key[NEAR_PREFIX * 4];
	size_t seen = 0;

	for (size_t c = 0; c < count && seen < NEAR_MAX_HEADERS; c++) {
		const char *h = fields[c].data;
		size_t len = fields[c].len;
		ctm_text__trim(&h, &len);
		if (columns[c].kind != CTM_COL_IGNORED || !len || platform_column(h, len))
			continue;
		seen++;
		size_t kl = ctm_text__match_key(key, sizeof(key), h,
						len > NEAR_PREFIX * 3 ? NEAR_PREFIX * 3 : len);
		if (kl == SIZE_MAX)
			continue;
		double d = item_distance(ds, i, key, kl);
		if (d > NEAR_MAX_DISTANCE)
			continue;
		for (int k = 0; k < 3; k++) {
			if (d < dist[k]) {
				for (int m = 2; m > k; m--) {
					dist[m] = dist[m - 1];
					best[m] = best[m - 1];
				}
				dist[k] = d;
				best[k] = c;
				break;
			}
		}
	}
	buf[0] = '\0';
	size_t used = 0;
	for (int k = 0; k < 3 && best[k] != SIZE_MAX; k++) {
		const char *h = fields[best[k]].data;
		size_t len = fields[best[k]].len;
		ctm_text__trim(&h, &len);
		int n = snprintf(buf + used, size - used, "%s'%.*s' (column %zu)", k ? ", " : "",
				 (int)(len > 60 ? 60 : len), h, best[k] + 1);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/*
 * Every rubric item that no column holds is said: an export whose headers
 * the rubric cannot know scores n=0 everywhere, which looks like a result.
 * None matched at all is an error; some is a warning for each (the first
 * NAMED_ITEMS with the unused headers nearest them, the rest in one line).
 * 1 when an error was said.
 */
static int report_unmatched_items(const ctm_dataset *ds, const ctm_csv_field *fields,
				  size_t count, const ctm_column *columns, const size_t *first,
				  const char *file, ctm_ctx *ctx)
{
	size_t missing = 0, named = 0;
	char near[400];
	unsigned long line = count ? fields[0].line : 1;
	/* the first header's column: 1, or a workbook's cell A (CTM_DIAG_CELL) */
	unsigned long col1 = count ? fields[0].column : 1;

	for (size_t i = 0; i < ds->matched; i++)
		missing += first[CTM_COL_ITEM + i] == 0;
	if (missing == 0)
		return 0;
	if (missing == ds->matched) {
		nearest_headers(ds, 0, fields, count, columns, near, sizeof(near));
		ctm_diag__error(ctx, file, line, col1,
				"no column is an item of rubric '%s' (%zu items): nothing to score. "
				"Headers must be item ids, prompts or question texts, or be "
				"renamed with --map%s%s%s%s%s",
				ds->rubric->id, ds->matched, near[0] ? " ('" : "",
				near[0] ? ds->matchers[0].id : "",
				near[0] ? "' may be one of: " : "", near, near[0] ? ")" : "");
		return 1;
	}
	/* one warning for them all: warnings of one kind are folded */
	ctm_strbuf msg = CTM_STRBUF_INIT;
	for (size_t i = 0; i < ds->matched; i++) {
		if (first[CTM_COL_ITEM + i])
			continue;
		ctm_strbuf__printf(&msg, "%s'%s'", named ? ", " : "", ds->matchers[i].id);
		if (named++ < NAMED_ITEMS * 4) {
			nearest_headers(ds, i, fields, count, columns, near, sizeof(near));
			if (near[0])
				ctm_strbuf__printf(&msg, " (nearest unused: %s)", near);
		}
	}
	if (!msg.failed)
		ctm_diag__warning(ctx, file, line, col1,
				  "%zu rubric item%s in no column, so %s answers count as "
				  "missing: %s",
				  missing, missing == 1 ? " is" : "s are",
				  missing == 1 ? "its" : "their", msg.s);
	ctm_strbuf__free(&msg);
	return 0;
}

int ctm_columns__resolve_header(const ctm_dataset *ds, const char *h, size_t len,
				ctm_column *col)
{
	size_t longest = ds->names.longest > ds->rename_longest ? ds->names.longest
								: ds->rename_longest;
	char stack[512];
	char *scratch = longest < sizeof(stack) ? stack : malloc(longest + 1);
	if (!scratch)
		return 0;
	ctm_text__trim(&h, &len);
	int found = resolve_header(ds, h, len, 0, NULL, 0, col, scratch);
	if (scratch != stack)
		free(scratch);
	return found && col->kind == CTM_COL_ITEM;
}

int ctm_columns__add_rename(ctm_dataset *ds, const char *header, size_t len, const char *id,
			    unsigned long line)
{
	size_t cap = ds->rename_count; /* grown one at a time: a dictionary's fields */
	if (ctm_grow__reserve((void **)&ds->renames, &cap, ds->rename_count + 1,
			      sizeof(*ds->renames)))
		return CTM_ENOMEM;
	char *fh = ctm_arena__alloc(&ds->arena, len + 1);
	if (!fh)
		return CTM_ENOMEM;
	len = ctm_text__match_key(fh, len + 1, header, len);
	fh[len] = '\0';
	uint64_t hash = ctm_hashmap__hash(fh, len);
	if (ctm_hashmap__get(&ds->rename_index, fh, len, hash))
		return CTM_OK; /* the map's own renaming holds */
	if (ctm_hashmap__put(&ds->rename_index, fh, len, hash, ds->rename_count))
		return CTM_ENOMEM;
	ds->renames[ds->rename_count++] = (ctm_column_rename){ fh, len, id, line };
	if (len > ds->rename_longest)
		ds->rename_longest = len;
	return CTM_OK;
}

size_t ctm_columns__item_by_id(const ctm_dataset *ds, const char *id, size_t len)
{
	ctm_column col;
	char stack[512];
	char *scratch = ds->names.longest < sizeof(stack) ? stack : malloc(ds->names.longest + 1);
	if (!scratch)
		return SIZE_MAX;
	int found = resolve_name(ds, id, len, &col, NAME_IDS_ANY_CASE, scratch);
	if (scratch != stack)
		free(scratch);
	return found && col.kind == CTM_COL_ITEM ? col.item : SIZE_MAX;
}

int ctm_columns__match_header(const ctm_dataset *ds, const ctm_csv_field *fields, size_t count,
			      const ctm_csv_field *texts, size_t text_count, int texts_kind,
			      const unsigned char *system, ctm_column *columns, const char *file,
			      ctm_ctx *ctx)
{
	int rc = CTM_OK;
	int seen_required[3] = { 0, 0, 0 };
	/* The platform columns left out, for one warning: "A, B, C". */
	char platform[400];
	size_t platform_len = 0, platform_count = 0, platform_first = 0;
	/* The first column of each kind ([kind]) and item ([CTM_COL_ITEM + item]),
	 * plus one; 0: none yet. */
	size_t *first = calloc(CTM_COL_ITEM + ds->matched + ds->rubric->comment_count,
			       sizeof(*first));
	size_t longest = ds->names.longest > ds->rename_longest ? ds->names.longest
								: ds->rename_longest;
	char *scratch = malloc(longest + 1);

	if (!first || !scratch) {
		free(first);
		free(scratch);
		return CTM_ENOMEM;
	}
	platform[0] = '\0';
	for (size_t c = 0; c < count; c++) {
		const char *h = fields[c].data;
		size_t len = fields[c].len;
		const char *text = NULL;
		size_t tlen = 0;
		ctm_column col = { CTM_COL_IGNORED, 0, SIZE_MAX };

		ctm_text__trim(&h, &len);
		if (texts && c < text_count) {
			text = texts[c].data;
			tlen = texts[c].len;
			ctm_text__trim(&text, &tlen);
		}
		const ctm_column_rename *by_number =
			texts_kind == CTM_HEADER_TEXTS_NAMES && tlen
				? find_rename(ds, text, tlen, scratch)
				: NULL;
		int found = by_number ? resolve_name(ds, by_number->id, strlen(by_number->id),
						     &col, NAME_IDS_ANY_CASE, scratch)
				      : resolve_column(ds, h, len,
						       texts_kind == CTM_HEADER_TEXTS_QUESTIONS, text,
						       tlen, &col, scratch);
		if (!found) {
			columns[c] = col;
			if (len && ((system && system[c]) || platform_column(h, len))) {
				if (platform_count++ == 0)
					platform_first = c;
				/* Names beyond the buffer are counted, not listed. */
				if (platform_len + len + 3 < sizeof(platform) - 4) {
					if (platform_len) {
						memcpy(platform + platform_len, ", ", 2);
						platform_len += 2;
					}
					memcpy(platform + platform_len, h, len);
					platform_len += len;
					platform[platform_len] = '\0';
				} else if (platform_len && platform[platform_len - 1] != '.') {
					memcpy(platform + platform_len, ", ...", 6);
					platform_len += 5;
				}
			} else if (len) {
				ctm_diag__warning(ctx, file, fields[c].line, fields[c].column,
						  "column '%.*s' is not used: not a rubric item or "
						  "a known column",
						  (int)(len > 200 ? 200 : len), h);
			} else {
				ctm_diag__warning(ctx, file, fields[c].line, fields[c].column,
						  "column %zu has no header and is not used",
						  c + 1);
			}
			continue;
		}
		/* The same column twice: which one holds the answers? */
		size_t *at = &first[col.kind == CTM_COL_ITEM	    ? CTM_COL_ITEM + col.item
				    : col.kind == CTM_COL_COMMENT ? CTM_COL_ITEM + ds->matched + col.item
								  : col.kind];
		if (*at) {
			ctm_diag__error(ctx, file, fields[c].line, fields[c].column,
					"duplicate column '%s': also column %zu",
					column_label(ds, &col), *at);
			rc = CTM_EINVALID;
			col.kind = CTM_COL_IGNORED;
		} else {
			*at = c + 1;
		}
		if (col.kind >= CTM_COL_REGION && col.kind <= CTM_COL_ROLE &&
		    ds->constants[col.kind - CTM_COL_REGION]) {
			ctm_diag__error(ctx, file, fields[c].line, fields[c].column,
					"the file has a %s column and a constant %s is set too "
					"(--set %s=%s): which one holds? Drop the constant, or "
					"the column (--map it to another name)",
					column_label(ds, &col), column_label(ds, &col),
					column_label(ds, &col), ds->constants[col.kind - CTM_COL_REGION]);
			rc = CTM_EINVALID;
			if (col.kind <= CTM_COL_PARTNER) /* said: not missing too */
				seen_required[col.kind - CTM_COL_REGION] = 1;
			col.kind = CTM_COL_IGNORED;
		}
		columns[c] = col;
		if (col.kind == CTM_COL_REGION)
			seen_required[0] = 1;
		else if (col.kind == CTM_COL_WAVE)
			seen_required[1] = 1;
		else if (col.kind == CTM_COL_PARTNER)
			seen_required[2] = 1;
	}
	if (platform_count)
		ctm_diag__warning(ctx, file, fields[platform_first].line,
				  fields[platform_first].column,
				  "%zu survey platform column%s not used: %s", platform_count,
				  platform_count == 1 ? " is" : "s are", platform);
	static const char *const required[] = { "region", "wave", "partner" };
	for (int k = 0; k < 3; k++) {
		if (!seen_required[k] && !ds->constants[k]) {
			ctm_diag__error(ctx, file, count ? fields[0].line : 1,
					count ? fields[0].column : 1,
					"required column '%s' is missing from the header (an "
					"export without it: --set %s=VALUE, or --map a column "
					"to it)",
					required[k], required[k]);
			rc = CTM_EINVALID;
		}
	}
	if (report_unmatched_items(ds, fields, count, columns, first, file, ctx))
		rc = CTM_EINVALID;
	free(first);
	free(scratch);
	return rc;
}

/* ---- Qualtrics' extra header rows ---- */

int ctm_columns__is_import_id_row(const ctm_csv_field *fields, size_t count)
{
	static const char key[] = "\"ImportId\"";
	static const char key1[] = "'ImportId'"; /* older exports: Python's repr */
	size_t seen = 0;

	for (size_t c = 0; c < count; c++) {
		const char *s = fields[c].data;
		size_t len = fields[c].len;
		ctm_text__trim(&s, &len);
		if (len == 0)
			continue;
		/* {"ImportId":"QID1"}, {"ImportId":"startDate","timeZone":"Z"}, ... */
		if (len < sizeof(key) + 2 || s[0] != '{' || s[len - 1] != '}')
			return 0;
		size_t i = 1;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (len - i < sizeof(key) - 1 || (memcmp(s + i, key, sizeof(key) - 1) != 0 &&
						  memcmp(s + i, key1, sizeof(key1) - 1) != 0))
			return 0;
		i += sizeof(key) - 1;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len || s[i] != ':')
			return 0;
		seen++;
	}
	return seen > 0;
}

void ctm_columns__import_id_system(const ctm_csv_field *fields, size_t count,
				   unsigned char *system)
{
	for (size_t c = 0; c < count; c++) {
		const char *s = fields[c].data;
		size_t len = fields[c].len;
		ctm_text__trim(&s, &len);
		/* {"ImportId":"QID3"} or {'ImportId': 'QID3_1'}: find the value */
		const char *colon = len ? memchr(s, ':', len) : NULL;
		system[c] = 0;
		if (!colon)
			continue;
		size_t i = (size_t)(colon - s) + 1;
		while (i < len && (s[i] == ' ' || s[i] == '"' || s[i] == '\''))
			i++;
		system[c] = !(len - i >= 3 && memcmp(s + i, "QID", 3) == 0);
	}
}

/* ---- --map ---- */

int ctm_columns__load_map(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	const ctm_csv_field *f;
	size_t n, cap = 0;
	int bad, got, rc;
	size_t errors_before = ctm_ctx_error_count(ctx);
	char *scratch = malloc(ds->names.longest + 1);

	if (!scratch)
		return CTM_ENOMEM;
	rc = ctm_csv__open_file(&csv, path, NULL, ctx);
	if (rc != CTM_OK) {
		free(scratch);
		return rc;
	}
	got = ctm_csv__next(csv, &f, &n, &bad);
	if (got <= 0) {
		if (got == 0)
			ctm_diag__error(ctx, path, 1, 1,
					"the map file is empty: expected a header 'header,id'");
		rc = got < 0 ? got : CTM_EINVALID;
		goto cleanup;
	}
	{
		const char *a = n > 0 ? f[0].data : "", *b = n > 1 ? f[1].data : "";
		size_t al = n > 0 ? f[0].len : 0, bl = n > 1 ? f[1].len : 0;
		ctm_text__trim(&a, &al);
		ctm_text__trim(&b, &bl);
		if (n != 2 || !ctm_text__fold_equal(a, al, "header", 6) ||
		    !ctm_text__fold_equal(b, bl, "id", 2)) {
			ctm_diag__error(ctx, path, f[0].line, 1,
					"the map's header must be 'header,id'");
			rc = CTM_EINVALID;
			goto cleanup;
		}
	}
	while ((got = ctm_csv__next(csv, &f, &n, &bad)) > 0) {
		if (bad)
			continue;
		if (n == 1 && f[0].len == 0)
			continue;
		if (n != 2) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column,
					"a map row has 2 fields (header,id), this one has %zu", n);
			continue;
		}
		const char *h = f[0].data, *id = f[1].data;
		size_t hl = f[0].len, il = f[1].len;
		ctm_text__trim(&h, &hl);
		ctm_text__trim(&id, &il);
		ctm_column col;
		if (!resolve_name(ds, id, il, &col, NAME_IDS_ANY_CASE, scratch)) {
			ctm_diag__error(ctx, path, f[1].line, f[1].column,
					"'%.*s' is not a column (region, wave, partner, "
					"respondent, role) or "
					"an item id of rubric '%s'",
					(int)(il > 200 ? 200 : il), id, ds->rubric->id);
			continue;
		}
		if (ctm_grow__reserve((void **)&ds->renames, &cap, ds->rename_count + 1,
				      sizeof(*ds->renames))) {
			rc = CTM_ENOMEM;
			goto cleanup;
		}
		ctm_column_rename *rn = &ds->renames[ds->rename_count];
		char *fh = ctm_arena__alloc(&ds->arena, hl + 1);
		char *fid = ctm_arena__strndup(&ds->arena, id, il);
		if (!fh || !fid) {
			rc = CTM_ENOMEM;
			goto cleanup;
		}
		hl = ctm_text__match_key(fh, hl + 1, h, hl);
		fh[hl] = '\0';
		/* a header mapped twice would be read as whichever came first */
		uint64_t hash = ctm_hashmap__hash(fh, hl);
		const ctm_hashmap_slot *twice = ctm_hashmap__get(&ds->rename_index, fh, hl, hash);
		if (twice) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column,
					"header '%.*s' is mapped twice (first on line %lu)",
					(int)(hl > 200 ? 200 : hl), h,
					ds->renames[twice->value].line);
			continue;
		}
		if (ctm_hashmap__put(&ds->rename_index, fh, hl, hash, ds->rename_count)) {
			rc = CTM_ENOMEM;
			goto cleanup;
		}
		rn->folded_header = fh;
		rn->len = hl;
		rn->id = fid;
		rn->line = f[0].line;
		ds->rename_count++;
		if (hl > ds->rename_longest)
			ds->rename_longest = hl;
	}
	if (got == 0 && ds->rename_count == 0 && ctm_ctx_error_count(ctx) == errors_before)
		ctm_diag__warning(ctx, path, 1, 1,
				  "the map file has a header but no rows: no column is renamed");
	if (got < 0)
		rc = got;
	else if (ctm_ctx_error_count(ctx) > errors_before)
		rc = CTM_EINVALID;

cleanup:
	ctm_csv__free(csv);
	free(scratch);
	return rc;
}
