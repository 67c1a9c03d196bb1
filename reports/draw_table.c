/* Drawing layer: tables that wrap cells and break across pages. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "draw_impl.h"

#define MAX_COLUMNS 64
/* A continued table brings at least this many rows onto its last page. */
#define TAIL_ROWS 3
#define HEADER_FILL CTM_DRAW_HEX(0xdde4ee)
#define ZEBRA_FILL CTM_DRAW_HEX(0xf3f5f8)
#define RULE_COLOR CTM_DRAW_RGB(0.78, 0.78, 0.78)

void ctm_draw__table_clear(ctm_draw_table *t)
{
	if (t->cols)
		for (size_t i = 0; i < t->ncols; i++)
			free((char *)t->cols[i].header);
	free(t->cols);
	free(t->x);
	free(t->w);
	memset(t, 0, sizeof(*t));
}

static void table_text_style(const ctm_draw_table *t, int bold, ctm_draw_align align,
			     ctm_draw_rgb color, ctm_draw_text_style *out)
{
	*out = (ctm_draw_text_style){ .size = t->style.size,
				      .bold = bold,
				      .color = color,
				      .align = align,
				      .line_height = 1.2 };
}

/* Height of one cell's text (lines x pitch) in column c. */
static int cell_lines(ctm_draw_doc *doc, size_t c, const char *text, int bold, size_t *n,
		      double *lh)
{
	ctm_draw_table *t = &doc->table;
	ctm_draw_text_style ts;
	ctm_draw_resolved_style st;
	int rc;

	table_text_style(t, bold, t->cols[c].align, CTM_DRAW_BLACK, &ts);
	*n = 0;
	if ((rc = ctm_draw__style_resolve(doc, &ts, text, &st)) < 0)
		return rc;
	*lh = st.lh;
	if (!text || !*text)
		return 0;
	return ctm_draw__layout(doc, text, st.font, st.size, t->w[c] - 2 * t->style.padding, n);
}

/* Draws a row of cells with top at the cursor, at most max_lines lines per
 * cell; row_h tall. header: header style. */
static int draw_row(ctm_draw_doc *doc, const ctm_draw_cell *cells, double row_h, size_t max_lines,
		    int header)
{
	ctm_draw_table *t = &doc->table;
	HPDF_Page page = ctm_draw__page_cur(doc);
	double top = doc->cursor, pad = t->style.padding;
	int rc;

	for (size_t c = 0; c < t->ncols; c++) {
		const ctm_draw_rgb *fill = header ? NULL : cells[c].fill;
		ctm_draw_rgb bg;
		int filled = 1;
		if (header)
			bg = HEADER_FILL;
		else if (fill)
			bg = *fill;
		else if (t->style.zebra && t->row % 2 == 1)
			bg = ZEBRA_FILL;
		else
			filled = 0;
		if (filled) {
			ctm_draw__set_fill(page, bg);
			HPDF_Page_Rectangle(page, (HPDF_REAL)t->x[c], (HPDF_REAL)(top - row_h),
					    (HPDF_REAL)t->w[c], (HPDF_REAL)row_h);
			HPDF_Page_Fill(page);
		}
		const char *text = header ? t->cols[c].header : cells[c].text;
		if (!text || !*text)
			continue;
		int bold = header ? 1 : cells[c].bold;
		ctm_draw_rgb fg = filled && !header ? ctm_draw__contrast_text(bg) : CTM_DRAW_BLACK;
		ctm_draw_text_style ts;
		ctm_draw_resolved_style st;
		size_t n = 0;
		table_text_style(t, bold, t->cols[c].align, fg, &ts);
		if ((rc = ctm_draw__style_resolve(doc, &ts, text, &st)) < 0)
			return rc;
		double inner = t->w[c] - 2 * pad;
		if ((rc = ctm_draw__layout(doc, text, st.font, st.size, inner, &n)) < 0)
			return rc;
		if (n > max_lines)
			n = max_lines;
		if ((rc = ctm_draw__draw_lines(doc, text, 0, n, t->x[c] + pad, top - pad, inner,
					       &st)) < 0)
			return rc;
	}
	/* rule under the row */
	ctm_draw__set_stroke(page, header ? CTM_DRAW_RGB(0.45, 0.5, 0.58) : RULE_COLOR);
	HPDF_Page_SetLineWidth(page, header ? 0.8f : 0.4f);
	HPDF_Page_MoveTo(page, (HPDF_REAL)t->x[0], (HPDF_REAL)(top - row_h));
	HPDF_Page_LineTo(page, (HPDF_REAL)(t->x[t->ncols - 1] + t->w[t->ncols - 1]),
			 (HPDF_REAL)(top - row_h));
	HPDF_Page_Stroke(page);
	ctm_draw__advance(doc, row_h);
	doc->page_empty = 0;
	return ctm_draw__check(doc, "drawing a table row");
}

static int header_height(ctm_draw_doc *doc, double *h)
{
	ctm_draw_table *t = &doc->table;
	size_t n;
	double lh, best = 0;
	int rc;

	*h = 0;
	if (t->style.no_header)
		return 0;
	for (size_t c = 0; c < t->ncols; c++) {
		if ((rc = cell_lines(doc, c, t->cols[c].header, 1, &n, &lh)) < 0)
			return rc;
		if ((double)n * lh > best)
			best = (double)n * lh;
	}
	*h = best + 2 * t->style.padding;
	return 0;
}

static int draw_header(ctm_draw_doc *doc)
{
	double h;
	int rc;

	if (doc->table.style.no_header)
		return 0;
	if ((rc = header_height(doc, &h)) < 0)
		return rc;
	return draw_row(doc, NULL, h, (size_t)-1, 1);
}

/* Opens the table: checks and copies the columns; with draw, also keeps the
 * header and one line of body on the page and draws the header (without,
 * ctm_draw__table plans the rows first and draws the header itself). */
static int table_open(ctm_draw_doc *doc, const ctm_draw_column *cols, size_t ncols,
		      const ctm_draw_table_style *style, int draw)
{
	ctm_draw_table_style zero = { 0 };
	ctm_draw_table *t;
	int rc;

	if ((rc = ctm_draw__usable(doc, "starting a table")) < 0)
		return rc;
	t = &doc->table;
	if (t->active) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: a table is already open");
		return CTM_EUSAGE;
	}
	if (!cols || !ncols || ncols > MAX_COLUMNS) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: a table needs 1 to %d columns",
				MAX_COLUMNS);
		return CTM_EUSAGE;
	}
	if (!style)
		style = &zero;
	double avail = doc->content.right - doc->content.left;
	double indent = style->indent > 0 ? style->indent : 0;
	double width = style->width > 0 ? style->width : avail - indent;
	if (indent + width > avail + 0.01 || width < 10) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: table wider than the page");
		return CTM_EUSAGE;
	}
	double fixed = 0;
	size_t nauto = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (cols[c].header &&
		    (rc = ctm_draw__utf8_check(doc, cols[c].header, "table header")) < 0)
			return rc;
		if (cols[c].points > 0)
			fixed += cols[c].points;
		else if (cols[c].fraction > 0)
			fixed += cols[c].fraction * width;
		else
			nauto++;
	}
	double share = nauto ? (width - fixed) / (double)nauto : 0;
	if (fixed > width + 0.5 || (nauto && share < 4)) {
		ctm_diag__error(doc->ctx, NULL, 0, 0,
				"PDF: table columns (%.1f pt) wider than the table (%.1f pt)",
				fixed, width);
		return CTM_EUSAGE;
	}

	t->ncols = ncols;
	t->cols = calloc(ncols, sizeof(*t->cols));
	t->x = calloc(ncols, sizeof(*t->x));
	t->w = calloc(ncols, sizeof(*t->w));
	if (!t->cols || !t->x || !t->w) {
		ctm_draw__table_clear(t);
		return ctm_draw__nomem(doc, "starting a table");
	}
	t->style = *style;
	t->style.size = style->size > 0 ? style->size : 9.0;
	t->style.padding = style->padding > 0 ? style->padding : 3.0;
	double x = doc->content.left + indent;
	for (size_t c = 0; c < ncols; c++) {
		t->cols[c] = cols[c];
		t->cols[c].header = NULL;
		if (cols[c].header && *cols[c].header) {
			size_t n = strlen(cols[c].header) + 1;
			char *h = malloc(n);
			if (!h) {
				ctm_draw__table_clear(t);
				return ctm_draw__nomem(doc, "starting a table");
			}
			memcpy(h, cols[c].header, n);
			t->cols[c].header = h;
		}
		t->w[c] = cols[c].points > 0   ? cols[c].points
			: cols[c].fraction > 0 ? cols[c].fraction * width
					       : share;
		if (t->w[c] <= 2 * t->style.padding + 1)
			t->style.padding = 0.5; /* hairline columns: keep text inside */
		t->x[c] = x;
		x += t->w[c];
	}
	t->active = 1;
	if (!draw)
		return 0;

	/* header plus one line of body, on the same page */
	double hh;
	if ((rc = header_height(doc, &hh)) < 0)
		goto fail;
	if ((rc = ctm_draw__need(doc, hh + t->style.size * 1.2 + 2 * t->style.padding)) < 0)
		goto fail;
	t->fresh = doc->page_empty;
	if ((rc = draw_header(doc)) < 0)
		goto fail;
	return 0;
fail:
	ctm_draw__table_clear(t);
	return rc;
}

int ctm_draw__table_begin(ctm_draw_doc *doc, const ctm_draw_column *cols, size_t ncols,
			  const ctm_draw_table_style *style)
{
	return table_open(doc, cols, ncols, style, 1);
}

/* The height of a body row (its tallest cell and the padding) and the line
 * pitch. */
static int row_height(ctm_draw_doc *doc, const ctm_draw_cell *cells, double *row_h, double *lh)
{
	ctm_draw_table *t = &doc->table;
	int rc;

	*row_h = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t n;
		if ((rc = cell_lines(doc, c, cells[c].text, cells[c].bold, &n, lh)) < 0)
			return rc;
		if ((double)n * *lh > *row_h)
			*row_h = (double)n * *lh;
	}
	if (*row_h < *lh)
		*row_h = *lh; /* an empty row keeps one line */
	*row_h += 2 * t->style.padding;
	return 0;
}

int ctm_draw__table_row(ctm_draw_doc *doc, const ctm_draw_cell *cells)
{
	ctm_draw_table *t;
	int rc;

	if ((rc = ctm_draw__usable(doc, "adding a table row")) < 0)
		return rc;
	t = &doc->table;
	if (!t->active || !cells) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: table row without a table");
		return CTM_EUSAGE;
	}
	for (size_t c = 0; c < t->ncols; c++)
		if (cells[c].text &&
		    (rc = ctm_draw__utf8_check(doc, cells[c].text, "table cell")) < 0)
			return rc;

	double row_h = 0, lh = 0;
	if ((rc = row_height(doc, cells, &row_h, &lh)) < 0)
		return rc;

	size_t max_lines = (size_t)-1;
	if (doc->cursor - row_h < doc->content.bottom - 1e-6) {
		/* move to a new page with the header again, unless this page
		 * holds nothing of the table's body yet and the row is only too
		 * tall for any page */
		if (!t->fresh) {
			if ((rc = ctm_draw__page_add(doc)) < 0)
				return rc;
			if ((rc = draw_header(doc)) < 0)
				return rc;
			t->fresh = 1;
		}
		double avail = doc->cursor - doc->content.bottom;
		if (row_h > avail) {
			max_lines = (size_t)((avail - 2 * t->style.padding) / lh);
			row_h = avail;
			ctm_diag__warning(doc->ctx, NULL, 0, 0,
					  "PDF: a table row taller than a page was cut to "
					  "%zu lines",
					  max_lines);
		}
	}
	if ((rc = draw_row(doc, cells, row_h, max_lines, 0)) < 0)
		return rc;
	t->row++;
	t->fresh = 0;
	return 0;
}

int ctm_draw__table_row_text(ctm_draw_doc *doc, const char *const *texts)
{
	ctm_draw_cell cells[MAX_COLUMNS];

	if (!doc || !texts)
		return CTM_EUSAGE;
	if (!doc->table.active)
		return ctm_draw__table_row(doc, NULL); /* reports the misuse */
	for (size_t c = 0; c < doc->table.ncols; c++)
		cells[c] = (ctm_draw_cell){ texts[c], NULL, 0 };
	return ctm_draw__table_row(doc, cells);
}

int ctm_draw__table_end(ctm_draw_doc *doc)
{
	if (!doc)
		return CTM_EUSAGE;
	if (!doc->table.active) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: no table to end");
		return CTM_EUSAGE;
	}
	ctm_draw__table_clear(&doc->table);
	ctm_draw__advance(doc, 8.0);
	return 0;
}

/* Where the rows of a table whose first row would start at y would begin
 * new pages, as ctm_draw__table_row breaks them (a row that does not fit
 * goes to the next page, under the header hh tall again, unless the page
 * holds no row of the table yet; fresh: the first page holds nothing else),
 * into brk (nrows flags, set: a page begins at that row); then the last
 * page made to hold TAIL_ROWS rows when there are that many, the page before
 * keeps one and they fit on a page. Returns the index of the last page's
 * first row (0: the table is on one page); *short_tail: a tail of fewer than
 * TAIL_ROWS rows remains. */
static size_t plan_breaks(const ctm_draw_doc *doc, const double *h, size_t nrows, double y,
			  double hh, int fresh, unsigned char *brk, int *short_tail)
{
	double bottom = doc->content.bottom, page_top = doc->content.top - hh;
	size_t last = 0, prev = 0;

	for (size_t i = 0; i < nrows; i++) {
		brk[i] = 0;
		if (y - h[i] < bottom - 1e-6 && !fresh) {
			brk[i] = 1;
			prev = last;
			last = i;
			y = page_top;
		}
		y -= h[i];
		fresh = 0;
	}
	*short_tail = last > 0 && nrows - last < TAIL_ROWS;
	if (*short_tail && nrows >= TAIL_ROWS && nrows - TAIL_ROWS > prev) {
		double tail = 0;
		for (size_t i = nrows - TAIL_ROWS; i < nrows; i++)
			tail += h[i];
		if (tail <= page_top - bottom) {
			brk[last] = 0;
			last = nrows - TAIL_ROWS;
			brk[last] = 1;
			*short_tail = 0;
		}
	}
	return last;
}

int ctm_draw__table(ctm_draw_doc *doc, const ctm_draw_column *cols, size_t ncols,
		    const ctm_draw_table_style *style, const ctm_draw_cell *cells, size_t nrows)
{
	double *h = NULL, hh = 0, lh = 0, whole = 0;
	unsigned char *brk = NULL;
	int rc, short_tail = 0;

	if (!doc)
		return CTM_EUSAGE;
	if (!cells && nrows) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: table rows without cells");
		return CTM_EUSAGE;
	}
	if ((rc = ctm_draw__ensure_page(doc)) < 0 ||
	    (rc = table_open(doc, cols, ncols, style, 0)) < 0)
		return rc;
	ctm_draw_table *t = &doc->table;
	h = malloc((nrows ? nrows : 1) * sizeof(*h));
	brk = malloc(nrows ? nrows : 1);
	if (!h || !brk) {
		rc = ctm_draw__nomem(doc, "planning a table");
		goto done;
	}
	for (size_t i = 0; i < nrows; i++) {
		if ((rc = row_height(doc, cells + i * ncols, &h[i], &lh)) < 0)
			goto done;
		whole += h[i];
	}
	if ((rc = header_height(doc, &hh)) < 0)
		goto done;
	double full = doc->content.top - doc->content.bottom - hh;
	double first = nrows ? h[0] : t->style.size * 1.2 + 2 * t->style.padding;
	int fresh = doc->page_empty;
	/* On the next page when the header would stand alone here (its first
	 * row does not fit under it), or when the break would leave a tail of
	 * a row or two that no earlier break can lengthen and the table fits
	 * a page whole. */
	int restart = !fresh && doc->cursor - hh - first < doc->content.bottom - 1e-6;
	if (!restart && nrows) {
		plan_breaks(doc, h, nrows, doc->cursor - hh, hh, fresh, brk, &short_tail);
		restart = short_tail && !fresh && whole <= full;
	}
	if (restart) {
		if ((rc = ctm_draw__page_add(doc)) < 0)
			goto done;
	}
	if (nrows)
		plan_breaks(doc, h, nrows, doc->cursor - hh, hh, doc->page_empty, brk,
			    &short_tail);
	t->fresh = doc->page_empty;
	if ((rc = draw_header(doc)) < 0)
		goto done;
	for (size_t i = 0; i < nrows; i++) {
		if (brk[i] && !t->fresh && doc->cursor - h[i] >= doc->content.bottom - 1e-6) {
			/* an earlier break than the row's own: the tail's rows */
			if ((rc = ctm_draw__page_add(doc)) < 0 || (rc = draw_header(doc)) < 0)
				goto done;
			t->fresh = 1;
		}
		if ((rc = ctm_draw__table_row(doc, cells + i * ncols)) < 0)
			goto done;
	}
	rc = ctm_draw__table_end(doc);
done:
	if (rc < 0 && t->active)
		ctm_draw__table_clear(t);
	free(h);
	free(brk);
	return rc;
}
