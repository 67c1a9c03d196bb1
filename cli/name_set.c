/* An open-addressing hash set of strings (FNV-1a, linear probing, kept at
 * most half full). */
#include "name_set.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static cli_name_slot *find(cli_name_slot *slots, size_t capacity, const char *name)
{
	size_t i = (size_t)hash(name) & (capacity - 1);
	while (slots[i].name && strcmp(slots[i].name, name) != 0)
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int grow(cli_name_set *set)
{
	size_t capacity = set->capacity ? 2 * set->capacity : 64;
	cli_name_slot *slots = calloc(capacity, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < set->capacity; i++)
		if (set->slots[i].name)
			*find(slots, capacity, set->slots[i].name) = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->capacity = capacity;
	return 0;
}

cli_name_slot *cli_name_set_get(cli_name_set *set, const char *name, int *added)
{
	*added = 0;
	if (set->capacity) {
		cli_name_slot *s = find(set->slots, set->capacity, name);
		if (s->name)
			return s;
	}
	if (2 * (set->count + 1) > set->capacity && grow(set))
		return NULL;
	cli_name_slot *s = find(set->slots, set->capacity, name);
	if (!(s->name = strdup(name)))
		return NULL;
	s->next = 0;
	set->count++;
	*added = 1;
	return s;
}

void cli_name_set_free(cli_name_set *set)
{
	for (size_t i = 0; i < set->capacity; i++)
		free(set->slots[i].name);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
