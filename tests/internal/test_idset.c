/* The respondent-id set: compressed intervals must find exactly the
 * duplicates a plain set of strings finds. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"

static ctm_idset set;
static ctm_arena arena;

static void setup(void)
{
	ctm_idset empty = CTM_IDSET_INIT;
	ctm_arena a = CTM_ARENA_INIT;
	set = empty;
	arena = a;
}

static void teardown(void)
{
	ctm_idset__free(&set);
	ctm_arena__free(&arena);
}

TestSuite(idset, .init = setup, .fini = teardown);

static int add(const char *id, unsigned long line)
{
	unsigned long first;
	return ctm_idset__add(&set, &arena, id, strlen(id), line, &first);
}

Test(idset, sequential_ids_are_one_interval)
{
	char id[32];
	for (int i = 1; i <= 100000; i++) {
		snprintf(id, sizeof(id), "R%06d", i);
		cr_assert_eq(add(id, (unsigned long)i + 1), 0);
	}
	cr_assert_eq(set.family_count, 1);
	cr_assert_eq(set.families[0].count, 1);
	cr_assert_eq(add("R000001", 9), 1);
	cr_assert_eq(add("R100000", 9), 1);
	cr_assert_eq(add("R100001", 9), 0);
}

Test(idset, first_line_is_reported_when_kept)
{
	unsigned long first = 0;
	cr_assert_eq(ctm_idset__add(&set, &arena, "r7", 2, 14, &first), 0);
	cr_assert_eq(ctm_idset__add(&set, &arena, "r7", 2, 20, &first), 1);
	cr_assert_eq(first, 14);
	cr_assert_eq(ctm_idset__add(&set, &arena, "anna", 4, 30, &first), 0);
	cr_assert_eq(ctm_idset__add(&set, &arena, "anna", 4, 31, &first), 1);
	cr_assert_eq(first, 30);
}

Test(idset, leading_zeros_and_prefixes_distinguish)
{
	cr_assert_eq(add("R1", 1), 0);
	cr_assert_eq(add("R01", 2), 0);
	cr_assert_eq(add("S1", 3), 0);
	cr_assert_eq(add("1", 4), 0);
	cr_assert_eq(add("01", 5), 0);
	cr_assert_eq(add("R1", 6), 1);
	cr_assert_eq(add("01", 7), 1);
	cr_assert_eq(add("R", 8), 0);
	cr_assert_eq(add("R", 9), 1);
}

Test(idset, intervals_merge_from_both_sides)
{
	cr_assert_eq(add("5", 1), 0);
	cr_assert_eq(add("7", 1), 0);
	cr_assert_eq(add("6", 1), 0); /* joins [5,5] and [7,7] */
	cr_assert_eq(set.families[0].count, 1);
	cr_assert_eq(add("4", 1), 0);
	cr_assert_eq(add("8", 1), 0);
	cr_assert_eq(set.families[0].count, 1);
	for (const char *s = "45678"; *s; s++) {
		char id[2] = { *s, 0 };
		cr_assert_eq(add(id, 1), 1);
	}
	cr_assert_eq(add("3", 1), 0);
	cr_assert_eq(add("1", 1), 0);
	cr_assert_eq(set.families[0].count, 2); /* [1,1] and [3,8] */
	cr_assert_eq(add("10", 1), 0);          /* two digits: a family of its own */
	cr_assert_eq(set.family_count, 2);
}

/* Pseudo-random ids, scattered enough to spill to the exact set, checked
 * against a plain array of seen flags. */
Test(idset, scattered_ids_match_a_naive_set)
{
	enum { RANGE = 200000, DRAWS = 60000 };
	unsigned char *seen = calloc(RANGE, 1);
	unsigned long long state = 12345;
	char id[32];
	int spilled = 0;
	for (int k = 0; k < DRAWS; k++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned v = (unsigned)((state >> 33) % RANGE);
		snprintf(id, sizeof(id), "resp-%u", v);
		int r = add(id, (unsigned long)k + 2);
		cr_assert_eq(r, seen[v] ? 1 : 0, "id %s draw %d", id, k);
		seen[v] = 1;
		spilled |= set.family_count && set.families[0].spilled;
	}
	cr_assert(spilled, "scattered ids should have moved to the exact set");
	free(seen);
}

/*
 * Merging a second set (two-part reading, engine/dataset.c): overlaps must be
 * found (or, for a family one side keeps id by id, assumed), and after a
 * merge the set must hold exactly the union, whatever form each side kept its
 * ids in. Membership is checked against the lists of ids each side was given.
 */
/* The ids of the tests: "R%05d", "anon-%dx", "Q%d", "x%dy" by kind. */
static void make_id(char *id, size_t size, char kind, int i)
{
	switch (kind) {
	case 'R': snprintf(id, size, "R%05d", i); break;
	case 'a': snprintf(id, size, "anon-%dx", i); break;
	case 'Q': snprintf(id, size, "Q%d", i); break;
	default: snprintf(id, size, "x%dy", i); break;
	}
}

static void fill(ctm_idset *s, ctm_arena *a, char kind, int from, int to, int step)
{
	char id[32];
	unsigned long first;
	for (int i = from; i < to; i += step) {
		make_id(id, sizeof(id), kind, i);
		cr_assert_geq(ctm_idset__add(s, a, id, strlen(id), (unsigned long)i, &first), 0);
	}
}

static int contains(const ctm_idset *s, char kind, int i)
{
	char id[32];
	make_id(id, sizeof(id), kind, i);
	return ctm_idset__contains(s, id, strlen(id));
}

Test(idset, merge_disjoint_intervals_and_exact_ids)
{
	ctm_idset other = CTM_IDSET_INIT;
	fill(&set, &arena, 'R', 0, 1000, 1);      /* [0, 999] */
	fill(&set, &arena, 'a', 0, 50, 1);        /* exact ids */
	fill(&other, &arena, 'R', 1000, 1500, 1); /* [1000, 1499]: joins */
	fill(&other, &arena, 'R', 3000, 3100, 3); /* scattered */
	fill(&other, &arena, 'a', 50, 80, 1);
	fill(&other, &arena, 'Q', 1, 40, 1); /* a new family */
	cr_assert_eq(ctm_idset__overlaps(&set, &other), 0);
	cr_assert_eq(ctm_idset__merge(&set, &arena, &other, 0), 0);
	for (int i = 0; i < 4000; i++)
		cr_assert_eq(contains(&set, 'R', i),
			     i < 1500 || (i >= 3000 && i < 3100 && i % 3 == 0), "R%05d", i);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(contains(&set, 'a', i), i < 80);
	for (int i = 0; i < 60; i++)
		cr_assert_eq(contains(&set, 'Q', i), i >= 1 && i < 40);
	/* [0, 999] and [1000, 1499] became one interval */
	for (size_t f = 0; f < set.family_count; f++)
		if (set.families[f].prefix_len == 1 && set.families[f].prefix[0] == 'R')
			cr_assert_eq(set.families[f].intervals[0].hi, 1499);
	ctm_idset__free(&other);
}

Test(idset, merge_finds_overlaps)
{
	ctm_idset other = CTM_IDSET_INIT;
	fill(&set, &arena, 'R', 0, 100, 2);
	fill(&other, &arena, 'R', 51, 200, 2); /* odd: disjoint */
	cr_assert_eq(ctm_idset__overlaps(&set, &other), 0);
	fill(&other, &arena, 'R', 98, 99, 1); /* 98 is in set */
	cr_assert_eq(ctm_idset__overlaps(&set, &other), 1);
	ctm_idset__free(&other);

	ctm_idset exact = CTM_IDSET_INIT;
	fill(&set, &arena, 'x', 0, 5, 1);
	fill(&exact, &arena, 'x', 4, 9, 1);
	cr_assert_eq(ctm_idset__overlaps(&set, &exact), 1);
	ctm_idset__free(&exact);
}

Test(idset, merge_with_spilled_families)
{
	/* every third id of 6000: scattered enough to be kept id by id */
	ctm_idset other = CTM_IDSET_INIT;
	fill(&set, &arena, 'R', 0, 6000, 3);
	int spilled = 0;
	for (size_t f = 0; f < set.family_count; f++)
		spilled |= set.families[f].spilled;
	cr_assert(spilled, "the family should have been spilled");
	/* intervals against a spilled family: assumed to overlap */
	fill(&other, &arena, 'R', 1, 2, 1);
	cr_assert_eq(ctm_idset__overlaps(&set, &other), 1);
	ctm_idset__free(&other);

	/* a spilled family merged onto intervals: ids go where lookups find them */
	ctm_idset small = CTM_IDSET_INIT;
	fill(&small, &arena, 'R', 7000, 7010, 1);
	ctm_idset__free(&other);
	ctm_idset big = CTM_IDSET_INIT;
	fill(&big, &arena, 'R', 8000, 14000, 3);
	cr_assert_eq(ctm_idset__overlaps(&small, &big), 0);
	cr_assert_eq(ctm_idset__merge(&small, &arena, &big, 0), 0);
	for (int i = 6990; i < 14010; i++)
		cr_assert_eq(contains(&small, 'R', i),
			     (i >= 7000 && i < 7010) || (i >= 8000 && i < 14000 && i % 3 == 2),
			     "R%05d", i);
	unsigned long first;
	cr_assert_eq(ctm_idset__add(&small, &arena, "R08003", 6, 1, &first), 1);
	cr_assert_eq(ctm_idset__add(&small, &arena, "R08004", 6, 1, &first), 0);
	ctm_idset__free(&small);
	ctm_idset__free(&big);
}

/* A made-up UUID per i (hex digits, so about 1 in 10 end in a decimal
 * digit and would each start a family of their own). */
static void uuid(char *buf, size_t size, unsigned i)
{
	unsigned long long h = (i + 1) * 0x9E3779B97F4A7C15ull;
	snprintf(buf, size, "%08llx-%04llx-4%03llx-a%03llx-%012llx", h >> 32, (h >> 16) & 0xffff,
		 (h >> 4) & 0xfff, h & 0xfff, (h ^ (h >> 29)) & 0xffffffffffffull);
}

Test(idset, uuids_and_short_prefixed_ids_stay_exact_and_bounded)
{
	char id[64];
	for (unsigned i = 0; i < 20000; i++) {
		uuid(id, sizeof id, i);
		cr_assert_eq(add(id, i + 2), 0, "%s new", id);
	}
	/* "abc1"-style: a prefix per id */
	for (unsigned i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "%c%c%c%u", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676, i % 10);
		cr_assert_eq(add(id, 30000 + i), 0, "%s new", id);
	}
	cr_assert_leq(set.family_count, 32, "families are bounded: %zu", set.family_count);
	for (unsigned i = 0; i < 20000; i += 997) {
		uuid(id, sizeof id, i);
		cr_assert(ctm_idset__contains(&set, id, strlen(id)));
		unsigned long first = 0;
		cr_assert_eq(ctm_idset__add(&set, &arena, id, strlen(id), 99999, &first), 1);
		cr_assert_eq(first, i + 2);
	}
	cr_assert_eq(add("zzz4", 1), 0);
	cr_assert_eq(add("zzz4", 2), 1);
	cr_assert(!ctm_idset__contains(&set, "zzz5", 4));
}

/* Merging into a set whose families are full: a family it lacks cannot be
 * compared cheaply (overlaps says "may"), and merged anyway its members
 * land in the exact set, where later adds find them. */
Test(idset, merge_into_a_full_set)
{
	char id[32];
	for (unsigned i = 0; i < 40; i++) {
		snprintf(id, sizeof id, "p%c%u", 'a' + i % 26, i);
		cr_assert_eq(add(id, i + 1), 0);
	}
	cr_assert_eq(set.family_count, 32);
	ctm_idset other = CTM_IDSET_INIT;
	unsigned long first;
	for (unsigned i = 1; i <= 100; i++) {
		snprintf(id, sizeof id, "Q%03u", i);
		cr_assert_eq(ctm_idset__add(&other, &arena, id, strlen(id), i, &first), 0);
	}
	cr_assert_neq(ctm_idset__overlaps(&set, &other), 0, "must say it may overlap");
	cr_assert_eq(ctm_idset__merge(&set, &arena, &other, 1000), 0);
	cr_assert_eq(set.family_count, 32);
	cr_assert(ctm_idset__contains(&set, "Q050", 4));
	cr_assert_eq(ctm_idset__add(&set, &arena, "Q050", 4, 5000, &first), 1);
	cr_assert_eq(ctm_idset__add(&set, &arena, "Q101", 4, 5001, &first), 0);
	ctm_idset__free(&other);
}
