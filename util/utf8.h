/* Internal: UTF-8, the one decoder every part of the library uses. The byte
 * ranges are those of Unicode's table of well-formed sequences (3-7), which
 * rule out overlong forms, surrogates and code points above U+10FFFF at the
 * byte where they show. Inline, because the CSV reader's hot loop checks
 * every non-ASCII sequence with it. */
#ifndef CTM_UTIL_UTF8_H
#define CTM_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* For a lead byte c: the number of continuation bytes (1-3) and the range
 * [*lo, *hi] allowed for the first of them; 0 when c cannot lead a sequence
 * (ASCII included). Later continuation bytes are always 0x80..0xBF. */
static inline unsigned ctm_utf8__lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c < 0xC2 || c >= 0xF5)
		return 0;
	if (c < 0xE0)
		return 1;
	if (c < 0xF0) {
		if (c == 0xE0)
			*lo = 0xA0; /* no overlongs */
		else if (c == 0xED)
			*hi = 0x9F; /* no surrogates */
		return 2;
	}
	if (c == 0xF0)
		*lo = 0x90; /* no overlongs */
	else if (c == 0xF4)
		*hi = 0x8F; /* nothing above U+10FFFF */
	return 3;
}

/*
 * Decodes the sequence at s, of which n > 0 bytes may be read: returns its
 * length (1-4) and stores the code point in *cp (cp may be NULL), or returns
 * 0 when the bytes are not a well-formed sequence (or it does not end within
 * n bytes).
 */
static inline size_t ctm_utf8__decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;

	if (p[0] < 0x80) {
		if (cp)
			*cp = p[0];
		return 1;
	}
	unsigned need = ctm_utf8__lead(p[0], &lo, &hi);
	if (!need || n <= need || p[1] < lo || p[1] > hi)
		return 0;
	uint32_t c = p[0] & (0x7Fu >> (need + 1));
	for (unsigned k = 1; k <= need; k++) {
		if (k > 1 && (p[k] < 0x80 || p[k] > 0xBF))
			return 0;
		c = c << 6 | (p[k] & 0x3Fu);
	}
	if (cp)
		*cp = c;
	return need + 1;
}

/* The offset of the first byte of s[0..n) that does not begin a well-formed
 * sequence, or n when all of it is valid UTF-8. */
size_t ctm_utf8__invalid_at(const char *s, size_t n);

#endif
