/* Drawing layer: UTF-8 text, wrapping, paragraphs, headings and bookmarks. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "draw_impl.h"
#include "format.h"
#include "grow.h"
#include "utf8.h"

#define DEFAULT_SIZE 10.0
#define DEFAULT_LINE_HEIGHT 1.25
#define HEADING_COLOR CTM_DRAW_HEX(0x1f3a5f)

int ctm_draw__utf8_check(ctm_draw_doc *doc, const char *s, const char *what)
{
	if (!s) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: %s: no text", what);
		return CTM_EUSAGE;
	}
	size_t n = strlen(s), at = ctm_utf8__invalid_at(s, n);
	if (at < n) {
		/* Every text the renderer draws comes from validated input or
		 * from itself: broken UTF-8 here is continuum's bug, said as
		 * one (exit 1, never a usage error), with what was drawn. */
		ctm_diag__error(doc->ctx, NULL, 0, 0,
				"PDF: internal error: %s: the text is not valid UTF-8 at byte %zu "
				"of %zu (please report this)",
				what, at, n);
		return CTM_EINTERNAL;
	}
	return 0;
}

/* ---- building text ------------------------------------------------------- */

static const char *pdf_number(char *buf, size_t size, double x, int decimals, unsigned flags)
{
	if (fabs(x) > 1e12 ||
	    !ctm_format__number(buf, size, x, decimals, flags | CTM_FORMAT_UNICODE_MINUS))
		snprintf(buf, size, "—");
	return buf;
}

const char *ctm_draw__number(char *buf, size_t size, double x, int decimals)
{
	return pdf_number(buf, size, x, decimals, 0);
}

const char *ctm_draw__signed_number(char *buf, size_t size, double x, int decimals)
{
	return pdf_number(buf, size, x, decimals, CTM_FORMAT_PLUS);
}

char *ctm_draw__format(char *buf, size_t size, const char *fmt, ...)
{
	static const char ellipsis[] = "…";
	va_list ap;

	if (!size)
		return buf;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return buf;
	}
	if ((size_t)n < size)
		return buf;
	/* Cut where a character starts, leaving room for the ellipsis. */
	size_t cut = size - 1 >= sizeof ellipsis - 1 ? size - sizeof ellipsis : 0;
	while (cut > 0 && ((unsigned char)buf[cut] & 0xC0) == 0x80)
		cut--;
	if (size - cut >= sizeof ellipsis)
		memcpy(buf + cut, ellipsis, sizeof ellipsis);
	else
		buf[cut] = '\0';
	return buf;
}

const char *ctm_draw__printf(ctm_draw_doc *doc, const char *fmt, ...)
{
	ctm_strbuf b = CTM_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	ctm_strbuf__vprintf(&b, fmt, ap);
	va_end(ap);
	char *copy = b.failed ? NULL : ctm_arena__strndup(&doc->texts, b.s ? b.s : "", b.len);
	ctm_strbuf__free(&b);
	if (!copy) {
		(void)ctm_draw__nomem(doc, "composing text");
		return "";
	}
	return copy;
}

/* ---- faces ---------------------------------------------------------------- */

/* 1 when the lean face (its glyph tables g) has a glyph for every
 * character of s[0..len). */
static int lean_covers(const ctm_draw_glyphs *g, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		if (p[i] < 0x80) { /* the subset has all of Basic Latin */
			i++;
			continue;
		}
		uint32_t cp = 0;
		size_t n = ctm_utf8__decode(s + i, len - i, &cp);
		if (!n)
			return 1; /* validated before: not reached */
		if (!ctm_draw__glyphs_has(g, cp))
			return 0;
		i += n;
	}
	return 1;
}

int ctm_draw__face_for(ctm_draw_doc *doc, HPDF_Font *font, const char *s, size_t len)
{
	ctm_draw_face *f = *font == doc->face[0].font ? &doc->face[0]
			 : *font == doc->face[1].font ? &doc->face[1]
						      : NULL;

	if (!f || !f->lean || lean_covers(f->lean, s, len))
		return 0;
	if (!f->full && !f->full_missing) {
		/* Not there: the lean face draws, missing glyphs show as boxes,
		 * as any font without them would. */
		if (access(f->full_path, R_OK) != 0) {
			f->full_missing = 1;
			return 0;
		}
		int rc = ctm_draw__load_font(doc, f->full_path, NULL, 1, &f->full);
		if (rc < 0) {
			doc->failed = 1;
			return rc;
		}
	}
	if (f->full)
		*font = f->full;
	return 0;
}

/* ---- measuring ------------------------------------------------------------ */

HPDF_UINT ctm_draw__units(HPDF_Font font, const char *s, size_t len)
{
	const ctm_draw_glyphs *g = ctm_draw__font_glyphs(font);
	if (g)
		return ctm_draw__glyphs_units(g, s, len);
	/* not reached: every font of a document is draw_font.c's */
	return HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len).width;
}

/* libharu's HPDF_Page_TextWidth arithmetic on a sum of 1/1000 em. */
static double units_pt(HPDF_UINT units, double size) { return units * size / 1000.0; }

double ctm_draw__width(HPDF_Font font, double size, const char *s, size_t len)
{
	if (!len)
		return 0.0;
	/* The sum of per-code-point advance widths in 1/1000 em, as
	 * HPDF_Font_TextWidth gives it with the UTF-8 encoder ("Zürich" ==
	 * "Zurich"), from the font's glyph table (draw_font.c): one lookup per
	 * character rather than libharu's search of the cmap.
	 * HPDF_Font_MeasureText, by contrast, counts bytes. */
	return units_pt(ctm_draw__units(font, s, len), size);
}

int ctm_draw__style_resolve(ctm_draw_doc *doc, const ctm_draw_text_style *in, const char *text,
			    ctm_draw_resolved_style *out)
{
	ctm_draw_text_style zero = { 0 };
	if (!in)
		in = &zero;
	out->size = in->size > 0 && in->size <= 500 ? in->size : DEFAULT_SIZE;
	double lh = in->line_height > 0 && in->line_height <= 10 ? in->line_height
								 : DEFAULT_LINE_HEIGHT;
	out->lh = out->size * lh;
	out->font = in->bold ? doc->bold : doc->font;
	out->color = in->color;
	out->align = in->align;
	out->space_after = in->space_after > 0 ? in->space_after : out->lh * 0.5;
	return text ? ctm_draw__face_for(doc, &out->font, text, strlen(text)) : 0;
}

double ctm_draw__baseline(const ctm_draw_resolved_style *st)
{
	/* capitals centred in the line box: DejaVu's cap height is 0.729 em */
	double cap = HPDF_Font_GetCapHeight(st->font) / 1000.0;
	if (cap <= 0 || cap > 1)
		cap = 0.72;
	return (st->lh + cap * st->size) / 2.0;
}

int ctm_draw__text_width(ctm_draw_doc *doc, const char *utf8, const ctm_draw_text_style *style,
			 double *width)
{
	ctm_draw_resolved_style st;
	int rc;

	if (!doc || !width)
		return CTM_EUSAGE;
	*width = 0;
	if (doc->failed)
		return CTM_EINTERNAL;
	if ((rc = ctm_draw__utf8_check(doc, utf8, "measuring text")) < 0)
		return rc;
	if ((rc = ctm_draw__style_resolve(doc, style, utf8, &st)) < 0)
		return rc;
	*width = ctm_draw__width(st.font, st.size, utf8, strlen(utf8));
	return ctm_draw__check(doc, "measuring text");
}

/* ---- wrapping ------------------------------------------------------------- */

static int push_line(ctm_draw_doc *doc, size_t *n, size_t start, size_t len, double width)
{
	if (ctm_grow__reserve((void **)&doc->lines, &doc->lines_cap, *n + 1, sizeof(*doc->lines)))
		return ctm_draw__nomem(doc, "wrapping text");
	doc->lines[(*n)++] = (ctm_draw_text_line){ start, len, width };
	return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Wraps s[a..b), which holds no '\n'. */
static int wrap_segment(ctm_draw_doc *doc, const char *s, size_t a, size_t b, HPDF_Font font,
			double size, double width, size_t *n)
{
	size_t i = a;
	int rc, pushed = 0;

	/* Every pass emits one line and moves i forward by at least one code
	 * point, so the loop ends within b - a passes. */
	while (i < b) {
		while (i < b && is_space(s[i]))
			i++;
		if (i >= b)
			break;
		size_t start = i, end = i, j = i;
		double line_w = 0;
		/* s[start..j) in 1/1000 em: each word adds its own characters
		 * (integers: the same sum as measuring the line again) */
		HPDF_UINT line_u = 0;
		for (;;) {
			size_t ws = j;
			while (ws < b && is_space(s[ws]))
				ws++;
			if (ws >= b)
				break;
			size_t we = ws;
			while (we < b && !is_space(s[we]))
				we++;
			HPDF_UINT u = line_u + ctm_draw__units(font, s + j, we - j);
			double w = units_pt(u, size);
			if (w <= width + 1e-9) {
				end = j = we;
				line_w = w;
				line_u = u;
				continue;
			}
			if (end == start) {
				/* A word wider than the box: break it between
				 * code points, at least one per line. */
				size_t k = ws;
				double acc = 0;
				while (k < we) {
					size_t cl = ctm_utf8__decode(s + k, we - k, NULL);
					if (!cl)
						cl = 1; /* validated before; defensive */
					double cw = ctm_draw__width(font, size, s + k, cl);
					if (k > ws && acc + cw > width + 1e-9)
						break;
					acc += cw;
					k += cl;
				}
				end = j = k;
				line_w = acc;
			}
			break;
		}
		if ((rc = push_line(doc, n, start, end - start, line_w)) < 0)
			return rc;
		pushed = 1;
		i = j;
	}
	if (!pushed)
		return push_line(doc, n, a, 0, 0.0); /* an empty line */
	return 0;
}

int ctm_draw__layout(ctm_draw_doc *doc, const char *s, HPDF_Font font, double size, double width,
		     size_t *count)
{
	size_t len = strlen(s), p = 0, n = 0;
	int rc;

	*count = 0;
	if (!len)
		return 0;
	/* one pass per hard line; p grows each pass */
	for (;;) {
		const char *nl = memchr(s + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - s) : len;
		if ((rc = wrap_segment(doc, s, p, e, font, size, width, &n)) < 0)
			return rc;
		if (!nl)
			break;
		p = e + 1;
	}
	*count = n;
	return ctm_draw__check(doc, "measuring text");
}

const char *ctm_draw__cstr(ctm_draw_doc *doc, const char *s, size_t len)
{
	if (len + 1 > doc->scratch_cap) {
		size_t cap = len + 1 < 256 ? 256 : len + 1;
		char *grown = realloc(doc->scratch, cap);
		if (!grown) {
			ctm_draw__nomem(doc, "drawing text");
			return NULL;
		}
		doc->scratch = grown;
		doc->scratch_cap = cap;
	}
	memcpy(doc->scratch, s, len);
	doc->scratch[len] = '\0';
	return doc->scratch;
}

/* The colour and font setters leave out an operator that would set what
 * libharu's graphics state (which follows q and Q) already holds: each
 * libharu operator call costs about 2 000 instructions (a 512-byte buffer
 * cleared a byte at a time), and a page shows the same without it. */
void ctm_draw__set_fill(HPDF_Page page, ctm_draw_rgb c)
{
	HPDF_REAL r = (HPDF_REAL)c.r, g = (HPDF_REAL)c.g, b = (HPDF_REAL)c.b;
	HPDF_RGBColor cur = HPDF_Page_GetRGBFill(page);
	if (HPDF_Page_GetFillingColorSpace(page) == HPDF_CS_DEVICE_RGB && cur.r == r &&
	    cur.g == g && cur.b == b)
		return;
	HPDF_Page_SetRGBFill(page, r, g, b);
}

void ctm_draw__set_stroke(HPDF_Page page, ctm_draw_rgb c)
{
	HPDF_REAL r = (HPDF_REAL)c.r, g = (HPDF_REAL)c.g, b = (HPDF_REAL)c.b;
	HPDF_RGBColor cur = HPDF_Page_GetRGBStroke(page);
	if (HPDF_Page_GetStrokingColorSpace(page) == HPDF_CS_DEVICE_RGB && cur.r == r &&
	    cur.g == g && cur.b == b)
		return;
	HPDF_Page_SetRGBStroke(page, r, g, b);
}

void ctm_draw__set_font(HPDF_Page page, HPDF_Font font, double size)
{
	if (HPDF_Page_GetCurrentFont(page) == font &&
	    HPDF_Page_GetCurrentFontSize(page) == (HPDF_REAL)size)
		return;
	HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)size);
}

int ctm_draw__draw_lines(ctm_draw_doc *doc, const char *s, size_t first, size_t n, double x,
			 double y, double width, const ctm_draw_resolved_style *st)
{
	HPDF_Page page = ctm_draw__page_cur(doc);
	double base = ctm_draw__baseline(st);
	int rc;

	if (!n)
		return 0;
	if ((rc = ctm_draw__ensure_page(doc)) < 0)
		return rc;
	page = ctm_draw__page_cur(doc);
	HPDF_Page_BeginText(page);
	ctm_draw__set_font(page, st->font, st->size);
	ctm_draw__set_fill(page, st->color);
	for (size_t i = first; i < first + n; i++) {
		const ctm_draw_text_line *ln = &doc->lines[i];
		if (!ln->len)
			continue;
		double lx = x;
		if (st->align == CTM_DRAW_ALIGN_CENTER)
			lx += (width - ln->width) / 2;
		else if (st->align == CTM_DRAW_ALIGN_RIGHT)
			lx += width - ln->width;
		const char *t = ctm_draw__cstr(doc, s + ln->start, ln->len);
		if (!t) {
			HPDF_Page_EndText(page);
			return CTM_ENOMEM;
		}
		HPDF_Page_TextOut(page, (HPDF_REAL)lx,
				  (HPDF_REAL)(y - (double)(i - first) * st->lh - base), t);
	}
	HPDF_Page_EndText(page);
	return ctm_draw__check(doc, "drawing text");
}

/* ---- text boxes ----------------------------------------------------------- */

/* Draws line i of doc->lines (laid out from s) shortened with "…", the last
 * line of a box whose text goes on, in its place below y. */
static int draw_cut_line(ctm_draw_doc *doc, const char *s, size_t i, double x, double y,
			 double width, const ctm_draw_resolved_style *st)
{
	ctm_draw_resolved_style cs = *st;
	const ctm_draw_text_line ln = doc->lines[i];
	char *cut = ctm_draw__shortened(st->font, st->size, s + ln.start, ln.len, width);
	int rc;

	if (!cut)
		return ctm_draw__nomem(doc, "shortening text");
	/* the ellipsis may need the full face when the line did not */
	if ((rc = ctm_draw__face_for(doc, &cs.font, cut, strlen(cut))) == 0) {
		doc->lines[i] = (ctm_draw_text_line){
			0, strlen(cut), ctm_draw__width(cs.font, cs.size, cut, strlen(cut))
		};
		rc = ctm_draw__draw_lines(doc, cut, i, 1, x, y - (double)i * st->lh, width, &cs);
	}
	free(cut);
	return rc;
}

static int text_box(ctm_draw_doc *doc, int draw, double x, double y, double width, const char *utf8,
		    const ctm_draw_text_style *style, double *height_out)
{
	ctm_draw_resolved_style st;
	size_t n = 0;
	int rc;
	double v[3] = { x, y, width };

	if (height_out)
		*height_out = 0;
	if ((rc = ctm_draw__usable(doc, "drawing text")) < 0)
		return rc;
	if ((rc = ctm_draw__finite(doc, "text box", v, 3)) < 0)
		return rc;
	if (!(width > 0)) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: text box width must be positive");
		return CTM_EUSAGE;
	}
	if ((rc = ctm_draw__utf8_check(doc, utf8, "text")) < 0)
		return rc;
	if ((rc = ctm_draw__style_resolve(doc, style, utf8, &st)) < 0)
		return rc;
	if ((rc = ctm_draw__layout(doc, utf8, st.font, st.size, width, &n)) < 0)
		return rc;
	int cut = style && style->max_lines && n > style->max_lines;
	if (cut)
		n = style->max_lines;
	if (draw &&
	    (rc = ctm_draw__draw_lines(doc, utf8, 0, cut ? n - 1 : n, x, y, width, &st)) < 0)
		return rc;
	if (draw && cut && (rc = draw_cut_line(doc, utf8, n - 1, x, y, width, &st)) < 0)
		return rc;
	if (height_out)
		*height_out = (double)n * st.lh;
	return 0;
}

int ctm_draw__text_box(ctm_draw_doc *doc, double x, double y, double width, const char *utf8,
		       const ctm_draw_text_style *style, double *height_out)
{
	return text_box(doc, 1, x, y, width, utf8, style, height_out);
}

int ctm_draw__text_measure(ctm_draw_doc *doc, double width, const char *utf8,
			   const ctm_draw_text_style *style, double *height_out)
{
	return text_box(doc, 0, 0, 0, width, utf8, style, height_out);
}

char *ctm_draw__shortened(HPDF_Font font, double size, const char *s, size_t len, double max_w)
{
	static const char ellipsis[] = "…";
	double room = max_w - ctm_draw__width(font, size, ellipsis, sizeof ellipsis - 1);
	size_t keep = 0;
	double w = 0;
	while (keep < len) {
		size_t n = 1;
		while (keep + n < len && ((unsigned char)s[keep + n] & 0xC0) == 0x80)
			n++;
		double cw = ctm_draw__width(font, size, s + keep, n);
		if (w + cw > room)
			break;
		w += cw;
		keep += n;
	}
	return ctm_strbuf__format("%.*s%s", (int)keep, s, ellipsis);
}

/* The width a line of text at x may take by its alignment, within the page
 * less 20 pt at each side (a chart's labels may reach into the margins,
 * never off the paper); 0 when x lies outside that band. */
static double room_at(const ctm_draw_doc *doc, double x, ctm_draw_align align)
{
	double left = x - 20, right = doc->page_w - 20 - x;
	if (left < 0 || right < 0)
		return 0;
	return align == CTM_DRAW_ALIGN_CENTER ? 2 * fmin(left, right)
	     : align == CTM_DRAW_ALIGN_RIGHT  ? left
					      : right;
}

int ctm_draw__text_rotated(ctm_draw_doc *doc, double x, double y, double angle, const char *utf8,
			   const ctm_draw_text_style *style)
{
	ctm_draw_resolved_style st;
	int rc;
	double v[3] = { x, y, angle };

	if ((rc = ctm_draw__usable(doc, "drawing text")) < 0)
		return rc;
	if ((rc = ctm_draw__finite(doc, "text", v, 3)) < 0)
		return rc;
	if ((rc = ctm_draw__utf8_check(doc, utf8, "text")) < 0)
		return rc;
	if ((rc = ctm_draw__ensure_page(doc)) < 0)
		return rc;
	if ((rc = ctm_draw__style_resolve(doc, style, utf8, &st)) < 0)
		return rc;
	/* one line: a newline would print as a missing glyph */
	size_t len = strcspn(utf8, "\n");
	const char *t = ctm_draw__cstr(doc, utf8, len);
	if (!t)
		return CTM_ENOMEM;
	double w = ctm_draw__width(st.font, st.size, t, len);
	/* A horizontal label never leaves the paper: a region or a dimension
	 * name of any length is shortened with "…" to the room its position
	 * leaves. */
	char *cut = NULL;
	double room = angle == 0.0 ? room_at(doc, x, st.align) : 0;
	if (style && style->max_width > 0 && (room <= 0 || style->max_width < room))
		room = style->max_width;
	if (room > 0 && w > room + 0.01) {
		if (!(cut = ctm_draw__shortened(st.font, st.size, t, len, room)))
			return ctm_draw__nomem(doc, "shortening a label");
		t = cut;
		w = ctm_draw__width(st.font, st.size, t, strlen(t));
	}
	double a = angle * 3.14159265358979323846 / 180.0, c = cos(a), s = sin(a);
	double shift = st.align == CTM_DRAW_ALIGN_CENTER ? w / 2
		     : st.align == CTM_DRAW_ALIGN_RIGHT  ? w
							 : 0;
	HPDF_Page page = ctm_draw__page_cur(doc);
	HPDF_Page_BeginText(page);
	ctm_draw__set_font(page, st.font, st.size);
	ctm_draw__set_fill(page, st.color);
	HPDF_Page_SetTextMatrix(page, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s, (HPDF_REAL)c,
				(HPDF_REAL)(x - shift * c), (HPDF_REAL)(y - shift * s));
	HPDF_Page_ShowText(page, t);
	HPDF_Page_EndText(page);
	free(cut);
	return ctm_draw__check(doc, "drawing text");
}

int ctm_draw__text_at(ctm_draw_doc *doc, double x, double y, const char *utf8,
		      const ctm_draw_text_style *style)
{
	return ctm_draw__text_rotated(doc, x, y, 0.0, utf8, style);
}

/* ---- flowing text ---------------------------------------------------------- */

int ctm_draw__paragraph(ctm_draw_doc *doc, const char *utf8, const ctm_draw_text_style *style)
{
	ctm_draw_resolved_style st;
	size_t n = 0, i = 0;
	int rc;

	if ((rc = ctm_draw__usable(doc, "drawing a paragraph")) < 0)
		return rc;
	if ((rc = ctm_draw__utf8_check(doc, utf8, "paragraph")) < 0)
		return rc;
	if ((rc = ctm_draw__ensure_page(doc)) < 0)
		return rc;
	if ((rc = ctm_draw__style_resolve(doc, style, utf8, &st)) < 0)
		return rc;
	double width = doc->content.right - doc->content.left;
	if ((rc = ctm_draw__layout(doc, utf8, st.font, st.size, width, &n)) < 0)
		return rc;
	/* Each pass draws at least one line. */
	while (i < n) {
		size_t fit = (size_t)((doc->cursor - doc->content.bottom + 1e-6) / st.lh);
		if (!fit && !doc->page_empty) {
			if ((rc = ctm_draw__page_add(doc)) < 0)
				return rc;
			continue;
		}
		/* no single first line at the foot of a page (orphan) */
		if (fit == 1 && n - i > 1 && !doc->page_empty) {
			if ((rc = ctm_draw__page_add(doc)) < 0)
				return rc;
			continue;
		}
		if (!fit)
			fit = 1; /* a line taller than the page */
		size_t k = n - i < fit ? n - i : fit;
		/* nor a single last line at the top of the next (widow) */
		if (k >= 3 && n - i - k == 1)
			k--;
		if ((rc = ctm_draw__draw_lines(doc, utf8, i, k, doc->content.left, doc->cursor,
					       width, &st)) < 0)
			return rc;
		i += k;
		ctm_draw__advance(doc, (double)k * st.lh);
		doc->page_empty = 0;
	}
	ctm_draw__advance(doc, st.space_after);
	return 0;
}

static int add_outline(ctm_draw_doc *doc, int level, const char *utf8, double y)
{
	/* The width fitted at the heading (libharu 2.3.0 refuses SetXYZ with
	 * zoom 0, "keep the zoom", which is valid PDF). */
	return ctm_draw__outline_add(doc, level, utf8, ctm_draw__page_cur(doc),
				     y + 4 > doc->page_h ? doc->page_h : y + 4);
}

int ctm_draw__bookmark(ctm_draw_doc *doc, int level, const char *utf8)
{
	int rc;

	if ((rc = ctm_draw__usable(doc, "adding a bookmark")) < 0)
		return rc;
	if (level != 1 && level != 2) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: bookmark level must be 1 or 2");
		return CTM_EUSAGE;
	}
	if ((rc = ctm_draw__utf8_check(doc, utf8, "bookmark")) < 0)
		return rc;
	if ((rc = ctm_draw__ensure_page(doc)) < 0)
		return rc;
	return add_outline(doc, level, utf8, doc->cursor);
}

int ctm_draw__heading(ctm_draw_doc *doc, int level, const char *utf8)
{
	double h = 0;
	int rc;

	if ((rc = ctm_draw__usable(doc, "drawing a heading")) < 0)
		return rc;
	if (level != 1 && level != 2) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: heading level must be 1 or 2");
		return CTM_EUSAGE;
	}
	ctm_draw_text_style style = { .size = level == 1 ? 16.0 : 12.5,
				      .bold = 1,
				      .color = HEADING_COLOR,
				      .line_height = 1.2 };
	double width = doc->content.right - doc->content.left;
	double before = level == 1 ? 12.0 : 8.0, after = level == 1 ? 6.0 : 4.0;
	/* at most what leaves room on a page for the lines kept with it */
	double room = doc->content.top - doc->content.bottom - before - after -
		      3 * DEFAULT_SIZE * DEFAULT_LINE_HEIGHT;
	style.max_lines = room > style.size * 1.2 ? (size_t)(room / (style.size * 1.2)) : 1;
	if ((rc = ctm_draw__text_measure(doc, width, utf8, &style, &h)) < 0)
		return rc;
	/* keep the heading with three lines of body text */
	if ((rc = ctm_draw__need(doc,
				 before + h + after + 3 * DEFAULT_SIZE * DEFAULT_LINE_HEIGHT)) < 0)
		return rc;
	if (!doc->page_empty)
		ctm_draw__advance(doc, before);
	double top = doc->cursor;
	if ((rc = ctm_draw__text_box(doc, doc->content.left, top, width, utf8, &style, &h)) < 0)
		return rc;
	if (level == 1) {
		HPDF_Page page = ctm_draw__page_cur(doc);
		ctm_draw__set_stroke(page, HEADING_COLOR);
		HPDF_Page_SetLineWidth(page, 0.8f);
		HPDF_Page_MoveTo(page, (HPDF_REAL)doc->content.left, (HPDF_REAL)(top - h - 2));
		HPDF_Page_LineTo(page, (HPDF_REAL)doc->content.right, (HPDF_REAL)(top - h - 2));
		HPDF_Page_Stroke(page);
	}
	ctm_draw__advance(doc, h + after);
	doc->page_empty = 0;
	return add_outline(doc, level, utf8, top);
}
