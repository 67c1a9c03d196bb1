/*
 * Internal: the set of respondent ids seen in one group, for duplicates.
 *
 * Survey exports number their respondents ("R000123", "17", "resp-0042"),
 * usually in blocks. Ids of the form PREFIX + DIGITS are kept as sorted
 * intervals per (prefix, digit count), so a million sequential ids cost a
 * few bytes instead of a million strings: memory stays bounded by groups,
 * not respondents. Ids of any other form, families whose numbers do not
 * compress into intervals, and the numbered ids of prefixes beyond the
 * first 32 (UUIDs and "abc1"-style ids make a prefix per id) are kept
 * exactly in a hash set, so every add and lookup costs O(1) expected time
 * whatever the ids look like.
 */
#ifndef CTM_UTIL_IDSET_H
#define CTM_UTIL_IDSET_H

#include <stdint.h>

#include "arena.h"
#include "hashmap.h"

typedef struct ctm_id_interval {
	uint64_t lo, hi;
} ctm_id_interval;

/* 48 bytes (a group with one numbered id holds one: issue 21). */
typedef struct ctm_id_family {
	const char *prefix; /* in the arena */
	ctm_id_interval *intervals;
	size_t count, cap;
	size_t members;
	uint32_t prefix_len; /* of an id: a field, below 4 GiB */
	uint16_t width; /* digits (at most 18), leading zeros included: "R01" is not "R1" */
	uint16_t spilled; /* too scattered: its ids now go to the exact set */
} ctm_id_family;

typedef struct ctm_idset {
	ctm_hashmap exact; /* id -> line of first appearance (0: not known) */
	ctm_hashmap lines; /* the first CTM_IDSET_LINES numbered ids -> line */
	ctm_id_family *families;
	size_t family_count, family_cap;
} ctm_idset;

#define CTM_IDSET_INIT \
	{ \
		CTM_HASHMAP_INIT, CTM_HASHMAP_INIT, NULL, 0, 0 \
	}

/* Numbered ids whose line is remembered for messages; later ones only say
 * that the id was seen before. */
#define CTM_IDSET_LINES 256

/*
 * Adds an id. Returns 0 when it is new, 1 when it was already there (with
 * *first_line set to the line it was first seen on, or 0 when that is not
 * kept), -1 when out of memory.
 */
int ctm_idset__add(ctm_idset *set, ctm_arena *arena, const char *id, size_t len, unsigned long line,
		   unsigned long *first_line);

/* Nonzero when id is in the set. */
int ctm_idset__contains(const ctm_idset *set, const char *id, size_t len);

/* Nonzero when a and b share an id, or may: a family that a keeps id by id
 * (spilled) and b as intervals is not compared id by id. */
int ctm_idset__overlaps(const ctm_idset *a, const ctm_idset *b);

/*
 * Adds every id of src, which must not overlap dst, to dst; src's remembered
 * lines moved by line_shift (src was read from a later part of the same
 * file). Returns 0, or -1 when out of memory.
 */
int ctm_idset__merge(ctm_idset *dst, ctm_arena *arena, const ctm_idset *src,
		     unsigned long line_shift);

void ctm_idset__free(ctm_idset *set);

#endif
