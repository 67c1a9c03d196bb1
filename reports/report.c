/*
 * The readiness report of one group: document set-up, the parts in the
 * order of the product's contract (docs/scoring.md lists what each shows),
 * each drawn when the rubric has something for it to show, the atomic save,
 * the file name of a report in a directory, and the helpers the parts share.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"
#include "report_internal.h"

/* ---- text helpers ----------------------------------------------------------- */

const char *ctm_report__level_name(const ctm_report_state *rp, int l)
{
	if (l < 1 || (size_t)l > rp->levels)
		return "";
	return ctm_level_name(ctm_rubric_level(rp->rubric, (size_t)l - 1));
}

const char *ctm_report__dim_name(const ctm_report_state *rp, size_t d)
{
	return ctm_dimension_name(ctm_rubric_dimension(rp->rubric, d));
}

int ctm_report__para(ctm_report_state *rp, const char *text)
{
	return ctm_draw__paragraph(rp->doc, text, NULL);
}

int ctm_report__caption(ctm_report_state *rp, const char *text)
{
	ctm_draw_text_style st = { .size = 8.5, .color = CTM_REPORT_MUTED };
	return ctm_draw__paragraph(rp->doc, text, &st);
}

/* The box's styles, shared by its measure and its drawing. */
static void box_styles(int kind, ctm_draw_text_style *ts, ctm_draw_text_style *bs)
{
	ctm_draw_rgb ink = kind == CTM_REPORT_BOX_WARNING ? CTM_REPORT_AMBER_TEXT
							  : CTM_DRAW_RGB(0.1, 0.2, 0.3);
	*ts = (ctm_draw_text_style){ .size = 9.5, .bold = 1, .color = ink };
	*bs = (ctm_draw_text_style){ .size = 9, .color = CTM_DRAW_RGB(0.15, 0.15, 0.15) };
}

int ctm_report__box_height(ctm_report_state *rp, int kind, const char *title, const char *text,
			   double *height)
{
	ctm_draw_text_style ts, bs;
	double pad = 7, inner = rp->box.right - rp->box.left - 2 * pad - 4, th = 0, bh = 0;
	int rc;

	box_styles(kind, &ts, &bs);
	if (title && (rc = ctm_draw__text_measure(rp->doc, inner, title, &ts, &th)) < 0)
		return rc;
	if (text && (rc = ctm_draw__text_measure(rp->doc, inner, text, &bs, &bh)) < 0)
		return rc;
	*height = 2 * pad + th + bh + (title && text ? 2 : 0) + 8;
	return 0;
}

int ctm_report__box(ctm_report_state *rp, int kind, const char *title, const char *text)
{
	ctm_draw_rgb fill = kind == CTM_REPORT_BOX_WARNING ? CTM_REPORT_AMBER_FILL
							   : CTM_REPORT_NOTE_FILL;
	ctm_draw_rgb line = kind == CTM_REPORT_BOX_WARNING ? CTM_REPORT_AMBER_LINE
							   : CTM_REPORT_NOTE_LINE;
	ctm_draw_rgb ink = kind == CTM_REPORT_BOX_WARNING ? CTM_REPORT_AMBER_TEXT
							  : CTM_DRAW_RGB(0.1, 0.2, 0.3);
	ctm_draw_text_style ts = { .size = 9.5, .bold = 1, .color = ink };
	ctm_draw_text_style bs = { .size = 9, .color = CTM_DRAW_RGB(0.15, 0.15, 0.15) };
	double pad = 7, width = rp->box.right - rp->box.left, inner = width - 2 * pad - 4;
	double th = 0, bh = 0;
	int rc;

	if (title && (rc = ctm_draw__text_measure(rp->doc, inner, title, &ts, &th)) < 0)
		return rc;
	if (text && (rc = ctm_draw__text_measure(rp->doc, inner, text, &bs, &bh)) < 0)
		return rc;
	double h = 2 * pad + th + bh + (title && text ? 2 : 0);
	if (h + 8 > rp->box.top - rp->box.bottom) {
		/* Taller than a page (long names in it): the text flows, unframed. */
		if (title && (rc = ctm_draw__paragraph(rp->doc, title, &ts)) < 0)
			return rc;
		return text ? ctm_draw__paragraph(rp->doc, text, &bs) : 0;
	}
	if ((rc = ctm_draw__need(rp->doc, h + 8)) < 0)
		return rc;
	double top = ctm_draw__cursor(rp->doc);
	ctm_draw_paint paint = { .fill = &fill, .stroke = &line, .width = 0.6 };
	ctm_draw_paint bar = { .fill = &line };
	if ((rc = ctm_draw__rect(rp->doc, rp->box.left, top - h, width, h, &paint)) < 0 ||
	    (rc = ctm_draw__rect(rp->doc, rp->box.left, top - h, 3, h, &bar)) < 0)
		return rc;
	double y = top - pad;
	if (title) {
		if ((rc = ctm_draw__text_box(rp->doc, rp->box.left + pad + 4, y, inner, title, &ts,
					     NULL)) < 0)
			return rc;
		y -= th + 2;
	}
	if (text && (rc = ctm_draw__text_box(rp->doc, rp->box.left + pad + 4, y, inner, text, &bs,
					     NULL)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, h + 8);
	return 0;
}

double ctm_report__fit_size(ctm_report_state *rp, const char *text, double width, double size,
			    double min)
{
	ctm_draw_text_style st = { .size = size };
	const char *p = text;
	double widest = 0;

	while (*p) {
		size_t n = strcspn(p, " ");
		double w = 0;
		/* a word of any length is measured (the document owns the copy) */
		const char *word = ctm_draw__printf(rp->doc, "%.*s", (int)n, p);
		if (ctm_draw__text_width(rp->doc, word, &st, &w) == 0 && w > widest)
			widest = w;
		p += n;
		p += strspn(p, " ");
	}
	if (widest <= width)
		return size;
	return fmax(min, size * width / widest);
}

int ctm_report__round_level(const ctm_report_state *rp, double v)
{
	if (isnan(v))
		return 0;
	int l = (int)floor(v + 0.5);
	if (l < 1)
		l = 1;
	if ((size_t)l > rp->levels)
		l = (int)rp->levels;
	return l;
}

int ctm_report__dims_use_codes(const ctm_report_state *rp, double column_width)
{
	ctm_draw_text_style st = { .size = 8, .bold = 1 };
	/* A name fits when its longest word fits the column: the layer wraps the
	 * rest onto more lines; a word broken between letters reads badly. */
	for (size_t d = 0; d < rp->dims; d++) {
		const char *name = ctm_report__dim_name(rp, d);
		const char *p = name;
		while (*p) {
			size_t n = strcspn(p, " ");
			double w = 0;
			const char *word = ctm_draw__printf(rp->doc, "%.*s", (int)n, p);
			if (ctm_draw__text_width(rp->doc, word, &st, &w) < 0 ||
			    w > column_width - 8)
				return 1;
			p += n;
			p += strspn(p, " ");
		}
	}
	return 0;
}

int ctm_report__dim_key(ctm_report_state *rp)
{
	ctm_draw_text_style st = { .size = 8.5, .color = CTM_REPORT_MUTED };
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "Columns: ");
	for (size_t d = 0; d < rp->dims; d++)
		ctm_strbuf__printf(&rp->sb, "%sD%zu %s", d ? " · " : "", d + 1,
				   ctm_report__dim_name(rp, d));
	ctm_strbuf__printf(&rp->sb, ".");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_draw__paragraph(rp->doc, rp->sb.s, &st);
}

ctm_draw_rgb ctm_report__value_color(const ctm_report_state *rp, double v)
{
	return ctm_draw__color_scale(v, 1, (double)rp->levels);
}

int ctm_report__value_legend(ctm_report_state *rp)
{
	ctm_draw_legend_item items[9];
	size_t n = rp->levels < 9 ? rp->levels : 9;
	double h = 0;
	int rc;

	for (size_t l = 0; l < n; l++) {
		const char *label = ctm_draw__printf(rp->doc, "%zu %s", l + 1,
						     ctm_report__level_name(rp, (int)l + 1));
		items[l] = (ctm_draw_legend_item){ label,
						   ctm_report__value_color(rp, (double)l + 1), 0,
						   0 };
	}
	if ((rc = ctm_draw__need(rp->doc, 30)) < 0)
		return rc;
	if ((rc = ctm_draw__legend(rp->doc, rp->box.left, ctm_draw__cursor(rp->doc),
				   rp->box.right - rp->box.left, items, n, 8, &h)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, h + 8);
	return 0;
}

/* ---- the document ------------------------------------------------------------ */

/* Cuts b->s to at most max characters (UTF-8 code points), ending in "…",
 * so that the footer never runs into the page number. */
static void cut_chars(ctm_strbuf *b, size_t max)
{
	size_t chars = 0;

	if (b->failed || !b->s)
		return;
	for (size_t i = 0; b->s[i]; i++) {
		if (((unsigned char)b->s[i] & 0xC0) == 0x80)
			continue;
		if (++chars == max) {
			b->s[i] = '\0';
			b->len = i;
			ctm_strbuf__printf(b, "…");
			return;
		}
	}
}

static int draw_report(ctm_draw_doc **out, const ctm_results *res, const ctm_group *g,
		       const ctm_report_options *opts, ctm_ctx *ctx)
{
	ctm_report_state rp;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	ctm_strbuf title = { 0 }, subject = { 0 }, keywords = { 0 }, footer = { 0 }, header = { 0 };
	const char *region = ctm_group_region(g), *wave = ctm_group_wave(g);
	int rc = CTM_ENOMEM;

	*out = NULL;
	memset(&rp, 0, sizeof(rp));
	rp.res = res;
	rp.g = g;
	rp.prev = ctm_results_previous_group(res, g);
	rp.ctx = ctx;
	rp.rubric = ctm_results_rubric(res);
	rp.levels = ctm_rubric_level_count(rp.rubric);
	rp.dims = ctm_rubric_dimension_count(rp.rubric);
	rp.questions = ctm_rubric_question_count(rp.rubric);
	rp.levelled = ctm_rubric_levelled_question_count(rp.rubric);
	rp.statements = rp.questions - rp.levelled;
	rp.factors = ctm_rubric_factor_count(rp.rubric);
	/* at most nine bands (the schema's limit): the parts' arrays hold that many */
	rp.bands = ctm_rubric_band_count(rp.rubric);
	if (rp.bands > CTM_REPORT_MAX_LEVELS)
		rp.bands = CTM_REPORT_MAX_LEVELS;
	for (size_t f = 0; f < rp.factors; f++) {
		const ctm_factor *fc = ctm_rubric_factor(rp.rubric, f);
		for (size_t k = 0; k < ctm_factor_item_count(fc); k++)
			rp.reversed |= ctm_factor_item_reversed(fc, k) != 0;
	}
	rp.has_stage = ctm_group_has_stage(g);
	rp.units = ctm_group_units(g);
	rp.partner_units = ctm_dataset_aggregate(ctm_results_dataset(res)) == CTM_AGGREGATE_PARTNER;
	rp.units_word = rp.partner_units ? "partners" : "respondents";
	rp.unit_word = rp.partner_units ? "partner" : "respondent";
	rp.theta = ctm_rubric_attainment(rp.rubric);
	rp.min_n = ctm_results_min_n(res);
	rp.audit = opts && opts->version >= 2 ? opts->audit : NULL;
	/* computed for this report, not kept with the results (score_internal.h) */
	rp.qstats = malloc((rp.questions ? rp.questions : 1) * sizeof(*rp.qstats));
	if (!rp.qstats || ctm_group_questions(g, rp.qstats) != CTM_OK)
		goto cleanup; /* rc: CTM_ENOMEM */
	if ((rc = ctm_report__identity_load(&rp.id, opts, ctx)) < 0)
		goto cleanup;
	rc = CTM_ENOMEM;
	rp.title = rp.id.title ? rp.id.title : "Readiness report";

	const char *rtitle = ctm_rubric_title(rp.rubric), *rid = ctm_rubric_id(rp.rubric);
	ctm_strbuf__printf(&title, "%s: %s, %s — %s", rp.title, region, wave, rtitle);
	ctm_strbuf__printf(&subject,
			   "Where the partnership in %s stands on the %s (rubric %s "
			   "version %s), survey wave %s",
			   region, rtitle, rid, ctm_rubric_version(rp.rubric), wave);
	ctm_strbuf__printf(&keywords, "continuum, readiness report, %s, %s, %s, %s", rid, rtitle,
			   region, wave);
	ctm_strbuf__printf(&footer, "%s · %s, wave %s", rid, region, wave);
	cut_chars(&footer, 70);
	if (rp.id.organization)
		ctm_strbuf__printf(&header, "%s · ", rp.id.organization);
	ctm_strbuf__printf(&header, "%s · %s · %s", rp.title, region, wave);
	if (title.failed || subject.failed || keywords.failed || footer.failed || header.failed)
		goto cleanup;
	o.paper = opts && opts->paper == CTM_PAPER_LETTER ? CTM_DRAW_LETTER : CTM_DRAW_A4;
	if (opts && opts->font) {
		o.font = opts->font;
		/* A chosen font without a bold face is its own bold: DejaVu Bold
		 * next to another face would look like a mistake. */
		o.font_bold = opts->font_bold ? opts->font_bold : opts->font;
	} else if (opts) {
		o.font_bold = opts->font_bold;
	}
	o.title = title.s;
	o.subject = subject.s;
	o.keywords = keywords.s;
	o.footer = footer.s;
	/* the partnership writes the report; continuum is its producer */
	o.author = rp.id.organization ? rp.id.organization : "continuum";
	o.margin = 56;
	if ((rc = ctm_draw__doc_new(&rp.doc, &o, ctx)) < 0)
		goto cleanup;
	rp.box = ctm_draw__content(rp.doc);
	/* A part without anything to show is left out rather than said empty:
	 * a rubric without dimensions (an inventory of statements) has no
	 * placements to detail, compare or break down by partner, one without
	 * diagnostic questions no stage and no questions page; factors, and
	 * statements (questions without a level), have a part of their own. */
	/* A section the user omits is left out the same way. */
	int questions = rp.levelled && !(rp.id.omit & CTM_REPORT_OMIT_QUESTIONS);
	int comments = ctm_rubric_comment_count(rp.rubric) && !(rp.id.omit & CTM_REPORT_OMIT_COMMENTS);
	int partners = rp.dims && (rp.id.omit & (CTM_REPORT_OMIT_PARTNERS | CTM_REPORT_OMIT_ROLES)) !=
					  (CTM_REPORT_OMIT_PARTNERS | CTM_REPORT_OMIT_ROLES);
	if ((rc = ctm_report__cover(&rp)) < 0 ||
	    (rc = ctm_draw__set_header(rp.doc, header.s)) < 0 ||
	    (rp.id.notes && (rc = ctm_report__notes_page(rp.doc, rp.id.notes)) < 0) ||
	    (rc = ctm_report__summary(&rp)) < 0 ||
	    (rp.prev && (rc = ctm_report__change(&rp)) < 0) ||
	    (rp.dims && (rc = ctm_report__dimensions(&rp)) < 0) ||
	    ((rp.dims || rp.has_stage) && (rc = ctm_report__gaps(&rp)) < 0) ||
	    (questions && (rc = ctm_report__questions(&rp)) < 0) ||
	    ((rp.factors || rp.statements) && (rc = ctm_report__factors(&rp)) < 0) ||
	    (partners && (rc = ctm_report__partners(&rp)) < 0) ||
	    (comments && (rc = ctm_report__comments(&rp)) < 0) ||
	    (!(rp.id.omit & CTM_REPORT_OMIT_METHOD) && (rc = ctm_report__method(&rp)) < 0))
		goto cleanup;

cleanup:
	rc = ctm_draw__doc_hand_over(&rp.doc, out, rc, rp.sb.failed, ctx, "the report of %s, %s",
				     region, wave);
	ctm_strbuf__free(&rp.sb);
	free(rp.qstats);
	ctm_report__identity_free(&rp.id);
	ctm_strbuf__free(&title);
	ctm_strbuf__free(&subject);
	ctm_strbuf__free(&keywords);
	ctm_strbuf__free(&footer);
	ctm_strbuf__free(&header);
	return rc;
}

int ctm_report_write(const ctm_results *res, const ctm_group *group, const char *path,
		     const ctm_report_options *opts, ctm_ctx *ctx)
{
	ctm_draw_doc *doc = NULL;
	int rc;

	if (!res || !group || !path || !*path) {
		ctm_diag__error(ctx, NULL, 0, 0,
				"ctm_report_write: results, group and path are required");
		return CTM_EUSAGE;
	}
	if ((rc = ctm_report__options_usable(opts, "ctm_report_write", ctx)) < 0)
		return rc;
	/* The group must be one of these results': its statistics are read
	 * next to the results' rubric. */
	if (ctm_results_find_group(res, ctm_group_region(group), ctm_group_wave(group)) != group) {
		ctm_diag__error(ctx, NULL, 0, 0,
				"ctm_report_write: the group is not one of the results'");
		return CTM_EUSAGE;
	}
	if ((rc = draw_report(&doc, res, group, opts, ctx)) == CTM_OK)
		rc = ctm_draw__doc_save(doc, path);
	ctm_draw__doc_free(doc);
	return rc;
}

/* ---- file names ---------------------------------------------------------------- */

/* Letters (and marks that combine with them) outside ASCII, by block. The
 * list is deliberately plain: symbols, punctuation and spaces of these
 * scripts are few and harmless in a file name, and a table of blocks keeps
 * the answer the same on every system, whatever its locale. */
static int is_letter(uint32_t c)
{
	static const struct {
		uint32_t lo, hi;
	} ranges[] = {
		{ 0x00C0, 0x00D6 }, { 0x00D8, 0x00F6 }, { 0x00F8, 0x024F }, /* Latin-1, Ext-A/B */
		{ 0x0250, 0x02AF },                                         /* IPA */
		{ 0x0300, 0x036F },                                         /* combining marks */
		{ 0x0370, 0x0373 }, { 0x0376, 0x0377 }, { 0x037B, 0x037D }, /* Greek */
		{ 0x0386, 0x0386 }, { 0x0388, 0x03FF }, { 0x0400, 0x0481 },
		{ 0x048A, 0x052F },                     /* Cyrillic */
		{ 0x0531, 0x0556 }, { 0x0561, 0x0587 }, /* Armenian */
		{ 0x05D0, 0x05EA },                     /* Hebrew */
		{ 0x0620, 0x064A }, { 0x0671, 0x06D3 }, /* Arabic */
		{ 0x0900, 0x0963 }, { 0x0966, 0x0DFF }, /* Indic */
		{ 0x0E01, 0x0E3A }, { 0x0E40, 0x0E4E }, /* Thai */
		{ 0x10A0, 0x10FF },                     /* Georgian */
		{ 0x1E00, 0x1EFF },                     /* Latin Ext. Additional */
		{ 0x1F00, 0x1FBC }, { 0x1FC2, 0x1FCC }, { 0x1FD0, 0x1FDB }, /* Greek Extended */
		{ 0x1FE0, 0x1FEC }, { 0x1FF2, 0x1FFC }, { 0x3041, 0x3096 },
		{ 0x30A1, 0x30FA },                     /* kana */
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, /* CJK */
		{ 0xAC00, 0xD7A3 },                     /* Hangul */
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (c >= ranges[i].lo && c <= ranges[i].hi)
			return 1;
	return 0;
}

#define PART_MAX 100

/* Appends the sanitised part to buf at *len (buf has room for PART_MAX). */
static void sanitise_part(const char *part, char *buf, size_t *len)
{
	const unsigned char *s = (const unsigned char *)(part ? part : "");
	size_t n = strlen((const char *)s), start = *len;

	for (size_t i = 0; i < n;) {
		uint32_t c = 0;
		size_t k = ctm_utf8__decode((const char *)s + i, n - i, &c);
		const char *keep = NULL;
		size_t keep_len = 1;
		if (k == 0) {
			k = 1; /* one '-' per invalid byte, then resynchronise */
		} else if ((c < 0x80 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					 (c >= '0' && c <= '9') || c == '-' || c == '.')) ||
			   (c >= 0x80 && is_letter(c))) {
			keep = (const char *)s + i;
			keep_len = k;
		}
		/* a leading '.' would hide the file (and "." / ".." are dots only) */
		if (keep && *len == start && c == '.')
			keep = NULL, keep_len = 1;
		if (*len - start + keep_len > PART_MAX)
			break;
		if (keep)
			memcpy(buf + *len, keep, keep_len);
		else
			buf[*len] = '-';
		*len += keep_len;
		i += k;
	}
	if (*len == start)
		buf[(*len)++] = '-';
}

size_t ctm_report_file_name(const char *region, const char *wave, char *buf, size_t size)
{
	char name[2 * PART_MAX + 8];
	size_t len = 0;

	sanitise_part(region, name, &len);
	name[len++] = '_';
	sanitise_part(wave, name, &len);
	memcpy(name + len, ".pdf", 5);
	len += 4;
	if (size > 0) {
		size_t k = len < size ? len : size - 1;
		memcpy(buf, name, k);
		buf[k] = '\0';
	}
	return len;
}

int ctm_report_options_init(ctm_report_options *opts, unsigned int version)
{
	_Static_assert(offsetof(ctm_report_options, version) == 0, "the version comes first");
	const ctm_report_options defaults = CTM_REPORT_OPTIONS_INIT;
	/* a version-1 caller's struct ends before the fields of version 2 */
	size_t size = version == 1   ? offsetof(ctm_report_options, audit)
		      : version == 2 ? offsetof(ctm_report_options, organization)
				     : sizeof(*opts);
	return ctm_diag__init_options(opts, size, &defaults, version, CTM_REPORT_OPTIONS_VERSION);
}
