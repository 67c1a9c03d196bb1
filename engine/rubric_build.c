/*
 * From a parsed rubric tree to the model, checking every rule the schema
 * cannot express (or expresses with unhelpful messages): unique ids, level
 * values 1..L without holes, references to levels and scales, reserved column
 * names, answers a survey cell could not tell apart. These are all the
 * schema's identity constraints too: libxml2 does not evaluate them
 * (rubric_load.c).
 *
 * The tree may have failed schema validation: every lookup here tolerates a
 * missing attribute or element (the schema has reported it already).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "csv.h"
#include "diag.h"
#include "grow.h"
#include "hashmap.h"
#include "rubric_internal.h"
#include "rubric_load.h"
#include "text.h"

#define RUBRIC_NS "urn:continuum:rubric:1"

#define NONE SIZE_MAX

/*
 * Earlier occurrences of a key (an id, a folded spelling, a band's min).
 * Every rule below reports an item against each earlier item it clashes
 * with, in document order, as comparing every pair would; the chain of a
 * key holds the items that had it, so that a check costs a hash lookup plus
 * the clashes it reports, whatever the rubric's size (issue 21).
 */
typedef struct occurrence {
	size_t item; /* index in its array */
	int kind;    /* which array, or which of an item's spellings: the rule's numbering */
	size_t next; /* the key's next occurrence, or NONE */
} occurrence;

typedef struct chain {
	size_t first, last; /* occurrences, in the order added */
	size_t count;
} chain;

typedef struct seen_index {
	ctm_hashmap map; /* key (borrowed) -> index in chains */
	chain *chains;
	size_t chain_count, chain_cap;
	occurrence *occ;
	size_t occ_count, occ_cap;
} seen_index;

#define SEEN_INIT \
	{ \
		CTM_HASHMAP_INIT, NULL, 0, 0, NULL, 0, 0 \
	}

typedef struct builder {
	ctm_rubric *r;
	const char *name;
	ctm_ctx *ctx;
	int invalid;
	int oom;
	ctm_arena scratch;        /* folded keys and other keys the model does not keep */
	seen_index scale_ids;     /* scales by id */
	seen_index item_ids;      /* dimensions (0), questions (1) and factors (2) by id */
	seen_index texts;         /* dimension prompts (0) and question texts (1), folded */
	ctm_hashmap question_ids; /* question id -> the first question with it */
} builder;

enum { KIND_DIMENSION, KIND_QUESTION, KIND_FACTOR, KIND_COMMENT };

/* Line numbers of definitions, parallel to the model's arrays. */
typedef struct lines {
	unsigned long *level, *scale, *dimension, *question, *factor, *comment;
} lines;

static unsigned long line_of(const xmlNode *node)
{
	long l = xmlGetLineNo(node);
	return l > 0 ? (unsigned long)l : 0;
}

#define fail(b, node, ...) \
	do { \
		(b)->invalid = 1; \
		ctm_diag__error((b)->ctx, (b)->name, line_of(node), 0, __VA_ARGS__); \
	} while (0)

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns &&
	       strcmp((const char *)n->ns->href, RUBRIC_NS) == 0 &&
	       (!name || strcmp((const char *)n->name, name) == 0);
}

static size_t count_children(const xmlNode *parent, const char *name)
{
	size_t n = 0;
	for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
		if (is_elem(c, name))
			n++;
	return n;
}

static const xmlNode *first_child(const xmlNode *parent, const char *name)
{
	for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* Element text with white space collapsed, in the arena; NULL if absent. */
static const char *text_of(builder *b, const xmlNode *node)
{
	if (!node)
		return NULL;
	xmlChar *content = xmlNodeGetContent(node);
	if (!content) {
		b->oom = 1;
		return NULL;
	}
	ctm_text__collapse_space((char *)content);
	char *copy = ctm_arena__strdup(&b->r->arena, (const char *)content);
	xmlFree(content);
	if (!copy)
		b->oom = 1;
	return copy;
}

static const char *child_text(builder *b, const xmlNode *parent, const char *name)
{
	return text_of(b, first_child(parent, name));
}

/* An attribute in the arena with white space trimmed; NULL if absent. */
static const char *attr_of(builder *b, const xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
	if (!v)
		return NULL;
	ctm_text__collapse_space((char *)v);
	char *copy = ctm_arena__strdup(&b->r->arena, (const char *)v);
	xmlFree(v);
	if (!copy)
		b->oom = 1;
	return copy;
}

/* The chain of key (len bytes), or NULL: none yet, or key is NULL. The
 * pointer is valid until the next seen_add. */
static const chain *seen_find(const seen_index *s, const char *key, size_t len)
{
	if (!key)
		return NULL;
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&s->map, key, len,
							ctm_hashmap__hash(key, len));
	return slot ? &s->chains[slot->value] : NULL;
}

/* Appends an occurrence of key (borrowed: it must outlive s) to its chain;
 * nothing for a NULL key. 0, or -1 with b->oom set. */
static int seen_add(builder *b, seen_index *s, const char *key, size_t len, size_t item, int kind)
{
	if (!key)
		return 0;
	uint64_t h = ctm_hashmap__hash(key, len);
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&s->map, key, len, h);
	size_t c;

	if (ctm_grow__reserve((void **)&s->occ, &s->occ_cap, s->occ_count + 1, sizeof(*s->occ)))
		goto oom;
	if (slot) {
		c = slot->value;
	} else {
		if (ctm_grow__reserve((void **)&s->chains, &s->chain_cap, s->chain_count + 1,
				      sizeof(*s->chains)) ||
		    ctm_hashmap__put(&s->map, key, len, h, s->chain_count))
			goto oom;
		c = s->chain_count++;
		s->chains[c] = (chain){ NONE, NONE, 0 };
	}
	size_t o = s->occ_count++;
	chain *ch = &s->chains[c];
	s->occ[o] = (occurrence){ item, kind, NONE };
	if (ch->last == NONE)
		ch->first = o;
	else
		s->occ[ch->last].next = o;
	ch->last = o;
	ch->count++;
	return 0;
oom:
	b->oom = 1;
	return -1;
}

/* Forgets every key (for a check that starts again, as per scale). */
static void seen_clear(seen_index *s)
{
	ctm_hashmap__free(&s->map);
	s->chain_count = s->occ_count = 0;
}

static void seen_free(seen_index *s)
{
	ctm_hashmap__free(&s->map);
	free(s->chains);
	free(s->occ);
}

/* The first occurrence of a chain (NONE for NULL) and how many it has. */
static size_t first_of(const chain *ch) { return ch ? ch->first : NONE; }
static size_t count_of(const chain *ch) { return ch ? ch->count : 0; }

/*
 * The clashes of an item with two spellings (a level's id and name, an
 * option's code and label) with earlier items' spellings, in the order of
 * the pairs: by earlier item, then this item's first spelling before its
 * second, then the earlier item's first spelling before its second.
 */
typedef struct pair_walk {
	const seen_index *s;
	size_t at[2]; /* the next occurrence clashing with spelling 0 and 1 */
	size_t left;  /* clashes not yet walked */
} pair_walk;

static void pair_walk_start(pair_walk *w, const seen_index *s, const char *const key[2],
			    const size_t len[2])
{
	const chain *c0 = seen_find(s, key[0], len[0]);
	const chain *c1 = seen_find(s, key[1], len[1]);
	w->s = s;
	w->at[0] = first_of(c0);
	w->at[1] = first_of(c1);
	w->left = count_of(c0) + count_of(c1);
}

/* The next clash: *mine, which of this item's spellings, and the earlier
 * occurrence (its item and kind: which spelling). 0 when none is left. */
static int pair_walk_next(pair_walk *w, int *mine, const occurrence **o)
{
	if (!w->left)
		return 0;
	const occurrence *occ = w->s->occ;
	int a = w->at[0] == NONE || (w->at[1] != NONE && occ[w->at[1]].item < occ[w->at[0]].item);
	*mine = a;
	*o = &occ[w->at[a]];
	w->at[a] = (*o)->next;
	w->left--;
	return 1;
}

/* A folded copy of s (*len its length) in the scratch arena; NULL for NULL
 * (or out of memory: b->oom set). */
static const char *folded(builder *b, const char *s, size_t *len)
{
	*len = 0;
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *d = ctm_arena__alloc(&b->scratch, n + 1);
	if (!d) {
		b->oom = 1;
		return NULL;
	}
	ctm_text__fold(d, s, n);
	d[n] = '\0';
	*len = n;
	return d;
}

/*
 * When the context keeps no more diagnostics, counts the `left` errors a
 * check was about to report one by one (each would only be counted) and
 * returns 1: a rubric with thousands of copies of one id reports as many
 * errors as ever, without the time of formatting each.
 */
static int only_counted(builder *b, size_t left)
{
	if (!ctm_diag__full(b->ctx, CTM_SEV_ERROR))
		return 0;
	b->invalid = 1;
	ctm_diag__count_dropped(b->ctx, CTM_SEV_ERROR, left);
	return 1;
}

static int parse_int(const char *s, long *out)
{
	char *end;
	if (!s || !*s)
		return 0;
	long v = strtol(s, &end, 10);
	if (*end)
		return 0;
	*out = v;
	return 1;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	if (!s || !*s)
		return 0;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

static void *alloc_array(builder *b, size_t count, size_t size)
{
	if (count == 0)
		return NULL;
	if (count > SIZE_MAX / size) {
		b->oom = 1;
		return NULL;
	}
	void *p = ctm_arena__alloc(&b->r->arena, count * size);
	if (!p)
		b->oom = 1;
	else
		memset(p, 0, count * size);
	return p;
}

static int same_folded(const char *a, const char *b)
{
	return a && b && ctm_text__fold_equal(a, strlen(a), b, strlen(b));
}

static int is_reserved(const char *id)
{
	for (size_t i = 0; i < ctm_rubric__reserved_column_count; i++)
		if (same_folded(id, ctm_rubric__reserved_columns[i]))
			return 1;
	return 0;
}

static int is_missing_marker(const char *s)
{
	return same_folded(s, "NA") || same_folded(s, "N/A");
}

static void build_levels(builder *b, const xmlNode *levels, lines *ln)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(levels, "level");
	size_t i = 0;
	seen_index spellings = SEEN_INIT; /* ids (0), names (1) */

	r->levels = alloc_array(b, count, sizeof(*r->levels));
	ln->level = calloc(count ? count : 1, sizeof(*ln->level));
	if ((count && !r->levels) || !ln->level) {
		b->oom = 1;
		return;
	}
	for (const xmlNode *n = levels ? levels->children : NULL; n; n = n->next) {
		if (!is_elem(n, "level"))
			continue;
		ctm_level *lv = &r->levels[i];
		long value = 0;
		const char *raw = attr_of(b, n, "value");
		lv->value = (int)(i + 1);
		lv->id = attr_of(b, n, "id");
		lv->name = child_text(b, n, "name");
		lv->summary = child_text(b, n, "summary");
		lv->definition = child_text(b, n, "definition");
		ln->level[i] = line_of(n);
		if (parse_int(raw, &value) && value != (long)(i + 1))
			fail(b, n,
			     "level values must run 1..L in document order without holes: "
			     "found value %ld where %zu was expected",
			     value, i + 1);
		if (lv->id && ctm_text__all_digits(lv->id, strlen(lv->id)))
			fail(b, n,
			     "level id '%s' must not be a number: a number in a response "
			     "is read as a level value",
			     lv->id);
		if (lv->name && ctm_text__all_digits(lv->name, strlen(lv->name)))
			fail(b, n,
			     "level name '%s' must not be a number: a number in a response "
			     "is read as a level value",
			     lv->name);
		if (is_missing_marker(lv->id) || is_missing_marker(lv->name))
			fail(b, n,
			     "level %zu cannot be called 'NA' or 'N/A': those mark missing "
			     "answers",
			     i + 1);
		/* A response may give a level by id or by name, case-insensitively:
		 * no two levels may share a spelling. */
		const char *mine[2] = { lv->id, lv->name };
		const char *key[2];
		size_t len[2];
		pair_walk w;
		const occurrence *o;
		int a;
		key[0] = folded(b, mine[0], &len[0]);
		key[1] = folded(b, mine[1], &len[1]);
		pair_walk_start(&w, &spellings, key, len);
		while (pair_walk_next(&w, &a, &o)) {
			if (only_counted(b, w.left + 1))
				break;
			fail(b, n,
			     "level %zu's %s '%s' is also the %s of level "
			     "%zu "
			     "(line %lu): a response could not tell them "
			     "apart",
			     i + 1, a ? "name" : "id", mine[a], o->kind ? "name" : "id",
			     o->item + 1, ln->level[o->item]);
		}
		seen_add(b, &spellings, key[0], len[0], i, 0);
		seen_add(b, &spellings, key[1], len[1], i, 1);
		i++;
	}
	seen_free(&spellings);
	r->level_count = count;
}

/* A number as an option's code may be written: digits with an optional sign
 * and decimal point ("3", "-1", "2.5"), the same as a value. */
static int is_number(const char *s)
{
	double v;
	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' ||
		      ((*p == '-' || *p == '+') && p == s)))
			return 0;
	return parse_double(s, &v) && v >= -1e6 && v <= 1e6;
}

/* Whether every non-missing option is scored and valued; the values' range
 * and count. */
static void describe_scale(ctm_scale *sc)
{
	sc->scored = sc->valued = 1;
	sc->lowest = INFINITY;
	sc->highest = -INFINITY;
	sc->points = 0;
	for (size_t k = 0; k < sc->option_count; k++) {
		const ctm_option *op = &sc->options[k];
		if (op->missing)
			continue;
		if (isnan(op->score))
			sc->scored = 0;
		if (isnan(op->value)) {
			sc->valued = 0;
			continue;
		}
		sc->points++;
		sc->lowest = fmin(sc->lowest, op->value);
		sc->highest = fmax(sc->highest, op->value);
	}
	if (!sc->points)
		sc->valued = 0;
}

static void build_scales(builder *b, const xmlNode *scales, lines *ln)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(scales, "scale");
	size_t i = 0;
	seen_index spellings = SEEN_INIT; /* codes (0), labels (1) */

	r->scales = alloc_array(b, count, sizeof(*r->scales));
	ln->scale = calloc(count ? count : 1, sizeof(*ln->scale));
	if ((count && !r->scales) || !ln->scale) {
		b->oom = 1;
		return;
	}
	for (const xmlNode *n = scales ? scales->children : NULL; n; n = n->next) {
		if (!is_elem(n, "scale"))
			continue;
		ctm_scale *sc = &r->scales[i];
		sc->id = attr_of(b, n, "id");
		ln->scale[i] = line_of(n);
		size_t id_len = sc->id ? strlen(sc->id) : 0;
		const chain *same = seen_find(&b->scale_ids, sc->id, id_len);
		size_t left = count_of(same);
		for (size_t e = first_of(same); e != NONE; e = b->scale_ids.occ[e].next, left--) {
			if (only_counted(b, left))
				break;
			fail(b, n, "duplicate scale id '%s' (first defined on line %lu)", sc->id,
			     ln->scale[b->scale_ids.occ[e].item]);
		}
		seen_add(b, &b->scale_ids, sc->id, id_len, i, 0);

		size_t oc = count_children(n, "option");
		sc->options = alloc_array(b, oc, sizeof(*sc->options));
		if (oc && !sc->options)
			break;
		size_t k = 0;
		seen_clear(&spellings);
		for (const xmlNode *o = n->children; o; o = o->next) {
			if (!is_elem(o, "option"))
				continue;
			ctm_option *op = &sc->options[k];
			const char *score = attr_of(b, o, "score");
			const char *value = attr_of(b, o, "value");
			const char *missing = attr_of(b, o, "missing");
			op->code = attr_of(b, o, "code");
			op->label = text_of(b, o);
			op->missing = missing &&
				      (strcmp(missing, "true") == 0 || strcmp(missing, "1") == 0);
			op->score = NAN;
			op->value = NAN;
			if (op->missing && (score || value))
				fail(b, o, "option '%s' has both a %s and missing=\"true\"",
				     op->code ? op->code : "?", score ? "score" : "value");
			else if (!op->missing && !score && !value && !is_number(op->code))
				fail(b, o,
				     "option '%s' needs a score in [0,1], a value, or "
				     "missing=\"true\"",
				     op->code ? op->code : "?");
			else if (score && parse_double(score, &op->score) &&
				 (op->score < 0 || op->score > 1))
				b->invalid = 1; /* the schema reports the range */
			if (!op->missing && value)
				parse_double(value, &op->value); /* the schema reports a bad one */
			else if (!op->missing && is_number(op->code))
				parse_double(op->code,
					     &op->value); /* a numeric code is its value */
			if (!op->missing &&
			    (is_missing_marker(op->code) || is_missing_marker(op->label)))
				fail(b, o,
				     "option '%s': 'NA' and 'N/A' mark missing answers and cannot "
				     "be scored options",
				     op->code ? op->code : "?");
			/* An answer may be an option's code or its label. */
			const char *mine[2] = { op->code, op->label };
			const char *key[2];
			size_t len[2];
			pair_walk w;
			const occurrence *prev;
			int a;
			key[0] = folded(b, mine[0], &len[0]);
			key[1] = folded(b, mine[1], &len[1]);
			pair_walk_start(&w, &spellings, key, len);
			while (pair_walk_next(&w, &a, &prev)) {
				const ctm_option *p = &sc->options[prev->item];
				if (only_counted(b, w.left + 1))
					break;
				fail(b, o,
				     "in scale '%s', option %s '%s' is "
				     "also "
				     "the %s of option '%s': an answer "
				     "could "
				     "not tell them apart",
				     sc->id ? sc->id : "?", a ? "label" : "code", mine[a],
				     prev->kind ? "label" : "code", p->code ? p->code : "?");
			}
			seen_add(b, &spellings, key[0], len[0], k, 0);
			seen_add(b, &spellings, key[1], len[1], k, 1);
			k++;
		}
		sc->option_count = k;
		describe_scale(sc);
		i++;
	}
	seen_free(&spellings);
	if (!b->oom)
		r->scale_count = count;
}

/* An item's id (dimension, question or factor, item number i of its kind):
 * not a reserved name, and not the id of any item before it (dimensions,
 * then questions, then factors, each in document order). */
static void check_item_id(builder *b, const xmlNode *n, const char *id, int kind, size_t i,
			  const lines *ln)
{
	static const char *const kinds[] = { "dimension", "question", "factor", "comment" };

	if (!id)
		return;
	if (is_reserved(id))
		fail(b, n,
		     "%s id '%s' is a reserved column name (region, wave, partner, "
		     "respondent, role)",
		     kinds[kind], id);
	size_t len = strlen(id);
	const chain *same = seen_find(&b->item_ids, id, len);
	size_t left = count_of(same);
	for (size_t e = first_of(same); e != NONE; e = b->item_ids.occ[e].next, left--) {
		const occurrence *o = &b->item_ids.occ[e];
		const unsigned long *line = o->kind == KIND_DIMENSION ? ln->dimension
					  : o->kind == KIND_QUESTION  ? ln->question
					  : o->kind == KIND_FACTOR    ? ln->factor
								      : ln->comment;
		if (only_counted(b, left))
			break;
		fail(b, n, "duplicate id '%s': already used by a %s on line %lu", id,
		     kinds[o->kind], line[o->item]);
	}
	seen_add(b, &b->item_ids, id, len, i, kind);
}

/* A dimension's prompt or a question's text (kind, item number i of its
 * kind; prompt or text NULL: none): a survey column may be named by it, so
 * no dimension or question before it may have the same one, folded. */
static void check_text(builder *b, const xmlNode *n, const char *id, const char *text, int kind,
		       size_t i, const lines *ln)
{
	const ctm_rubric *r = b->r;
	size_t len;
	const char *key = folded(b, text, &len);
	const chain *same = seen_find(&b->texts, key, len);
	size_t left = count_of(same);

	for (size_t e = first_of(same); e != NONE; e = b->texts.occ[e].next, left--) {
		const occurrence *o = &b->texts.occ[e];
		if (only_counted(b, left))
			break;
		static const char *const what[] = { "the prompt of dimension", "question",
						    "factor", "the prompt of comment" };
		static const char *const own[] = { "prompt", "text", "name", "prompt" };
		static const char *const kinds[] = { "dimension", "question", "factor",
						     "comment" };
		const char *other = o->kind == KIND_DIMENSION ? r->dimensions[o->item].id
				    : o->kind == KIND_QUESTION ? r->questions[o->item].id
							       : r->comments[o->item].id;
		const unsigned long *line = o->kind == KIND_DIMENSION ? ln->dimension
					  : o->kind == KIND_QUESTION  ? ln->question
								      : ln->comment;
		if (o->kind == KIND_DIMENSION && kind == KIND_DIMENSION)
			fail(b, n,
			     "dimension '%s' has the same prompt as dimension '%s' "
			     "(line %lu): a survey column could not tell them apart",
			     id ? id : "?", other ? other : "?", line[o->item]);
		else
			fail(b, n,
			     "%s '%s' has the same %s as %s '%s' (line %lu): a survey column "
			     "could not tell them apart",
			     kinds[kind], id ? id : "?", own[kind],
			     o->kind == KIND_QUESTION ? "the text of question" : what[o->kind],
			     other ? other : "?", line[o->item]);
	}
	seen_add(b, &b->texts, key, len, i, kind);
}

static void build_dimensions(builder *b, const xmlNode *dims, lines *ln)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(dims, "dimension");
	size_t i = 0;

	r->dimensions = alloc_array(b, count, sizeof(*r->dimensions));
	ln->dimension = calloc(count ? count : 1, sizeof(*ln->dimension));
	if ((count && !r->dimensions) || !ln->dimension) {
		b->oom = 1;
		return;
	}
	for (const xmlNode *n = dims ? dims->children : NULL; n; n = n->next) {
		if (!is_elem(n, "dimension"))
			continue;
		ctm_dimension *d = &r->dimensions[i];
		unsigned long seen[CTM_MAX_LEVELS + 1] = { 0 };
		d->index = i;
		d->id = attr_of(b, n, "id");
		d->name = child_text(b, n, "name");
		d->prompt = child_text(b, n, "prompt");
		ln->dimension[i] = line_of(n);
		check_item_id(b, n, d->id, KIND_DIMENSION, i, ln);
		check_text(b, n, d->id, d->prompt, KIND_DIMENSION, i, ln);
		for (const xmlNode *c = n->children; c; c = c->next) {
			long level;
			if (!is_elem(c, "descriptor") || !parse_int(attr_of(b, c, "level"), &level))
				continue;
			if (level < 1 || level > CTM_MAX_LEVELS || (size_t)level > r->level_count) {
				fail(b, c,
				     "descriptor for level %ld in dimension '%s', but the "
				     "rubric has %zu levels",
				     level, d->id ? d->id : "?", r->level_count);
				continue;
			}
			if (seen[level]) {
				fail(b, c,
				     "second descriptor for level %ld in dimension '%s' "
				     "(first on line %lu)",
				     level, d->id ? d->id : "?", seen[level]);
				continue;
			}
			seen[level] = line_of(c);
			d->descriptors[level] = text_of(b, c);
		}
		i++;
	}
	r->dimension_count = count;
}

/* The first scale with this id, or NULL. */
static const ctm_scale *find_scale(const builder *b, const char *id)
{
	size_t first = first_of(seen_find(&b->scale_ids, id, id ? strlen(id) : 0));
	return first != NONE ? &b->r->scales[b->scale_ids.occ[first].item] : NULL;
}

static void build_questions(builder *b, const xmlNode *qs, lines *ln)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(qs, "question");
	size_t i = 0;

	r->questions = alloc_array(b, count, sizeof(*r->questions));
	ln->question = calloc(count ? count : 1, sizeof(*ln->question));
	if ((count && !r->questions) || !ln->question) {
		b->oom = 1;
		return;
	}
	for (const xmlNode *n = qs ? qs->children : NULL; n; n = n->next) {
		if (!is_elem(n, "question"))
			continue;
		ctm_question *q = &r->questions[i];
		const char *scale = attr_of(b, n, "scale");
		long level = 0;
		q->index = i;
		q->id = attr_of(b, n, "id");
		q->text = text_of(b, n);
		ln->question[i] = line_of(n);
		check_item_id(b, n, q->id, KIND_QUESTION, i, ln);
		if (q->id) {
			size_t len = strlen(q->id);
			uint64_t h = ctm_hashmap__hash(q->id, len);
			if (!ctm_hashmap__get(&b->question_ids, q->id, len, h) &&
			    ctm_hashmap__put(&b->question_ids, q->id, len, h, i))
				b->oom = 1;
		}
		q->value_item = SIZE_MAX;
		if (parse_int(attr_of(b, n, "level"), &level)) {
			if (level < 1 || (size_t)level > r->level_count)
				fail(b, n,
				     "question '%s' is at level %ld, but the rubric has %zu levels",
				     q->id ? q->id : "?", level, r->level_count);
			else
				q->level = (int)level;
		}
		if (q->level)
			r->levelled_count++;
		if (scale) {
			q->scale = find_scale(b, scale);
			if (!q->scale)
				fail(b, n, "question '%s' uses scale '%s', which is not defined",
				     q->id ? q->id : "?", scale);
			else if (q->level && !q->scale->scored)
				fail(b, n,
				     "question '%s' is at level %d, so every answer of scale '%s' "
				     "needs a score in [0,1] (or missing=\"true\")",
				     q->id ? q->id : "?", q->level, scale);
		}
		check_text(b, n, q->id, q->text, KIND_QUESTION, i, ln);
		i++;
	}
	r->question_count = count;
}

/* The first question with this id, or NULL. */
static const ctm_question *find_question(const builder *b, const char *id)
{
	if (!id)
		return NULL;
	size_t len = strlen(id);
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&b->question_ids, id, len,
							ctm_hashmap__hash(id, len));
	return slot ? &b->r->questions[slot->value] : NULL;
}

/* One item of a factor: a statement (or question) on a rated scale. named[q]
 * counts the factor's items before this one that name question q. */
static void build_factor_item(builder *b, ctm_factor *f, const xmlNode *n, size_t k, size_t *named)
{
	ctm_rubric *r = b->r;
	const char *qid = attr_of(b, n, "question");
	const char *rev = attr_of(b, n, "reverse");
	const ctm_question *q = find_question(b, qid);
	ctm_factor_entry *it = &f->items[k];

	it->reverse = rev && (strcmp(rev, "true") == 0 || strcmp(rev, "1") == 0);
	if (!q) {
		if (qid)
			fail(b, n, "factor '%s' names question '%s', which is not defined",
			     f->id ? f->id : "?", qid);
		return;
	}
	it->question = q;
	/* once for each earlier item naming it, as comparing every pair did */
	for (size_t left = named[q->index]; left; left--) {
		if (only_counted(b, left))
			break;
		fail(b, n, "factor '%s' names question '%s' twice", f->id ? f->id : "?", qid);
	}
	named[q->index]++;
	if (!q->scale)
		return;
	if (!q->scale->valued) {
		fail(b, n,
		     "factor '%s' rates question '%s', so every answer of its scale '%s' needs a "
		     "value (value=\"N\", or a numeric code) or missing=\"true\"",
		     f->id ? f->id : "?", qid, q->scale->id ? q->scale->id : "?");
		return;
	}
	/* The question's rated value gets a slot of its own in the sums. */
	ctm_question *mq = &r->questions[q->index];
	if (mq->value_item == SIZE_MAX)
		mq->value_item = r->valued_count++;
	f->lowest = fmin(f->lowest, q->scale->lowest);
	f->highest = fmax(f->highest, q->scale->highest);
	if (q->scale->points > f->points)
		f->points = q->scale->points;
}

static void build_factors(builder *b, const xmlNode *factors, lines *ln)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(factors, "factor");
	size_t i = 0;
	size_t *named = NULL; /* by question: items of this factor naming it */

	r->factors = alloc_array(b, count, sizeof(*r->factors));
	ln->factor = calloc(count ? count : 1, sizeof(*ln->factor));
	if (count)
		named = calloc(r->question_count ? r->question_count : 1, sizeof(*named));
	if ((count && (!r->factors || !named)) || !ln->factor) {
		b->oom = 1;
		free(named);
		return;
	}
	for (const xmlNode *n = factors ? factors->children : NULL; n; n = n->next) {
		if (!is_elem(n, "factor"))
			continue;
		ctm_factor *f = &r->factors[i];
		f->index = i;
		f->id = attr_of(b, n, "id");
		f->name = child_text(b, n, "name");
		f->description = child_text(b, n, "description");
		f->lowest = INFINITY;
		f->highest = -INFINITY;
		ln->factor[i] = line_of(n);
		check_item_id(b, n, f->id, KIND_FACTOR, i, ln);
		size_t items = count_children(n, "item"), k = 0;
		f->items = alloc_array(b, items, sizeof(*f->items));
		if (items && !f->items)
			break;
		for (const xmlNode *c = n->children; c; c = c->next)
			if (is_elem(c, "item"))
				build_factor_item(b, f, c, k++, named);
		f->item_count = k;
		for (size_t j = 0; j < k; j++)
			if (f->items[j].question)
				named[f->items[j].question->index] = 0;
		if (!(f->lowest <= f->highest))
			f->lowest = f->highest = NAN; /* no valued item: reported above */
		i++;
	}
	free(named);
	if (!b->oom)
		r->factor_count = count;
}

static void build_bands(builder *b, const xmlNode *bands)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(bands, "band");
	size_t i = 0;
	seen_index ids = SEEN_INIT, mins = SEEN_INIT; /* mins: by the number's bytes */
	unsigned long *line = NULL;

	r->bands = alloc_array(b, count, sizeof(*r->bands));
	line = calloc(count ? count : 1, sizeof(*line));
	if ((count && !r->bands) || !line) {
		b->oom = 1;
		free(line);
		return;
	}
	for (const xmlNode *n = bands ? bands->children : NULL; n; n = n->next) {
		if (!is_elem(n, "band"))
			continue;
		ctm_band *bd = &r->bands[i];
		bd->id = attr_of(b, n, "id");
		bd->name = text_of(b, n);
		line[i] = line_of(n);
		/* (the schema's xs:unique, which continuum does not evaluate:
		 * rubric_load.c) */
		size_t id_len = bd->id ? strlen(bd->id) : 0;
		const chain *twin = seen_find(&ids, bd->id, id_len);
		size_t twins = count_of(twin);
		for (size_t e = first_of(twin); e != NONE; e = ids.occ[e].next, twins--) {
			if (only_counted(b, twins))
				break;
			fail(b, n, "duplicate band id '%s' (first defined on line %lu)", bd->id,
			     line[ids.occ[e].item]);
		}
		seen_add(b, &ids, bd->id, id_len, i, 0);
		bd->min = NAN;
		parse_double(attr_of(b, n, "min"), &bd->min); /* the schema reports a bad one */
		/* equal as numbers: NaN is equal to none, -0 to 0 */
		double *key = NULL;
		if (!isnan(bd->min) && (key = ctm_arena__alloc(&b->scratch, sizeof(*key))) != NULL)
			*key = bd->min == 0 ? 0.0 : bd->min;
		else if (!isnan(bd->min))
			b->oom = 1;
		const chain *same = seen_find(&mins, (const char *)key, sizeof(*key));
		size_t left = count_of(same);
		for (size_t e = first_of(same); e != NONE; e = mins.occ[e].next, left--) {
			const ctm_band *o = &r->bands[mins.occ[e].item];
			if (only_counted(b, left))
				break;
			fail(b, n, "band '%s' has the same min as band '%s'", bd->id ? bd->id : "?",
			     o->id ? o->id : "?");
		}
		seen_add(b, &mins, (const char *)key, sizeof(*key), i, 0);
		i++;
	}
	seen_free(&ids);
	seen_free(&mins);
	free(line);
	r->band_count = count;
	if (count && !r->factor_count)
		fail(b, bands, "the rubric has bands but no factors: bands read factor means");
}

/* Open-text prompts: an id that is a column of its own (unique among the
 * items, not reserved), a prompt no other column's header could be, and the
 * dimension it is about, if any, by id. */
static void build_comments(builder *b, const xmlNode *comments, lines *ln)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(comments, "comment");
	size_t i = 0;

	r->comments = alloc_array(b, count, sizeof(*r->comments));
	ln->comment = calloc(count ? count : 1, sizeof(*ln->comment));
	if ((count && !r->comments) || !ln->comment) {
		b->oom = 1;
		return;
	}
	for (const xmlNode *n = comments ? comments->children : NULL; n; n = n->next) {
		if (!is_elem(n, "comment"))
			continue;
		ctm_comment *c = &r->comments[i];
		const char *dim = attr_of(b, n, "dimension");
		c->index = i;
		c->id = attr_of(b, n, "id");
		c->prompt = text_of(b, n);
		c->dimension = SIZE_MAX;
		ln->comment[i] = line_of(n);
		check_item_id(b, n, c->id, KIND_COMMENT, i, ln);
		check_text(b, n, c->id, c->prompt, KIND_COMMENT, i, ln);
		if (dim) {
			const chain *same = seen_find(&b->item_ids, dim, strlen(dim));
			for (size_t e = first_of(same); e != NONE; e = b->item_ids.occ[e].next)
				if (b->item_ids.occ[e].kind == KIND_DIMENSION) {
					c->dimension = b->item_ids.occ[e].item;
					break;
				}
			if (c->dimension == SIZE_MAX)
				fail(b, n, "comment '%s' is about dimension '%s', which is not defined",
				     c->id ? c->id : "?", dim);
		}
		i++;
	}
	r->comment_count = count;
}

static void build_scoring(builder *b, const xmlNode *sc)
{
	ctm_rubric *r = b->r;
	long v;
	double d;

	r->attainment = 0.75;
	r->target = 0;
	r->min_n = 5;
	r->aggregate = CTM_AGGREGATE_PARTNER;
	if (!sc)
		return;
	/* Ranges are the schema's; only parse here. */
	if (parse_double(attr_of(b, sc, "attainment"), &d) && d > 0 && d <= 1)
		r->attainment = d;
	/* Messages quote the attribute as written: strtol clamps a number too
	 * large for a long. */
	const char *min_n = attr_of(b, sc, "min-n");
	if (parse_int(min_n, &v)) {
		/* a privacy setting is never lowered behind the user's back */
		if (v > CTM_RUBRIC_MAX_MIN_N)
			fail(b, sc, "min-n %s is above the limit of %d", min_n,
			     CTM_RUBRIC_MAX_MIN_N);
		else if (v >= 1)
			r->min_n = (int)v;
	}
	const char *agg = attr_of(b, sc, "aggregate");
	if (agg && strcmp(agg, "respondent") == 0)
		r->aggregate = CTM_AGGREGATE_RESPONDENT;
	const char *target = attr_of(b, sc, "target");
	if (parse_int(target, &v)) {
		if (v < 1 || (size_t)v > r->level_count)
			fail(b, sc, "target %s is not a level of this rubric (1..%zu)", target,
			     r->level_count);
		else
			r->target = (int)v;
	}
}

static const char *join_sources(builder *b, const xmlNode *root)
{
	size_t total = 0, n = 0;
	const char *parts[16];

	for (const xmlNode *c = root->children; c && n < 16; c = c->next) {
		if (!is_elem(c, "source"))
			continue;
		parts[n] = text_of(b, c);
		if (!parts[n])
			continue;
		total += strlen(parts[n]) + 2;
		n++;
	}
	if (n == 0)
		return NULL;
	if (n == 1)
		return parts[0];
	char *joined = ctm_arena__alloc(&b->r->arena, total + 1);
	if (!joined) {
		b->oom = 1;
		return NULL;
	}
	joined[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(joined, "; ");
		strcat(joined, parts[i]);
	}
	return joined;
}

int ctm_rubric__build(ctm_rubric **out, xmlDocPtr doc, const char *name, ctm_ctx *ctx)
{
	builder b;
	lines ln = { NULL, NULL, NULL, NULL, NULL, NULL };
	const xmlNode *root = xmlDocGetRootElement(doc);
	int rc = CTM_OK;

	memset(&b, 0, sizeof(b));
	b.name = name;
	b.ctx = ctx;
	*out = NULL;
	if (!root || !is_elem(root, "rubric")) {
		/* The schema said so already, unless there was nothing at all. */
		if (!root)
			ctm_diag__error(ctx, name, 0, 0, "the document has no root element");
		return CTM_EINVALID;
	}
	b.r = calloc(1, sizeof(*b.r));
	if (!b.r)
		return CTM_ENOMEM;

	b.r->path = ctm_arena__strdup(&b.r->arena, name);
	b.r->id = attr_of(&b, root, "id");
	b.r->version = attr_of(&b, root, "version");
	xmlChar *lang = xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
	if (lang) {
		b.r->lang = ctm_arena__strdup(&b.r->arena, (const char *)lang);
		xmlFree(lang);
	}
	b.r->title = child_text(&b, root, "title");
	b.r->source = join_sources(&b, root);
	b.r->description = child_text(&b, root, "description");

	build_levels(&b, first_child(root, "levels"), &ln);
	if (!b.oom)
		build_scales(&b, first_child(root, "scales"), &ln);
	if (!b.oom)
		build_dimensions(&b, first_child(root, "dimensions"), &ln);
	if (!b.oom)
		build_questions(&b, first_child(root, "questions"), &ln);
	if (!b.oom)
		build_factors(&b, first_child(root, "factors"), &ln);
	if (!b.oom)
		build_bands(&b, first_child(root, "bands"));
	if (!b.oom)
		build_comments(&b, first_child(root, "comments"), &ln);
	if (!b.oom)
		build_scoring(&b, first_child(root, "scoring"));
	if (!b.oom && b.r->dimension_count == 0 && b.r->question_count == 0)
		fail(&b, root, "the rubric has no dimensions and no questions: nothing to score");
	/* a survey file has a column per item besides the reserved ones, and a
	 * record may hold CTM_CSV_MAX_FIELDS fields */
	if (!b.oom &&
	    b.r->dimension_count + b.r->question_count + b.r->comment_count +
			    ctm_rubric__reserved_column_count >
		    CTM_CSV_MAX_FIELDS)
		fail(&b, root,
		     "the rubric has %zu dimensions, questions and comments: a survey file for it "
		     "would need more than %d columns, the most a responses record may hold",
		     b.r->dimension_count + b.r->question_count + b.r->comment_count,
		     CTM_CSV_MAX_FIELDS);
	if (!b.oom && b.r->level_count == 0 && (b.r->dimension_count || b.r->levelled_count))
		fail(&b, root,
		     "the rubric has %s but no <levels>: a continuum of 2 to 9 levels is needed "
		     "to place them",
		     b.r->dimension_count ? "dimensions" : "questions with a level");
	if (!b.oom && (!b.r->id || !b.r->version || !b.r->title ||
		       (first_child(root, "levels") && b.r->level_count < 2)))
		b.invalid = 1; /* the schema has said why */

	if (b.oom)
		rc = CTM_ENOMEM;
	else if (b.invalid)
		rc = CTM_EINVALID;
	if (rc == CTM_OK) {
		*out = b.r;
		b.r = NULL;
	}
	ctm_rubric_free(b.r);
	seen_free(&b.scale_ids);
	seen_free(&b.item_ids);
	seen_free(&b.texts);
	ctm_hashmap__free(&b.question_ids);
	ctm_arena__free(&b.scratch);
	free(ln.level);
	free(ln.scale);
	free(ln.dimension);
	free(ln.question);
	free(ln.factor);
	free(ln.comment);
	return rc;
}
