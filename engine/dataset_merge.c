/*
 * Joining the running sums of a later part of a file, read on another thread
 * (see dataset.c), onto the data set, so that the result is the one reading
 * the whole file in order gives: groups, units and roles keep their order of
 * first appearance, anonymous rows their numbers, exclusions their first
 * position, and every sum is a sum of the same values. (Values are levels
 * and option scores; their sums are exact in double whatever the order when
 * the scores are dyadic such as 0.5. A score like 0.3 could move the last
 * bit of a sum, which no output shows.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_internal.h"
#include "grow.h"

int ctm_dataset__can_merge(const ctm_dataset *ds, const ctm_dataset *part)
{
	for (size_t i = 0; i < part->group_count; i++) {
		const ctm_group_acc *pg = part->groups[i];
		int oom = 0;
		/* the data set's spellings of the part's names (out of memory:
		 * reading on rather than merging) */
		const ctm_group_acc *g = ctm_dataset__find_group(ds, pg->region, pg->region_len,
								 pg->wave, pg->wave_len, &oom);
		/* a respondent in both parts is a duplicate: reading on reports it */
		if (oom || (g && ctm_idset__overlaps(&g->respondent_ids, &pg->respondent_ids)))
			return 0;
	}
	return 1;
}

/*
 * Nonzero when the part's unit u is an anonymous row ("row N": aggregation by
 * respondent, no id), which its map holds under "\0row N"; *n is then N.
 */
static int anonymous_unit(const ctm_group_acc *pg, size_t u, unsigned long long *n)
{
	const char *name = pg->unit_names[u];
	char key[64];
	char tail;
	size_t len = strlen(name);

	if (strncmp(name, "row ", 4) != 0 || len + 1 > sizeof(key) ||
	    sscanf(name + 4, "%llu%c", n, &tail) != 1)
		return 0;
	key[0] = '\0';
	memcpy(key + 1, name, len);
	const ctm_hashmap_slot *s = ctm_hashmap__get(&pg->unit_index, key, len + 1,
						     ctm_hashmap__hash(key, len + 1));
	return s && s->value == u;
}

static int merge_units(ctm_dataset *ds, ctm_group_acc *g, const ctm_group_acc *pg)
{
	for (size_t u = 0; u < pg->unit_count; u++) {
		unsigned long long n;
		size_t to;

		if (anonymous_unit(pg, u, &n)) {
			/* numbered on from the rows the group already had */
			char key[64];
			key[0] = '\0';
			int len = snprintf(key + 1, sizeof(key) - 1, "row %llu",
					   n + (unsigned long long)g->respondent_count);
			to = ctm_dataset__add_unit(ds, g, key, (size_t)len + 1, 0);
			if (to != SIZE_MAX && g->unit_names[to][0] == '\0')
				g->unit_names[to]++; /* show "row N" */
		} else {
			/* a partner's unit is its name: one spelling per name */
			const char *name = pg->unit_names[u];
			size_t len = strlen(name);
			if (ds->aggregate == CTM_AGGREGATE_PARTNER &&
			    ctm_names__canonical(ds, 2, &name, &len))
				return CTM_ENOMEM;
			/* a partner's first spelling lives as long as ds; a
			 * respondent's id (pg's) is copied */
			to = ctm_dataset__add_unit(ds, g, name, len,
						   ds->aggregate == CTM_AGGREGATE_PARTNER);
		}
		if (to == SIZE_MAX)
			return CTM_ENOMEM;
		for (size_t i = 0; i < ds->items; i++) {
			g->sums[to * ds->items + i] += pg->sums[u * ds->items + i];
			g->counts[to * ds->items + i] += pg->counts[u * ds->items + i];
		}
	}
	return CTM_OK;
}

static int merge_group(ctm_dataset *ds, ctm_group_acc *g, const ctm_group_acc *pg,
		       unsigned long line_shift)
{
	int rc = merge_units(ds, g, pg);
	if (rc != CTM_OK)
		return rc;
	for (size_t i = 0; i < pg->partners.capacity; i++) {
		const ctm_hashmap_slot *s = &pg->partners.slots[i];
		int added;
		if (!s->key)
			continue;
		const char *name = s->key;
		size_t len = s->len;
		size_t to;
		if (ctm_names__canonical(ds, 2, &name, &len) ||
		    (to = ctm_dataset__intern_borrowed(ds, &g->partners, name, len,
						       g->partner_count, &added)) == SIZE_MAX)
			return CTM_ENOMEM;
		g->partner_count += (size_t)added;
		if (added) {
			if (ctm_grow__reserve((void **)&g->partner_rows, &g->partner_rows_cap,
					      g->partner_count, sizeof(*g->partner_rows)))
				return CTM_ENOMEM;
			g->partner_rows[to] = 0;
		}
		g->partner_rows[to] += pg->partner_rows[s->value];
	}
	for (size_t r = 0; r < pg->role_count; r++) {
		const char *name = pg->role_names[r];
		size_t len = strlen(name);
		if (ctm_names__canonical(ds, 4, &name, &len))
			return CTM_ENOMEM;
		size_t to = ctm_dataset__add_role(ds, g, name, len);
		if (to == SIZE_MAX)
			return CTM_ENOMEM;
		g->role_respondents[to] += pg->role_respondents[r];
		for (size_t d = 0; d < ds->dims; d++) {
			g->role_sums[to * ds->dims + d] += pg->role_sums[r * ds->dims + d];
			g->role_counts[to * ds->dims + d] += pg->role_counts[r * ds->dims + d];
		}
	}
	if (ctm_idset__merge(&g->respondent_ids, &ds->arena, &pg->respondent_ids, line_shift))
		return CTM_ENOMEM;
	/* the group's exclusions, under the data set's reasons (merged first) */
	for (size_t k = 0; k < pg->excl_count; k++) {
		const ctm_exclusion *e = &pg->excl[k];
		const char *reason = NULL;
		for (size_t i = 0; i < ds->exclusion_count && !reason; i++)
			if (strcmp(ds->exclusions[i].reason, e->reason) == 0)
				reason = ds->exclusions[i].reason;
		if (!reason)
			continue; /* cannot be: every group exclusion is the data set's too */
		size_t j = 0;
		while (j < g->excl_count && g->excl[j].reason != reason)
			j++;
		if (j < g->excl_count) {
			g->excl[j].count += e->count;
			continue;
		}
		const char *file = e->first_file ? ctm_arena__strdup(&ds->arena, e->first_file) : NULL;
		if ((e->first_file && !file) ||
		    ctm_grow__reserve((void **)&g->excl, &g->excl_cap, g->excl_count + 1,
				      sizeof(*g->excl)))
			return CTM_ENOMEM;
		ctm_exclusion copy = *e;
		copy.reason = reason;
		copy.first_file = file;
		copy.first_line += line_shift;
		g->excl[g->excl_count++] = copy;
	}
	/* the part's comments after the data set's: the order read */
	for (size_t k = 0; k < pg->comment_count; k++) {
		const ctm_comment_text *ct = &pg->comments[k];
		char *copy = ctm_arena__alloc(&ds->arena, ct->len + 1);
		if (!copy || ctm_grow__reserve((void **)&g->comments, &g->comment_cap,
					       g->comment_count + 1, sizeof(*g->comments)))
			return CTM_ENOMEM;
		memcpy(copy, ct->text, ct->len + 1);
		g->comments[g->comment_count] = *ct;
		g->comments[g->comment_count++].text = copy;
	}
	g->respondent_count += pg->respondent_count;
	return CTM_OK;
}

static int merge_exclusions(ctm_dataset *ds, const ctm_dataset *part, unsigned long line_shift)
{
	for (size_t i = 0; i < part->exclusion_count; i++) {
		const ctm_exclusion *e = &part->exclusions[i];
		size_t k = 0;
		while (k < ds->exclusion_count && strcmp(ds->exclusions[k].reason, e->reason) != 0)
			k++;
		if (k < ds->exclusion_count) {
			ds->exclusions[k].count += e->count;
			continue;
		}
		/* the part's texts live in its arena, which goes with it */
		const char *reason = ctm_arena__strdup(&ds->arena, e->reason);
		const char *file = e->first_file ? ctm_arena__strdup(&ds->arena, e->first_file)
						 : NULL;
		if (!reason || (e->first_file && !file) ||
		    ctm_grow__reserve((void **)&ds->exclusions, &ds->exclusion_cap,
				      ds->exclusion_count + 1, sizeof(*ds->exclusions)))
			return CTM_ENOMEM;
		ds->exclusions[ds->exclusion_count++] = (ctm_exclusion){
			reason,		 e->count, e->whole_rows, file, e->first_line + line_shift,
			e->first_column, e->cell
		};
	}
	return CTM_OK;
}

int ctm_dataset__merge(ctm_dataset *ds, const ctm_dataset *part, unsigned long line_shift)
{
	/* exclusions first: the groups' own name the data set's reasons */
	int erc = merge_exclusions(ds, part, line_shift);
	if (erc != CTM_OK)
		return erc;
	for (size_t i = 0; i < part->group_count; i++) {
		const ctm_group_acc *pg = part->groups[i];
		const char *region = pg->region, *wave = pg->wave;
		size_t rlen = pg->region_len, wlen = pg->wave_len;
		if (ctm_names__canonical(ds, 0, &region, &rlen) ||
		    ctm_names__canonical(ds, 1, &wave, &wlen))
			return CTM_ENOMEM;
		ctm_group_acc *g = ctm_dataset__find_or_add_group(ds, region, rlen, wave, wlen);
		if (!g)
			return CTM_ENOMEM;
		int rc = merge_group(ds, g, pg, line_shift);
		if (rc != CTM_OK)
			return rc;
	}
	ds->rows += part->rows;
	/* the part's rows that look like tests, after the first reader's */
	for (size_t i = 0; i < part->suspect_count; i++) {
		const ctm_suspect_row *r = &part->suspects[i];
		if (ds->suspect_count >= CTM_SUSPECT_ROWS_KEPT)
			break;
		const char *keys[3] = { r->region, r->wave, r->partner };
		ctm_suspect_row copy = *r;
		for (int k = 0; k < 3; k++) {
			const char *sv = keys[k];
			size_t len = strlen(sv);
			if (ctm_names__canonical(ds, k, &sv, &len))
				return CTM_ENOMEM;
			keys[k] = sv;
		}
		copy.region = keys[0];
		copy.wave = keys[1];
		copy.partner = keys[2];
		copy.line += line_shift;
		if (r->why && !(copy.why = ctm_arena__strdup(&ds->arena, r->why)))
			return CTM_ENOMEM;
		if (ctm_grow__reserve((void **)&ds->suspects, &ds->suspect_cap, ds->suspect_count + 1,
				      sizeof(*ds->suspects)))
			return CTM_ENOMEM;
		ds->suspects[ds->suspect_count++] = copy;
	}
	ds->suspect_total += part->suspect_total;
	return CTM_OK;
}
