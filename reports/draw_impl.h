/* Private to reports/draw*.c: the document structure and shared helpers. */
#ifndef CTM_REPORTS_DRAW_IMPL_H
#define CTM_REPORTS_DRAW_IMPL_H

#include <hpdf.h>
#include <stdint.h>

#include "arena.h"
#include "draw.h"

/* One line of laid-out text: a slice of the caller's string. */
typedef struct ctm_draw_text_line {
	size_t start, len;
	double width;
} ctm_draw_text_line;

typedef struct ctm_draw_page {
	HPDF_Page page;
	char *header;   /* owned; NULL: none */
	int sealed;     /* its content stream is deflated: later drawing (the
			 * header and footer) goes to a second stream */
	unsigned filter; /* the content stream's filter before it was sealed */
} ctm_draw_page;

/* Cached ExtGState per fill opacity. */
#define CTM_DRAW__ALPHA_CACHE 8

typedef struct ctm_draw_table {
	int active;
	size_t ncols;
	ctm_draw_column *cols; /* owned copy; header strings owned */
	double *x, *w;         /* column left edges and widths */
	ctm_draw_table_style style;
	size_t row; /* body rows drawn */
	int fresh;  /* header at the top of a page, no row yet */
} ctm_draw_table;

/* A font file's code point -> glyph and advance tables (draw_font.c):
 * built once per process for the shipped faces and shared read-only by all
 * documents and threads; per document for a user's file. */
typedef struct ctm_draw_glyphs ctm_draw_glyphs;
/* A bookmark, or the outline's root (draw_outline.c). */
typedef struct ctm_draw_mark ctm_draw_mark;

/* One z_stream for all the streams of a document (draw_deflate.c). */
typedef struct ctm_draw_deflate ctm_draw_deflate;

/* A face (regular or bold) of the document. When it is the lean default
 * subset (reports/fonts), text with a code point the subset lacks is drawn
 * with the full system face instead, loaded on first need. */
typedef struct ctm_draw_face {
	HPDF_Font font;              /* the face as loaded */
	const ctm_draw_glyphs *lean; /* non-NULL: font is the lean subset; its
					glyphs */
	const char *full_path;       /* lean only: the full face's file (static) */
	HPDF_Font full;              /* lean only: the full face, once loaded */
	int full_missing;            /* lean only: the full face could not be read */
} ctm_draw_face;

struct ctm_draw_doc {
	HPDF_Doc pdf;
	ctm_ctx *ctx;
	HPDF_Font font, bold;  /* == face[0].font, face[1].font */
	ctm_draw_face face[2]; /* regular, bold */
	HPDF_Encoder utf8;
	double page_w, page_h, margin;
	ctm_draw_box content;
	double cursor;
	int page_empty; /* nothing placed below the top since the page began */

	ctm_draw_page *pages;
	size_t npages, pages_cap;
	ctm_arena texts; /* ctm_draw__printf's strings, freed with the document */
	char *header; /* running header for new pages; owned */
	char *footer; /* owned */
	/* the bookmarks (draw_outline.c): the root, the last level-1 entry */
	struct ctm_draw_mark *outline, *outline_l1;

	/* First error libharu reported through the handler. */
	HPDF_STATUS hpdf_error, hpdf_detail;
	int failed, finished;

	char *scratch; /* NUL-terminated copies of lines */
	size_t scratch_cap;
	ctm_draw_text_line *lines;
	size_t lines_cap;

	double alpha_value[CTM_DRAW__ALPHA_CACHE];
	HPDF_ExtGState alpha_state[CTM_DRAW__ALPHA_CACHE];
	size_t nalpha;

	ctm_draw_table table;

	ctm_draw_deflate *deflate; /* NULL: uncompressed, or libharu deflates */
};

/* Effective text style with defaults applied. */
typedef struct ctm_draw_resolved_style {
	double size, lh; /* font size, line pitch in pt */
	HPDF_Font font;
	ctm_draw_rgb color;
	ctm_draw_align align;
	double space_after;
} ctm_draw_resolved_style;

/* Returns CTM_EINTERNAL (and reports) if the document is failed or finished
 * (CTM_EUSAGE then), else 0. */
int ctm_draw__usable(ctm_draw_doc *doc, const char *what);
/* Checks libharu's error state after calls for `what`: 0 or CTM_EINTERNAL
 * (document marked failed). */
int ctm_draw__check(ctm_draw_doc *doc, const char *what);
/* Marks the document failed with CTM_ENOMEM reported. */
int ctm_draw__nomem(ctm_draw_doc *doc, const char *what);
/* Adds the first page when there is none. */
int ctm_draw__ensure_page(ctm_draw_doc *doc);
/* The current page (ensure_page first). */
HPDF_Page ctm_draw__page_cur(const ctm_draw_doc *doc);

/* The effective style for drawing `text` (may be NULL: no text yet): the
 * face is the one that has text's characters (ctm_draw__face_for). 0 or an
 * error (the full face failed to load). */
int ctm_draw__style_resolve(ctm_draw_doc *doc, const ctm_draw_text_style *in, const char *text,
			    ctm_draw_resolved_style *out);
/* *font (doc->font or doc->bold), or, when it is the lean subset and
 * s[0..len) has a code point the subset lacks, the full system face
 * (loaded on first need; when that cannot be read, *font stays: missing
 * glyphs print as before). 0 or an error. */
int ctm_draw__face_for(ctm_draw_doc *doc, HPDF_Font *font, const char *s, size_t len);
/* s[0..len) cut on a character boundary so that it and "…" fit in max_w
 * points at size (just "…" when nothing else fits): a new string to free,
 * or NULL when out of memory. */
char *ctm_draw__shortened(HPDF_Font font, double size, const char *s, size_t len, double max_w);

/* Loads a TrueType file into the document as a UTF-8 (Type0) font
 * (draw.c). shared: the file is a shipped face, whose glyph tables are kept
 * for the process, not a user's. */
int ctm_draw__load_font(ctm_draw_doc *doc, const char *path, const char *shown, int shared,
			HPDF_Font *out);

/* draw_font.c. A UTF-8 (Identity-H) Type0 font of the TrueType font def
 * loaded from path, whose identity before loading was *st (NULL: a user's
 * file, tables built for this document only); NULL on failure, with
 * libharu's error set. Text measures and draws as with libharu's own
 * (HPDF_GetFont(pdf, name, "UTF-8")); the W array and CIDToGIDMap list the
 * characters drawn. */
struct stat;
HPDF_Font ctm_draw__type0_new(HPDF_Doc pdf, HPDF_FontDef def, HPDF_Encoder utf8,
			      ctm_draw_deflate *deflate, const char *path, const struct stat *st);
/* draw_outline.c: a bookmark to (page, top) titled utf8 (checked UTF-8):
 * level 1 at the top of the outline, level 2 under the last level-1 entry
 * (at the top when there is none). */
int ctm_draw__outline_add(ctm_draw_doc *doc, int level, const char *utf8, HPDF_Page page,
			  double top);
/* draw_deflate.c: a document's deflater (NULL when out of memory: libharu
 * then deflates). */
ctm_draw_deflate *ctm_draw__deflate_new(void);
void ctm_draw__deflate_free(ctm_draw_deflate *d);
/* Deflates the stream of dict (a memory stream libharu would deflate, not
 * changed after) and hands it to libharu as already deflated. 0 when done
 * or left to libharu as it was (d NULL, another kind of stream); -1 when
 * out of memory, nothing changed: libharu deflates it. */
int ctm_draw__deflate_dict(ctm_draw_deflate *d, HPDF_Dict dict);
/* Marks dict's stream, which holds deflated bytes, as such for libharu. */
void ctm_draw__deflate_mark(HPDF_Dict dict);
/* The bytes the last ctm_draw__deflate_dict wrote (valid until the next). */
const HPDF_BYTE *ctm_draw__deflate_last(const ctm_draw_deflate *d, size_t *len);

/* The largest shipped font file kept in memory for the process. */
#define CTM_DRAW_FONT_MAX ((size_t)32 << 20)
/* HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE) for a shipped face open as
 * fd with the identity *st: its bytes are read once per process and kept
 * (with the glyph tables ctm_draw__type0_new builds); the font's name, or
 * NULL with libharu's error set. */
const char *ctm_draw__load_shared(HPDF_Doc pdf, const char *path, int fd, const struct stat *st);

/* The glyph tables of a font made by ctm_draw__type0_new, else NULL. */
const ctm_draw_glyphs *ctm_draw__font_glyphs(HPDF_Font font);
/* The advance of s[0..len) in 1/1000 em: libharu's HPDF_Font_TextWidth
 * width (the same decoding, rounding and sum), one lookup per character. */
HPDF_UINT ctm_draw__glyphs_units(const ctm_draw_glyphs *g, const char *s, size_t len);
/* 1 when the font has a glyph for code point cp. */
int ctm_draw__glyphs_has(const ctm_draw_glyphs *g, uint32_t cp);
/* The advance in 1/1000 em of s[0..len) in font (as ctm_draw__width). */
HPDF_UINT ctm_draw__units(HPDF_Font font, const char *s, size_t len);
/* 0 when s is valid UTF-8, else CTM_EINTERNAL reported as an internal error
 * with `what` and the byte (text the renderer composed: its own bug). */
int ctm_draw__utf8_check(ctm_draw_doc *doc, const char *s, const char *what);
double ctm_draw__width(HPDF_Font font, double size, const char *s, size_t len);
/* Lays text out into doc->lines; *count lines. */
int ctm_draw__layout(ctm_draw_doc *doc, const char *s, HPDF_Font font, double size, double width,
		     size_t *count);
/* Draws lines [first, first+n) of doc->lines taken from s, top of the first
 * line box at y, aligned within [x, x+width]. */
int ctm_draw__draw_lines(ctm_draw_doc *doc, const char *s, size_t first, size_t n, double x,
			 double y, double width, const ctm_draw_resolved_style *st);
/* A NUL-terminated copy of s[0..len) in doc->scratch. */
const char *ctm_draw__cstr(ctm_draw_doc *doc, const char *s, size_t len);
/* Baseline offset below a line box's top. */
double ctm_draw__baseline(const ctm_draw_resolved_style *st);

void ctm_draw__set_fill(HPDF_Page page, ctm_draw_rgb c);
void ctm_draw__set_stroke(HPDF_Page page, ctm_draw_rgb c);
/* HPDF_Page_SetFontAndSize unless the page's state has them already. */
void ctm_draw__set_font(HPDF_Page page, HPDF_Font font, double size);
int ctm_draw__finite(ctm_draw_doc *doc, const char *what, const double *v, size_t n);

/* Table state cleanup (draw_table.c). */
void ctm_draw__table_clear(ctm_draw_table *t);

#endif
