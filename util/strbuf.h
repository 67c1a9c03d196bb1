/* Internal: a growing NUL-terminated string, the one string builder of the
 * library (report texts, file names, diagnostics). */
#ifndef CTM_UTIL_STRBUF_H
#define CTM_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/* Start from CTM_STRBUF_INIT (all zeros). s is NULL until something is
 * appended, then NUL-terminated; it is owned by the buffer until detached.
 * On out of memory the buffer remembers (failed) and every later append does
 * nothing, so callers check once, at the end. */
typedef struct ctm_strbuf {
	char *s;
	size_t len, cap;
	int failed;
} ctm_strbuf;

#define CTM_STRBUF_INIT \
	{ \
		NULL, 0, 0, 0 \
	}

void ctm_strbuf__append(ctm_strbuf *b, const char *s, size_t len);
void ctm_strbuf__printf(ctm_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctm_strbuf__vprintf(ctm_strbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Empties the string, keeping its memory (and a failure). */
void ctm_strbuf__reset(ctm_strbuf *b);
/* Frees the memory; the buffer is then empty and may be used again. */
void ctm_strbuf__free(ctm_strbuf *b);
/* The string, now the caller's to free (an empty string when nothing was
 * appended), or NULL when an append failed (the memory is freed then). The
 * buffer is left empty. */
char *ctm_strbuf__detach(ctm_strbuf *b);
/* A printf-formatted string on the heap, or NULL when out of memory. */
char *ctm_strbuf__format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
