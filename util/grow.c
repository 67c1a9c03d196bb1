#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

int ctm_grow__reserve(void **p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return 0;
	/* from what is wanted: most of a group's arrays hold one thing */
	size_t ncap = *cap ? *cap : want;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return -1;
	void *grown = realloc(*p, ncap * size);
	if (!grown)
		return -1;
	*p = grown;
	*cap = ncap;
	return 0;
}
