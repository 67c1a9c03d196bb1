/*
 * util/diag.c: errors and warnings capped separately, repeated warnings of
 * one kind folded into the first kept, and how a diagnostic is formatted.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

/* Formats built at run time: kinds of warning that differ by their text. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static ctm_ctx *ctx;

static void setup(void)
{
	ctx = ctm_ctx_new();
	cr_assert_not_null(ctx);
}

static void teardown(void) { ctm_ctx_free(ctx); }

TestSuite(diag, .init = setup, .fini = teardown);

static const char *formatted(size_t i)
{
	static char buf[512];
	ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
	return buf;
}

/* Warnings from..to-1, each of a kind of its own: the formats differ by their
 * text. */
static void distinct_warnings(size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		char fmt[64];
		snprintf(fmt, sizeof(fmt), "warning kind %zu: %%zu", i);
		ctm_diag__report(ctx, CTM_SEV_WARNING, "f.csv", 1, i + 1, fmt, i);
	}
}

Test(diag, errors_are_kept_past_a_full_cap_of_warnings)
{
	ctm_ctx_set_max_diags(ctx, 100);
	distinct_warnings(0, 75);
	ctm_diag__error(ctx, "f.csv", 2, 1, "bad cell %d", 1);
	distinct_warnings(75, 150);
	ctm_diag__error(ctx, "f.csv", 3, 1, "bad cell %d", 2);
	ctm_diag__error(ctx, "f.csv", 4, 1, "bad cell %d", 3);

	cr_assert_eq(ctm_ctx_error_count(ctx), 3);
	cr_assert_eq(ctm_ctx_warning_count(ctx), 150);
	cr_assert_eq(ctm_ctx_count(ctx), 103, "100 warnings and the 3 errors kept");
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 50);
	size_t errors = 0;
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		if (d->severity != CTM_SEV_ERROR)
			continue;
		errors++;
		char want[32];
		snprintf(want, sizeof(want), "bad cell %zu", errors);
		cr_expect_str_eq(d->message, want);
		cr_expect_eq(d->line, errors + 1);
	}
	cr_assert_eq(errors, 3);
	/* the warnings' cap is full, the errors' is not */
	cr_assert(ctm_diag__full(ctx, CTM_SEV_WARNING));
	cr_assert(ctm_diag__full(ctx, CTM_SEV_NOTE));
	cr_assert_not(ctm_diag__full(ctx, CTM_SEV_ERROR));
}

Test(diag, the_error_cap_is_its_own)
{
	ctm_ctx_set_max_diags(ctx, 5);
	for (int i = 0; i < 8; i++)
		ctm_diag__error(ctx, "f.csv", (unsigned long)i + 2, 1, "same error %d", i);
	cr_assert(ctm_diag__full(ctx, CTM_SEV_ERROR));
	cr_assert_not(ctm_diag__full(ctx, CTM_SEV_WARNING));
	distinct_warnings(0, 3);
	cr_assert_eq(ctm_ctx_count(ctx), 8, "5 errors and 3 warnings");
	cr_assert_eq(ctm_ctx_error_count(ctx), 8);
	cr_assert_eq(ctm_ctx_warning_count(ctx), 3);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 3, "the errors past 5");
	/* errors of one format are never folded: each keeps its own line */
	for (size_t i = 0; i < 5; i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		cr_expect_eq(d->severity, CTM_SEV_ERROR);
		cr_expect_eq(d->line, i + 2);
		cr_expect_eq(d->repeats, 0);
	}
	ctm_diag__count_dropped(ctx, CTM_SEV_ERROR, 10);
	cr_assert_eq(ctm_ctx_error_count(ctx), 18);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 13);
}

Test(diag, warnings_of_one_kind_fold_into_the_first)
{
	for (int i = 0; i < 40; i++) {
		char name[16];
		snprintf(name, sizeof(name), "extra%d", i);
		ctm_diag__warning(ctx, "r.csv", 1, (unsigned long)(3 + 10 * i),
				  "column '%.*s' is not used: not a rubric item or a known column",
				  (int)strlen(name), name);
	}
	cr_assert_eq(ctm_ctx_count(ctx), 1);
	cr_assert_eq(ctm_ctx_warning_count(ctx), 40, "every warning counted");
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 0, "folded is not dropped");
	const ctm_diag *d = ctm_ctx_get(ctx, 0);
	cr_assert_eq(d->repeats, 39);
	cr_assert_eq(d->line, 1);
	cr_assert_eq(d->column, 3, "the first one's location");
	cr_assert_str_eq(formatted(0), "r.csv:1:3: warning: column 'extra0' is not used: not a "
				       "rubric item or a known column (and 39 more like it)");
}

Test(diag, folding_keeps_kinds_and_files_apart)
{
	for (int i = 0; i < 3; i++) {
		ctm_diag__warning(ctx, "a.csv", 1, 1, "kind one %d", i);
		ctm_diag__warning(ctx, "a.csv", 1, 1, "kind two %d", i);
		ctm_diag__warning(ctx, "b.csv", 1, 1, "kind one %d", i);
	}
	cr_assert_eq(ctm_ctx_count(ctx), 3);
	cr_assert_str_eq(formatted(0), "a.csv:1:1: warning: kind one 0 (and 2 more like it)");
	cr_assert_str_eq(formatted(1), "a.csv:1:1: warning: kind two 0 (and 2 more like it)");
	cr_assert_str_eq(formatted(2), "b.csv:1:1: warning: kind one 0 (and 2 more like it)");
	/* the same text from another buffer is the same kind */
	char fmt[] = "kind one %d";
	ctm_diag__report(ctx, CTM_SEV_WARNING, "a.csv", 5, 1, fmt, 9);
	cr_assert_eq(ctm_ctx_get(ctx, 0)->repeats, 3);
}

Test(diag, messages_passed_through_are_not_a_kind)
{
	ctm_diag__warning(ctx, "r.xml", 3, 0, "%.*s", 5, "first warning");
	ctm_diag__warning(ctx, "r.xml", 4, 0, "%.*s", 6, "second warning");
	ctm_diag__warning(ctx, "r.xml", 5, 0, "%s", "third");
	ctm_diag__warning(ctx, "r.xml", 6, 0, "%s", "fourth");
	cr_assert_eq(ctm_ctx_count(ctx), 4);
	for (size_t i = 0; i < 4; i++)
		cr_expect_eq(ctm_ctx_get(ctx, i)->repeats, 0);
	/* "%%" is text */
	ctm_diag__warning(ctx, "r.xml", 7, 0, "%d%%", 50);
	ctm_diag__warning(ctx, "r.xml", 8, 0, "%d%%", 60);
	cr_assert_eq(ctm_ctx_count(ctx), 5);
	cr_assert_str_eq(formatted(4), "r.xml:7: warning: 50% (and 1 more like it)");
}

Test(diag, notes_and_errors_are_not_folded)
{
	for (int i = 0; i < 3; i++) {
		ctm_diag__report(ctx, CTM_SEV_NOTE, NULL, 0, 0, "a note %d", i);
		ctm_diag__error(ctx, NULL, 0, 0, "an error %d", i);
	}
	cr_assert_eq(ctm_ctx_count(ctx), 6);
	cr_assert_str_eq(formatted(0), "note: a note 0");
	cr_assert_str_eq(formatted(5), "error: an error 2");
}

Test(diag, a_warning_of_a_kind_not_kept_is_dropped)
{
	ctm_ctx_set_max_diags(ctx, 1);
	ctm_diag__warning(ctx, NULL, 0, 0, "kept %d", 1);
	ctm_diag__warning(ctx, NULL, 0, 0, "not kept %d", 1);
	ctm_diag__warning(ctx, NULL, 0, 0, "not kept %d", 2);
	ctm_diag__warning(ctx, NULL, 0, 0, "kept %d", 2);
	cr_assert_eq(ctm_ctx_count(ctx), 1);
	cr_assert_eq(ctm_ctx_warning_count(ctx), 4);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 2);
	cr_assert_eq(ctm_ctx_get(ctx, 0)->repeats, 1);
}

Test(diag, a_warning_named_later_is_not_of_an_unnamed_file)
{
	/* a writer reports without a file; its caller names the file */
	ctm_diag__warning(ctx, NULL, 0, 0, "row cut to %d lines", 3);
	ctm_diag__warning(ctx, NULL, 0, 0, "row cut to %d lines", 4);
	ctm_diag__name_file(ctx, 0, "one.pdf");
	ctm_diag__warning(ctx, NULL, 0, 0, "row cut to %d lines", 5);
	ctm_diag__name_file(ctx, 1, "two.pdf");
	cr_assert_eq(ctm_ctx_count(ctx), 2);
	cr_assert_str_eq(formatted(0), "one.pdf: warning: row cut to 3 lines (and 1 more like it)");
	cr_assert_str_eq(formatted(1), "two.pdf: warning: row cut to 5 lines");
}

Test(diag, clear_forgets_kinds_and_counts)
{
	ctm_ctx_set_max_diags(ctx, 2);
	for (int i = 0; i < 5; i++) {
		ctm_diag__warning(ctx, "f", 1, 1, "again %d", i);
		ctm_diag__error(ctx, "f", 1, 1, "error %d", i);
	}
	ctm_ctx_clear(ctx);
	cr_assert_eq(ctm_ctx_count(ctx), 0);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 0);
	cr_assert_not(ctm_diag__full(ctx, CTM_SEV_ERROR));
	ctm_diag__warning(ctx, "f", 1, 1, "again %d", 9);
	cr_assert_eq(ctm_ctx_count(ctx), 1);
	cr_assert_eq(ctm_ctx_get(ctx, 0)->repeats, 0);
	cr_assert_str_eq(formatted(0), "f:1:1: warning: again 9");
}

Test(diag, format_counts_the_suffix_in_its_length)
{
	ctm_diag__warning(ctx, "f", 2, 0, "w%d", 1);
	ctm_diag__warning(ctx, "f", 3, 0, "w%d", 2);
	const char *want = "f:2: warning: w1 (and 1 more like it)";
	char small[8];
	size_t n = ctm_diag_format(ctm_ctx_get(ctx, 0), small, sizeof(small));
	cr_assert_eq(n, strlen(want));
	cr_assert_str_eq(small, "f:2: wa");
	cr_assert_eq(ctm_diag_format(ctm_ctx_get(ctx, 0), NULL, 0), strlen(want));
}

Test(diag, a_null_context_is_full)
{
	cr_assert(ctm_diag__full(NULL, CTM_SEV_ERROR));
	cr_assert(ctm_diag__full(NULL, CTM_SEV_WARNING));
	ctm_diag__warning(NULL, NULL, 0, 0, "nothing %d", 1);
}
