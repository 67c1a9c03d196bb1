/*
 * continuum — the report renderer's drawing layer (internal API).
 *
 * Every PDF the library writes is built on this layer: a document with
 * embedded fonts and UTF-8 text, pages with a top-down layout cursor,
 * wrapped text, headings with nested bookmarks, tables that break across
 * pages, vector chart primitives, colours, and an atomic save.
 *
 * Conventions
 * - All lengths are PDF points (1/72 inch). Coordinates are page coordinates
 *   with the origin at the bottom-left corner and y growing upwards, as in
 *   PDF. Boxes of text are placed by their TOP-left corner, because layout
 *   flows downwards.
 * - Every function that can fail returns 0 or a negative ctm_error_code and
 *   appends the reason to the ctm_ctx given to ctm_draw__doc_new. After an
 *   internal (libharu) or memory failure the document is marked failed: later
 *   calls return CTM_EINTERNAL at once and it can no longer be saved, so a
 *   half-drawn report is never written. Usage errors (bad arguments) and
 *   invalid UTF-8 do not fail the document.
 * - Text is UTF-8; it is validated on every call and invalid text is
 *   CTM_EINTERNAL with "internal error" in the message: every text drawn
 *   comes from validated input or from the renderer itself, so it is a bug
 *   (exit status 1), never the user's usage error. Any character of the
 *   embedded font prints as written.
 * - Style structs are all-zero for the defaults, so designated initialisers
 *   only name what differs: (ctm_draw_text_style){ .size = 14, .bold = 1 }.
 *   A NULL style pointer means all defaults.
 * - The library never prints, never exits. Documents may be built from
 *   several threads at once, one document (and one ctm_ctx) per thread. The
 *   only state shared between them is what the shipped fonts are (their
 *   file bytes, glyph tables and deflated subsets, reports/draw_font.c):
 *   built once under a lock, read-only after.
 *
 * Typical use:
 *
 *     ctm_draw_doc *doc = NULL;
 *     ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
 *     o.title = "Readiness report — Ōtautahi";
 *     if ((rc = ctm_draw__doc_new(&doc, &o, ctx)) < 0) return rc;
 *     rc = ctm_draw__heading(doc, 1, "Summary");
 *     if (!rc) rc = ctm_draw__paragraph(doc, text, NULL);
 *     if (!rc) rc = ctm_draw__doc_save(doc, "out.pdf");
 *     ctm_draw__doc_free(doc);
 *
 * Fonts: by default a lean subset of DejaVu Sans (reports/fonts, installed
 * to share/continuum/fonts); text with a character the subset lacks is drawn
 * with the full system DejaVu Sans, which is loaded (and embedded) only in
 * documents that need it. ctm_draw_options.font/font_bold choose other files.
 *
 * Cost (bench/PROFILE.md, Reports): a readiness report of 10-11 pages takes
 * about 4 ms of CPU in a Release build, most of it libharu's page operators
 * and zlib; the font files are read and their glyph tables built once per
 * process (draw_font.c), the streams deflated at zlib's fastest level
 * (draw_deflate.c). The file is about 65 KB.
 */
#ifndef CTM_REPORTS_DRAW_H
#define CTM_REPORTS_DRAW_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "continuum/common.h"
#include "continuum/error.h"
#include "strbuf.h"

/* ------------------------------------------------------------------------ */
/* Colours                                                                   */

/** An RGB colour, each component in 0..1. */
typedef struct ctm_draw_rgb {
	double r, g, b;
} ctm_draw_rgb;

#define CTM_DRAW_RGB(r_, g_, b_) ((ctm_draw_rgb){ (r_), (g_), (b_) })
/** From 0xRRGGBB. */
#define CTM_DRAW_HEX(h_) \
	CTM_DRAW_RGB(((h_) >> 16 & 0xff) / 255.0, ((h_) >> 8 & 0xff) / 255.0, ((h_)&0xff) / 255.0)
#define CTM_DRAW_BLACK CTM_DRAW_RGB(0, 0, 0)
#define CTM_DRAW_WHITE CTM_DRAW_RGB(1, 1, 1)
#define CTM_DRAW_GREY CTM_DRAW_RGB(0.6, 0.6, 0.6)
#define CTM_DRAW_LIGHT_GREY CTM_DRAW_RGB(0.92, 0.92, 0.92)

/**
 * Sequential colour scale: v in [lo, hi] to a colour along viridis (dark
 * blue-purple at lo, green, yellow at hi): perceptually uniform, readable in
 * grey and by the common forms of colour blindness. v is clamped; a NaN v or
 * lo == hi gives the middle colour.
 */
ctm_draw_rgb ctm_draw__color_scale(double v, double lo, double hi);

/**
 * Discrete palette of n ordered levels (n in 2..9, clamped): colour of level
 * i (0-based, clamped to n-1), sampled from the same viridis scale, so level
 * colours match ctm_draw__color_scale(i, 0, n-1) closely and stay
 * distinguishable.
 */
ctm_draw_rgb ctm_draw__palette(size_t i, size_t n);

/**
 * Categorical palette for unordered series (current / target / ...): the
 * eight Okabe–Ito colours, colour-blind safe; i wraps around.
 */
ctm_draw_rgb ctm_draw__palette_categorical(size_t i);

/** Black or white, whichever reads better on the background bg. */
ctm_draw_rgb ctm_draw__contrast_text(ctm_draw_rgb bg);

/* ------------------------------------------------------------------------ */
/* Building text                                                             */

/* Texts a report composes before drawing them are built with ctm_strbuf
 * (util/strbuf.h). */

/**
 * x with `decimals` places as printed in a PDF (util/format.h's rule, with a
 * true minus sign); undefined (NaN, infinite) and values beyond 1e12 in
 * magnitude, which no table column could hold, are an em dash. Returns buf.
 */
const char *ctm_draw__number(char *buf, size_t size, double x, int decimals);
/** The same with a "+" before a positive value: a change. */
const char *ctm_draw__signed_number(char *buf, size_t size, double x, int decimals);
/** A p-value to 4 decimals, below 0.00005 as "< 0.0001", NaN undefined
 * (draw_pvalue.c). */
const char *ctm_draw__p_value(char *buf, size_t size, double p);

/**
 * snprintf for any text that may hold a user's: a result too long for buf
 * is cut on a UTF-8 character boundary and ends with "…", so that a buffer
 * can shorten a text but never hand the drawing layer a broken character.
 * Returns buf.
 */
char *ctm_draw__format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

typedef struct ctm_draw_doc ctm_draw_doc;

/**
 * A printf-formatted text of any length, owned by the document (freed with
 * it): what the renderer composes from users' texts. Out of memory marks
 * the document failed (it can then not be saved) and gives "".
 */
const char *ctm_draw__printf(ctm_draw_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------------ */
/* Document                                                                  */

typedef enum ctm_draw_paper {
	CTM_DRAW_A4 = 0,    /**< 595.276 x 841.89 pt */
	CTM_DRAW_LETTER = 1 /**< 612 x 792 pt */
} ctm_draw_paper;

#define CTM_DRAW_OPTIONS_VERSION 1

/** Document options. Start from CTM_DRAW_OPTIONS_INIT (or all zeros). */
typedef struct ctm_draw_options {
	unsigned int version;  /**< CTM_DRAW_OPTIONS_VERSION (1..current) */
	ctm_draw_paper paper;  /**< portrait always */
	const char *font;      /**< regular TTF path; NULL: the lean DejaVu
				      Sans subset with the full face for what it
				      lacks (the full face if no subset is found) */
	const char *font_bold; /**< bold TTF path; NULL: as font, bold */
	const char *title;     /**< UTF-8 document info, each may be NULL */
	const char *subject;
	const char *keywords;
	const char *author;
	const char *footer; /**< UTF-8 text at the bottom left of every page
				      (the page number is at the bottom right) */
	double margin;      /**< pt around the content; 0: 50 */
	int uncompressed;   /**< nonzero: no stream compression (debugging) */
} ctm_draw_options;

#define CTM_DRAW_OPTIONS_INIT \
	{ \
		CTM_DRAW_OPTIONS_VERSION, CTM_DRAW_A4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
			0, 0 \
	}

/**
 * Creates a document with no page yet (the first drawing call, or
 * ctm_draw__page_add, adds one). Loads and embeds both fonts once. opts may be
 * NULL (defaults). ctx receives errors and warnings and must outlive the
 * document; it may be NULL (errors only returned). On success *out owns the
 * document (free with ctm_draw__doc_free); on failure *out is NULL.
 *
 * When the environment variable SOURCE_DATE_EPOCH holds a valid decimal
 * time, CreationDate and ModDate are set from it (UTC); otherwise the PDF
 * holds no date at all, so the same drawing calls give the same bytes.
 *
 * Errors: CTM_EUSAGE (bad options), CTM_EIO (font file unreadable),
 * CTM_EINVALID (font file not a usable TrueType font), CTM_ENOMEM,
 * CTM_EINTERNAL.
 */
int ctm_draw__doc_new(ctm_draw_doc **out, const ctm_draw_options *opts, ctm_ctx *ctx);

/**
 * The end of building a document: when rc is 0 and text_failed is not set
 * (a text buffer of the caller's ran out of memory), hands *doc over to *out
 * and returns 0; otherwise frees *doc and returns rc (CTM_ENOMEM for a text
 * failure), saying "out of memory drawing WHAT" (a printf format) in ctx when
 * a memory failure of the caller's own left nothing there: the drawing layer
 * reports its own failures. *doc is NULL after.
 */
int ctm_draw__doc_hand_over(ctm_draw_doc **doc, ctm_draw_doc **out, int rc, int text_failed,
			    ctm_ctx *ctx, const char *what, ...)
	__attribute__((format(printf, 6, 7)));

/** Frees the document and everything it owns. Accepts NULL. */
void ctm_draw__doc_free(ctm_draw_doc *doc);

/**
 * Finishes the document: writes the running header, the footer text and
 * "Page i of n" on every page. Called by ctm_draw__doc_save when not done;
 * after it no page or content can be added (CTM_EUSAGE). Idempotent.
 */
int ctm_draw__doc_finish(ctm_draw_doc *doc);

/**
 * Finishes the document (if needed) and writes it to path atomically: to a
 * temporary file ".NAME.tmpXXXXXX" in the same directory, flushed with fsync
 * and renamed over path, with the permissions a new file would get (0666
 * less the umask). On any failure the temporary file is removed, path is
 * untouched and CTM_EWRITE is returned with the reason in the context. May be
 * called more than once (the bytes are the same).
 */
int ctm_draw__doc_save(ctm_draw_doc *doc, const char *path);

/**
 * Finishes the document (if needed) and writes its bytes to out, for a PDF
 * that is one of several files saved together (util/atomic.h's sets); path
 * names out in messages. 0, CTM_EWRITE, or the document's failure.
 */
int ctm_draw__doc_write(ctm_draw_doc *doc, FILE *out, const char *path);

/* ------------------------------------------------------------------------ */
/* Pages and layout cursor                                                   */

/** The content area of a page (inside the margins), in page coordinates. */
typedef struct ctm_draw_box {
	double left, bottom, right, top;
} ctm_draw_box;

/**
 * Sets the running header (UTF-8, NULL or "" for none) printed at the top of
 * the pages added from now on (a cover page added before it has none). The
 * text is copied.
 */
int ctm_draw__set_header(ctm_draw_doc *doc, const char *utf8);

/** Starts a new page and puts the cursor at the top of its content area. */
int ctm_draw__page_add(ctm_draw_doc *doc);

/**
 * Makes sure height points are left below the cursor: when they are not,
 * starts a new page (unless the current page is still empty: then a taller
 * block simply runs to the bottom). Adds the first page if there is none.
 */
int ctm_draw__need(ctm_draw_doc *doc, double height);

/** Cursor: the y of the top of the free space on the current page. */
double ctm_draw__cursor(const ctm_draw_doc *doc);

/** Moves the cursor down by dy (up when negative), clamped to the content
 * area; never starts a page. */
void ctm_draw__advance(ctm_draw_doc *doc, double dy);

/** Sets the cursor to y, clamped to the content area. */
void ctm_draw__set_cursor(ctm_draw_doc *doc, double y);

/** The content area (same on every page). */
ctm_draw_box ctm_draw__content(const ctm_draw_doc *doc);

/** Width and height of the paper. Either pointer may be NULL. */
void ctm_draw__page_size(const ctm_draw_doc *doc, double *width, double *height);

/** Pages added so far. */
size_t ctm_draw__page_count(const ctm_draw_doc *doc);

/* ------------------------------------------------------------------------ */
/* Text                                                                      */

typedef enum ctm_draw_align {
	CTM_DRAW_ALIGN_LEFT = 0,
	CTM_DRAW_ALIGN_CENTER = 1,
	CTM_DRAW_ALIGN_RIGHT = 2
} ctm_draw_align;

/** How text looks. All zeros: 10 pt regular black, left, line height 1.25. */
typedef struct ctm_draw_text_style {
	double size;        /**< font size in pt; 0: 10 */
	int bold;           /**< nonzero: the bold font */
	ctm_draw_rgb color; /**< zero is black */
	ctm_draw_align align;
	double line_height; /**< distance between baselines as a multiple of
				   size; 0: 1.25 */
	double space_after; /**< paragraphs only: pt left below; 0: 0.5 line */
	size_t max_lines;   /**< text boxes (and their measure) only: > 0: at
				   most this many lines, the last ending in "…"
				   when the text goes on (a label of a chart or
				   a cover, whose text is whole elsewhere) */
	double max_width;   /**< one line (text_at, text_rotated) only: > 0: a
				   text wider than this is shortened to it with
				   "…" on a character boundary */
} ctm_draw_text_style;

/**
 * Width in pt of one line of UTF-8 text (newlines are not special) in the
 * style's font and size, into *width.
 */
int ctm_draw__text_width(ctm_draw_doc *doc, const char *utf8, const ctm_draw_text_style *style,
			 double *width);

/**
 * Draws UTF-8 text wrapped into a box of the given width whose top-left
 * corner is (x, y). Lines break at spaces; a word wider than the box is
 * broken between characters (never inside a UTF-8 sequence); '\n' starts a
 * new line ("\n\n" leaves an empty one). The box is not clipped and does not
 * break pages (see ctm_draw__paragraph). *height_out (may be NULL) receives
 * the height used: lines x line height. Does not move the cursor. With
 * style->max_lines, the lines after that many are left out and the last one
 * drawn ends in "…".
 */
int ctm_draw__text_box(ctm_draw_doc *doc, double x, double y, double width, const char *utf8,
		       const ctm_draw_text_style *style, double *height_out);

/**
 * The height ctm_draw__text_box would use, without drawing anything (to plan
 * a layout). Needs no page.
 */
int ctm_draw__text_measure(ctm_draw_doc *doc, double width, const char *utf8,
			   const ctm_draw_text_style *style, double *height_out);

/**
 * Draws one line of UTF-8 text whose baseline is at y, starting at x (left),
 * centred on x (center) or ending at x (right). For chart labels. A text
 * wider than style->max_width (when set) or than the room its position
 * leaves on the paper (20 pt from either edge) is shortened with "…".
 */
int ctm_draw__text_at(ctm_draw_doc *doc, double x, double y, const char *utf8,
		      const ctm_draw_text_style *style);

/**
 * Like ctm_draw__text_at, the text turned by angle degrees counter-clockwise
 * around (x, y) (90: reading upwards, for a vertical axis title).
 */
int ctm_draw__text_rotated(ctm_draw_doc *doc, double x, double y, double angle, const char *utf8,
			   const ctm_draw_text_style *style);

/**
 * A paragraph across the content width at the cursor, flowing onto new pages
 * line by line as needed; the cursor ends below it (plus space_after).
 */
int ctm_draw__paragraph(ctm_draw_doc *doc, const char *utf8, const ctm_draw_text_style *style);

/**
 * A heading of level 1 (section, 16 pt bold) or 2 (subsection, 12.5 pt
 * bold) at the cursor, kept on the same page as at least three following
 * lines, and a bookmark to it: level 1 at the top of the outline, level 2
 * under the last level-1 entry (at the top when there is none). A heading
 * too long for that page is shortened with "…" (the bookmark keeps it
 * whole).
 */
int ctm_draw__heading(ctm_draw_doc *doc, int level, const char *utf8);

/**
 * A bookmark to the cursor's position on the current page without visible
 * text (e.g. for the cover), nested as for ctm_draw__heading.
 */
int ctm_draw__bookmark(ctm_draw_doc *doc, int level, const char *utf8);

/* ------------------------------------------------------------------------ */
/* Tables                                                                    */

/** One column. Width: points if > 0, else fraction of the table width if
 * > 0, else an equal share of what is left. */
typedef struct ctm_draw_column {
	const char *header; /**< UTF-8 header text, may be NULL */
	double points;
	double fraction;
	ctm_draw_align align; /**< of body cells; headers follow it too */
} ctm_draw_column;

/** Table look. All zeros: content width, 9 pt, 3 pt padding, no zebra. */
typedef struct ctm_draw_table_style {
	double width;   /**< pt; 0: the content width */
	double indent;  /**< pt from the left margin */
	double size;    /**< font size; 0: 9 */
	double padding; /**< pt inside each cell; 0: 3 */
	int zebra;      /**< nonzero: shade every other body row */
	int no_header;  /**< nonzero: no header row */
} ctm_draw_table_style;

/** One body cell. */
typedef struct ctm_draw_cell {
	const char *text;         /**< UTF-8, NULL for empty */
	const ctm_draw_rgb *fill; /**< background, NULL: none (zebra shows);
				        the text turns white on dark fills */
	int bold;
} ctm_draw_cell;

/**
 * Starts a table at the cursor with ncols columns (the array is copied,
 * header texts too). One table at a time per document. The header row is
 * drawn now and again at the top of every page the table continues on.
 * Columns wider than the table in total are CTM_EUSAGE.
 */
int ctm_draw__table_begin(ctm_draw_doc *doc, const ctm_draw_column *cols, size_t ncols,
			  const ctm_draw_table_style *style);

/**
 * Adds a row of ncols cells (as given to table_begin). Cells wrap inside
 * their column; the row is as tall as its tallest cell. A row that does not
 * fit below the cursor moves to a new page after the repeated header. A row
 * taller than a whole page is CLIPPED: the lines that do not fit on the page
 * are left out (the row ends above the footer) and a warning is added to the
 * context.
 */
int ctm_draw__table_row(ctm_draw_doc *doc, const ctm_draw_cell *cells);

/** Convenience: a row of plain texts (ncols of them, NULL entries empty). */
int ctm_draw__table_row_text(ctm_draw_doc *doc, const char *const *texts);

/** Ends the table; the cursor is below it. */
int ctm_draw__table_end(ctm_draw_doc *doc);

/**
 * A whole table in one call, its nrows rows of ncols cells known (row-major
 * in cells), so that it breaks where no page holds its header alone or
 * fewer than three rows of it continued. The cursor ends below it.
 */
int ctm_draw__table(ctm_draw_doc *doc, const ctm_draw_column *cols, size_t ncols,
		    const ctm_draw_table_style *style, const ctm_draw_cell *cells, size_t nrows);

/* ------------------------------------------------------------------------ */
/* Shapes                                                                    */

/** A line's look. All zeros: black, 0.75 pt, solid. */
typedef struct ctm_draw_stroke {
	ctm_draw_rgb color;
	double width; /**< pt; 0: 0.75 */
	double dash;  /**< > 0: dashed, dash and gap this long */
} ctm_draw_stroke;

/** A closed shape's look: fill and/or outline; both NULL draws nothing. */
typedef struct ctm_draw_paint {
	const ctm_draw_rgb *fill;   /**< NULL: not filled */
	const ctm_draw_rgb *stroke; /**< NULL: no outline */
	double width;               /**< outline pt; 0: 0.75 */
	double dash;                /**< > 0: dashed outline */
	double opacity;             /**< of the fill, 0 < o < 1; 0: opaque */
} ctm_draw_paint;

int ctm_draw__line(ctm_draw_doc *doc, double x0, double y0, double x1, double y1,
		   const ctm_draw_stroke *stroke);

/** An open line through n points xy = {x0, y0, x1, y1, ...} (n >= 2). */
int ctm_draw__polyline(ctm_draw_doc *doc, const double *xy, size_t n,
		       const ctm_draw_stroke *stroke);

/** A closed polygon through n points (n >= 3). */
int ctm_draw__polygon(ctm_draw_doc *doc, const double *xy, size_t n, const ctm_draw_paint *paint);

/** A rectangle with bottom-left corner (x, y). */
int ctm_draw__rect(ctm_draw_doc *doc, double x, double y, double w, double h,
		   const ctm_draw_paint *paint);

int ctm_draw__circle(ctm_draw_doc *doc, double cx, double cy, double r,
		     const ctm_draw_paint *paint);

typedef enum ctm_draw_marker_shape {
	CTM_DRAW_MARK_CIRCLE = 0,
	CTM_DRAW_MARK_SQUARE,
	CTM_DRAW_MARK_DIAMOND, /**< e.g. a target */
	CTM_DRAW_MARK_TRIANGLE,
	CTM_DRAW_MARK_VTICK, /**< vertical stroke, e.g. a target on a bar */
	CTM_DRAW_MARK_HTICK,
	CTM_DRAW_MARK_CROSS
} ctm_draw_marker_shape;

/** A marker of the given size (pt across) centred on (x, y). Ticks and
 * crosses use paint->stroke (black when NULL). */
int ctm_draw__marker(ctm_draw_doc *doc, double x, double y, double size,
		     ctm_draw_marker_shape shape, const ctm_draw_paint *paint);

/* ------------------------------------------------------------------------ */
/* Charts                                                                    */

/** A linear scale: value lo maps to page coordinate p0, hi to p1. */
typedef struct ctm_draw_scale {
	double lo, hi;
	double p0, p1;
} ctm_draw_scale;

/** Page coordinate of v (not clamped). lo == hi maps everything to p0. */
double ctm_draw__scale_map(const ctm_draw_scale *s, double v);

/** A "nice" tick step (1, 2 or 5 times a power of ten) giving at most
 * max_ticks intervals over [lo, hi]. */
double ctm_draw__nice_step(double lo, double hi, int max_ticks);

typedef enum ctm_draw_axis_side {
	CTM_DRAW_AXIS_BOTTOM = 0, /**< horizontal, labels below */
	CTM_DRAW_AXIS_LEFT = 1    /**< vertical, labels to the left */
} ctm_draw_axis_side;

/** An axis along a scale. */
typedef struct ctm_draw_axis {
	ctm_draw_axis_side side;
	double at; /**< page y of a bottom axis, page x of a left one */
	ctm_draw_scale scale;
	double step;       /**< tick step in values; 0: ctm_draw__nice_step(.., 5) */
	int decimals;      /**< tick label decimals 0..6; negative: from step */
	double grid;       /**< > 0: light grid lines this long across the plot
				 (upwards / rightwards) */
	const char *title; /**< UTF-8 axis title, may be NULL */
	double size;       /**< label font size; 0: 8 */
} ctm_draw_axis;

/** Draws the axis line, ticks from lo to hi, their labels and the title. */
int ctm_draw__axis_draw(ctm_draw_doc *doc, const ctm_draw_axis *axis);

/**
 * A horizontal bar centred on page y, thickness pt tall, from value `from`
 * to value `to` on the horizontal scale xs.
 */
int ctm_draw__hbar(ctm_draw_doc *doc, const ctm_draw_scale *xs, double y, double thickness,
		   double from, double to, const ctm_draw_paint *paint);

/** A vertical bar centred on page x, thickness pt wide, on scale ys. */
int ctm_draw__vbar(ctm_draw_doc *doc, const ctm_draw_scale *ys, double x, double thickness,
		   double from, double to, const ctm_draw_paint *paint);

/**
 * An error whisker (e.g. a confidence interval) from value lo to hi on scale
 * s: horizontal at page coordinate `at` (a y) when horizontal is nonzero,
 * else vertical at page x `at`; end caps cap pt long.
 */
int ctm_draw__whisker(ctm_draw_doc *doc, const ctm_draw_scale *s, int horizontal, double at,
		      double lo, double hi, double cap, const ctm_draw_stroke *stroke);

/** A radar (spider) chart frame. Spoke 0 points up; spokes go clockwise. */
typedef struct ctm_draw_radar {
	double cx, cy, radius;
	size_t spokes;             /**< 3 or more */
	double lo, hi;             /**< value at the centre and at the rim */
	int rings;                 /**< rings at lo + k (hi-lo)/rings, k=1..rings;
					 0: none */
	const char *const *labels; /**< spokes labels (UTF-8) or NULL */
	double size;               /**< label font size; 0: 8 */
} ctm_draw_radar;

/** Page position of value v on spoke i (v clamped to [lo, hi]). */
void ctm_draw__radar_point(const ctm_draw_radar *radar, size_t i, double v, double *x, double *y);

/** Draws rings, spokes, ring values along spoke 0 and the spoke labels. */
int ctm_draw__radar_grid(ctm_draw_doc *doc, const ctm_draw_radar *radar);

/**
 * The data polygon of radar->spokes values (NaN: drawn at the centre) and a
 * small dot at each vertex in the stroke colour.
 */
int ctm_draw__radar_polygon(ctm_draw_doc *doc, const ctm_draw_radar *radar, const double *values,
			    const ctm_draw_paint *paint);

/** One legend entry. */
typedef struct ctm_draw_legend_item {
	const char *label; /**< UTF-8 */
	ctm_draw_rgb color;
	int kind;                    /**< 0: filled swatch, 1: line, 2: marker */
	ctm_draw_marker_shape shape; /**< for kind 2 */
} ctm_draw_legend_item;

/**
 * A legend whose top-left corner is (x, y): items side by side, wrapping to
 * a new row beyond max_width (so a small max_width stacks them). size is
 * the font size (0: 8). *height_out (may be NULL) gets the height used.
 */
int ctm_draw__legend(ctm_draw_doc *doc, double x, double y, double max_width,
		     const ctm_draw_legend_item *items, size_t n, double size, double *height_out);

/* ------------------------------------------------------------------------ */
/* Images (draw_image.c)                                                     */

enum { CTM_DRAW_IMAGE_NONE = 0, CTM_DRAW_IMAGE_PNG = 1, CTM_DRAW_IMAGE_JPEG = 2 };

/** What bytes b[0..n) are, by their signature, and the pixel size their
 * header declares (0 x 0 when it cannot be found): CTM_DRAW_IMAGE_*. */
int ctm_draw__image_kind(const unsigned char *b, size_t n, uint32_t *w, uint32_t *h);

/**
 * Reads a PNG or JPEG file (at most 16 MB, at most 16 million pixels by its
 * header) into *bytes (malloc'd; the caller frees) and *size. 0, CTM_EIO
 * (unreadable), CTM_EINVALID (not such an image, or too large), CTM_ENOMEM;
 * said in ctx with the path. The pixels are not decoded: ctm_draw__image
 * does that when it draws, ctm_draw__image_check to refuse a damaged file
 * before any document is drawn.
 */
int ctm_draw__image_read(const char *path, unsigned char **bytes, size_t *size, ctm_ctx *ctx);

/** Decodes the image whole (libpng, libjpeg): 0, or CTM_EINVALID said in
 * ctx as a damaged or unsupported file named shown. */
int ctm_draw__image_check(const unsigned char *bytes, size_t size, const char *shown,
			  ctm_ctx *ctx);

/**
 * Draws the image in bytes scaled to fit max_w x max_h (its proportions
 * kept), its top-left corner at (x, top), on the current page; the size it
 * took into *drawn_w and *drawn_h. shown names it in messages. 0, or
 * CTM_EINVALID (data libharu cannot read), CTM_EINTERNAL.
 */
int ctm_draw__image(ctm_draw_doc *doc, const unsigned char *bytes, size_t size, const char *shown,
		    double x, double top, double max_w, double max_h, double *drawn_w,
		    double *drawn_h);

#endif
