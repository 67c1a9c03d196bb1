/*
 * Name keys: what makes two spellings of a partner, region, wave or role one
 * name. ASCII text, by far the most common, is folded here byte by byte;
 * anything else goes through utf8proc's NFKC_Casefold (the Unicode
 * standard's folding for identifiers), after which white space is collapsed
 * the same way.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "namekey.h"

static int is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Appends s folded (ASCII case only), white space runs as one space (and,
 * loose, punctuation as space). Written in place: the key is never longer. */
static void collapse(ctm_strbuf *out, const char *s, size_t len, int ascii_fold, int loose)
{
	size_t start = out->len;
	ctm_strbuf__append(out, s, len); /* room for the key, which is no longer */
	if (out->failed)
		return;
	char *w = out->s + start;
	const char *src = w; /* folded over itself: w never passes src */
	int pending = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		int space = c <= ' ';
		if (loose && c < 0x80 && !space &&
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			space = 1; /* punctuation separates like a space */
		if (space) {
			pending = w > out->s + start;
			continue;
		}
		if (pending)
			*w++ = ' ';
		pending = 0;
		*w++ = (char)(ascii_fold && c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out->len = (size_t)(w - out->s);
	out->s[out->len] = '\0';
}

static int make(ctm_strbuf *out, const char *s, size_t len, int loose)
{
	ctm_strbuf__reset(out);
	if (is_ascii(s, len)) {
		collapse(out, s, len, 1, loose);
	} else {
		utf8proc_uint8_t *folded = NULL;
		utf8proc_ssize_t n = utf8proc_map(
			(const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
			UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
				UTF8PROC_IGNORE);
		if (n == UTF8PROC_ERROR_NOMEM)
			return -1;
		if (n < 0) /* not UTF-8: the bytes, ASCII folded */
			collapse(out, s, len, 1, loose);
		else
			collapse(out, (const char *)folded, (size_t)n, 0, loose);
		free(folded);
	}
	if (!out->s)
		ctm_strbuf__append(out, "", 0);
	return out->failed ? -1 : 0;
}

int ctm_namekey__make(ctm_strbuf *out, const char *s, size_t len) { return make(out, s, len, 0); }

int ctm_namekey__loose(ctm_strbuf *out, const char *s, size_t len) { return make(out, s, len, 1); }
