/* Internal: the key names are grouped by (partner, region, wave, role). */
#ifndef CTM_UTIL_NAMEKEY_H
#define CTM_UTIL_NAMEKEY_H

#include <stddef.h>

#include "strbuf.h"

/*
 * The key of a name as people mean it, into out (reset first): Unicode
 * compatibility forms and case folded (NFKC_Casefold: "Ｃｉｔｙ" and "CITY"
 * are "city"), every run of white space (a no-break space included) one
 * space, none at either end. "City Council", "city council" and
 * "City  Council" have one key. Text that is not UTF-8 is keyed by its
 * bytes, case folded. 0, or -1 when out of memory.
 */
int ctm_namekey__make(ctm_strbuf *out, const char *s, size_t len);

/*
 * The key with punctuation also dropped (every character that is not a
 * letter, digit or space, and the spaces it leaves doubled): "Dept. of
 * Health" is "dept of health". For finding names that are near each other.
 */
int ctm_namekey__loose(ctm_strbuf *out, const char *s, size_t len);

#endif
