#include <stdint.h>
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
			d[i + 1] = (n >= 0x80 && n <= 0x9E && n != 0x97) ? (unsigned char)(n + 0x20)
									 : n;
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

static int is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* Two runs of ASCII digits by value: leading zeros off, then the longer is
 * larger, then digit by digit. Any length, no conversion, no overflow. */
static int compare_number_runs(const char *a, size_t alen, const char *b, size_t blen)
{
	int c;

	while (alen > 0 && *a == '0') {
		a++;
		alen--;
	}
	while (blen > 0 && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = alen ? memcmp(a, b, alen) : 0;
	return (c > 0) - (c < 0);
}

int ctm_text__natural_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0, si, sj, la, lb;
	int tie = 0, c, da, db;

	while (i < alen && j < blen) {
		da = is_ascii_digit(a[i]);
		db = is_ascii_digit(b[j]);
		/* Python's key puts (0, ...) for digits before (1, ...). */
		if (da != db)
			return da ? -1 : 1;
		si = i;
		sj = j;
		while (i < alen && is_ascii_digit(a[i]) == da)
			i++;
		while (j < blen && is_ascii_digit(b[j]) == db)
			j++;
		la = i - si;
		lb = j - sj;
		if (da) {
			c = compare_number_runs(a + si, la, b + sj, lb);
			if (c)
				return c;
			/* Equal value, maybe different spelling ("02", "2"):
			 * remember the first such run, but the rest of the
			 * name decides first, as in Python. */
			if (!tie && la != lb)
				tie = la < lb ? -1 : 1;
		} else {
			/* Whole runs, not bytes across runs: "a1" < "a!" as in
			 * Python, because the run "a" is a prefix of "a!". */
			c = memcmp(a + si, b + sj, la < lb ? la : lb);
			if (c)
				return c < 0 ? -1 : 1;
			if (la != lb)
				return la < lb ? -1 : 1;
		}
	}
	if (i < alen)
		return 1;
	if (j < blen)
		return -1;
	return tie;
}

/* The ASCII stand-in of the typographic character at s (n bytes left), with
 * its length in *skip; 0 when s starts none. Exports carry them where the
 * rubric has plain ones: a no-break space from a spreadsheet, curly quotes
 * and dashes from a word processor's autocorrect. */
static char plain_stand_in(const unsigned char *s, size_t n, size_t *skip)
{
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) {
		*skip = 2;
		return ' ';
	}
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80) {
		*skip = 3;
		switch (s[2]) {
		case 0x98: /* U+2018 LEFT SINGLE QUOTATION MARK */
		case 0x99: /* U+2019 RIGHT SINGLE QUOTATION MARK */
			return '\'';
		case 0x9C: /* U+201C, U+201D double quotation marks */
		case 0x9D: return '"';
		case 0x93: /* U+2013 EN DASH, U+2014 EM DASH */
		case 0x94: return '-';
		case 0xAF: /* U+202F NARROW NO-BREAK SPACE */
		case 0x87: /* U+2007 FIGURE SPACE */
			return ' ';
		default: break;
		}
	}
	return 0;
}

size_t ctm_text__match_key(char *dst, size_t max, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t w = 0;
	int pending = 0;

	for (size_t i = 0; i < len;) {
		size_t skip = 1;
		char c = plain_stand_in(s + i, len - i, &skip);
		if (!c)
			c = (char)s[i], skip = 1;
		if (is_space((unsigned char)c)) {
			pending = w > 0;
			i += skip;
			continue;
		}
		if (w + (size_t)pending >= max)
			return SIZE_MAX;
		if (pending)
			dst[w++] = ' ';
		pending = 0;
		dst[w++] = c;
		i += skip;
	}
	/* one trailing full stop: "Coordination." is Coordination */
	if (w > 1 && dst[w - 1] == '.' && dst[w - 2] != '.') {
		w--;
		while (w && dst[w - 1] == ' ')
			w--;
	}
	ctm_text__fold(dst, dst, w);
	return w;
}

size_t ctm_text__edit_distance(const char *a, size_t al, const char *b, size_t bl, size_t bound)
{
	size_t row[CTM_TEXT_EDIT_MAX + 1];
	if (al > CTM_TEXT_EDIT_MAX)
		al = CTM_TEXT_EDIT_MAX;
	if (bl > CTM_TEXT_EDIT_MAX)
		bl = CTM_TEXT_EDIT_MAX;
	if ((al > bl ? al - bl : bl - al) > bound)
		return bound + 1;
	for (size_t j = 0; j <= bl; j++)
		row[j] = j;
	for (size_t i = 1; i <= al; i++) {
		size_t diag = row[0], lowest;
		row[0] = lowest = i;
		for (size_t j = 1; j <= bl; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < lowest)
				lowest = best;
		}
		/* every later row's values are at least this row's smallest */
		if (lowest > bound)
			return bound + 1;
	}
	return row[bl];
}
