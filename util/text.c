#include <string.h>

#include "text.h"

void ctm_text__fold(char *dst, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	unsigned char *d = (unsigned char *)dst;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c >= 'A' && c <= 'Z') {
			d[i] = (unsigned char)(c + 32);
		} else if (c == 0xC3 && i + 1 < len) {
			/* U+00C0..U+00DE (but not U+00D7, the multiplication sign) */
			unsigned char n = s[i + 1];
			d[i] = c;
			d[i + 1] = (n >= 0x80 && n <= 0x9E && n != 0x97) ? (unsigned char)(n + 0x20) : n;
			i++;
		} else if ((c == 0xC4 || c == 0xC5) && i + 1 < len) {
			/* Latin Extended-A: mostly pairs, upper case even. The ranges
			 * U+0139..U+0148 and U+0179..U+017E pair odd with even. */
			unsigned cp = ((unsigned)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
			unsigned f = cp;
			if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) {
				if (cp % 2 == 0)
					f = cp + 1;
			} else if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
				if (cp % 2 == 1)
					f = cp + 1;
			}
			d[i] = (unsigned char)(0xC0 | (f >> 6));
			d[i + 1] = (unsigned char)(0x80 | (f & 0x3F));
			i++;
		} else {
			d[i] = c;
		}
	}
}

int ctm_text__fold_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	char fa[64], fb[64];

	if (alen != blen)
		return 0;
	while (alen) {
		/* Fold in chunks that never split a two-byte sequence. */
		size_t n = alen < sizeof(fa) ? alen : sizeof(fa) - 1;
		if (n < alen && ((unsigned char)a[n] & 0xC0) == 0x80)
			n--;
		if (n < alen && ((unsigned char)b[n] & 0xC0) == 0x80)
			n--;
		if (n == 0)
			n = 1;
		ctm_text__fold(fa, a, n);
		ctm_text__fold(fb, b, n);
		if (memcmp(fa, fb, n) != 0)
			return 0;
		a += n;
		b += n;
		alen -= n;
	}
	return 1;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void ctm_text__trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	while (n && is_space((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && is_space((unsigned char)p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

size_t ctm_text__collapse_space(char *s)
{
	size_t r = 0, w = 0;
	int pending = 0;

	for (; s[r]; r++) {
		if (is_space((unsigned char)s[r])) {
			pending = w > 0;
			continue;
		}
		if (pending)
			s[w++] = ' ';
		pending = 0;
		s[w++] = s[r];
	}
	s[w] = '\0';
	return w;
}

int ctm_text__all_digits(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int ctm_text__utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i <= need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}
