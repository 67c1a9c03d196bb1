/* Internal: small UTF-8 text helpers shared by the rubric loader and the
 * response matcher. */
#ifndef CTM_UTIL_TEXT_H
#define CTM_UTIL_TEXT_H

#include <stddef.h>

/*
 * Case folding for matching answers and headers "case-insensitively":
 * ASCII, Latin-1 Supplement and Latin Extended-A (which covers Māori macrons,
 * Señora, Zürich). Folding never changes a string's byte length, so a
 * folded copy fits the original's buffer. Other scripts compare exactly.
 */
void ctm_text__fold(char *dst, const char *src, size_t len);

/* Nonzero when a and b are equal after folding. */
int ctm_text__fold_equal(const char *a, size_t alen, const char *b, size_t blen);

/* Narrows [*s, *s + *len) to exclude leading and trailing ASCII white space. */
void ctm_text__trim(const char **s, size_t *len);

/* ctm_text__trim with the common case, no space at either end, done inline (every
 * space ctm_text__trim removes is a byte <= ' '). */
static inline void ctm_text__trim_inline(const char **s, size_t *len)
{
	if (*len && (unsigned char)(*s)[0] > ' ' && (unsigned char)(*s)[*len - 1] > ' ')
		return;
	ctm_text__trim(s, len);
}

/* Collapses runs of white space to one space and trims, in place; returns the
 * new length. XML text wrapped over several lines reads as one line. */
size_t ctm_text__collapse_space(char *s);

/* Nonzero when len > 0 and every byte is an ASCII digit. */
int ctm_text__all_digits(const char *s, size_t len);

/* Nonzero when the n bytes at s are valid UTF-8 (no overlongs, surrogates
 * or code points above U+10FFFF). */
int ctm_text__utf8_valid(const char *s, size_t len);

#endif
