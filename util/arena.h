/* Internal: a bump allocator for objects that live and die together
 * (a rubric's strings, a result set's keys). One free releases everything. */
#ifndef CTM_UTIL_ARENA_H
#define CTM_UTIL_ARENA_H

#include <stddef.h>

typedef struct ctm_arena_block ctm_arena_block;

typedef struct ctm_arena {
	ctm_arena_block *head;
	size_t used;     /* bytes used in head */
	size_t capacity; /* bytes available in head */
} ctm_arena;

#define CTM_ARENA_INIT \
	{ \
		NULL, 0, 0 \
	}

/* size bytes aligned for any object, or NULL when out of memory. */
void *ctm_arena__alloc(ctm_arena *arena, size_t size);
/* A NUL-terminated copy of len bytes of s, or NULL when out of memory. */
char *ctm_arena__strndup(ctm_arena *arena, const char *s, size_t len);
char *ctm_arena__strdup(ctm_arena *arena, const char *s);
void ctm_arena__free(ctm_arena *arena);

#endif
