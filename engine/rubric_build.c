/*
 * From a parsed rubric tree to the model, checking every rule the schema
 * cannot express (or expresses with unhelpful messages): unique ids, level
 * values 1..L without holes, references to levels and scales, reserved column
 * names, answers a survey cell could not tell apart.
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
#include "rubric_internal.h"
#include "rubric_load.h"
#include "text.h"

#define RUBRIC_NS "urn:continuum:rubric:1"

typedef struct builder {
	ctm_rubric *r;
	const char *name;
	ctm_ctx *ctx;
	int invalid;
	int oom;
} builder;

/* Line numbers of definitions, parallel to the model's arrays. */
typedef struct lines {
	unsigned long *level, *scale, *dimension, *question, *factor;
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
		for (size_t j = 0; j < i; j++) {
			const ctm_level *o = &r->levels[j];
			const char *mine[2] = { lv->id, lv->name };
			const char *theirs[2] = { o->id, o->name };
			for (int a = 0; a < 2; a++)
				for (int c = 0; c < 2; c++)
					if (same_folded(mine[a], theirs[c]))
						fail(b, n,
						     "level %zu's %s '%s' is also the %s of level "
						     "%zu "
						     "(line %lu): a response could not tell them "
						     "apart",
						     i + 1, a ? "name" : "id", mine[a],
						     c ? "name" : "id", j + 1, ln->level[j]);
		}
		i++;
	}
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
		for (size_t j = 0; j < i; j++)
			if (sc->id && r->scales[j].id && strcmp(sc->id, r->scales[j].id) == 0)
				fail(b, n, "duplicate scale id '%s' (first defined on line %lu)",
				     sc->id, ln->scale[j]);

		size_t oc = count_children(n, "option");
		sc->options = alloc_array(b, oc, sizeof(*sc->options));
		if (oc && !sc->options)
			return;
		size_t k = 0;
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
			for (size_t j = 0; j < k; j++) {
				const ctm_option *p = &sc->options[j];
				const char *mine[2] = { op->code, op->label };
				const char *theirs[2] = { p->code, p->label };
				for (int a = 0; a < 2; a++)
					for (int c = 0; c < 2; c++)
						if (same_folded(mine[a], theirs[c]))
							fail(b, o,
							     "in scale '%s', option %s '%s' is "
							     "also "
							     "the %s of option '%s': an answer "
							     "could "
							     "not tell them apart",
							     sc->id ? sc->id : "?",
							     a ? "label" : "code", mine[a],
							     c ? "label" : "code",
							     p->code ? p->code : "?");
			}
			k++;
		}
		sc->option_count = k;
		describe_scale(sc);
		i++;
	}
	r->scale_count = count;
}

/* The first item (dimension or question) before this one with the same id. */
static void check_item_id(builder *b, const xmlNode *n, const char *id, const char *kind,
			  const lines *ln, size_t dims_before, size_t questions_before)
{
	const ctm_rubric *r = b->r;

	if (!id)
		return;
	if (is_reserved(id))
		fail(b, n,
		     "%s id '%s' is a reserved column name (region, wave, partner, "
		     "respondent, role)",
		     kind, id);
	for (size_t j = 0; j < dims_before; j++)
		if (r->dimensions[j].id && strcmp(r->dimensions[j].id, id) == 0)
			fail(b, n, "duplicate id '%s': already used by a dimension on line %lu", id,
			     ln->dimension[j]);
	for (size_t j = 0; j < questions_before; j++)
		if (r->questions[j].id && strcmp(r->questions[j].id, id) == 0)
			fail(b, n, "duplicate id '%s': already used by a question on line %lu", id,
			     ln->question[j]);
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
		check_item_id(b, n, d->id, "dimension", ln, i, 0);
		for (size_t j = 0; j < i; j++)
			if (same_folded(d->prompt, r->dimensions[j].prompt))
				fail(b, n,
				     "dimension '%s' has the same prompt as dimension '%s' "
				     "(line %lu): a survey column could not tell them apart",
				     d->id ? d->id : "?",
				     r->dimensions[j].id ? r->dimensions[j].id : "?",
				     ln->dimension[j]);
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

static const ctm_scale *find_scale(const ctm_rubric *r, const char *id)
{
	for (size_t i = 0; id && i < r->scale_count; i++)
		if (r->scales[i].id && strcmp(r->scales[i].id, id) == 0)
			return &r->scales[i];
	return NULL;
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
		check_item_id(b, n, q->id, "question", ln, r->dimension_count, i);
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
			q->scale = find_scale(r, scale);
			if (!q->scale)
				fail(b, n, "question '%s' uses scale '%s', which is not defined",
				     q->id ? q->id : "?", scale);
			else if (q->level && !q->scale->scored)
				fail(b, n,
				     "question '%s' is at level %d, so every answer of scale '%s' "
				     "needs a score in [0,1] (or missing=\"true\")",
				     q->id ? q->id : "?", q->level, scale);
		}
		for (size_t j = 0; j < r->dimension_count; j++)
			if (same_folded(q->text, r->dimensions[j].prompt))
				fail(b, n,
				     "question '%s' has the same text as the prompt of dimension "
				     "'%s' (line %lu): a survey column could not tell them apart",
				     q->id ? q->id : "?",
				     r->dimensions[j].id ? r->dimensions[j].id : "?",
				     ln->dimension[j]);
		for (size_t j = 0; j < i; j++)
			if (same_folded(q->text, r->questions[j].text))
				fail(b, n,
				     "question '%s' has the same text as question '%s' (line %lu): "
				     "a survey column could not tell them apart",
				     q->id ? q->id : "?",
				     r->questions[j].id ? r->questions[j].id : "?",
				     ln->question[j]);
		i++;
	}
	r->question_count = count;
}

static const ctm_question *find_question(const ctm_rubric *r, const char *id)
{
	for (size_t i = 0; id && i < r->question_count; i++)
		if (r->questions[i].id && strcmp(r->questions[i].id, id) == 0)
			return &r->questions[i];
	return NULL;
}

/* One item of a factor: a statement (or question) on a rated scale. */
static void build_factor_item(builder *b, ctm_factor *f, const xmlNode *n, size_t k)
{
	ctm_rubric *r = b->r;
	const char *qid = attr_of(b, n, "question");
	const char *rev = attr_of(b, n, "reverse");
	const ctm_question *q = find_question(r, qid);
	ctm_factor_entry *it = &f->items[k];

	it->reverse = rev && (strcmp(rev, "true") == 0 || strcmp(rev, "1") == 0);
	if (!q) {
		if (qid)
			fail(b, n, "factor '%s' names question '%s', which is not defined",
			     f->id ? f->id : "?", qid);
		return;
	}
	it->question = q;
	for (size_t j = 0; j < k; j++)
		if (f->items[j].question == q)
			fail(b, n, "factor '%s' names question '%s' twice", f->id ? f->id : "?",
			     qid);
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

	r->factors = alloc_array(b, count, sizeof(*r->factors));
	ln->factor = calloc(count ? count : 1, sizeof(*ln->factor));
	if ((count && !r->factors) || !ln->factor) {
		b->oom = 1;
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
		check_item_id(b, n, f->id, "factor", ln, r->dimension_count, r->question_count);
		for (size_t j = 0; j < i; j++)
			if (f->id && r->factors[j].id && strcmp(f->id, r->factors[j].id) == 0)
				fail(b, n,
				     "duplicate id '%s': already used by a factor on line %lu",
				     f->id, ln->factor[j]);
		size_t items = count_children(n, "item"), k = 0;
		f->items = alloc_array(b, items, sizeof(*f->items));
		if (items && !f->items)
			return;
		for (const xmlNode *c = n->children; c; c = c->next)
			if (is_elem(c, "item"))
				build_factor_item(b, f, c, k++);
		f->item_count = k;
		if (!(f->lowest <= f->highest))
			f->lowest = f->highest = NAN; /* no valued item: reported above */
		i++;
	}
	r->factor_count = count;
}

static void build_bands(builder *b, const xmlNode *bands)
{
	ctm_rubric *r = b->r;
	size_t count = count_children(bands, "band");
	size_t i = 0;

	r->bands = alloc_array(b, count, sizeof(*r->bands));
	if (count && !r->bands)
		return;
	for (const xmlNode *n = bands ? bands->children : NULL; n; n = n->next) {
		if (!is_elem(n, "band"))
			continue;
		ctm_band *bd = &r->bands[i];
		bd->id = attr_of(b, n, "id");
		bd->name = text_of(b, n);
		bd->min = NAN;
		parse_double(attr_of(b, n, "min"), &bd->min); /* the schema reports a bad one */
		for (size_t j = 0; j < i; j++)
			if (bd->min == r->bands[j].min)
				fail(b, n, "band '%s' has the same min as band '%s'",
				     bd->id ? bd->id : "?", r->bands[j].id ? r->bands[j].id : "?");
		i++;
	}
	r->band_count = count;
	if (count && !r->factor_count)
		fail(b, bands, "the rubric has bands but no factors: bands read factor means");
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
			fail(b, sc, "min-n %s is above the limit of %d", min_n, CTM_RUBRIC_MAX_MIN_N);
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
	builder b = { NULL, name, ctx, 0, 0 };
	lines ln = { NULL, NULL, NULL, NULL, NULL };
	const xmlNode *root = xmlDocGetRootElement(doc);
	int rc = CTM_OK;

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
		build_scoring(&b, first_child(root, "scoring"));
	if (!b.oom && b.r->dimension_count == 0 && b.r->question_count == 0)
		fail(&b, root, "the rubric has no dimensions and no questions: nothing to score");
	/* a survey file has a column per item besides the reserved ones, and a
	 * record may hold CTM_CSV_MAX_FIELDS fields */
	if (!b.oom &&
	    b.r->dimension_count + b.r->question_count + ctm_rubric__reserved_column_count >
		    CTM_CSV_MAX_FIELDS)
		fail(&b, root,
		     "the rubric has %zu dimensions and questions: a survey file for it would need "
		     "more than %d columns, the most a responses record may hold",
		     b.r->dimension_count + b.r->question_count, CTM_CSV_MAX_FIELDS);
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
	free(ln.level);
	free(ln.scale);
	free(ln.dimension);
	free(ln.question);
	free(ln.factor);
	return rc;
}
