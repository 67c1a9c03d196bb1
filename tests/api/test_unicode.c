/*
 * Property (issue 20): any valid UTF-8, of any length, renders. Random
 * rubrics and responses whose every text (title, level and dimension names,
 * descriptors, questions, options, regions, waves, partners, roles) is drawn
 * from many scripts -- Latin with combining marks, Greek, Cyrillic, Arabic
 * and Hebrew (right to left), Devanagari, CJK, symbols and characters
 * outside the BMP -- and up to ~1500 bytes long, go through score, the
 * report of one group, compare and the questionnaire; every call must
 * succeed. CTM_UNICODE_ITERATIONS sets the count (default 1000; CI runs the
 * default under ASan+UBSan). A failure names its iteration and seed;
 * CTM_UNICODE_FIRST=N starts at iteration N, to replay it.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum.h"

typedef struct rng {
	uint64_t s;
} rng;

static uint32_t next(rng *r)
{
	r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(r->s >> 33);
}

static uint32_t below(rng *r, uint32_t n) { return n ? next(r) % n : 0; }

typedef struct buf {
	char *s;
	size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1);
		b->s = realloc(b->s, b->cap);
		cr_assert(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void put_cp(buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	put(b, u, n);
}

/* Ranges of printable characters, by script. */
static const uint32_t ranges[][2] = {
	{ 0x41, 0x5A },
	{ 0x61, 0x7A },
	{ 0xC0, 0x17F },
	{ 0x300, 0x36F } /* combining */,
	{ 0x391, 0x3C9 },
	{ 0x410, 0x44F },
	{ 0x5D0, 0x5EA } /* Hebrew */,
	{ 0x621, 0x64A } /* Arabic */,
	{ 0x905, 0x939 } /* Devanagari */,
	{ 0x4E00, 0x4FFF } /* CJK */,
	{ 0x2190, 0x21FF },
	{ 0x1F600, 0x1F64F } /* emoji */,
	{ 0x1D400, 0x1D433 } /* math letters */,
};

/* A random text of words, now and then a very long one (up to 120 words);
 * never empty, no white space at its ends, no control characters. `xml`
 * and `csv` choose how a literal '&' or '"' is written inside it. */
static void text(buf *b, rng *r, int xml, int csv)
{
	unsigned words = 1 + below(r, below(r, 12) == 0 ? 120 : 6);
	uint32_t script = below(r, sizeof ranges / sizeof *ranges);
	for (unsigned w = 0; w < words; w++) {
		if (w)
			puts_(b, " ");
		if (below(r, 4) == 0)
			script = below(r, sizeof ranges / sizeof *ranges);
		unsigned letters = 1 + below(r, 9);
		/* a word never starts with a combining mark */
		put_cp(b, 'a' + below(r, 26));
		for (unsigned k = 1; k < letters; k++) {
			uint32_t lo = ranges[script][0], hi = ranges[script][1];
			put_cp(b, lo + below(r, hi - lo + 1));
		}
		if (below(r, 10) == 0)
			puts_(b, xml ? "&amp;" : csv ? "\"\"" : "&");
	}
}

/* Texts of one rubric made so far: each ends with its number, since a
 * rubric may not give two items the same text (a column could not tell them
 * apart). */
static unsigned texts_made;

/* A text as an XML element's content. */
static void xml_text(buf *b, rng *r)
{
	char n[16];
	text(b, r, 1, 0);
	snprintf(n, sizeof n, " %u", ++texts_made);
	puts_(b, n);
}

/* A CSV field holding a random text (quoted: texts hold "" and commas). */
static void csv_text(buf *b, rng *r, buf *plain)
{
	puts_(b, "\"");
	size_t at = b->len;
	text(b, r, 0, 1);
	if (plain) {
		plain->len = 0;
		put(plain, b->s + at, b->len - at);
	}
	puts_(b, "\"");
}

static void make_rubric(buf *x, rng *r, unsigned levels, unsigned dims, unsigned qs)
{
	char line[256];
	texts_made = 0;
	puts_(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<rubric xmlns=\"urn:continuum:rubric:1\" id=\"random\" version=\"1\" "
		 "xml:lang=\"en\">\n"
		 "<title>");
	xml_text(x, r);
	puts_(x, "</title>\n<source>");
	xml_text(x, r);
	puts_(x, "</source>\n<levels>\n");
	for (unsigned l = 1; l <= levels; l++) {
		snprintf(line, sizeof line, "<level value=\"%u\" id=\"l%u\"><name>", l, l);
		puts_(x, line);
		xml_text(x, r);
		puts_(x, "</name></level>\n");
	}
	/* Codes and labels must tell answers apart: the codes are digits (a
	 * text starts with a letter). */
	puts_(x, "</levels>\n<scales><scale id=\"yn\"><option code=\"1\" score=\"1\">");
	xml_text(x, r);
	puts_(x, "</option><option code=\"0\" score=\"0\">");
	xml_text(x, r);
	puts_(x, "</option></scale></scales>\n");
	if (dims)
		puts_(x, "<dimensions>\n");
	for (unsigned d = 0; d < dims; d++) {
		snprintf(line, sizeof line, "<dimension id=\"d%u\"><name>", d);
		puts_(x, line);
		xml_text(x, r);
		puts_(x, "</name><prompt>");
		xml_text(x, r);
		puts_(x, "</prompt>");
		for (unsigned l = 1; l <= levels; l++) {
			snprintf(line, sizeof line, "<descriptor level=\"%u\">", l);
			puts_(x, line);
			xml_text(x, r);
			puts_(x, "</descriptor>");
		}
		puts_(x, "</dimension>\n");
	}
	if (dims)
		puts_(x, "</dimensions>\n");
	if (qs) {
		puts_(x, "<questions>\n");
		for (unsigned q = 0; q < qs; q++) {
			snprintf(line, sizeof line,
				 "<question id=\"q%u\" level=\"%u\" scale=\"yn\">", q,
				 1 + q % levels);
			puts_(x, line);
			xml_text(x, r);
			puts_(x, "</question>\n");
		}
		puts_(x, "</questions>\n");
	}
	snprintf(line, sizeof line,
		 "<scoring attainment=\"0.75\" target=\"%u\" aggregate=\"%s\" min-n=\"%u\"/>\n"
		 "</rubric>\n",
		 1 + below(r, levels), below(r, 2) ? "partner" : "respondent", 1 + below(r, 5));
	puts_(x, line);
}

static void make_responses(buf *c, rng *r, unsigned levels, unsigned dims, unsigned qs)
{
	char cell[64];
	buf regions[2] = { { 0 } }, waves[2] = { { 0 } }, scratch = { 0 };
	puts_(c, "region,wave,partner,respondent,role");
	for (unsigned d = 0; d < dims; d++) {
		snprintf(cell, sizeof cell, ",d%u", d);
		puts_(c, cell);
	}
	for (unsigned q = 0; q < qs; q++) {
		snprintf(cell, sizeof cell, ",q%u", q);
		puts_(c, cell);
	}
	puts_(c, "\n");
	for (int i = 0; i < 2; i++) {
		buf t = { 0 };
		csv_text(&t, r, NULL);
		regions[i] = t;
		buf w = { 0 };
		csv_text(&w, r, NULL);
		waves[i] = w;
	}
	unsigned rows = 2 + below(r, 14);
	for (unsigned row = 0; row < rows; row++) {
		puts_(c, regions[below(r, 2)].s);
		puts_(c, ",");
		puts_(c, waves[below(r, 2)].s);
		puts_(c, ",");
		if (below(r, 3))
			csv_text(c, r, &scratch);
		else
			puts_(c, "P");
		snprintf(cell, sizeof cell, ",r%u,", row);
		puts_(c, cell);
		csv_text(c, r, &scratch);
		for (unsigned d = 0; d < dims; d++) {
			snprintf(cell, sizeof cell, ",%u", 1 + below(r, levels));
			puts_(c, below(r, 8) ? cell : ",");
		}
		for (unsigned q = 0; q < qs; q++)
			puts_(c, below(r, 6) == 0 ? "," : below(r, 2) ? ",1" : ",0");
		puts_(c, "\n");
	}
	for (int i = 0; i < 2; i++) {
		free(regions[i].s);
		free(waves[i].s);
	}
	free(scratch.s);
}

static const char *first_error(const ctm_ctx *ctx)
{
	static char msg[2048];
	msg[0] = 0;
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++)
		if (ctm_ctx_get(ctx, i)->severity == CTM_SEV_ERROR) {
			ctm_diag_format(ctm_ctx_get(ctx, i), msg, sizeof msg);
			break;
		}
	return msg;
}

Test(unicode, any_valid_text_renders, .timeout = 3000)
{
	const char *env = getenv("CTM_UNICODE_ITERATIONS");
	unsigned iterations = env ? (unsigned)strtoul(env, NULL, 10) : 1000;
	/* CTM_UNICODE_FIRST=N replays from iteration N (a failure names it) */
	const char *from = getenv("CTM_UNICODE_FIRST");
	unsigned first = from ? (unsigned)strtoul(from, NULL, 10) : 0;
	char dir[] = "/tmp/ctm-unicode.XXXXXX", path[256];
	cr_assert(mkdtemp(dir));
	for (unsigned it = first; it < first + iterations; it++) {
		uint64_t seed = 0x5eed0000ull + it;
		rng r = { seed };
		unsigned levels = 2 + below(&r, 8), dims = below(&r, 4),
			 qs = dims ? below(&r, 5) : 1;
		if (!dims && !qs)
			qs = 1;
		buf x = { 0 }, c = { 0 };
		make_rubric(&x, &r, levels, dims, qs);
		make_responses(&c, &r, levels, dims, qs);
		if (getenv("CTM_UNICODE_KEEP")) { /* the inputs of the last iteration begun */
			FILE *kx = fopen("/tmp/ctm-unicode-rubric.xml", "w"),
			     *kc = fopen("/tmp/ctm-unicode-responses.csv", "w");
			if (kx)
				fputs(x.s, kx), fclose(kx);
			if (kc)
				fputs(c.s, kc), fclose(kc);
		}
		ctm_ctx *ctx = ctm_ctx_new();
		ctm_rubric *rubric = NULL;
		ctm_dataset *ds = NULL;
		ctm_results *res = NULL;
		ctm_comparison *cmp = NULL;
		int rc = ctm_rubric_load_memory(&rubric, "random.xml", x.s, x.len, ctx);
		cr_assert_eq(rc, 0, "iteration %u (seed %llx): rubric: %s\n%s", it,
			     (unsigned long long)seed, first_error(ctx), x.s);
		cr_assert_eq(ctm_dataset_new(&ds, rubric, NULL, ctx), 0);
		rc = ctm_dataset_read_memory(ds, "random.csv", c.s, c.len, ctx);
		cr_assert_eq(rc, 0, "iteration %u: responses: %s\n%s", it, first_error(ctx), c.s);
		cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), 0, "iteration %u: score: %s", it,
			     first_error(ctx));
		/* one group's report an iteration (which one: the seed's) */
		size_t g = below(&r, (uint32_t)ctm_results_group_count(res));
		snprintf(path, sizeof path, "%s/report.pdf", dir);
		rc = ctm_report_write(res, ctm_results_group(res, g), path, NULL, ctx);
		cr_assert_eq(rc, 0, "iteration %u (seed %llx): report %zu: %s", it,
			     (unsigned long long)seed, g, first_error(ctx));
		if (dims || qs) {
			rc = ctm_compare_run(&cmp, res, ctx);
			cr_assert_eq(rc, 0, "iteration %u: compare: %s", it, first_error(ctx));
			snprintf(path, sizeof path, "%s/cmp", dir);
			rc = ctm_comparison_save(cmp, path, ctx);
			cr_assert_eq(rc, 0, "iteration %u (seed %llx): compare PDF: %s", it,
				     (unsigned long long)seed, first_error(ctx));
		}
		snprintf(path, sizeof path, "%s/survey", dir);
		rc = ctm_template_save(rubric, path, ctx);
		cr_assert_eq(rc, 0, "iteration %u (seed %llx): template: %s", it,
			     (unsigned long long)seed, first_error(ctx));
		ctm_comparison_free(cmp);
		ctm_results_free(res);
		ctm_dataset_free(ds);
		ctm_rubric_free(rubric);
		ctm_ctx_free(ctx);
		free(x.s);
		free(c.s);
	}
	const char *const files[] = { "report.pdf", "cmp.csv",    "cmp-regions.csv",
				      "cmp.pdf",    "survey.csv", "survey.pdf" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}
