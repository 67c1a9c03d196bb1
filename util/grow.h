/* Internal: growing an array by doubling -- the one place that does. */
#ifndef CTM_UTIL_GROW_H
#define CTM_UTIL_GROW_H

#include <stddef.h>

/*
 * Makes the array *p, of *cap elements of size bytes, hold at least want
 * elements: doubles *cap (from 8) until it does and reallocates, checking
 * every multiplication. Returns 0, or -1 when out of memory (then *p and *cap
 * are unchanged). Call as ctm_grow__reserve((void **)&a, &cap, count + 1, sizeof(*a)).
 */
int ctm_grow__reserve(void **p, size_t *cap, size_t want, size_t size);

#endif
