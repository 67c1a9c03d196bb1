#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct ctm_arena_block {
	ctm_arena_block *next;
	alignas(max_align_t) unsigned char data[];
};

enum { ARENA_BLOCK = 16 * 1024 };

void *ctm_arena__alloc(ctm_arena *arena, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t rounded = (size + align - 1) & ~(align - 1);

	if (rounded < size)
		return NULL;
	if (!arena->head || arena->capacity - arena->used < rounded) {
		size_t cap = rounded > ARENA_BLOCK ? rounded : ARENA_BLOCK;
		if (cap > SIZE_MAX - sizeof(ctm_arena_block))
			return NULL;
		ctm_arena_block *block = malloc(sizeof(*block) + cap);
		if (!block)
			return NULL;
		block->next = arena->head;
		arena->head = block;
		arena->used = 0;
		arena->capacity = cap;
	}
	void *p = arena->head->data + arena->used;
	arena->used += rounded;
	return p;
}

char *ctm_arena__strndup(ctm_arena *arena, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *d = ctm_arena__alloc(arena, len + 1);
	if (!d)
		return NULL;
	if (len)
		memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *ctm_arena__strdup(ctm_arena *arena, const char *s)
{
	return ctm_arena__strndup(arena, s, strlen(s));
}

void ctm_arena__free(ctm_arena *arena)
{
	ctm_arena_block *b = arena->head;
	while (b) {
		ctm_arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena->head = NULL;
	arena->used = arena->capacity = 0;
}
