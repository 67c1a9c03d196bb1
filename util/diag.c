/*
 * Diagnostics context: a list of located messages plus counts, errors and
 * warnings (with notes) capped separately, repeated warnings of one kind
 * folded into the first kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "strbuf.h"
#include "grow.h"

/* A kind of warning kept: what a later warning is folded into. */
typedef struct kind {
	char *fmt;   /* a copy: a format string need not outlive its call */
	char *file;  /* a copy of the file as reported, or NULL */
	size_t diag; /* index of the kept warning */
} kind;

struct ctm_ctx {
	ctm_diag *diags;
	size_t count;
	size_t capacity;
	size_t max;         /* cap of errors, and cap of warnings and notes */
	size_t kept_errors; /* errors among diags */
	size_t kept_others; /* warnings and notes among diags */
	size_t errors;      /* reported, kept or not */
	size_t warnings;    /* reported, kept, folded or not */
	size_t dropped;     /* reported, neither kept nor folded */
	kind *kinds;
	size_t kind_count;
	size_t kind_capacity;
};

const char *ctm_strerror(int code)
{
	switch (code) {
	case CTM_OK: return "success";
	case CTM_EINVALID: return "invalid input";
	case CTM_ENOMEM: return "out of memory";
	case CTM_EIO: return "cannot read input";
	case CTM_EWRITE: return "cannot write output";
	case CTM_EUSAGE: return "invalid argument";
	case CTM_EINTERNAL: return "internal error";
	case CTM_EINTERRUPTED: return "interrupted";
	default: return "unknown error";
	}
}

ctm_ctx *ctm_ctx_new(void)
{
	ctm_ctx *ctx = calloc(1, sizeof(*ctx));
	if (ctx)
		ctx->max = CTM_CTX_DEFAULT_MAX_DIAGS;
	return ctx;
}

void ctm_ctx_clear(ctm_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->count; i++) {
		free((char *)ctx->diags[i].file);
		free((char *)ctx->diags[i].message);
	}
	for (size_t i = 0; i < ctx->kind_count; i++) {
		free(ctx->kinds[i].fmt);
		free(ctx->kinds[i].file);
	}
	ctx->count = ctx->kind_count = 0;
	ctx->kept_errors = ctx->kept_others = 0;
	ctx->errors = ctx->warnings = ctx->dropped = 0;
}

void ctm_ctx_free(ctm_ctx *ctx)
{
	if (!ctx)
		return;
	ctm_ctx_clear(ctx);
	free(ctx->diags);
	free(ctx->kinds);
	free(ctx);
}

void ctm_ctx_set_max_diags(ctm_ctx *ctx, size_t max)
{
	if (ctx)
		ctx->max = max ? max : 1;
}

size_t ctm_ctx_count(const ctm_ctx *ctx) { return ctx ? ctx->count : 0; }
size_t ctm_ctx_error_count(const ctm_ctx *ctx) { return ctx ? ctx->errors : 0; }
size_t ctm_ctx_warning_count(const ctm_ctx *ctx) { return ctx ? ctx->warnings : 0; }
size_t ctm_ctx_dropped_count(const ctm_ctx *ctx) { return ctx ? ctx->dropped : 0; }

const ctm_diag *ctm_ctx_get(const ctm_ctx *ctx, size_t i)
{
	if (!ctx || i >= ctx->count)
		return NULL;
	return &ctx->diags[i];
}

/*
 * The text of b (freed) with every control character written as \xNN: a
 * cell, a header or a file name can hold anything, and a diagnostic printed
 * raw could move a terminal's cursor, change its colours or hide text. NULL
 * when out of memory.
 */
static char *escaped(ctm_strbuf *b)
{
	size_t controls = 0;

	for (size_t i = 0; !b->failed && b->s && i < b->len; i++)
		controls += (unsigned char)b->s[i] < 0x20 || b->s[i] == 0x7f;
	if (!controls)
		return ctm_strbuf__detach(b);
	ctm_strbuf out = CTM_STRBUF_INIT;
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->s[i];
		if (c < 0x20 || c == 0x7f)
			ctm_strbuf__printf(&out, "\\x%02x", c);
		else
			ctm_strbuf__append(&out, b->s + i, 1);
	}
	ctm_strbuf__free(b);
	return ctm_strbuf__detach(&out);
}

/*
 * Nonzero when fmt has text of its own besides its conversions, "%%" being
 * text: a format of conversions only ("%s", "%.*s") passes a message through
 * (libxml2's) and says nothing of its kind.
 */
static int has_own_text(const char *fmt)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || p[1] == '%')
			return 1;
		p++;
		p += strspn(p, "-+ #0");
		p += strspn(p, "0123456789*");
		if (*p == '.') {
			p++;
			p += strspn(p, "0123456789*");
		}
		p += strspn(p, "hljztL");
		if (!*p)
			return 0;
		/* p is on the conversion; the loop steps over it */
	}
	return 0;
}

static int same_file(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The kept warning a warning of format fmt from file is folded into, or
 * NULL. A kept warning named since (ctm_diag__name_file) is no longer one of
 * an unnamed file's. */
static ctm_diag *kind_of(ctm_ctx *ctx, const char *fmt, const char *file)
{
	for (size_t i = 0; i < ctx->kind_count; i++) {
		const kind *k = &ctx->kinds[i];
		ctm_diag *d = &ctx->diags[k->diag];
		if (strcmp(k->fmt, fmt) == 0 && same_file(k->file, file) && (file || !d->file))
			return d;
	}
	return NULL;
}

/* Remembers the kept warning at index i as the one of its kind. Out of
 * memory, it is not: later ones like it are kept (or dropped) as their own. */
static void add_kind(ctm_ctx *ctx, const char *fmt, const char *file, size_t i)
{
	kind k = { strdup(fmt), file ? strdup(file) : NULL, i };

	if (!k.fmt || (file && !k.file) ||
	    ctm_grow__reserve((void **)&ctx->kinds, &ctx->kind_capacity, ctx->kind_count + 1,
			      sizeof(*ctx->kinds))) {
		free(k.fmt);
		free(k.file);
		return;
	}
	ctx->kinds[ctx->kind_count++] = k;
}

void ctm_diag__vreport(ctm_ctx *ctx, ctm_severity sev, const char *file, unsigned long line,
		       unsigned long column, const char *fmt, va_list ap)
{
	char *message = NULL, *file_copy = NULL;
	int cell = (column & CTM_DIAG_CELL) != 0;

	if (!ctx)
		return;
	column &= ~CTM_DIAG_CELL;
	if (sev == CTM_SEV_ERROR)
		ctx->errors++;
	else if (sev == CTM_SEV_WARNING)
		ctx->warnings++;
	int foldable = sev == CTM_SEV_WARNING && fmt && has_own_text(fmt);
	if (foldable) {
		ctm_diag *same = kind_of(ctx, fmt, file);
		if (same) {
			same->repeats++;
			return;
		}
	}
	if (ctm_diag__full(ctx, sev))
		goto dropped;

	if (ctm_grow__reserve((void **)&ctx->diags, &ctx->capacity, ctx->count + 1,
			      sizeof(*ctx->diags)))
		goto dropped;

	ctm_strbuf text = CTM_STRBUF_INIT;
	ctm_strbuf__vprintf(&text, fmt, ap);
	message = escaped(&text);
	if (!message)
		goto dropped;
	if (file) {
		ctm_strbuf name = CTM_STRBUF_INIT;
		ctm_strbuf__append(&name, file, strlen(file));
		if (!(file_copy = escaped(&name)))
			goto dropped;
	}

	if (foldable)
		add_kind(ctx, fmt, file, ctx->count);
	ctx->diags[ctx->count++] = (ctm_diag){ sev, file_copy, line, column, message, 0, cell };
	if (sev == CTM_SEV_ERROR)
		ctx->kept_errors++;
	else
		ctx->kept_others++;
	return;

dropped:
	free(message);
	free(file_copy);
	ctx->dropped++;
}

int ctm_diag__full(const ctm_ctx *ctx, ctm_severity sev)
{
	if (!ctx)
		return 1;
	return (sev == CTM_SEV_ERROR ? ctx->kept_errors : ctx->kept_others) >= ctx->max;
}

void ctm_diag__count_dropped(ctm_ctx *ctx, ctm_severity sev, size_t n)
{
	if (!ctx)
		return;
	if (sev == CTM_SEV_ERROR)
		ctx->errors += n;
	else if (sev == CTM_SEV_WARNING)
		ctx->warnings += n;
	ctx->dropped += n;
}

void ctm_diag__name_file(ctm_ctx *ctx, size_t since, const char *file)
{
	if (!ctx || !file)
		return;
	for (size_t i = since; i < ctx->count; i++) {
		if (ctx->diags[i].file)
			continue;
		ctm_strbuf name = CTM_STRBUF_INIT;
		ctm_strbuf__append(&name, file, strlen(file));
		ctx->diags[i].file = escaped(&name); /* NULL when out of memory: unnamed */
	}
}

void ctm_diag__report(ctm_ctx *ctx, ctm_severity sev, const char *file, unsigned long line,
		      unsigned long column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ctm_diag__vreport(ctx, sev, file, line, column, fmt, ap);
	va_end(ap);
}

char *ctm_cell_name(unsigned long column, unsigned long row, char *buf, size_t size)
{
	char letters[16];
	size_t n = 0;

	/* bijective base 26: 1 A, 26 Z, 27 AA */
	while (column > 0 && n < sizeof(letters)) {
		column--;
		letters[n++] = (char)('A' + column % 26);
		column /= 26;
	}
	char rev[17];
	for (size_t i = 0; i < n; i++)
		rev[i] = letters[n - 1 - i];
	rev[n] = '\0';
	if (size)
		snprintf(buf, size, "%s%lu", rev, row);
	return buf;
}

size_t ctm_diag_format(const ctm_diag *d, char *buf, size_t size)
{
	static const char *const names[] = { "error", "warning", "note" };
	char where[64] = "", more[64] = "";
	int n;

	if (!d) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	if (d->line && d->column && d->cell) {
		char name[24];
		snprintf(where, sizeof(where), "!%s", ctm_cell_name(d->column, d->line, name, sizeof(name)));
	} else if (d->line && d->column)
		snprintf(where, sizeof(where), ":%lu:%lu", d->line, d->column);
	else if (d->line)
		snprintf(where, sizeof(where), ":%lu", d->line);
	if (d->repeats)
		snprintf(more, sizeof(more), " (and %zu more like it)", d->repeats);
	const char *sev = (unsigned)d->severity < 3 ? names[d->severity] : "error";
	if (d->file)
		n = snprintf(buf, size, "%s%s: %s: %s%s", d->file, where, sev, d->message, more);
	else
		n = snprintf(buf, size, "%s: %s%s", sev, d->message, more);
	return n < 0 ? 0 : (size_t)n;
}

int ctm_diag__check_version(ctm_ctx *ctx, const char *function, unsigned int version,
			    unsigned int current)
{
	if (version >= 1 && version <= current)
		return CTM_OK;
	ctm_diag__error(ctx, NULL, 0, 0,
			"%s: options version %u is not known (1 to %u; start from the _INIT "
			"macro or the _init function)",
			function, version, current);
	return CTM_EUSAGE;
}

int ctm_diag__init_options(void *opts, size_t size, const void *defaults, unsigned int version,
			   unsigned int current)
{
	if (!opts || version < 1 || version > current)
		return CTM_EUSAGE;
	memcpy(opts, defaults, size);
	memcpy(opts, &version, sizeof(version));
	return CTM_OK;
}
