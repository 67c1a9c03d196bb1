#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

/* Eight bytes at a time (memcpy: any alignment, the bytes' order as the
 * machine loads them; only this process compares the hashes). */
static uint64_t load64(const char *s)
{
	uint64_t v;
	memcpy(&v, s, sizeof v);
	return v;
}

uint64_t ctm_hashmap__hash(const char *s, size_t len)
{
	/* A word at a time, each multiplied in and folded (as in the mixing
	 * step of murmur-style hashes), then a final mix so that the low bits
	 * (the slot index) depend on every byte. Respondent ids such as UUIDs
	 * are 36 bytes: byte-at-a-time FNV made hashing a tenth of scoring. */
	uint64_t h = 0xcbf29ce484222325ULL ^ (len * 0x9e3779b97f4a7c15ULL);
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		h ^= load64(s + i) * 0xff51afd7ed558ccdULL;
		h = (h << 29 | h >> 35) * 0xc4ceb9fe1a85ec53ULL;
	}
	uint64_t tail = 0;
	for (size_t k = 0; i < len; i++, k += 8)
		tail |= (uint64_t)(unsigned char)s[i] << k;
	h ^= tail * 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

const ctm_hashmap_slot *ctm_hashmap__get(const ctm_hashmap *map, const char *key, size_t len,
					 uint64_t hash)
{
	if (!map->capacity)
		return NULL;
	size_t mask = map->capacity - 1;
	/* at most capacity probes: a one-slot table is full with one key */
	size_t i = hash & mask;
	for (size_t probes = 0; probes < map->capacity; probes++, i = (i + 1) & mask) {
		const ctm_hashmap_slot *s = &map->slots[i];
		if (!s->key)
			return NULL;
		if (s->hash == (uint32_t)hash && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
	}
	return NULL;
}

/* Slots for want keys: one for a single key (most maps of a group --
 * units, partners, roles, a few ids -- hold one name, and a group must cost
 * little: issue 21), else the smallest power of two keeping the load at or
 * under 1/2, so that probes stay short. From two keys on the tables are the
 * sizes they always were, so the order of a map's slots is as before. */
static int grow(ctm_hashmap *map, size_t want)
{
	size_t cap = want == 1 ? 1 : 2;
	while (want > 1 && cap / 2 < want) {
		if (cap >= (size_t)1 << 31)
			return -1; /* at most 2^31 slots: capacity is 32 bits */
		cap *= 2;
	}
	if (cap > SIZE_MAX / sizeof(ctm_hashmap_slot))
		return -1;
	ctm_hashmap_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < map->capacity; i++) {
		ctm_hashmap_slot *s = &map->slots[i];
		if (!s->key)
			continue;
		size_t j = s->hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(map->slots);
	map->slots = slots;
	map->capacity = (uint32_t)cap;
	return 0;
}

int ctm_hashmap__put(ctm_hashmap *map, const char *key, size_t len, uint64_t hash, size_t value)
{
	size_t want = (size_t)map->count + 1;
	if ((want == 1 ? 1 : want * 2) > map->capacity && grow(map, want) != 0)
		return -1;
	size_t mask = map->capacity - 1;
	size_t i = hash & mask;
	while (map->slots[i].key)
		i = (i + 1) & mask;
	if (len > UINT32_MAX)
		return -1; /* no field is this long */
	map->slots[i] = (ctm_hashmap_slot){ key ? key : "", (uint32_t)len, (uint32_t)hash, value };
	map->count++;
	return 0;
}

void ctm_hashmap__free(ctm_hashmap *map)
{
	free(map->slots);
	map->slots = NULL;
	map->capacity = map->count = 0;
}
