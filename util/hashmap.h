/* Internal: an open-addressing map from byte strings to indexes. Keys are
 * borrowed: the caller keeps them alive (typically in an arena). */
#ifndef CTM_UTIL_HASHMAP_H
#define CTM_UTIL_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

/* 24 bytes: a group's few small maps are much of what it costs (issue 21).
 * A key is at most a field (far below 4 GiB); the low 32 bits of its hash
 * are kept, all a table below 2^32 slots uses for its position. */
typedef struct ctm_hashmap_slot {
	const char *key;
	uint32_t len;
	uint32_t hash;
	size_t value;
} ctm_hashmap_slot;

/* 16 bytes: a group holds several (issue 21). A table has at most 2^31
 * slots (48 GiB of them), so both counts fit in 32 bits. */
typedef struct ctm_hashmap {
	ctm_hashmap_slot *slots;
	uint32_t capacity; /* a power of two, or 0 */
	uint32_t count;
} ctm_hashmap;

#define CTM_HASHMAP_INIT \
	{ \
		NULL, 0, 0 \
	}

uint64_t ctm_hashmap__hash(const char *s, size_t len);

/* The slot holding key, or NULL. */
const ctm_hashmap_slot *ctm_hashmap__get(const ctm_hashmap *map, const char *key, size_t len,
					 uint64_t hash);

/* Inserts key (which must not be present) with value; 0 or -1 (no memory). */
int ctm_hashmap__put(ctm_hashmap *map, const char *key, size_t len, uint64_t hash, size_t value);

void ctm_hashmap__free(ctm_hashmap *map);

#endif
