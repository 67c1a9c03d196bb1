/* The rubric model's public getters. */
#include <math.h>
#include <stdlib.h>

#include "rubric_internal.h"

const char *const ctm_rubric__reserved_columns[] = { "region", "wave", "partner", "respondent",
						     "role" };
const size_t ctm_rubric__reserved_column_count = sizeof(ctm_rubric__reserved_columns) /
						 sizeof(ctm_rubric__reserved_columns[0]);

void ctm_rubric_free(ctm_rubric *r)
{
	if (!r)
		return;
	ctm_arena__free(&r->arena);
	free(r);
}

const char *ctm_rubric_id(const ctm_rubric *r) { return r->id; }
const char *ctm_rubric_version(const ctm_rubric *r) { return r->version; }
const char *ctm_rubric_title(const ctm_rubric *r) { return r->title; }
const char *ctm_rubric_source(const ctm_rubric *r) { return r->source; }
const char *ctm_rubric_description(const ctm_rubric *r) { return r->description; }
const char *ctm_rubric_lang(const ctm_rubric *r) { return r->lang; }
const char *ctm_rubric_path(const ctm_rubric *r) { return r->path; }
double ctm_rubric_attainment(const ctm_rubric *r) { return r->attainment; }
int ctm_rubric_target(const ctm_rubric *r) { return r->target; }
ctm_aggregate ctm_rubric_aggregate(const ctm_rubric *r) { return r->aggregate; }
int ctm_rubric_min_n(const ctm_rubric *r) { return r->min_n; }

size_t ctm_rubric_level_count(const ctm_rubric *r) { return r->level_count; }
const ctm_level *ctm_rubric_level(const ctm_rubric *r, size_t i)
{
	return i < r->level_count ? &r->levels[i] : NULL;
}
int ctm_level_value(const ctm_level *l) { return l->value; }
const char *ctm_level_id(const ctm_level *l) { return l->id; }
const char *ctm_level_name(const ctm_level *l) { return l->name; }
const char *ctm_level_summary(const ctm_level *l) { return l->summary; }
const char *ctm_level_definition(const ctm_level *l) { return l->definition; }

size_t ctm_rubric_scale_count(const ctm_rubric *r) { return r->scale_count; }
const ctm_scale *ctm_rubric_scale(const ctm_rubric *r, size_t i)
{
	return i < r->scale_count ? &r->scales[i] : NULL;
}
const char *ctm_scale_id(const ctm_scale *s) { return s->id; }
size_t ctm_scale_option_count(const ctm_scale *s) { return s->option_count; }
const ctm_option *ctm_scale_option(const ctm_scale *s, size_t i)
{
	return i < s->option_count ? &s->options[i] : NULL;
}
const char *ctm_option_code(const ctm_option *o) { return o->code; }
const char *ctm_option_label(const ctm_option *o) { return o->label; }
int ctm_option_is_missing(const ctm_option *o) { return o->missing; }
double ctm_option_score(const ctm_option *o) { return o->missing ? NAN : o->score; }

size_t ctm_rubric_dimension_count(const ctm_rubric *r) { return r->dimension_count; }
const ctm_dimension *ctm_rubric_dimension(const ctm_rubric *r, size_t i)
{
	return i < r->dimension_count ? &r->dimensions[i] : NULL;
}
const char *ctm_dimension_id(const ctm_dimension *d) { return d->id; }
const char *ctm_dimension_name(const ctm_dimension *d) { return d->name; }
const char *ctm_dimension_prompt(const ctm_dimension *d) { return d->prompt; }
const char *ctm_dimension_descriptor(const ctm_dimension *d, int level)
{
	return level >= 1 && level <= CTM_MAX_LEVELS ? d->descriptors[level] : NULL;
}

size_t ctm_rubric_question_count(const ctm_rubric *r) { return r->question_count; }
const ctm_question *ctm_rubric_question(const ctm_rubric *r, size_t i)
{
	return i < r->question_count ? &r->questions[i] : NULL;
}
const char *ctm_question_id(const ctm_question *q) { return q->id; }
const char *ctm_question_text(const ctm_question *q) { return q->text; }
int ctm_question_level(const ctm_question *q) { return q->level; }
const ctm_scale *ctm_question_scale(const ctm_question *q) { return q->scale; }

double ctm_option_value(const ctm_option *o) { return o->missing ? NAN : o->value; }
size_t ctm_rubric_levelled_question_count(const ctm_rubric *r) { return r->levelled_count; }

size_t ctm_rubric_factor_count(const ctm_rubric *r) { return r->factor_count; }
const ctm_factor *ctm_rubric_factor(const ctm_rubric *r, size_t i)
{
	return i < r->factor_count ? &r->factors[i] : NULL;
}
const char *ctm_factor_id(const ctm_factor *f) { return f->id; }
const char *ctm_factor_name(const ctm_factor *f) { return f->name; }
const char *ctm_factor_description(const ctm_factor *f) { return f->description; }
size_t ctm_factor_item_count(const ctm_factor *f) { return f->item_count; }
const ctm_question *ctm_factor_item(const ctm_factor *f, size_t k)
{
	return k < f->item_count ? f->items[k].question : NULL;
}
int ctm_factor_item_reversed(const ctm_factor *f, size_t k)
{
	return k < f->item_count && f->items[k].reverse;
}
double ctm_factor_lowest(const ctm_factor *f) { return f->lowest; }
double ctm_factor_highest(const ctm_factor *f) { return f->highest; }

size_t ctm_rubric_band_count(const ctm_rubric *r) { return r->band_count; }
const ctm_band *ctm_rubric_band(const ctm_rubric *r, size_t i)
{
	return i < r->band_count ? &r->bands[i] : NULL;
}
const char *ctm_band_id(const ctm_band *b) { return b->id; }
const char *ctm_band_name(const ctm_band *b) { return b->name; }
double ctm_band_min(const ctm_band *b) { return b->min; }

size_t ctm_rubric_comment_count(const ctm_rubric *r) { return r->comment_count; }
const ctm_comment *ctm_rubric_comment(const ctm_rubric *r, size_t i)
{
	return i < r->comment_count ? &r->comments[i] : NULL;
}
const char *ctm_comment_id(const ctm_comment *c) { return c->id; }
const char *ctm_comment_prompt(const ctm_comment *c) { return c->prompt; }
size_t ctm_comment_dimension(const ctm_comment *c) { return c->dimension; }
