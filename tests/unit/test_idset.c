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
	ctm_idset_free(&set);
	ctm_arena_free(&arena);
}

TestSuite(idset, .init = setup, .fini = teardown);

static int add(const char *id, unsigned long line)
{
	unsigned long first;
	return ctm_idset_add(&set, &arena, id, strlen(id), line, &first);
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
	cr_assert_eq(ctm_idset_add(&set, &arena, "r7", 2, 14, &first), 0);
	cr_assert_eq(ctm_idset_add(&set, &arena, "r7", 2, 20, &first), 1);
	cr_assert_eq(first, 14);
	cr_assert_eq(ctm_idset_add(&set, &arena, "anna", 4, 30, &first), 0);
	cr_assert_eq(ctm_idset_add(&set, &arena, "anna", 4, 31, &first), 1);
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
