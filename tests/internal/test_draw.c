/* The drawing layer: a multi-page document using every primitive, checked
 * through its bytes and, when poppler-utils / qpdf are installed, through
 * pdftotext, pdfinfo, pdffonts and qpdf. Set CTM_DRAW_KEEP=1 to keep the
 * output directory (its name is logged) for looking at the pages. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "draw.h"

#define LONG_NAME "Aotearoa-Whānau-Ora-Collective-Ōtautahi-Zürich-Señora-Consortium"

static char tmpdir[256];
static ctm_ctx *ctx;

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ctm_draw_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	ctx = ctm_ctx_new();
	cr_assert_not_null(ctx);
}

static void teardown(void)
{
	ctm_ctx_free(ctx);
	if (getenv("CTM_DRAW_KEEP")) {
		cr_log_info("output kept in %s", tmpdir);
		return;
	}
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *e;
		char p[512];
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(tmpdir);
}

TestSuite(draw, .init = setup, .fini = teardown);

static void dump_ctx(void)
{
	char buf[512];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("%s", buf);
	}
}

#define OK(call) \
	do { \
		int rc_ = (call); \
		if (rc_) \
			dump_ctx(); \
		cr_assert_eq(rc_, 0, "%s -> %d", #call, rc_); \
	} while (0)

static const char *paragraph_text =
	"Partners in Ōtautahi, Zürich and the Māori health providers of Te Waipounamu "
	"rated how far they have come from working alone to working as one system. "
	"Señora Núñez’s team noted that “shared data” is the dimension with the widest "
	"spread — some partners place it at level 1, others at level 4. The next level "
	"asks for a joint data agreement, a named steward and a common dashboard.";

/* Horizontal bars with confidence whiskers and target diamonds. */
static void draw_bar_chart(ctm_draw_doc *doc)
{
	static const char *dims[] = { "Governance", "Shared data", "Funding", "Workforce",
				      "Whānau voice" };
	static const double mean[] = { 2.4, 1.7, 3.1, 2.9, 3.6 };
	static const double lo[] = { 2.0, 1.1, 2.7, 2.3, 3.3 };
	static const double hi[] = { 2.8, 2.4, 3.5, 3.4, 3.9 };
	static const double target[] = { 3, 3, 3.5, 3, 4 };
	const double row = 22, h = 5 * row + 50;
	ctm_draw_box c = ctm_draw__content(doc);

	OK(ctm_draw__need(doc, h));
	double top = ctm_draw__cursor(doc);
	double x0 = c.left + 90, x1 = c.right - 10, ybase = top - 5 * row - 8;
	ctm_draw_scale xs = { 0, 4, x0, x1 };
	ctm_draw_axis ax = { .side = CTM_DRAW_AXIS_BOTTOM,
			     .at = ybase,
			     .scale = xs,
			     .step = 1,
			     .decimals = 0,
			     .grid = 5 * row + 4,
			     .title = "Mean level (0–4)" };
	OK(ctm_draw__axis_draw(doc, &ax));
	ctm_draw_rgb bar = ctm_draw__palette_categorical(0);
	ctm_draw_rgb tgt = ctm_draw__palette_categorical(3);
	ctm_draw_paint bp = { .fill = &bar };
	ctm_draw_paint tp = { .fill = &tgt, .stroke = &CTM_DRAW_WHITE, .width = 0.5 };
	ctm_draw_stroke wk = { CTM_DRAW_BLACK, 0.9, 0 };
	ctm_draw_text_style ls = { .size = 8.5, .align = CTM_DRAW_ALIGN_RIGHT };
	for (int i = 0; i < 5; i++) {
		double y = top - row * (i + 0.5);
		OK(ctm_draw__text_at(doc, x0 - 6, y - 3, dims[i], &ls));
		OK(ctm_draw__hbar(doc, &xs, y, 11, 0, mean[i], &bp));
		OK(ctm_draw__whisker(doc, &xs, 1, y, lo[i], hi[i], 6, &wk));
		OK(ctm_draw__marker(doc, ctm_draw__scale_map(&xs, target[i]), y, 9,
				    CTM_DRAW_MARK_DIAMOND, &tp));
	}
	ctm_draw_legend_item items[] = {
		{ "Mean", bar, 0, CTM_DRAW_MARK_CIRCLE },
		{ "95% CI", CTM_DRAW_BLACK, 1, CTM_DRAW_MARK_CIRCLE },
		{ "Target", tgt, 2, CTM_DRAW_MARK_DIAMOND },
	};
	double lh = 0;
	OK(ctm_draw__legend(doc, x0, ybase - 30, x1 - x0, items, 3, 8, &lh));
	cr_assert_gt(lh, 0);
	ctm_draw__set_cursor(doc, ybase - 30 - lh - 6);
}

static void draw_radar_and_lines(ctm_draw_doc *doc)
{
	static const char *labels[] = { "Governance", "Shared data",  "Funding",
					"Workforce",  "Whānau voice", "Zürich link" };
	const double now[] = { 2.4, 1.7, 3.1, 2.9, 3.6, 2.0 };
	const double want[] = { 3, 3, 3.5, 3, 4, 3 };
	ctm_draw_box c = ctm_draw__content(doc);

	OK(ctm_draw__heading(doc, 2, "Radar and trends — Ōtautahi"));
	OK(ctm_draw__need(doc, 250));
	double top = ctm_draw__cursor(doc);
	ctm_draw_radar r = { .cx = c.left + 120,
			     .cy = top - 120,
			     .radius = 85,
			     .spokes = 6,
			     .lo = 0,
			     .hi = 4,
			     .rings = 4,
			     .labels = labels };
	OK(ctm_draw__radar_grid(doc, &r));
	ctm_draw_rgb c0 = ctm_draw__palette_categorical(0), c1 = ctm_draw__palette_categorical(1);
	ctm_draw_paint want_p = { .stroke = &c1, .width = 1.2, .dash = 3 };
	ctm_draw_paint now_p = { .fill = &c0, .stroke = &c0, .width = 1.2, .opacity = 0.3 };
	OK(ctm_draw__radar_polygon(doc, &r, want, &want_p));
	OK(ctm_draw__radar_polygon(doc, &r, now, &now_p));

	/* a trend chart: vertical bars, a polyline, markers, a dashed target */
	double px = c.left + 300, pw = c.right - px - 5, py = top - 200, ph = 170;
	ctm_draw_scale ys = { 0, 4, py, py + ph };
	ctm_draw_axis ay = { .side = CTM_DRAW_AXIS_LEFT,
			     .at = px,
			     .scale = ys,
			     .step = 1,
			     .decimals = 0,
			     .grid = pw,
			     .title = "Level" };
	OK(ctm_draw__axis_draw(doc, &ay));
	ctm_draw_scale xs = { 0, 5, px, px + pw };
	double pts[10];
	for (int i = 0; i < 5; i++) {
		double x = ctm_draw__scale_map(&xs, i + 0.5), v = 1.2 + 0.5 * i;
		ctm_draw_rgb f = ctm_draw__palette((size_t)i, 5);
		ctm_draw_paint p = { .fill = &f };
		OK(ctm_draw__vbar(doc, &ys, x, 18, 0, v, &p));
		OK(ctm_draw__whisker(doc, &ys, 0, x, v - 0.3, v + 0.3, 5, NULL));
		pts[2 * i] = x;
		pts[2 * i + 1] = ctm_draw__scale_map(&ys, v + 0.4);
		char wave[16];
		snprintf(wave, sizeof(wave), "W%d", i + 1);
		OK(ctm_draw__text_at(
			doc, x, py - 11, wave,
			&(ctm_draw_text_style){ .size = 8, .align = CTM_DRAW_ALIGN_CENTER }));
	}
	ctm_draw_stroke pl = { ctm_draw__palette_categorical(3), 1.5, 0 };
	OK(ctm_draw__polyline(doc, pts, 5, &pl));
	for (int i = 0; i < 5; i++) {
		ctm_draw_paint mp = { .fill = &pl.color, .stroke = &CTM_DRAW_WHITE, .width = 0.5 };
		OK(ctm_draw__marker(doc, pts[2 * i], pts[2 * i + 1], 6,
				    (ctm_draw_marker_shape)(i % 4), &mp));
	}
	ctm_draw_stroke dash = { CTM_DRAW_GREY, 1, 4 };
	double ty = ctm_draw__scale_map(&ys, 3.5);
	OK(ctm_draw__line(doc, px, ty, px + pw, ty, &dash));
	OK(ctm_draw__marker(doc, px + pw - 4, ty, 8, CTM_DRAW_MARK_VTICK, NULL));
	OK(ctm_draw__marker(doc, px + pw - 14, ty, 6, CTM_DRAW_MARK_CROSS, NULL));
	OK(ctm_draw__marker(doc, px + pw - 24, ty, 6, CTM_DRAW_MARK_HTICK, NULL));
	ctm_draw__set_cursor(doc, top - 265);

	/* palettes: continuous scale and discrete levels, with a legend */
	ctm_draw_legend_item lv[9];
	char names[9][16];
	for (size_t i = 0; i < 9; i++) {
		snprintf(names[i], sizeof(names[i]), "Level %zu", i + 1);
		lv[i] = (ctm_draw_legend_item){ names[i], ctm_draw__palette(i, 9), 0,
						CTM_DRAW_MARK_SQUARE };
	}
	double lh;
	OK(ctm_draw__need(doc, 60));
	top = ctm_draw__cursor(doc);
	for (int i = 0; i < 100; i++) {
		ctm_draw_rgb f = ctm_draw__color_scale(i, 0, 99);
		ctm_draw_paint p = { .fill = &f };
		OK(ctm_draw__rect(doc, c.left + i * 4.0, top - 12, 4.0, 12, &p));
	}
	ctm_draw_paint frame = { .stroke = &CTM_DRAW_GREY, .width = 0.5 };
	OK(ctm_draw__rect(doc, c.left, top - 12, 400, 12, &frame));
	OK(ctm_draw__circle(doc, c.left + 420, top - 6, 6, &frame));
	OK(ctm_draw__legend(doc, c.left, top - 18, c.right - c.left, lv, 9, 8, &lh));
	ctm_draw__set_cursor(doc, top - 18 - lh - 8);
}

/* A partner x dimension heat map, with a 60-character unbroken name. */
static void draw_heat_map(ctm_draw_doc *doc)
{
	ctm_draw_column cols[6] = {
		{ "Partner", 0, 0.28, CTM_DRAW_ALIGN_LEFT },
		{ "Gov.", 0, 0, CTM_DRAW_ALIGN_CENTER },
		{ "Data", 0, 0, CTM_DRAW_ALIGN_CENTER },
		{ "Funding", 0, 0, CTM_DRAW_ALIGN_CENTER },
		{ "Staff", 0, 0, CTM_DRAW_ALIGN_CENTER },
		{ "Whānau voice", 0, 0, CTM_DRAW_ALIGN_CENTER },
	};
	static const char *partners[] = { LONG_NAME, "Zürich Fachstelle", "Señora Núñez Clinic",
					  "Ngā Kaitiaki" };
	OK(ctm_draw__table_begin(doc, cols, 6, &(ctm_draw_table_style){ .width = 380 }));
	for (int p = 0; p < 4; p++) {
		ctm_draw_cell cells[6];
		ctm_draw_rgb fills[6];
		char txt[6][16];
		cells[0] = (ctm_draw_cell){ partners[p], NULL, 1 };
		for (int d = 1; d < 6; d++) {
			double v = 1 + ((p * 7 + d * 3) % 8) * 0.4;
			fills[d] = ctm_draw__color_scale(v, 1, 4);
			snprintf(txt[d], sizeof(txt[d]), "%.1f", v);
			cells[d] = (ctm_draw_cell){ txt[d], &fills[d], 0 };
		}
		OK(ctm_draw__table_row(doc, cells));
	}
	OK(ctm_draw__table_end(doc));
}

static void draw_question_table(ctm_draw_doc *doc)
{
	ctm_draw_column cols[4] = {
		{ "#", 24, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Question text", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "Level", 40, 0, CTM_DRAW_ALIGN_CENTER },
		{ "Attainment", 66, 0, CTM_DRAW_ALIGN_RIGHT },
	};
	OK(ctm_draw__table_begin(doc, cols, 4, &(ctm_draw_table_style){ .zebra = 1 }));
	for (int i = 0; i < 100; i++) {
		char num[16], lvl[16], att[16], q[256];
		snprintf(num, sizeof(num), "%d", i + 1);
		snprintf(lvl, sizeof(lvl), "%d", 1 + i % 4);
		snprintf(att, sizeof(att), "%.2f", (i * 37 % 100) / 100.0);
		snprintf(q, sizeof(q),
			 i % 3 ? "Partners in Zürich share a plan (%d)."
			       : "Do partners in Ōtautahi and the Māori providers share client "
				 "data under a written agreement reviewed each year? (%d)",
			 i + 1);
		const char *row[4] = { num, q, lvl, att };
		OK(ctm_draw__table_row_text(doc, row));
	}
	OK(ctm_draw__table_end(doc));
}

/* Builds the whole test document; returns its page count. */
static size_t build(const char *path)
{
	ctm_draw_doc *doc = NULL;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	o.title = "Readiness report — Ōtautahi";
	o.subject = "Partnership readiness";
	o.keywords = "continuum, Māori, Zürich";
	o.author = "continuum";
	o.footer = "continuum · Ōtautahi · wave 2";
	OK(ctm_draw__doc_new(&doc, &o, ctx));

	/* cover */
	OK(ctm_draw__bookmark(doc, 1, "Cover"));
	ctm_draw__advance(doc, 150);
	ctm_draw_box c = ctm_draw__content(doc);
	double h = 0;
	OK(ctm_draw__text_box(
		doc, c.left, ctm_draw__cursor(doc), c.right - c.left,
		"Readiness report\nŌtautahi — wave 2",
		&(ctm_draw_text_style){ .size = 26, .bold = 1, .align = CTM_DRAW_ALIGN_CENTER },
		&h));
	cr_assert_float_eq(h, 2 * 26 * 1.25, 1e-6);
	ctm_draw__advance(doc, h + 20);
	OK(ctm_draw__paragraph(doc,
			       "Señora Núñez, Zürich Fachstelle and Ngā Kaitiaki Māori "
			       "— 12 partners, 87 respondents.",
			       &(ctm_draw_text_style){ .size = 12,
						       .align = CTM_DRAW_ALIGN_CENTER,
						       .color = CTM_DRAW_GREY }));

	OK(ctm_draw__set_header(doc, "Readiness report — Ōtautahi, wave 2"));
	OK(ctm_draw__page_add(doc));
	OK(ctm_draw__heading(doc, 1, "Summary — where Ōtautahi stands"));
	for (int i = 0; i < 3; i++)
		OK(ctm_draw__paragraph(doc, paragraph_text, NULL));
	OK(ctm_draw__heading(doc, 2, "Dimension means with 95% intervals"));
	draw_bar_chart(doc);
	draw_radar_and_lines(doc);

	OK(ctm_draw__heading(doc, 1, "Partners"));
	draw_heat_map(doc);
	OK(ctm_draw__paragraph(doc,
			       "Right-aligned note: cells are coloured along viridis; "
			       "text turns white on dark cells.",
			       &(ctm_draw_text_style){ .size = 8, .align = CTM_DRAW_ALIGN_RIGHT }));

	OK(ctm_draw__heading(doc, 1, "Diagnostic questions"));
	OK(ctm_draw__heading(doc, 2, "Question table"));
	draw_question_table(doc);
	OK(ctm_draw__heading(doc, 2, "Notes on Zürich"));
	for (int i = 0; i < 12; i++)
		OK(ctm_draw__paragraph(doc, paragraph_text,
				       &(ctm_draw_text_style){ .size = 11, .line_height = 1.4 }));
	size_t pages = ctm_draw__page_count(doc);
	OK(ctm_draw__doc_save(doc, path));
	ctm_draw__doc_free(doc);
	return pages;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	do {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			char *g = realloc(buf, cap + 1);
			cr_assert_not_null(g);
			buf = g;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Output of a shell command (stderr dropped), or NULL when it failed. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *buf = malloc(cap + 1);
	cr_assert_not_null(buf);
	while ((r = fread(buf + n, 1, cap - n, p)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			char *g = realloc(buf, cap + 1);
			cr_assert_not_null(g);
			buf = g;
		}
	}
	buf[n] = '\0';
	if (pclose(p) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Whether a tool is installed; when it is not, its name is noted, and the
 * test ends with a "CTM-SKIP:" line (skipped_checks), which ctest reports
 * as a skip rather than a pass. */
static char missing_tools[128];

static int have(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) == 0)
		return 1;
	size_t n = strlen(missing_tools);
	snprintf(missing_tools + n, sizeof(missing_tools) - n, " %s", tool);
	return 0;
}

/* Called last in a test that used have(), after every assertion passed. */
static void skipped_checks(void)
{
	if (missing_tools[0])
		fprintf(stderr, "CTM-SKIP: not installed:%s; their checks did not run\n",
			missing_tools);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(draw, full_document)
{
	char path[512], cmd[1024];
	size_t len;

	snprintf(path, sizeof(path), "%s/report.pdf", tmpdir);
	size_t pages = build(path);
	cr_assert_geq(pages, 5, "expected a multi-page document, got %zu", pages);

	char *bytes = slurp(path, &len);
	cr_assert_not_null(bytes);
	cr_assert(len > 5 && !memcmp(bytes, "%PDF-", 5));
	cr_assert_not_null(strstr(bytes, "/Outlines"), "no outline");
	cr_assert_null(strstr(bytes, "/CreationDate"), "a date without SOURCE_DATE_EPOCH");
	free(bytes);

	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(st.st_mode & S_IRUSR);

	if (have("pdftotext")) {
		snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
		char *text = run(cmd);
		cr_assert_not_null(text);
		cr_assert_not_null(strstr(text, "Zürich"));
		cr_assert_not_null(strstr(text, "Māori"));
		cr_assert_not_null(strstr(text, "Señora"));
		cr_assert_not_null(strstr(text, "Ōtautahi"));
		cr_assert_not_null(strstr(text, "Page 1 of"));
		char last[64];
		snprintf(last, sizeof(last), "Page %zu of %zu", pages, pages);
		cr_assert_not_null(strstr(text, last));
		/* the 100-row table spans pages and repeats its header */
		cr_assert_geq(count(text, "Question text"), 2);
		cr_assert_not_null(strstr(text, "100"));
		free(text);
	}
	if (have("pdfinfo")) {
		snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", path);
		char *info = run(cmd);
		cr_assert_not_null(info);
		const char *pg = strstr(info, "\nPages:");
		cr_assert_not_null(pg, "%s", info);
		cr_assert_eq(strtoul(pg + 7, NULL, 10), pages, "%s", info);
		cr_assert_not_null(strstr(info, "Readiness report — Ōtautahi"), "%s", info);
		cr_assert_not_null(strstr(info, "Partnership readiness"));
		free(info);
	}
	if (have("pdffonts")) {
		snprintf(cmd, sizeof(cmd), "pdffonts '%s' 2>/dev/null", path);
		char *fonts = run(cmd);
		cr_assert_not_null(fonts);
		/* after the two header lines, every font: emb column "yes" */
		size_t lines = 0;
		char *save = NULL;
		for (char *l = strtok_r(fonts, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			if (++lines <= 2)
				continue;
			cr_assert_not_null(strstr(l, "Identity-H       yes"), "not embedded: %s",
					   l);
		}
		cr_assert_eq(lines, 4, "expected 2 fonts");
		free(fonts);
	}
	if (have("qpdf")) {
		snprintf(cmd, sizeof(cmd), "qpdf --json --json-key=outlines '%s' 2>/dev/null",
			 path);
		char *json = run(cmd);
		cr_assert_not_null(json);
		cr_assert_not_null(strstr(json, "\"title\": \"Summary — where Ōtautahi stands\""));
		cr_assert_not_null(strstr(json, "\"title\": \"Question table\""));
		free(json);
	}
	skipped_checks();
}

Test(draw, reproducible_bytes)
{
	char a[512], b[512];
	size_t la, lb;

	unsetenv("SOURCE_DATE_EPOCH");
	snprintf(a, sizeof(a), "%s/a.pdf", tmpdir);
	snprintf(b, sizeof(b), "%s/b.pdf", tmpdir);
	build(a);
	build(b);
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	cr_assert(x && y);
	cr_assert_eq(la, lb);
	cr_assert(!memcmp(x, y, la), "two renderings differ");
	free(x);
	free(y);
}

Test(draw, source_date_epoch)
{
	char path[512];
	size_t len;

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* 2023-11-14 22:13:20 UTC */
	snprintf(path, sizeof(path), "%s/dated.pdf", tmpdir);
	ctm_draw_doc *doc = NULL;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	o.uncompressed = 1;
	OK(ctm_draw__doc_new(&doc, &o, ctx));
	OK(ctm_draw__paragraph(doc, "dated", NULL));
	OK(ctm_draw__doc_save(doc, path));
	ctm_draw__doc_free(doc);
	char *bytes = slurp(path, &len);
	cr_assert_not_null(bytes);
	cr_assert_not_null(strstr(bytes, "/CreationDate (D:20231114221320Z"));
	cr_assert_not_null(strstr(bytes, "/ModDate (D:20231114221320Z"));
	free(bytes);
}

Test(draw, save_twice_same_bytes)
{
	char a[512], b[512];
	size_t la, lb;
	ctm_draw_doc *doc = NULL;

	snprintf(a, sizeof(a), "%s/one.pdf", tmpdir);
	snprintf(b, sizeof(b), "%s/two.pdf", tmpdir);
	OK(ctm_draw__doc_new(&doc, NULL, ctx));
	OK(ctm_draw__heading(doc, 1, "Zürich"));
	OK(ctm_draw__paragraph(doc, paragraph_text, NULL));
	OK(ctm_draw__doc_save(doc, a));
	OK(ctm_draw__doc_save(doc, b));
	OK(ctm_draw__doc_save(doc, b)); /* replaces the file */
	ctm_draw__doc_free(doc);
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	cr_assert(x && y);
	cr_assert(la == lb && !memcmp(x, y, la));
	free(x);
	free(y);
}

Test(draw, save_into_missing_directory)
{
	char path[512];
	ctm_draw_doc *doc = NULL;

	snprintf(path, sizeof(path), "%s/no/such/dir/out.pdf", tmpdir);
	OK(ctm_draw__doc_new(&doc, NULL, ctx));
	OK(ctm_draw__paragraph(doc, "Zürich", NULL));
	cr_assert_eq(ctm_draw__doc_save(doc, path), CTM_EWRITE);
	cr_assert_geq(ctm_ctx_error_count(ctx), 1);
	cr_assert_neq(access(path, F_OK), 0);
	ctm_draw__doc_free(doc);
	/* nothing left behind in the directory either */
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	cr_assert_eq(n, 0);
}

Test(draw, save_failure_removes_temporary)
{
	char path[512];
	ctm_draw_doc *doc = NULL;

	/* path is a directory: rename() fails after the temporary was written */
	snprintf(path, sizeof(path), "%s/adir", tmpdir);
	cr_assert_eq(mkdir(path, 0700), 0);
	OK(ctm_draw__doc_new(&doc, NULL, ctx));
	OK(ctm_draw__paragraph(doc, "x", NULL));
	cr_assert_eq(ctm_draw__doc_save(doc, path), CTM_EWRITE);
	ctm_draw__doc_free(doc);
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	while ((e = readdir(d)))
		cr_assert(!strstr(e->d_name, ".tmp"), "left behind: %s", e->d_name);
	closedir(d);
	rmdir(path);
}

Test(draw, measuring_and_wrapping)
{
	ctm_draw_doc *doc = NULL;
	double a = 0, b = 0, h1 = 0, h2 = 0;

	OK(ctm_draw__doc_new(&doc, NULL, ctx));
	/* multibyte text measures by code point */
	OK(ctm_draw__text_width(doc, "Zürich", NULL, &a));
	OK(ctm_draw__text_width(doc, "Zurich", NULL, &b));
	cr_assert_float_eq(a, b, 1e-9);
	cr_assert_gt(a, 20);
	OK(ctm_draw__text_width(doc, "Māori", &(ctm_draw_text_style){ .size = 20 }, &a));
	OK(ctm_draw__text_width(doc, "Maori", &(ctm_draw_text_style){ .size = 20 }, &b));
	cr_assert_float_eq(a, b, 1e-9);

	/* a long unbroken name in a narrow box wraps by code point */
	OK(ctm_draw__text_measure(doc, 60, LONG_NAME, NULL, &h1));
	cr_assert_geq(h1, 4 * 12.5 - 1e-9);
	/* explicit newlines, including an empty line */
	OK(ctm_draw__text_measure(doc, 400, "one\n\nthree", NULL, &h2));
	cr_assert_float_eq(h2, 3 * 12.5, 1e-9);
	OK(ctm_draw__text_measure(doc, 400, "", NULL, &h2));
	cr_assert_float_eq(h2, 0, 1e-9);
	/* a box narrower than one character still ends */
	OK(ctm_draw__text_measure(doc, 0.5, "Ōtautahi", NULL, &h2));
	cr_assert_float_eq(h2, 8 * 12.5, 1e-9);

	/* invalid UTF-8 is refused as an internal error (the renderer's texts
	 * come from validated input), and does not fail the document */
	cr_assert_eq(ctm_draw__text_measure(doc, 100, "bad \xC3(", NULL, &h2), CTM_EINTERNAL);
	cr_assert_eq(ctm_draw__text_measure(doc, 100, "bad \xED\xA0\x80", NULL, &h2),
		     CTM_EINTERNAL);
	OK(ctm_draw__text_measure(doc, 100, "good", NULL, &h2));
	ctm_draw__doc_free(doc);
}

Test(draw, pages_and_cursor)
{
	ctm_draw_doc *doc = NULL;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	double w, h;

	o.paper = CTM_DRAW_LETTER;
	OK(ctm_draw__doc_new(&doc, &o, ctx));
	ctm_draw__page_size(doc, &w, &h);
	cr_assert_float_eq(w, 612, 1e-9);
	cr_assert_float_eq(h, 792, 1e-9);
	cr_assert_eq(ctm_draw__page_count(doc), 0);
	OK(ctm_draw__need(doc, 10));
	cr_assert_eq(ctm_draw__page_count(doc), 1);
	ctm_draw_box c = ctm_draw__content(doc);
	cr_assert_float_eq(ctm_draw__cursor(doc), c.top, 1e-9);
	ctm_draw__advance(doc, c.top - c.bottom - 20);
	OK(ctm_draw__need(doc, 15));
	cr_assert_eq(ctm_draw__page_count(doc), 1);
	OK(ctm_draw__need(doc, 25));
	cr_assert_eq(ctm_draw__page_count(doc), 2);
	cr_assert_float_eq(ctm_draw__cursor(doc), c.top, 1e-9);
	/* an empty page is not left behind for a block taller than a page */
	OK(ctm_draw__need(doc, 5000));
	cr_assert_eq(ctm_draw__page_count(doc), 2);
	cr_assert_eq(ctm_draw__heading(doc, 3, "x"), CTM_EUSAGE);
	OK(ctm_draw__doc_finish(doc));
	cr_assert_eq(ctm_draw__page_add(doc), CTM_EUSAGE);
	ctm_draw__doc_free(doc);
}

Test(draw, tall_row_is_clipped)
{
	char path[512], big[8192];
	ctm_draw_doc *doc = NULL;
	ctm_draw_column cols[2] = { { "Key", 60, 0, 0 }, { "Text", 0, 0, 0 } };

	size_t n = 0;
	for (int i = 0; i < 200 && n + 40 < sizeof(big); i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "Zürich line %d\n", i);
	snprintf(path, sizeof(path), "%s/tall.pdf", tmpdir);
	OK(ctm_draw__doc_new(&doc, NULL, ctx));
	OK(ctm_draw__table_begin(doc, cols, 2, NULL));
	OK(ctm_draw__table_row_text(doc, (const char *const[]){ "a", "short" }));
	OK(ctm_draw__table_row_text(doc, (const char *const[]){ "b", big }));
	OK(ctm_draw__table_row_text(doc, (const char *const[]){ "c", "after" }));
	cr_assert_geq(ctm_ctx_warning_count(ctx), 1);
	cr_assert_geq(ctm_draw__cursor(doc), ctm_draw__content(doc).bottom);
	OK(ctm_draw__table_end(doc));
	cr_assert_eq(ctm_draw__page_count(doc), 3);
	OK(ctm_draw__doc_save(doc, path));
	ctm_draw__doc_free(doc);
}

/* Labels that must stay short: max_lines and max_width end a text with "…"
 * on a character boundary, and a heading too long for a page is cut to it. */
Test(draw, shortened_text)
{
	char path[512], *huge = NULL;
	ctm_draw_doc *doc = NULL;
	double h = 0, whole = 0;
	size_t n = 0, zh = 4000;

	/* 4,000 Ж, then words: far more than a page of heading */
	huge = malloc(2 * zh + 64);
	cr_assert_not_null(huge);
	for (size_t i = 0; i < zh; i++, n += 2)
		memcpy(huge + n, "Ж", 2);
	memcpy(huge + n, " TAIL", 6);
	snprintf(path, sizeof(path), "%s/short.pdf", tmpdir);
	OK(ctm_draw__doc_new(&doc, NULL, ctx));
	ctm_draw_box c = ctm_draw__content(doc);

	/* a box of at most two lines is two lines tall, measured and drawn */
	OK(ctm_draw__text_measure(doc, 120, LONG_NAME " " LONG_NAME, NULL, &whole));
	cr_assert_gt(whole, 2 * 12.5 + 1e-9);
	ctm_draw_text_style two = { .max_lines = 2 };
	OK(ctm_draw__text_measure(doc, 120, LONG_NAME " " LONG_NAME, &two, &h));
	cr_assert_float_eq(h, 2 * 12.5, 1e-9);
	OK(ctm_draw__text_box(doc, c.left, c.top, 120, huge, &two, &h));
	cr_assert_float_eq(h, 2 * 12.5, 1e-9);
	/* a text that fits is as it was */
	OK(ctm_draw__text_measure(doc, 400, "one\ntwo", &two, &h));
	cr_assert_float_eq(h, 2 * 12.5, 1e-9);
	/* one line at most 80 pt wide */
	OK(ctm_draw__text_at(doc, c.left, c.top - 40, huge,
			     &(ctm_draw_text_style){ .max_width = 80 }));
	/* the heading keeps to one page: the cursor is still on the first */
	OK(ctm_draw__heading(doc, 1, huge));
	cr_assert_eq(ctm_draw__page_count(doc), 1);
	cr_assert_geq(ctm_draw__cursor(doc), c.bottom);
	OK(ctm_draw__doc_save(doc, path));
	ctm_draw__doc_free(doc);

	if (have("pdftotext")) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null", path);
		char *text = run(cmd);
		cr_assert_not_null(text);
		/* the box, the label and the heading each end in an ellipsis;
		 * none reaches the words after the Ж */
		cr_assert_geq(count(text, "Ж…"), 3, "%s", text);
		cr_assert_null(strstr(text, "TAIL"));
		free(text);
	}
	free(huge);
	skipped_checks();
}

Test(draw, bad_font_and_options)
{
	ctm_draw_doc *doc = NULL;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;

	o.font = "/nonexistent/font.ttf";
	cr_assert_eq(ctm_draw__doc_new(&doc, &o, ctx), CTM_EIO);
	cr_assert_null(doc);
	o.font = CTM_TEST_DATA; /* a directory: opens for reading but is no font */
	int rc = ctm_draw__doc_new(&doc, &o, ctx);
	cr_assert(rc == CTM_EINVALID || rc == CTM_EIO, "rc %d", rc);
	cr_assert_null(doc);
	o = (ctm_draw_options)CTM_DRAW_OPTIONS_INIT;
	o.margin = -1;
	cr_assert_eq(ctm_draw__doc_new(&doc, &o, ctx), CTM_EUSAGE);
	o = (ctm_draw_options)CTM_DRAW_OPTIONS_INIT;
	o.title = "bad \xFF"; /* broken text is the renderer's bug wherever it is */
	cr_assert_eq(ctm_draw__doc_new(&doc, &o, ctx), CTM_EINTERNAL);
	cr_assert_null(doc);
	ctm_draw__doc_free(NULL);
}

Test(draw, colours)
{
	ctm_draw_rgb lo = ctm_draw__color_scale(0, 0, 1), hi = ctm_draw__color_scale(1, 0, 1);
	cr_assert_lt(lo.r + lo.g + lo.b, hi.r + hi.g + hi.b);
	ctm_draw_rgb nan = ctm_draw__color_scale(0.0 / 0.0, 0, 1);
	cr_assert(nan.g > 0 && nan.g < 1);
	ctm_draw_rgb w = ctm_draw__contrast_text(ctm_draw__color_scale(0, 0, 1));
	cr_assert_float_eq(w.r, 1, 1e-9);
	ctm_draw_rgb k = ctm_draw__contrast_text(ctm_draw__color_scale(1, 0, 1));
	cr_assert_float_eq(k.r, 0, 1e-9);
	for (size_t n = 2; n <= 9; n++)
		for (size_t i = 1; i < n; i++) {
			ctm_draw_rgb a = ctm_draw__palette(i - 1, n), b = ctm_draw__palette(i, n);
			cr_assert(a.r != b.r || a.g != b.g || a.b != b.b);
		}
	cr_assert_float_eq(ctm_draw__nice_step(0, 4, 5), 1, 1e-12);
	cr_assert_float_eq(ctm_draw__nice_step(0, 1, 5), 0.2, 1e-12);
	ctm_draw_scale s = { 0, 4, 100, 300 };
	cr_assert_float_eq(ctm_draw__scale_map(&s, 2), 200, 1e-12);
}
