#include "utf8.h"

size_t ctm_utf8__invalid_at(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = ctm_utf8__decode(s + i, n - i, NULL);
		if (!k)
			return i;
		i += k;
	}
	return n;
}
