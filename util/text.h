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

/*
 * The form in which headers and answers are compared with the rubric's
 * texts, written to dst (max bytes; never longer than len): a no-break
 * space (also narrow, figure) as a space, curly quotes as straight ones, en
 * and em dashes as '-', runs of white space as one space, none at either
 * end, one trailing full stop dropped, folded (ctm_text__fold). Its length,
 * or SIZE_MAX when it is longer than max. dst may not overlap src.
 */
size_t ctm_text__match_key(char *dst, size_t max, const char *src, size_t len);

/* Nonzero when len > 0 and every byte is an ASCII digit. */
int ctm_text__all_digits(const char *s, size_t len);

/*
 * Natural order of wave and region names; returns <0, 0 or >0 like strcmp.
 * Names are split into runs of ASCII digits and runs of anything else, and
 * compared run by run, as Python's
 *   [(0, int(t), "") if t.isdigit() else (1, 0, t)
 *    for t in re.findall(r"\d+|\D+", s)]
 * would: digit runs by numeric value (any length, no overflow), other runs
 * as whole strings by code point (bytewise, which is the same for valid
 * UTF-8; a run that is a prefix of the other sorts first), a digit run before
 * another run at the same position, and a name that is a prefix of the other
 * (in runs) first. So "2" < "10", "x2" < "x10", "1a" < "a", "" first of all.
 * Differences from that key: only ASCII 0-9 are digits (Python's \d and
 * isdigit() also take e.g. Arabic-Indic digits); and where Python's keys tie
 * ("02" vs "2"), the first digit run whose spelling differs decides, the
 * shorter (fewer leading zeros) first. So 0 is returned only for identical
 * byte strings, which makes sorting deterministic. a or b may be NULL when
 * its length is 0.
 */
int ctm_text__natural_compare(const char *a, size_t alen, const char *b, size_t blen);

/* The most bytes of each string ctm_text__edit_distance compares. */
#define CTM_TEXT_EDIT_MAX 64

/* Levenshtein distance between the first CTM_TEXT_EDIT_MAX bytes of a and of
 * b, or bound + 1 as soon as it is known to exceed bound (pass
 * CTM_TEXT_EDIT_MAX for the distance itself). */
size_t ctm_text__edit_distance(const char *a, size_t al, const char *b, size_t bl, size_t bound);

#endif
