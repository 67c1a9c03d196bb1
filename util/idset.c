#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "grow.h"

/* A family stops being kept as intervals once it has this many intervals
 * and fewer than four members per interval: its ids are scattered, and
 * inserting into a long sorted array would cost more than a hash set. */
#define SPILL_INTERVALS 1024

static int add_exact(ctm_idset *set, ctm_arena *arena, const char *id, size_t len,
		     unsigned long line, unsigned long *first_line)
{
	uint64_t h = ctm_hashmap__hash(id, len);
	const ctm_hashmap_slot *seen = ctm_hashmap__get(&set->exact, id, len, h);
	if (seen) {
		*first_line = seen->value;
		return 1;
	}
	char *stored = ctm_arena__strndup(arena, id, len);
	if (!stored || ctm_hashmap__put(&set->exact, stored, len, h, line))
		return -1;
	return 0;
}

/* Splits "R000123" into "R", 123, width 6; 0 when the id has no trailing
 * digits or too many to hold. */
static int split_numbered(const char *id, size_t len, size_t *prefix_len, uint64_t *number,
			  unsigned *width)
{
	size_t d = len;
	while (d > 0 && id[d - 1] >= '0' && id[d - 1] <= '9')
		d--;
	size_t digits = len - d;
	if (digits == 0 || digits > 18 || d > UINT32_MAX)
		return 0; /* (a prefix that long: the exact set, which refuses it) */
	uint64_t v = 0;
	for (size_t i = d; i < len; i++)
		v = v * 10 + (uint64_t)(id[i] - '0');
	*prefix_len = d;
	*number = v;
	*width = (unsigned)digits;
	return 1;
}

/* At most this many families per set. Ids whose shape gives every one its
 * own prefix (UUIDs, "abc1", "xyz7") would otherwise make a family each,
 * and finding the family of an id would cost a scan of them all. Once the
 * set holds MAX_FAMILIES families, the numbered ids of any new prefix go to
 * the exact set, now and later: an id's place depends only on whether its
 * family existed when the set first saw its prefix, and families are never
 * removed, so every id of a prefix is always looked for where it was put. */
#define MAX_FAMILIES 32

/* The family of prefix and width, or NULL; never adds one. */
static ctm_id_family *family_of(const ctm_idset *set, const char *prefix, size_t plen,
				unsigned width)
{
	for (size_t i = 0; i < set->family_count; i++) {
		ctm_id_family *f = &set->families[i];
		if (f->width == width && f->prefix_len == plen &&
		    memcmp(f->prefix, prefix, plen) == 0)
			return f;
	}
	return NULL;
}

/* The family of prefix and width, made when new and the set has room;
 * *out is NULL when its ids go to the exact set. -1 when out of memory. */
static int find_family(ctm_idset *set, ctm_arena *arena, const char *prefix, size_t plen,
		       unsigned width, ctm_id_family **out)
{
	if ((*out = family_of(set, prefix, plen, width)) || set->family_count >= MAX_FAMILIES)
		return 0;
	if (ctm_grow__reserve((void **)&set->families, &set->family_cap, set->family_count + 1,
			      sizeof(*set->families)))
		return -1;
	char *stored = ctm_arena__strndup(arena, prefix, plen);
	if (!stored)
		return -1;
	ctm_id_family *f = &set->families[set->family_count++];
	memset(f, 0, sizeof(*f));
	f->prefix = stored;
	f->prefix_len = (uint32_t)plen; /* below 4 GiB: split_numbered */
	f->width = (uint16_t)width;
	*out = f;
	return 0;
}

/* Index of the last interval with lo <= x, or SIZE_MAX when none. */
static size_t locate(const ctm_id_family *f, uint64_t x)
{
	size_t lo = 0, hi = f->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->intervals[mid].lo <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? SIZE_MAX : lo - 1;
}

/* Puts every member of f into set's exact set (with its remembered line,
 * when set knows it). */
static int add_members_exact(ctm_idset *set, ctm_arena *arena, const ctm_id_family *f)
{
	char buf[64];
	for (size_t i = 0; i < f->count; i++) {
		for (uint64_t x = f->intervals[i].lo;; x++) {
			int n = snprintf(buf, sizeof(buf), "%0*llu", (int)f->width,
					 (unsigned long long)x);
			size_t len = f->prefix_len + (size_t)n;
			char *id = ctm_arena__alloc(arena, len + 1);
			if (!id)
				return -1;
			memcpy(id, f->prefix, f->prefix_len);
			memcpy(id + f->prefix_len, buf, (size_t)n + 1);
			uint64_t h = ctm_hashmap__hash(id, len);
			const ctm_hashmap_slot *known = ctm_hashmap__get(&set->lines, id, len, h);
			if (!ctm_hashmap__get(&set->exact, id, len, h) &&
			    ctm_hashmap__put(&set->exact, id, len, h, known ? known->value : 0))
				return -1;
			if (x == f->intervals[i].hi)
				break;
		}
	}
	return 0;
}

/* Moves a scattered family's members into the exact set. */
static int spill(ctm_idset *set, ctm_arena *arena, ctm_id_family *f)
{
	if (add_members_exact(set, arena, f))
		return -1;
	free(f->intervals);
	f->intervals = NULL;
	f->count = f->cap = 0;
	f->spilled = 1;
	return 0;
}

int ctm_idset__add(ctm_idset *set, ctm_arena *arena, const char *id, size_t len, unsigned long line,
		   unsigned long *first_line)
{
	size_t plen;
	uint64_t x;
	unsigned width;

	*first_line = 0;
	if (!split_numbered(id, len, &plen, &x, &width))
		return add_exact(set, arena, id, len, line, first_line);
	ctm_id_family *f;
	if (find_family(set, arena, id, plen, width, &f))
		return -1;
	if (!f || f->spilled)
		return add_exact(set, arena, id, len, line, first_line);

	size_t i = locate(f, x);
	if (i != SIZE_MAX && x <= f->intervals[i].hi) {
		const ctm_hashmap_slot *seen = ctm_hashmap__get(&set->lines, id, len,
								ctm_hashmap__hash(id, len));
		*first_line = seen ? seen->value : 0;
		return 1;
	}
	if (set->lines.count < CTM_IDSET_LINES) {
		char *stored = ctm_arena__strndup(arena, id, len);
		if (!stored ||
		    ctm_hashmap__put(&set->lines, stored, len, ctm_hashmap__hash(id, len), line))
			return -1;
	}
	int joins_left = i != SIZE_MAX && f->intervals[i].hi + 1 == x;
	int joins_right = i + 1 < f->count && f->intervals[i + 1].lo == x + 1;
	if (i == SIZE_MAX)
		joins_right = f->count > 0 && f->intervals[0].lo == x + 1;
	size_t right = i == SIZE_MAX ? 0 : i + 1;

	if (joins_left && joins_right) {
		f->intervals[i].hi = f->intervals[right].hi;
		memmove(&f->intervals[right], &f->intervals[right + 1],
			(f->count - right - 1) * sizeof(*f->intervals));
		f->count--;
	} else if (joins_left) {
		f->intervals[i].hi = x;
	} else if (joins_right) {
		f->intervals[right].lo = x;
	} else {
		if (ctm_grow__reserve((void **)&f->intervals, &f->cap, f->count + 1,
				      sizeof(*f->intervals)))
			return -1;
		memmove(&f->intervals[right + 1], &f->intervals[right],
			(f->count - right) * sizeof(*f->intervals));
		f->intervals[right] = (ctm_id_interval){ x, x };
		f->count++;
	}
	f->members++;
	if (f->count >= SPILL_INTERVALS && f->members < 4 * f->count)
		return spill(set, arena, f) ? -1 : 0;
	return 0;
}

int ctm_idset__contains(const ctm_idset *set, const char *id, size_t len)
{
	size_t plen;
	uint64_t x;
	unsigned width;

	if (split_numbered(id, len, &plen, &x, &width)) {
		const ctm_id_family *f = family_of(set, id, plen, width);
		if (f && !f->spilled) {
			size_t i = locate(f, x);
			return i != SIZE_MAX && x <= f->intervals[i].hi;
		}
	}
	return ctm_hashmap__get(&set->exact, id, len, ctm_hashmap__hash(id, len)) != NULL;
}

/* Whether a family of src shares an id with dst (intervals against
 * intervals); -1 when that cannot be told cheaply (dst keeps the family in
 * its exact set). */
static int family_overlaps(const ctm_idset *dst, const ctm_id_family *sf)
{
	const ctm_id_family *df = family_of(dst, sf->prefix, sf->prefix_len, sf->width);
	if (!df) /* dst has none of its ids, unless it keeps them exactly */
		return dst->family_count >= MAX_FAMILIES ? -1 : 0;
	if (df->spilled)
		return -1;
	for (size_t k = 0; k < sf->count; k++) {
		/* the last dst interval starting at or before hi must end below lo */
		size_t i = locate(df, sf->intervals[k].hi);
		if (i != SIZE_MAX && df->intervals[i].hi >= sf->intervals[k].lo)
			return 1;
	}
	return 0;
}

/* Adds the intervals of sf to dst's family (made if new). */
static int merge_family(ctm_idset *dst, ctm_arena *arena, const ctm_id_family *sf)
{
	ctm_id_family *df;
	if (find_family(dst, arena, sf->prefix, sf->prefix_len, sf->width, &df))
		return -1;
	if (!df)
		return add_members_exact(dst, arena, sf);
	size_t n = df->count + sf->count;
	ctm_id_interval *merged = malloc((n ? n : 1) * sizeof(*merged));
	if (!merged)
		return -1;
	/* Both lists are sorted and disjoint: merge them, joining neighbours. */
	size_t a = 0, b = 0, m = 0;
	while (a < df->count || b < sf->count) {
		ctm_id_interval next;
		if (b == sf->count || (a < df->count && df->intervals[a].lo < sf->intervals[b].lo))
			next = df->intervals[a++];
		else
			next = sf->intervals[b++];
		if (m && merged[m - 1].hi + 1 == next.lo)
			merged[m - 1].hi = next.hi;
		else
			merged[m++] = next;
	}
	free(df->intervals);
	df->intervals = merged;
	df->count = m;
	df->cap = n ? n : 1;
	df->members += sf->members;
	if (df->count >= SPILL_INTERVALS && df->members < 4 * df->count)
		return spill(dst, arena, df);
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const ctm_hashmap_slot *x = *(const ctm_hashmap_slot *const *)a;
	const ctm_hashmap_slot *y = *(const ctm_hashmap_slot *const *)b;
	return (x->value > y->value) - (x->value < y->value);
}

int ctm_idset__overlaps(const ctm_idset *a, const ctm_idset *b)
{
	for (size_t i = 0; i < b->family_count; i++)
		if (!b->families[i].spilled && family_overlaps(a, &b->families[i]))
			return 1;
	for (size_t i = 0; i < b->exact.capacity; i++) {
		const ctm_hashmap_slot *s = &b->exact.slots[i];
		if (s->key && ctm_idset__contains(a, s->key, s->len))
			return 1;
	}
	return 0;
}

int ctm_idset__merge(ctm_idset *dst, ctm_arena *arena, const ctm_idset *src,
		     unsigned long line_shift)
{
	unsigned long unused;

	/* dst remembers the lines of its first CTM_IDSET_LINES numbered ids:
	 * src's first ones in order, as reading on would have. */
	if (dst->lines.count < CTM_IDSET_LINES && src->lines.count) {
		const ctm_hashmap_slot **order = malloc(src->lines.count * sizeof(*order));
		if (!order)
			return -1;
		size_t n = 0;
		for (size_t i = 0; i < src->lines.capacity; i++)
			if (src->lines.slots[i].key)
				order[n++] = &src->lines.slots[i];
		qsort(order, n, sizeof(*order), by_line);
		for (size_t i = 0; i < n && dst->lines.count < CTM_IDSET_LINES; i++) {
			const ctm_hashmap_slot *s = order[i];
			char *stored = ctm_arena__strndup(arena, s->key, s->len);
			if (!stored || ctm_hashmap__put(&dst->lines, stored, s->len, s->hash,
							s->value + line_shift)) {
				free(order);
				return -1;
			}
		}
		free(order);
	}
	for (size_t i = 0; i < src->family_count; i++)
		if (!src->families[i].spilled && merge_family(dst, arena, &src->families[i]))
			return -1;
	for (size_t i = 0; i < src->exact.capacity; i++) {
		const ctm_hashmap_slot *s = &src->exact.slots[i];
		if (s->key && ctm_idset__add(dst, arena, s->key, s->len,
					     s->value ? s->value + line_shift : 0, &unused) < 0)
			return -1;
	}
	return 0;
}

void ctm_idset__free(ctm_idset *set)
{
	for (size_t i = 0; i < set->family_count; i++)
		free(set->families[i].intervals);
	free(set->families);
	ctm_hashmap__free(&set->exact);
	ctm_hashmap__free(&set->lines);
	memset(set, 0, sizeof(*set));
}
