#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "strbuf.h"

/* Room for len more bytes and a NUL; 0, or -1 (and failed) without. */
static int reserve(ctm_strbuf *b, size_t len)
{
	if (b->failed)
		return -1;
	if (len > (size_t)-1 - b->len - 1 ||
	    ctm_grow__reserve((void **)&b->s, &b->cap, b->len + len + 1, 1)) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

void ctm_strbuf__append(ctm_strbuf *b, const char *s, size_t len)
{
	if (reserve(b, len) < 0)
		return;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void ctm_strbuf__vprintf(ctm_strbuf *b, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (reserve(b, (size_t)n) < 0)
		return;
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
}

void ctm_strbuf__printf(ctm_strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctm_strbuf__vprintf(b, fmt, ap);
	va_end(ap);
}

void ctm_strbuf__reset(ctm_strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void ctm_strbuf__free(ctm_strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

char *ctm_strbuf__detach(ctm_strbuf *b)
{
	if (!b->failed && !b->s)
		ctm_strbuf__append(b, "", 0);
	char *s = b->failed ? NULL : b->s;
	if (!s)
		free(b->s);
	memset(b, 0, sizeof(*b));
	return s;
}

char *ctm_strbuf__format(const char *fmt, ...)
{
	ctm_strbuf b = CTM_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	ctm_strbuf__vprintf(&b, fmt, ap);
	va_end(ap);
	return ctm_strbuf__detach(&b);
}
