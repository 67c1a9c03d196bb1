/* The readiness report's library API: file names that cannot leave their
 * directory, argument checks, and a report written and rewritten with the
 * same bytes. The pages themselves are checked through the CLI
 * (tests/cli/report.sh) with poppler-utils and qpdf. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum.h"

static const char *name(const char *region, const char *wave)
{
	static char buf[CTM_REPORT_FILE_NAME_MAX];
	size_t n = ctm_report_file_name(region, wave, buf, sizeof(buf));
	cr_assert_eq(n, strlen(buf));
	cr_assert_lt(n, sizeof(buf));
	return buf;
}

Test(report, file_names_keep_letters)
{
	cr_assert_str_eq(name("Ōtautahi", "2023-03"), "Ōtautahi_2023-03.pdf");
	cr_assert_str_eq(name("Zürich Nord", "2024-09"), "Zürich-Nord_2024-09.pdf");
	cr_assert_str_eq(name("Señora del Valle", "v1.2"), "Señora-del-Valle_v1.2.pdf");
	cr_assert_str_eq(name("Москва", "3"), "Москва_3.pdf");
}

Test(report, file_names_cannot_escape)
{
	cr_assert_str_eq(name("../evil", "1"), "-.-evil_1.pdf");
	cr_assert_str_eq(name("a/b", "2024/11"), "a-b_2024-11.pdf");
	cr_assert_str_eq(name("..", ".."), "-._-..pdf");
	cr_assert_str_eq(name("", NULL), "-_-.pdf");
	cr_assert_str_eq(name(".hidden", "w"), "-hidden_w.pdf");
	cr_assert_str_eq(name("tab\there\\", "x\ny"), "tab-here-_x-y.pdf");
	/* invalid UTF-8 and symbols become '-' */
	const char *n = name("a\xff\xc3(b", "€5");
	cr_assert_null(strchr(n, '/'));
	cr_assert_null(strchr(n, '('));
	cr_assert_str_eq(n, "a---b_-5.pdf");
}

Test(report, file_names_are_bounded)
{
	char region[1000];
	memset(region, 'x', sizeof(region) - 1);
	region[sizeof(region) - 1] = '\0';
	const char *n = name(region, region);
	cr_assert_leq(strlen(n), 205);
	cr_assert(strstr(n, ".pdf") == n + strlen(n) - 4);
	/* a cut never splits a UTF-8 sequence */
	char wide[1000] = "";
	for (int i = 0; i < 200; i++)
		strcat(wide, "ā");
	n = name(wide, "1");
	cr_assert_eq(strncmp(n + strlen(n) - 6, "_1.pdf", 6), 0);
	cr_assert_eq((strlen(n) - 6) % 2, 0);
	/* snprintf semantics on a short buffer */
	char small[8];
	size_t need = ctm_report_file_name("Ōtautahi", "2023-03", small, sizeof(small));
	cr_assert_eq(need, strlen("Ōtautahi_2023-03.pdf"));
	cr_assert_eq(strlen(small), 7);
}

Test(report, writes_reproducible_bytes)
{
	ctm_ctx *ctx = ctm_ctx_new();
	ctm_rubric *rubric = NULL;
	ctm_dataset *ds = NULL;
	ctm_results *res = NULL;
	char dir[] = "/tmp/ctm_report_XXXXXX", a[128], b[128];

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(ctm_rubric_load(&rubric, CTM_RUBRICS_DIR "/service-coordination.xml", ctx), 0);
	cr_assert_eq(ctm_dataset_new(&ds, rubric, NULL, ctx), 0);
	cr_assert_eq(
		ctm_dataset_read_file(ds, CTM_EXAMPLES_DIR "/service-coordination-survey.csv", ctx),
		0);
	cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), 0);
	const ctm_group *g = ctm_results_group(res, 0);
	snprintf(a, sizeof(a), "%s/a.pdf", dir);
	snprintf(b, sizeof(b), "%s/b.pdf", dir);
	ctm_report_options o = CTM_REPORT_OPTIONS_INIT;
	o.paper = CTM_PAPER_LETTER;
	cr_assert_eq(ctm_report_write(res, g, a, &o, ctx), 0);
	cr_assert_eq(ctm_report_write(res, g, b, &o, ctx), 0);
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	cr_assert(fa && fb);
	int ca, cb;
	do {
		ca = fgetc(fa);
		cb = fgetc(fb);
		cr_assert_eq(ca, cb, "the two reports differ");
	} while (ca != EOF);
	fclose(fa);
	fclose(fb);

	/* bad arguments: nothing written */
	char c[128];
	snprintf(c, sizeof(c), "%s/c.pdf", dir);
	cr_assert_eq(ctm_report_write(res, NULL, c, NULL, ctx), CTM_EUSAGE);
	o.paper = (ctm_paper)7;
	cr_assert_eq(ctm_report_write(res, g, c, &o, ctx), CTM_EUSAGE);
	cr_assert_eq(access(c, F_OK), -1);
	/* unwritable place */
	cr_assert_eq(ctm_report_write(res, g, "/nonexistent-dir/x.pdf", NULL, ctx), CTM_EWRITE);

	unlink(a);
	unlink(b);
	rmdir(dir);
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_rubric_free(rubric);
	ctm_ctx_free(ctx);
}

/* The partnership's options (version 3) are checked before any report: a
 * date that is no day, unknown sections, a logo that is no image, notes
 * that are not plain text. */
Test(report, options_check)
{
	ctm_ctx *ctx = ctm_ctx_new();
	ctm_report_options o = CTM_REPORT_OPTIONS_INIT;
	char dir[] = "/tmp/ctm_opts_XXXXXX", logo[128], notes[128];

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(ctm_report_options_check(NULL, ctx), CTM_OK);
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_OK);
	static const char *const bad_days[] = { "2023-02-29", "2024-04-31", "0000-01-01",
						"2024-1-1",   "2024/01/01", "" };
	for (size_t i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
		o.date = bad_days[i];
		cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_EUSAGE, "%s", bad_days[i]);
	}
	o.date = "2024-02-29"; /* a leap day */
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_OK);
	o.omit = CTM_REPORT_OMIT_ALL + 1;
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_EUSAGE);
	o.omit = CTM_REPORT_OMIT_ALL;
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_OK);

	snprintf(logo, sizeof(logo), "%s/logo.png", dir);
	FILE *f = fopen(logo, "wb");
	cr_assert_not_null(f);
	fputs("\x89PNG\r\n\x1a\n not really", f);
	fclose(f);
	o.logo = logo;
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_EINVALID);
	o.logo = "/nonexistent/logo.png";
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_EIO);
	o.logo = NULL;

	snprintf(notes, sizeof(notes), "%s/notes.txt", dir);
	f = fopen(notes, "wb");
	cr_assert_not_null(f);
	fputs("ok\n\x07\n", f);
	fclose(f);
	o.notes = notes;
	ctm_ctx_clear(ctx);
	cr_assert_eq(ctm_report_options_check(&o, ctx), CTM_EINVALID);
	cr_assert_eq(ctm_ctx_count(ctx), 1);
	char line[256];
	ctm_diag_format(ctm_ctx_get(ctx, 0), line, sizeof(line));
	cr_assert(strstr(line, ":2:1: error: control character U+0007"), "%s", line);

	unlink(logo);
	unlink(notes);
	rmdir(dir);
	ctm_ctx_free(ctx);
}
