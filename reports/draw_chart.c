/* Drawing layer: shapes, colours, scales, axes, bars, radar and legends. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "draw_impl.h"

#define PI 3.14159265358979323846
#define DEFAULT_LINE 0.75
#define LABEL_COLOR CTM_DRAW_RGB(0.25, 0.25, 0.25)
#define GRID_COLOR CTM_DRAW_RGB(0.85, 0.85, 0.85)
#define MAX_TICKS 200

/* ---- colours --------------------------------------------------------------- */

/* viridis at 0, 1/8, ..., 1 */
static const unsigned int viridis[9] = {
	0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725,
};

/* Okabe & Ito, "Color Universal Design" */
static const unsigned int okabe_ito[8] = {
	0x0072b2, 0xe69f00, 0x009e73, 0xd55e00, 0xcc79a7, 0x56b4e9, 0xf0e442, 0x000000,
};

static ctm_draw_rgb hex(unsigned int h) { return CTM_DRAW_HEX(h); }

ctm_draw_rgb ctm_draw__color_scale(double v, double lo, double hi)
{
	double t = 0.5;
	if (v == v && hi != lo && hi == hi && lo == lo)
		t = (v - lo) / (hi - lo);
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	double f = t * 8.0;
	int k = (int)f;
	if (k >= 8)
		k = 7;
	double u = f - k;
	ctm_draw_rgb a = hex(viridis[k]), b = hex(viridis[k + 1]);
	return CTM_DRAW_RGB(a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u);
}

ctm_draw_rgb ctm_draw__palette(size_t i, size_t n)
{
	if (n < 2)
		n = 2;
	if (n > 9)
		n = 9;
	if (i >= n)
		i = n - 1;
	return ctm_draw__color_scale((double)i, 0.0, (double)(n - 1));
}

ctm_draw_rgb ctm_draw__palette_categorical(size_t i) { return hex(okabe_ito[i % 8]); }

static double linear(double c) { return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4); }

ctm_draw_rgb ctm_draw__contrast_text(ctm_draw_rgb bg)
{
	double l = 0.2126 * linear(bg.r) + 0.7152 * linear(bg.g) + 0.0722 * linear(bg.b);
	/* the better WCAG contrast ratio: white below L = 0.179 */
	return l < 0.179 ? CTM_DRAW_WHITE : CTM_DRAW_BLACK;
}

/* ---- painting --------------------------------------------------------------- */

static HPDF_ExtGState alpha_state(ctm_draw_doc *doc, double alpha)
{
	double q = floor(alpha * 100 + 0.5) / 100;
	for (size_t i = 0; i < doc->nalpha; i++)
		if (doc->alpha_value[i] == q)
			return doc->alpha_state[i];
	if (doc->nalpha == CTM_DRAW__ALPHA_CACHE)
		return NULL; /* drawn opaque: more than 8 opacities is a misuse */
	HPDF_ExtGState gs = HPDF_CreateExtGState(doc->pdf);
	if (!gs)
		return NULL;
	HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)q);
	doc->alpha_value[doc->nalpha] = q;
	doc->alpha_state[doc->nalpha++] = gs;
	return gs;
}

static void set_line(HPDF_Page page, double width, double dash)
{
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)(width > 0 ? width : DEFAULT_LINE));
	if (dash > 0) {
		HPDF_UINT16 d = (HPDF_UINT16)(dash < 1 ? 1 : dash > 100 ? 100 : dash + 0.5);
		HPDF_UINT16 ptn[2] = { d, d };
		HPDF_Page_SetDash(page, ptn, 2, 0);
	}
}

/* Starts a shape: saves the graphics state and sets the paint. Returns the
 * page, or NULL when nothing is to be drawn or on error (*rc set). */
static HPDF_Page shape_begin(ctm_draw_doc *doc, const char *what, const ctm_draw_paint *p,
			     const double *v, size_t nv, int *rc)
{
	*rc = ctm_draw__usable(doc, what);
	if (!*rc && v)
		*rc = ctm_draw__finite(doc, what, v, nv);
	if (!*rc)
		*rc = ctm_draw__ensure_page(doc);
	if (*rc || !p || (!p->fill && !p->stroke))
		return NULL;
	HPDF_Page page = ctm_draw__page_cur(doc);
	HPDF_Page_GSave(page);
	if (p->fill) {
		ctm_draw__set_fill(page, *p->fill);
		if (p->opacity > 0 && p->opacity < 1) {
			HPDF_ExtGState gs = alpha_state(doc, p->opacity);
			if (gs)
				HPDF_Page_SetExtGState(page, gs);
		}
	}
	if (p->stroke) {
		ctm_draw__set_stroke(page, *p->stroke);
		set_line(page, p->width, p->dash);
	}
	return page;
}

static int shape_end(ctm_draw_doc *doc, HPDF_Page page, const ctm_draw_paint *p, int closed,
		     const char *what)
{
	if (p->fill && p->stroke)
		closed ? HPDF_Page_ClosePathFillStroke(page) : HPDF_Page_FillStroke(page);
	else if (p->fill)
		HPDF_Page_Fill(page);
	else
		closed ? HPDF_Page_ClosePathStroke(page) : HPDF_Page_Stroke(page);
	HPDF_Page_GRestore(page);
	return ctm_draw__check(doc, what);
}

static HPDF_Page stroke_begin(ctm_draw_doc *doc, const char *what, const ctm_draw_stroke *s,
			      const double *v, size_t nv, int *rc)
{
	ctm_draw_stroke zero = { { 0, 0, 0 }, 0, 0 };
	*rc = ctm_draw__usable(doc, what);
	if (!*rc && v)
		*rc = ctm_draw__finite(doc, what, v, nv);
	if (!*rc)
		*rc = ctm_draw__ensure_page(doc);
	if (*rc)
		return NULL;
	if (!s)
		s = &zero;
	HPDF_Page page = ctm_draw__page_cur(doc);
	HPDF_Page_GSave(page);
	ctm_draw__set_stroke(page, s->color);
	set_line(page, s->width, s->dash);
	return page;
}

static int stroke_end(ctm_draw_doc *doc, HPDF_Page page, const char *what)
{
	HPDF_Page_Stroke(page);
	HPDF_Page_GRestore(page);
	return ctm_draw__check(doc, what);
}

/* ---- shapes ----------------------------------------------------------------- */

int ctm_draw__line(ctm_draw_doc *doc, double x0, double y0, double x1, double y1,
		   const ctm_draw_stroke *stroke)
{
	double v[4] = { x0, y0, x1, y1 };
	int rc;
	HPDF_Page page = stroke_begin(doc, "drawing a line", stroke, v, 4, &rc);
	if (!page)
		return rc;
	HPDF_Page_MoveTo(page, (HPDF_REAL)x0, (HPDF_REAL)y0);
	HPDF_Page_LineTo(page, (HPDF_REAL)x1, (HPDF_REAL)y1);
	return stroke_end(doc, page, "drawing a line");
}

int ctm_draw__polyline(ctm_draw_doc *doc, const double *xy, size_t n, const ctm_draw_stroke *stroke)
{
	int rc;

	if (!doc || !xy || n < 2 || n > 100000) {
		if (doc)
			ctm_diag__error(doc->ctx, NULL, 0, 0,
					"PDF: a polyline needs 2 or more points");
		return CTM_EUSAGE;
	}
	HPDF_Page page = stroke_begin(doc, "drawing a polyline", stroke, xy, 2 * n, &rc);
	if (!page)
		return rc;
	HPDF_Page_MoveTo(page, (HPDF_REAL)xy[0], (HPDF_REAL)xy[1]);
	for (size_t i = 1; i < n; i++)
		HPDF_Page_LineTo(page, (HPDF_REAL)xy[2 * i], (HPDF_REAL)xy[2 * i + 1]);
	return stroke_end(doc, page, "drawing a polyline");
}

int ctm_draw__polygon(ctm_draw_doc *doc, const double *xy, size_t n, const ctm_draw_paint *paint)
{
	int rc;

	if (!doc || !xy || n < 3 || n > 100000) {
		if (doc)
			ctm_diag__error(doc->ctx, NULL, 0, 0,
					"PDF: a polygon needs 3 or more points");
		return CTM_EUSAGE;
	}
	HPDF_Page page = shape_begin(doc, "drawing a polygon", paint, xy, 2 * n, &rc);
	if (!page)
		return rc;
	HPDF_Page_MoveTo(page, (HPDF_REAL)xy[0], (HPDF_REAL)xy[1]);
	for (size_t i = 1; i < n; i++)
		HPDF_Page_LineTo(page, (HPDF_REAL)xy[2 * i], (HPDF_REAL)xy[2 * i + 1]);
	if (paint->fill)
		HPDF_Page_ClosePath(page);
	return shape_end(doc, page, paint, 1, "drawing a polygon");
}

int ctm_draw__rect(ctm_draw_doc *doc, double x, double y, double w, double h,
		   const ctm_draw_paint *paint)
{
	double v[4] = { x, y, w, h };
	int rc;
	HPDF_Page page = shape_begin(doc, "drawing a rectangle", paint, v, 4, &rc);
	if (!page)
		return rc;
	HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	return shape_end(doc, page, paint, 0, "drawing a rectangle");
}

int ctm_draw__circle(ctm_draw_doc *doc, double cx, double cy, double r, const ctm_draw_paint *paint)
{
	double v[3] = { cx, cy, r };
	int rc;
	if (doc && !(r > 0)) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: a circle needs a positive radius");
		return CTM_EUSAGE;
	}
	HPDF_Page page = shape_begin(doc, "drawing a circle", paint, v, 3, &rc);
	if (!page)
		return rc;
	HPDF_Page_Circle(page, (HPDF_REAL)cx, (HPDF_REAL)cy, (HPDF_REAL)r);
	return shape_end(doc, page, paint, 0, "drawing a circle");
}

int ctm_draw__marker(ctm_draw_doc *doc, double x, double y, double size,
		     ctm_draw_marker_shape shape, const ctm_draw_paint *paint)
{
	double h = size / 2;
	double pts[8];

	switch (shape) {
	case CTM_DRAW_MARK_CIRCLE: return ctm_draw__circle(doc, x, y, h, paint);
	case CTM_DRAW_MARK_SQUARE: return ctm_draw__rect(doc, x - h, y - h, size, size, paint);
	case CTM_DRAW_MARK_DIAMOND: {
		double d = h * 1.25;
		double p[8] = { x, y + d, x + d * 0.8, y, x, y - d, x - d * 0.8, y };
		memcpy(pts, p, sizeof(p));
		return ctm_draw__polygon(doc, pts, 4, paint);
	}
	case CTM_DRAW_MARK_TRIANGLE: {
		double p[6] = {
			x, y + h * 1.15, x + h * 1.1, y - h * 0.8, x - h * 1.1, y - h * 0.8
		};
		memcpy(pts, p, sizeof(p));
		return ctm_draw__polygon(doc, pts, 3, paint);
	}
	case CTM_DRAW_MARK_VTICK:
	case CTM_DRAW_MARK_HTICK:
	case CTM_DRAW_MARK_CROSS: {
		ctm_draw_stroke s = { paint && paint->stroke ? *paint->stroke : CTM_DRAW_BLACK,
				      paint && paint->width > 0 ? paint->width : 1.5, 0 };
		if (shape == CTM_DRAW_MARK_VTICK)
			return ctm_draw__line(doc, x, y - h, x, y + h, &s);
		if (shape == CTM_DRAW_MARK_HTICK)
			return ctm_draw__line(doc, x - h, y, x + h, y, &s);
		int rc = ctm_draw__line(doc, x - h, y - h, x + h, y + h, &s);
		return rc ? rc : ctm_draw__line(doc, x - h, y + h, x + h, y - h, &s);
	}
	}
	if (doc)
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: unknown marker shape");
	return CTM_EUSAGE;
}

/* ---- scales and axes --------------------------------------------------------- */

double ctm_draw__scale_map(const ctm_draw_scale *s, double v)
{
	if (!s || s->hi == s->lo)
		return s ? s->p0 : 0.0;
	return s->p0 + (v - s->lo) / (s->hi - s->lo) * (s->p1 - s->p0);
}

double ctm_draw__nice_step(double lo, double hi, int max_ticks)
{
	double span = fabs(hi - lo);
	if (max_ticks < 1)
		max_ticks = 1;
	if (!(span > 0) || span != span || span > 1e300)
		return 1.0;
	double raw = span / max_ticks;
	double mag = pow(10.0, floor(log10(raw)));
	double norm = raw / mag;
	double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
	return nice * mag;
}

int ctm_draw__axis_draw(ctm_draw_doc *doc, const ctm_draw_axis *a)
{
	char label[64];
	int rc;

	if (!doc || !a)
		return CTM_EUSAGE;
	double v[6] = { a->at, a->scale.lo, a->scale.hi, a->scale.p0, a->scale.p1, a->step };
	if ((rc = ctm_draw__usable(doc, "drawing an axis")) < 0 ||
	    (rc = ctm_draw__finite(doc, "axis", v, 6)) < 0)
		return rc;
	if (a->scale.lo == a->scale.hi) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: axis scale has an empty range");
		return CTM_EUSAGE;
	}
	if (a->title && (rc = ctm_draw__utf8_check(doc, a->title, "axis title")) < 0)
		return rc;
	double size = a->size > 0 ? a->size : 8.0;
	double lo = fmin(a->scale.lo, a->scale.hi), hi = fmax(a->scale.lo, a->scale.hi);
	double step = a->step > 0 ? a->step : ctm_draw__nice_step(lo, hi, 5);
	if ((hi - lo) / step > MAX_TICKS)
		step = ctm_draw__nice_step(lo, hi, MAX_TICKS);
	int dec = a->decimals;
	if (dec < 0)
		dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (dec > 6)
		dec = 6;
	int bottom = a->side == CTM_DRAW_AXIS_BOTTOM;
	ctm_draw_stroke axis_line = { LABEL_COLOR, 0.6, 0 };
	ctm_draw_stroke grid = { GRID_COLOR, 0.4, 0 };
	ctm_draw_text_style ts = { .size = size,
				   .color = LABEL_COLOR,
				   .align = bottom ? CTM_DRAW_ALIGN_CENTER : CTM_DRAW_ALIGN_RIGHT };
	double p0 = a->scale.p0, p1 = a->scale.p1, maxw = 0;

	double first = ceil(lo / step - 1e-9) * step;
	for (int k = 0; k <= MAX_TICKS; k++) {
		double t = first + k * step;
		if (t > hi + step * 1e-9)
			break;
		if (fabs(t) < step * 1e-9)
			t = 0; /* no "-0" */
		double p = ctm_draw__scale_map(&a->scale, t), w = 0;
		snprintf(label, sizeof(label), "%.*f", dec, t);
		if (bottom) {
			if (a->grid > 0 &&
			    (rc = ctm_draw__line(doc, p, a->at, p, a->at + a->grid, &grid)) < 0)
				return rc;
			if ((rc = ctm_draw__line(doc, p, a->at, p, a->at - 3, &axis_line)) < 0 ||
			    (rc = ctm_draw__text_at(doc, p, a->at - 4 - size, label, &ts)) < 0)
				return rc;
		} else {
			if (a->grid > 0 &&
			    (rc = ctm_draw__line(doc, a->at, p, a->at + a->grid, p, &grid)) < 0)
				return rc;
			if ((rc = ctm_draw__line(doc, a->at, p, a->at - 3, p, &axis_line)) < 0 ||
			    (rc = ctm_draw__text_at(doc, a->at - 5, p - size * 0.35, label, &ts)) <
				    0 ||
			    (rc = ctm_draw__text_width(doc, label, &ts, &w)) < 0)
				return rc;
			if (w > maxw)
				maxw = w;
		}
	}
	if (bottom)
		rc = ctm_draw__line(doc, p0, a->at, p1, a->at, &axis_line);
	else
		rc = ctm_draw__line(doc, a->at, p0, a->at, p1, &axis_line);
	if (rc < 0)
		return rc;
	if (a->title && *a->title) {
		ctm_draw_text_style tt = { .size = size,
					   .bold = 1,
					   .color = LABEL_COLOR,
					   .align = CTM_DRAW_ALIGN_CENTER };
		double mid = (p0 + p1) / 2;
		if (bottom)
			rc = ctm_draw__text_at(doc, mid, a->at - 6 - 2.2 * size, a->title, &tt);
		else
			rc = ctm_draw__text_rotated(doc, a->at - 8 - maxw - size * 0.3, mid, 90,
						    a->title, &tt);
	}
	return rc;
}

/* ---- bars and whiskers -------------------------------------------------------- */

int ctm_draw__hbar(ctm_draw_doc *doc, const ctm_draw_scale *xs, double y, double thickness,
		   double from, double to, const ctm_draw_paint *paint)
{
	if (!doc || !xs)
		return CTM_EUSAGE;
	double a = ctm_draw__scale_map(xs, from), b = ctm_draw__scale_map(xs, to);
	return ctm_draw__rect(doc, fmin(a, b), y - thickness / 2, fabs(b - a), thickness, paint);
}

int ctm_draw__vbar(ctm_draw_doc *doc, const ctm_draw_scale *ys, double x, double thickness,
		   double from, double to, const ctm_draw_paint *paint)
{
	if (!doc || !ys)
		return CTM_EUSAGE;
	double a = ctm_draw__scale_map(ys, from), b = ctm_draw__scale_map(ys, to);
	return ctm_draw__rect(doc, x - thickness / 2, fmin(a, b), thickness, fabs(b - a), paint);
}

int ctm_draw__whisker(ctm_draw_doc *doc, const ctm_draw_scale *s, int horizontal, double at,
		      double lo, double hi, double cap, const ctm_draw_stroke *stroke)
{
	int rc;

	if (!doc || !s)
		return CTM_EUSAGE;
	double a = ctm_draw__scale_map(s, lo), b = ctm_draw__scale_map(s, hi), c = cap / 2;
	if (horizontal) {
		if ((rc = ctm_draw__line(doc, a, at, b, at, stroke)) < 0)
			return rc;
		if (c > 0 && ((rc = ctm_draw__line(doc, a, at - c, a, at + c, stroke)) < 0 ||
			      (rc = ctm_draw__line(doc, b, at - c, b, at + c, stroke)) < 0))
			return rc;
	} else {
		if ((rc = ctm_draw__line(doc, at, a, at, b, stroke)) < 0)
			return rc;
		if (c > 0 && ((rc = ctm_draw__line(doc, at - c, a, at + c, a, stroke)) < 0 ||
			      (rc = ctm_draw__line(doc, at - c, b, at + c, b, stroke)) < 0))
			return rc;
	}
	return 0;
}

/* ---- radar ----------------------------------------------------------------- */

void ctm_draw__radar_point(const ctm_draw_radar *r, size_t i, double v, double *x, double *y)
{
	double f = 0;
	if (r->hi != r->lo && v == v)
		f = (v - r->lo) / (r->hi - r->lo);
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	size_t n = r->spokes ? r->spokes : 1;
	double ang = PI / 2 - 2 * PI * (double)i / (double)n;
	*x = r->cx + r->radius * f * cos(ang);
	*y = r->cy + r->radius * f * sin(ang);
}

static int radar_check(ctm_draw_doc *doc, const ctm_draw_radar *r)
{
	int rc;
	if (!r || r->spokes < 3 || r->spokes > 64 || !(r->radius > 0) || r->rings < 0 ||
	    r->rings > 20 || r->hi == r->lo) {
		ctm_diag__error(doc->ctx, NULL, 0, 0,
				"PDF: a radar chart needs 3 to 64 spokes, a radius and a range");
		return CTM_EUSAGE;
	}
	double v[5] = { r->cx, r->cy, r->radius, r->lo, r->hi };
	if ((rc = ctm_draw__finite(doc, "radar", v, 5)) < 0)
		return rc;
	return 0;
}

int ctm_draw__radar_grid(ctm_draw_doc *doc, const ctm_draw_radar *r)
{
	double pts[2 * 64];
	char label[32];
	int rc;

	if (!doc)
		return CTM_EUSAGE;
	if ((rc = ctm_draw__usable(doc, "drawing a radar")) < 0 || (rc = radar_check(doc, r)) < 0)
		return rc;
	double size = r->size > 0 ? r->size : 8.0;
	ctm_draw_rgb ring_c = CTM_DRAW_RGB(0.78, 0.78, 0.78);
	ctm_draw_paint ring = { .stroke = &ring_c, .width = 0.5 };
	ctm_draw_stroke spoke = { CTM_DRAW_RGB(0.7, 0.7, 0.7), 0.5, 0 };
	ctm_draw_text_style small = { .size = size * 0.85, .color = CTM_DRAW_GREY };

	for (int k = 1; k <= r->rings; k++) {
		double v = r->lo + (r->hi - r->lo) * k / r->rings;
		for (size_t i = 0; i < r->spokes; i++)
			ctm_draw__radar_point(r, i, v, &pts[2 * i], &pts[2 * i + 1]);
		if ((rc = ctm_draw__polygon(doc, pts, r->spokes, &ring)) < 0)
			return rc;
	}
	for (size_t i = 0; i < r->spokes; i++) {
		double x, y;
		ctm_draw__radar_point(r, i, r->hi, &x, &y);
		if ((rc = ctm_draw__line(doc, r->cx, r->cy, x, y, &spoke)) < 0)
			return rc;
	}
	for (int k = 1; k <= r->rings; k++) {
		double v = r->lo + (r->hi - r->lo) * k / r->rings, x, y;
		ctm_draw__radar_point(r, 0, v, &x, &y);
		snprintf(label, sizeof(label), "%g", v);
		/* just inside the ring, right of spoke 0: clear of the top label */
		if ((rc = ctm_draw__text_at(doc, x + 2, y - small.size - 0.5, label, &small)) < 0)
			return rc;
	}
	if (r->labels) {
		ctm_draw_text_style ts = { .size = size, .color = LABEL_COLOR };
		for (size_t i = 0; i < r->spokes; i++) {
			if (!r->labels[i])
				continue;
			double ang = PI / 2 - 2 * PI * (double)i / (double)r->spokes;
			double c = cos(ang), s = sin(ang);
			double x = r->cx + (r->radius + 6) * c, y = r->cy + (r->radius + 6) * s;
			ts.align = c > 0.15  ? CTM_DRAW_ALIGN_LEFT
				 : c < -0.15 ? CTM_DRAW_ALIGN_RIGHT
					     : CTM_DRAW_ALIGN_CENTER;
			/* the label's middle on the circle, whatever the side */
			y += s > 0.15 ? 0 : s < -0.15 ? -size * 0.75 : -size * 0.35;
			if ((rc = ctm_draw__text_at(doc, x, y, r->labels[i], &ts)) < 0)
				return rc;
		}
	}
	return 0;
}

int ctm_draw__radar_polygon(ctm_draw_doc *doc, const ctm_draw_radar *r, const double *values,
			    const ctm_draw_paint *paint)
{
	double pts[2 * 64];
	int rc;

	if (!doc || !values)
		return CTM_EUSAGE;
	if ((rc = ctm_draw__usable(doc, "drawing a radar")) < 0 || (rc = radar_check(doc, r)) < 0)
		return rc;
	for (size_t i = 0; i < r->spokes; i++)
		ctm_draw__radar_point(r, i, values[i], &pts[2 * i], &pts[2 * i + 1]);
	if ((rc = ctm_draw__polygon(doc, pts, r->spokes, paint)) < 0)
		return rc;
	const ctm_draw_rgb *dot = paint ? (paint->stroke ? paint->stroke : paint->fill) : NULL;
	if (!dot)
		return 0;
	ctm_draw_paint dp = { .fill = dot };
	for (size_t i = 0; i < r->spokes; i++)
		if ((rc = ctm_draw__circle(doc, pts[2 * i], pts[2 * i + 1], 1.8, &dp)) < 0)
			return rc;
	return 0;
}

/* ---- legend ----------------------------------------------------------------- */

int ctm_draw__legend(ctm_draw_doc *doc, double x, double y, double max_width,
		     const ctm_draw_legend_item *items, size_t n, double size, double *height_out)
{
	int rc;

	if (height_out)
		*height_out = 0;
	if (!doc || (!items && n))
		return CTM_EUSAGE;
	if ((rc = ctm_draw__usable(doc, "drawing a legend")) < 0)
		return rc;
	if (size <= 0)
		size = 8.0;
	double sw = size, row_h = size * 1.7, gap = size * 0.5, sep = size * 1.5;
	double cx = x, cy = y; /* top of the current row */
	ctm_draw_text_style ts = { .size = size, .color = LABEL_COLOR };
	for (size_t i = 0; i < n; i++) {
		const ctm_draw_legend_item *it = &items[i];
		double tw = 0, key = it->kind == 1 ? sw * 1.8 : sw;
		const char *label = it->label ? it->label : "";
		if ((rc = ctm_draw__text_width(doc, label, &ts, &tw)) < 0)
			return rc;
		double w = key + gap + tw;
		if (cx > x && cx + w > x + max_width) {
			cx = x;
			cy -= row_h;
		}
		double mid = cy - row_h / 2;
		ctm_draw_paint p = { .fill = &it->color };
		if (it->kind == 1) {
			ctm_draw_stroke s = { it->color, 1.6, 0 };
			rc = ctm_draw__line(doc, cx, mid, cx + key, mid, &s);
		} else if (it->kind == 2) {
			p.stroke = &it->color;
			rc = ctm_draw__marker(doc, cx + key / 2, mid, sw * 0.9, it->shape, &p);
		} else {
			rc = ctm_draw__rect(doc, cx, mid - sw / 2, sw, sw, &p);
		}
		if (rc < 0 || (rc = ctm_draw__text_at(doc, cx + key + gap, mid - size * 0.35, label,
						      &ts)) < 0)
			return rc;
		cx += w + sep;
	}
	if (height_out)
		*height_out = n ? y - cy + row_h : 0;
	return 0;
}
