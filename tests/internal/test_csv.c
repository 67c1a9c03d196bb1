/*
 * Unit tests of the streaming CSV reader (engine/csv.c).
 *
 * Most tests read from memory and compare a rendering of every record:
 * fields joined by '|', records by '/', a bad record prefixed with '!'.
 * Expected lines and columns are counted by hand in the comments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "continuum/error.h"
#include "csv.h"

static ctm_ctx *ctx;
static ctm_csv *csv;
static char *tmp_path;

static void setup(void)
{
	ctx = ctm_ctx_new();
	cr_assert_not_null(ctx);
}

static void teardown(void)
{
	ctm_csv__free(csv);
	csv = NULL;
	ctm_ctx_free(ctx);
	ctx = NULL;
	if (tmp_path) {
		unlink(tmp_path);
		free(tmp_path);
		tmp_path = NULL;
	}
}

TestSuite(csv, .init = setup, .fini = teardown);

static void open_mem(const char *s, size_t n, const ctm_csv_limits *limits)
{
	cr_assert_eq(ctm_csv__open_memory(&csv, "t.csv", s, n, limits, ctx), 0);
	cr_assert_not_null(csv);
}

/* sizeof, not strlen: the literals may hold NUL bytes */
#define OPEN(s) open_mem((s), sizeof(s) - 1, NULL)
#define OPEN_LIMITS(s, bytes, nfields) \
	do { \
		ctm_csv_limits lim_ = { (bytes), (nfields), ',', CTM_CSV_UTF8 }; \
		open_mem((s), sizeof(s) - 1, &lim_); \
	} while (0)

/* Checks the invariants every returned field must keep. */
static void check_fields(const ctm_csv_field *f, size_t n)
{
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(f[i].data);
		cr_assert_eq(f[i].data[f[i].len], '\0', "field %zu not NUL-terminated", i);
		cr_assert_eq(strlen(f[i].data), f[i].len, "field %zu holds a NUL", i);
		/* the pad is allocated: ASan and valgrind (CI) fail this read if not */
		char pad[CTM_CSV_FIELD_PAD];
		memcpy(pad, f[i].data, sizeof(pad));
		cr_assert_eq(pad[0], f[i].len ? f[i].data[0] : '\0');
		cr_assert_geq(f[i].line, 1);
		cr_assert_geq(f[i].column, 1);
	}
}

static char rendered[1 << 16];

/* Reads every record to the end and renders them (see the top comment). */
static const char *render_all(void)
{
	const ctm_csv_field *f;
	size_t n, at = 0;
	int bad, rc, records = 0;

	rendered[0] = '\0';
	while ((rc = ctm_csv__next(csv, &f, &n, &bad)) == 1) {
		check_fields(f, n);
		int w = snprintf(rendered + at, sizeof(rendered) - at, "%s%s", records++ ? "/" : "",
				 bad ? "!" : "");
		at += (size_t)w;
		for (size_t i = 0; i < n; i++) {
			w = snprintf(rendered + at, sizeof(rendered) - at, "%s%s", i ? "|" : "",
				     f[i].data);
			at += (size_t)w;
		}
		cr_assert_lt(at, sizeof(rendered) - 1, "rendering too long");
	}
	cr_assert_eq(rc, 0, "ctm_csv__next returned %d", rc);
	/* end of input is sticky */
	cr_assert_eq(ctm_csv__next(csv, &f, &n, &bad), 0);
	return rendered;
}

/* Reads one record, which must have n fields and the given bad flag. */
static const ctm_csv_field *next_record(size_t n, int want_bad)
{
	const ctm_csv_field *f = NULL;
	size_t count = 0;
	int bad = -1;

	int rc = ctm_csv__next(csv, &f, &count, &bad);
	cr_assert_eq(rc, 1, "ctm_csv__next returned %d", rc);
	check_fields(f, count);
	cr_assert_eq(count, n, "record has %zu fields, expected %zu", count, n);
	cr_assert_eq(bad, want_bad, "bad is %d, expected %d", bad, want_bad);
	return f;
}

static void expect_end(void)
{
	const ctm_csv_field *f;
	size_t n;
	int bad;
	cr_assert_eq(ctm_csv__next(csv, &f, &n, &bad), 0);
}

static void expect_field(const ctm_csv_field *f, const char *data, unsigned long line,
			 unsigned long column, int quoted)
{
	cr_expect_str_eq(f->data, data);
	cr_expect_eq(f->line, line, "line %lu, expected %lu (field \"%s\")", f->line, line, data);
	cr_expect_eq(f->column, column, "column %lu, expected %lu (field \"%s\")", f->column,
		     column, data);
	cr_expect_eq(f->quoted, quoted, "quoted %d, expected %d (field \"%s\")", f->quoted, quoted,
		     data);
}

static void expect_ndiags(size_t n)
{
	size_t have = ctm_ctx_count(ctx);
	if (have != n) {
		for (size_t i = 0; i < have; i++) {
			const ctm_diag *d = ctm_ctx_get(ctx, i);
			cr_log_error("diag %zu: %lu:%lu: %s", i, d->line, d->column, d->message);
		}
	}
	cr_assert_eq(have, n, "%zu diagnostics, expected %zu", have, n);
	cr_assert_eq(ctm_ctx_error_count(ctx), n);
}

static void expect_diag_in(size_t i, const char *file, unsigned long line, unsigned long column,
			   const char *message)
{
	const ctm_diag *d = ctm_ctx_get(ctx, i);
	cr_assert_not_null(d, "diagnostic %zu missing", i);
	cr_expect_eq(d->severity, CTM_SEV_ERROR);
	if (file)
		cr_expect_str_eq(d->file, file);
	else
		cr_expect_null(d->file);
	cr_expect_str_eq(d->message, message);
	cr_expect_eq(d->line, line, "diag %zu (%s): line %lu, expected %lu", i, d->message, d->line,
		     line);
	cr_expect_eq(d->column, column, "diag %zu (%s): column %lu, expected %lu", i, d->message,
		     d->column, column);
}

static void expect_diag(size_t i, unsigned long line, unsigned long column, const char *message)
{
	expect_diag_in(i, "t.csv", line, column, message);
}

/* Writes data to a new temporary file, removed by teardown. */
static const char *write_temp(const char *data, size_t n)
{
	char templ[] = "/tmp/ctm-test-csv-XXXXXX";
	int fd = mkstemp(templ);
	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	FILE *f = fdopen(fd, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
	tmp_path = strdup(templ);
	cr_assert_not_null(tmp_path);
	return tmp_path;
}

static void open_temp(const char *data, size_t n, const ctm_csv_limits *limits)
{
	const char *path = write_temp(data, n);
	cr_assert_eq(ctm_csv__open_file(&csv, path, limits, ctx), 0);
	cr_assert_not_null(csv);
	cr_assert_str_eq(ctm_csv__name(csv), path);
}

/* ---- well-formed input ---- */

Test(csv, simple)
{
	OPEN("a,b,c\n1,22,333\n");
	const ctm_csv_field *f = next_record(3, 0);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[1], "b", 1, 3, 0);
	expect_field(&f[2], "c", 1, 5, 0);
	cr_expect_eq(ctm_csv__record_line(csv), 1);
	f = next_record(3, 0);
	expect_field(&f[0], "1", 2, 1, 0);
	expect_field(&f[1], "22", 2, 3, 0);
	expect_field(&f[2], "333", 2, 6, 0);
	cr_expect_eq(ctm_csv__record_line(csv), 2);
	expect_end();
	expect_end();
	expect_ndiags(0);
	cr_expect_str_eq(ctm_csv__name(csv), "t.csv");
}

Test(csv, quoted_comma_quote_and_empty)
{
	/* `"a,b",` is 6 bytes, `"say ""hi""",` 13: fields at 1, 7, 20 */
	OPEN("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
	const ctm_csv_field *f = next_record(3, 0);
	expect_field(&f[0], "a,b", 1, 1, 1);
	expect_field(&f[1], "say \"hi\"", 1, 7, 1);
	expect_field(&f[2], "", 1, 20, 1);
	cr_expect_eq(f[2].len, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, quoted_only_doubled_quotes)
{
	OPEN("\"\"\"\",\"\"\"\"\"\"\"\"\n");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "\"", 1, 1, 1);
	expect_field(&f[1], "\"\"\"", 1, 6, 1);
	expect_ndiags(0);
}

Test(csv, quoted_newlines)
{
	/*
	 * line 1: "a
	 * line 2: b",c           c at column 4
	 * line 3: d,"e<CR><LF>   record 2
	 * line 4: f"<CR><LF>
	 * line 5: g
	 */
	OPEN("\"a\nb\",c\nd,\"e\r\nf\"\r\ng\n");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "a\nb", 1, 1, 1);
	expect_field(&f[1], "c", 2, 4, 0);
	cr_expect_eq(ctm_csv__record_line(csv), 1);
	f = next_record(2, 0);
	expect_field(&f[0], "d", 3, 1, 0);
	expect_field(&f[1], "e\r\nf", 3, 3, 1);
	cr_expect_eq(ctm_csv__record_line(csv), 3);
	f = next_record(1, 0);
	expect_field(&f[0], "g", 5, 1, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, pad_after_a_record_that_fills_the_buffer)
{
	/* A record whose bytes and NULs fill the record buffer's first size
	 * (4096) but for the last field's: its CTM_CSV_FIELD_PAD bytes must be
	 * allocated all the same (check_fields reads them; ASan and valgrind see
	 * a read past the buffer). Record sizes around 4096 cover every way the
	 * buffer can end near a short last field. */
	for (size_t big = 4070; big <= 4100; big++) {
		static char input[8192];
		size_t n = 0;
		input[n++] = '"';
		memset(input + n, 'x', big);
		n += big;
		memcpy(input + n, "\",a\n", 4);
		n += 4;
		open_mem(input, n, NULL);
		const ctm_csv_field *f = next_record(2, 0);
		cr_expect_eq(f[0].len, big);
		expect_field(&f[1], "a", 1, big + 4, 0);
		expect_end();
		ctm_csv__free(csv);
		csv = NULL;
	}
}

Test(csv, crlf)
{
	OPEN("a,b\r\nc,d\r\n");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[1], "b", 1, 3, 0);
	f = next_record(2, 0);
	expect_field(&f[0], "c", 2, 1, 0);
	expect_field(&f[1], "d", 2, 3, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, mixed_line_endings)
{
	/* CRLF, LF, lone CR, CRLF, LF (a blank line), then no newline */
	OPEN("a\r\nb\nc\rd\r\n\ne");
	unsigned long lines[] = { 1, 2, 3, 4, 5, 6 };
	const char *vals[] = { "a", "b", "c", "d", "", "e" };
	for (size_t i = 0; i < 6; i++) {
		const ctm_csv_field *f = next_record(1, 0);
		expect_field(&f[0], vals[i], lines[i], 1, 0);
		cr_expect_eq(ctm_csv__record_line(csv), lines[i]);
	}
	expect_end();
	expect_ndiags(0);
}

Test(csv, lone_cr_is_a_line_break)
{
	/* line 1: "x<CR>  line 2: y",z<CR>  line 3: w -- z at column 4 */
	OPEN("\"x\ry\",z\rw");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "x\ry", 1, 1, 1);
	expect_field(&f[1], "z", 2, 4, 0);
	f = next_record(1, 0);
	expect_field(&f[0], "w", 3, 1, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, cr_cr_lf_is_two_line_breaks)
{
	OPEN("a\r\r\nb");
	cr_expect_str_eq(render_all(), "a//b");
	csv = (ctm_csv__free(csv), NULL);
	OPEN("a\r\r\nb");
	next_record(1, 0);
	const ctm_csv_field *f = next_record(1, 0);
	expect_field(&f[0], "", 2, 1, 0);
	f = next_record(1, 0);
	expect_field(&f[0], "b", 3, 1, 0);
	expect_ndiags(0);
}

Test(csv, bom_skipped)
{
	OPEN("\xEF\xBB\xBF"
	     "a,b\nc\n");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[1], "b", 1, 3, 0);
	f = next_record(1, 0);
	expect_field(&f[0], "c", 2, 1, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, bom_before_quoted_field)
{
	OPEN("\xEF\xBB\xBF\"a\",b");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "a", 1, 1, 1);
	expect_field(&f[1], "b", 1, 5, 0);
	expect_ndiags(0);
}

Test(csv, bom_only_is_empty)
{
	OPEN("\xEF\xBB\xBF");
	expect_end();
	expect_ndiags(0);
}

Test(csv, bom_only_at_start)
{
	/* a second BOM, or one on a later line, is data (U+FEFF is valid UTF-8) */
	OPEN("\xEF\xBB\xBF\xEF\xBB\xBF"
	     "a\n\xEF\xBB\xBF"
	     "b");
	cr_expect_str_eq(render_all(), "\xEF\xBB\xBF"
				       "a/\xEF\xBB\xBF"
				       "b");
	expect_ndiags(0);
}

Test(csv, partial_bom_is_invalid_utf8)
{
	OPEN("\xEF\xBBx,y\n");
	cr_expect_str_eq(render_all(), "!|y");
	expect_ndiags(1);
	expect_diag(0, 1, 1, "invalid UTF-8 in field: truncated sequence");
}

Test(csv, no_trailing_newline)
{
	OPEN("a,b\nc,d");
	cr_expect_str_eq(render_all(), "a|b/c|d");
	expect_ndiags(0);
}

Test(csv, quoted_last_field_at_eof)
{
	OPEN("a,\"b\nc\"");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[1], "b\nc", 1, 3, 1);
	expect_end();
	expect_ndiags(0);
}

Test(csv, trailing_comma)
{
	OPEN("a,\n\"b\",");
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[1], "", 1, 3, 0);
	f = next_record(2, 0);
	expect_field(&f[0], "b", 2, 1, 1);
	expect_field(&f[1], "", 2, 5, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, empty_fields)
{
	OPEN(",,\n,\"\",\n");
	const ctm_csv_field *f = next_record(3, 0);
	expect_field(&f[0], "", 1, 1, 0);
	expect_field(&f[1], "", 1, 2, 0);
	expect_field(&f[2], "", 1, 3, 0);
	f = next_record(3, 0);
	expect_field(&f[0], "", 2, 1, 0);
	expect_field(&f[1], "", 2, 2, 1);
	expect_field(&f[2], "", 2, 5, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, blank_line)
{
	OPEN("a\n\nb\n");
	next_record(1, 0);
	const ctm_csv_field *f = next_record(1, 0);
	expect_field(&f[0], "", 2, 1, 0);
	cr_expect_eq(f[0].len, 0);
	cr_expect_eq(ctm_csv__record_line(csv), 2);
	f = next_record(1, 0);
	expect_field(&f[0], "b", 3, 1, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, empty_input)
{
	OPEN("");
	expect_end();
	expect_end();
	expect_ndiags(0);
}

Test(csv, null_buffer)
{
	cr_assert_eq(ctm_csv__open_memory(&csv, NULL, NULL, 0, NULL, ctx), 0);
	expect_end();
	cr_expect_null(ctm_csv__name(csv));
}

Test(csv, single_newline_is_one_blank_record)
{
	OPEN("\n");
	cr_expect_str_eq(render_all(), "");
	csv = (ctm_csv__free(csv), NULL);
	OPEN("\r\n");
	const ctm_csv_field *f = next_record(1, 0);
	expect_field(&f[0], "", 1, 1, 0);
	expect_end();
}

Test(csv, trailing_newline_gives_no_extra_record)
{
	OPEN("a\nb\n");
	cr_expect_str_eq(render_all(), "a/b");
	csv = (ctm_csv__free(csv), NULL);
	OPEN("a\r\nb\r\n");
	cr_expect_str_eq(render_all(), "a/b");
	csv = (ctm_csv__free(csv), NULL);
	OPEN("a\rb\r");
	cr_expect_str_eq(render_all(), "a/b");
	expect_ndiags(0);
}

Test(csv, spaces_are_data)
{
	OPEN(" a , b \n");
	cr_expect_str_eq(render_all(), " a | b ");
	expect_ndiags(0);
}

Test(csv, valid_utf8_boundaries)
{
	/* U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF */
	OPEN("\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,\xEF\xBF\xBF,"
	     "\xF0\x90\x80\x80,\"\xF4\x8F\xBF\xBF\"\n"
	     "Māori,Señora,Zürich,€,😀\n");
	const ctm_csv_field *f = next_record(8, 0);
	expect_field(&f[0], "\xC2\x80", 1, 1, 0);
	expect_field(&f[3], "\xED\x9F\xBF", 1, 11, 0);
	expect_field(&f[7], "\xF4\x8F\xBF\xBF", 1, 28, 1);
	f = next_record(5, 0);
	expect_field(&f[1], "Señora", 2, 8, 0);
	expect_field(&f[4], "😀", 2, 28, 0);
	expect_end();
	expect_ndiags(0);
}

Test(csv, many_fields)
{
	char buf[8000];
	size_t at = 0;
	for (int i = 0; i < 1000; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%d", i ? "," : "", i);
	buf[at++] = '\n';
	open_mem(buf, at, NULL);
	const ctm_csv_field *f = next_record(1000, 0);
	for (int i = 0; i < 1000; i++) {
		char want[16];
		snprintf(want, sizeof(want), "%d", i);
		cr_assert_str_eq(f[i].data, want);
	}
	expect_end();
}

Test(csv, free_null) { ctm_csv__free(NULL); }

/* ---- errors ---- */

Test(csv, unexpected_quote)
{
	OPEN("ab\"c,d\ne\n");
	cr_expect_str_eq(render_all(), "!ab\"c|d/e");
	expect_ndiags(1);
	expect_diag(0, 1, 3, "unexpected quote in unquoted field");
}

Test(csv, unexpected_quotes_reported_once_per_field)
{
	/* x at 1, a"b"c from column 3: its first quote at column 4 */
	OPEN("x,a\"b\"c,\"\"d\"\n");
	cr_expect_str_eq(render_all(), "!x|a\"b\"c|d\"");
	expect_ndiags(2);
	expect_diag(0, 1, 4, "unexpected quote in unquoted field");
	/* `""d"`: an empty quoted field, then d after its closing quote (col 11) */
	expect_diag(1, 1, 11, "text after closing quote");
}

Test(csv, text_after_closing_quote)
{
	/* field 2 from column 3: `"ab"` is columns 3-6, c at column 7 */
	OPEN("x,\"ab\"c d,e\nf\n");
	cr_expect_str_eq(render_all(), "!x|abc d|e/f");
	expect_ndiags(1);
	expect_diag(0, 1, 7, "text after closing quote");
}

Test(csv, text_after_closing_quote_with_more_quotes)
{
	OPEN("\"a\"b\"c\"\n");
	cr_expect_str_eq(render_all(), "!ab\"c\"");
	expect_ndiags(1);
	expect_diag(0, 1, 4, "text after closing quote");
}

Test(csv, unterminated_quote)
{
	OPEN("a,\"bc\nd,e\n");
	const ctm_csv_field *f = next_record(2, 1);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[1], "bc\nd,e\n", 1, 3, 1);
	expect_end();
	expect_ndiags(1);
	expect_diag(0, 1, 3, "unterminated quoted field (opened here)");
}

Test(csv, unterminated_quote_on_later_line)
{
	OPEN("a\nb\n\"");
	cr_expect_str_eq(render_all(), "a/b/!");
	expect_ndiags(1);
	expect_diag(0, 3, 1, "unterminated quoted field (opened here)");
}

Test(csv, nul_byte)
{
	/* ab at 1, NUL at 3; d at 6, NUL at 7 */
	OPEN("ab\0c,d\0\ne\n");
	cr_expect_str_eq(render_all(), "!ab|d/e");
	expect_ndiags(2);
	expect_diag(0, 1, 3, "NUL byte in field");
	expect_diag(1, 1, 7, "NUL byte in field");
}

Test(csv, nul_bytes_reported_once_per_field)
{
	OPEN("\0\0\0,\"x\0\0\"\n");
	cr_expect_str_eq(render_all(), "!|x");
	expect_ndiags(2);
	expect_diag(0, 1, 1, "NUL byte in field");
	expect_diag(1, 1, 7, "NUL byte in field");
}

struct bad_utf8 {
	const char *bytes;
	const char *message;
};

static const struct bad_utf8 bad_utf8_cases[] = {
	{ "\x80", "invalid UTF-8 in field: unexpected continuation byte 0x80" },
	{ "\xBF", "invalid UTF-8 in field: unexpected continuation byte 0xBF" },
	{ "\xC0\xAF", "invalid UTF-8 in field: overlong encoding" },
	{ "\xC1\xBF", "invalid UTF-8 in field: overlong encoding" },
	{ "\xE0\x80\xAF", "invalid UTF-8 in field: overlong encoding" },
	{ "\xE0\x9F\xBF", "invalid UTF-8 in field: overlong encoding" },
	{ "\xF0\x80\x80\xAF", "invalid UTF-8 in field: overlong encoding" },
	{ "\xF0\x8F\xBF\xBF", "invalid UTF-8 in field: overlong encoding" },
	{ "\xED\xA0\x80", "invalid UTF-8 in field: surrogate code point" },
	{ "\xED\xBF\xBF", "invalid UTF-8 in field: surrogate code point" },
	{ "\xF4\x90\x80\x80", "invalid UTF-8 in field: code point above U+10FFFF" },
	{ "\xF5\x80\x80\x80", "invalid UTF-8 in field: code point above U+10FFFF" },
	{ "\xF7\xBF\xBF\xBF", "invalid UTF-8 in field: code point above U+10FFFF" },
	{ "\xF8\x88\x80\x80\x80", "invalid UTF-8 in field: invalid byte 0xF8" },
	{ "\xFE", "invalid UTF-8 in field: invalid byte 0xFE" },
	{ "\xFF", "invalid UTF-8 in field: invalid byte 0xFF" },
	{ "\xC3", "invalid UTF-8 in field: truncated sequence" },
	{ "\xE2\x82", "invalid UTF-8 in field: truncated sequence" },
	{ "\xF0\x9F\x98", "invalid UTF-8 in field: truncated sequence" },
	{ "\xC3\xC3\xA9", "invalid UTF-8 in field: truncated sequence" },
	{ "\xE2\x82\xC0", "invalid UTF-8 in field: truncated sequence" },
	{ "\xE2\xE2\x82\xAC", "invalid UTF-8 in field: truncated sequence" },
};

Test(csv, invalid_utf8_kinds)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(bad_utf8_cases) / sizeof(bad_utf8_cases[0]); i++) {
		/* "x,ab" then the bad bytes at column 5, then "cd", a newline, "y" */
		int n = snprintf(buf, sizeof(buf), "x,ab%scd\ny\n", bad_utf8_cases[i].bytes);
		ctm_ctx_clear(ctx);
		open_mem(buf, (size_t)n, NULL);
		cr_expect_str_eq(render_all(), "!x|ab/y", "case %zu", i);
		cr_assert_eq(ctm_ctx_count(ctx), 1, "case %zu: %zu diagnostics", i,
			     ctm_ctx_count(ctx));
		expect_diag(0, 1, 5, bad_utf8_cases[i].message);
		ctm_csv__free(csv);
		csv = NULL;
	}
}

/*
 * Long inputs are scanned 64 bytes at a time (engine/csv.c,
 * plain_field_end_run): a sequence, good or bad, at every offset of such a
 * block, and across its end, reads as it does anywhere else.
 */
Test(csv, utf8_at_every_offset_of_a_scan_block)
{
	static const char *const good[] = { "\xC5\x8C", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
					    "\xC3\xA9\xC3\xA9" };
	/* 24 records after the one under test: the input outlasts any block */
	static const char tail[] = "y,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\n"
				   "y,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\ny,z\n";
	static const char tail_read[] = "/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z"
					"/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z/y|z";
	static char buf[1024], want[1024];

	for (size_t shift = 0; shift < 140; shift++) {
		char pad[160];
		memset(pad, 'a', shift);
		pad[shift] = '\0';
		for (size_t i = 0; i < 3 * sizeof(good) / sizeof(good[0]); i++) {
			/* the sequence followed by text, by a comma, by a bad byte */
			const char *seq = good[i / 3];
			static const char *const after[] = { "cd,e", ",cd,e", "\xFF,e" };
			static const char *const fields[] = { "cd|e", "|cd|e", "|e" };
			int n = snprintf(buf, sizeof(buf), "x,%sab%s%s\n%s", pad, seq, after[i % 3],
					 tail);
			ctm_ctx_clear(ctx);
			open_mem(buf, (size_t)n, NULL);
			snprintf(want, sizeof(want), "%sx|%sab%s%s%s", i % 3 == 2 ? "!" : "", pad,
				 seq, fields[i % 3], tail_read);
			cr_expect_str_eq(render_all(), want, "shift %zu, good %zu", shift, i);
			if (i % 3 == 2)
				expect_diag(0, 1, 5 + shift + strlen(seq),
					    "invalid UTF-8 in field: invalid byte 0xFF");
			else
				expect_ndiags(0);
			csv = (ctm_csv__free(csv), NULL);
		}
		for (size_t i = 0; i < sizeof(bad_utf8_cases) / sizeof(bad_utf8_cases[0]); i++) {
			int n = snprintf(buf, sizeof(buf), "x,%sab%scd,e\n%s", pad,
					 bad_utf8_cases[i].bytes, tail);
			ctm_ctx_clear(ctx);
			open_mem(buf, (size_t)n, NULL);
			snprintf(want, sizeof(want), "!x|%sab|e%s", pad, tail_read);
			cr_expect_str_eq(render_all(), want, "shift %zu, case %zu", shift, i);
			cr_assert_eq(ctm_ctx_count(ctx), 1, "shift %zu, case %zu: %zu diagnostics",
				     shift, i, ctm_ctx_count(ctx));
			expect_diag(0, 1, 5 + shift, bad_utf8_cases[i].message);
			csv = (ctm_csv__free(csv), NULL);
		}
	}
}

Test(csv, truncated_utf8_before_delimiters)
{
	/* before a comma: lead byte at column 3 */
	OPEN("ab\xC3,cd\n");
	cr_expect_str_eq(render_all(), "!ab|cd");
	expect_diag(0, 1, 3, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* before a closing quote: lead byte at column 4 */
	OPEN("\"ab\xC3\"\n");
	cr_expect_str_eq(render_all(), "!ab");
	expect_diag(1, 1, 4, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* before a CRLF */
	OPEN("ab\xE2\x82\r\nz");
	cr_expect_str_eq(render_all(), "!ab/z");
	expect_diag(2, 1, 3, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* at the end of input */
	OPEN("ab\xF0\x9F\x98");
	cr_expect_str_eq(render_all(), "!ab");
	expect_diag(3, 1, 3, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* before a NUL: one content error per field, the UTF-8 one */
	OPEN("ab\xC3\0\n");
	cr_expect_str_eq(render_all(), "!ab");
	expect_diag(4, 1, 3, "invalid UTF-8 in field: truncated sequence");
	expect_ndiags(5);
}

Test(csv, truncated_utf8_in_unterminated_quote)
{
	OPEN("\"ab\xF0\x9F\x98");
	cr_expect_str_eq(render_all(), "!ab");
	expect_ndiags(2);
	expect_diag(0, 1, 4, "invalid UTF-8 in field: truncated sequence");
	expect_diag(1, 1, 1, "unterminated quoted field (opened here)");
}

Test(csv, invalid_utf8_reported_once_per_field)
{
	OPEN("\xFF\xFF\xC0,ok\n");
	cr_expect_str_eq(render_all(), "!|ok");
	expect_ndiags(1);
	expect_diag(0, 1, 1, "invalid UTF-8 in field: invalid byte 0xFF");
}

Test(csv, invalid_utf8_position_inside_multiline_field)
{
	/* the quoted field opens on line 2; the bad byte is on line 3, column 2 */
	OPEN("a\n\"x\ny\xFFz\",w\n");
	cr_expect_str_eq(render_all(), "a/!x\ny|w");
	expect_ndiags(1);
	expect_diag(0, 3, 2, "invalid UTF-8 in field: invalid byte 0xFF");
}

Test(csv, invalid_utf8_after_bom_counts_from_bom)
{
	OPEN("\xEF\xBB\xBF"
	     "ab\xFF");
	cr_expect_str_eq(render_all(), "!ab");
	expect_diag(0, 1, 3, "invalid UTF-8 in field: invalid byte 0xFF");
}

Test(csv, field_limit)
{
	/* fields at columns 1, 6, 12, 23 */
	OPEN_LIMITS("abcd,abcde,\"abcdefgh\",x\n", 4, 0);
	const ctm_csv_field *f = next_record(4, 1);
	expect_field(&f[0], "abcd", 1, 1, 0);
	expect_field(&f[1], "abcd", 1, 6, 0);
	expect_field(&f[2], "abcd", 1, 12, 1);
	expect_field(&f[3], "x", 1, 23, 0);
	expect_end();
	expect_ndiags(2);
	expect_diag(0, 1, 6, "field longer than 4 bytes");
	expect_diag(1, 1, 12, "field longer than 4 bytes");
}

Test(csv, field_limit_cuts_at_character_boundary)
{
	/* "ab€" is 5 bytes: cut to "ab"; "abcé" (5 bytes, from column 7) to "abc" */
	OPEN_LIMITS("ab\xE2\x82\xAC,abc\xC3\xA9\n", 4, 0);
	cr_expect_str_eq(render_all(), "!ab|abc");
	expect_ndiags(2);
	expect_diag(0, 1, 1, "field longer than 4 bytes");
	expect_diag(1, 1, 7, "field longer than 4 bytes");
}

Test(csv, field_limit_one_error_per_field)
{
	OPEN_LIMITS("abc\xFF\0\"x\n", 2, 0);
	cr_expect_str_eq(render_all(), "!ab");
	/* the stray quote is a separate (quote) error */
	expect_ndiags(2);
	expect_diag(0, 1, 1, "field longer than 2 bytes");
	expect_diag(1, 1, 6, "unexpected quote in unquoted field");
}

Test(csv, default_field_limit)
{
	size_t n = ((size_t)1 << 20) + 1;
	char *big = malloc(n + 3);
	cr_assert_not_null(big);
	memset(big, 'q', n);
	memcpy(big + n, "\nz", 3);

	/* exactly 1 MiB is fine */
	open_mem(big + 1, n + 1, NULL);
	const ctm_csv_field *f = next_record(1, 0);
	cr_expect_eq(f[0].len, n - 1);
	next_record(1, 0);
	expect_end();
	expect_ndiags(0);
	csv = (ctm_csv__free(csv), NULL);

	/* one byte more is not */
	open_mem(big, n + 2, NULL);
	f = next_record(1, 1);
	cr_expect_eq(f[0].len, n - 1);
	f = next_record(1, 0);
	expect_field(&f[0], "z", 2, 1, 0);
	expect_ndiags(1);
	expect_diag(0, 1, 1, "field longer than 1048576 bytes");
	free(big);
}

Test(csv, field_count_limit)
{
	/* d is the 4th field, at column 7; the quoted 5th holds a comma */
	OPEN_LIMITS("a,b,c,d,\"e,\"\"\",f\ng,h,i\n", 0, 3);
	const ctm_csv_field *f = next_record(3, 1);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[2], "c", 1, 5, 0);
	f = next_record(3, 0);
	expect_field(&f[0], "g", 2, 1, 0);
	expect_end();
	expect_ndiags(1);
	expect_diag(0, 1, 7, "record has more than 3 fields");
}

Test(csv, field_count_limit_reported_per_record)
{
	OPEN_LIMITS("a,b\nc\nd,e,f\n", 0, 1);
	cr_expect_str_eq(render_all(), "!a/c/!d");
	expect_ndiags(2);
	expect_diag(0, 1, 3, "record has more than 1 fields");
	expect_diag(1, 3, 3, "record has more than 1 fields");
}

Test(csv, bad_flag_resets_between_records)
{
	OPEN("\"x\"y\nok\n");
	next_record(1, 1);
	next_record(1, 0);
	expect_end();
}

Test(csv, all_errors_of_a_file)
{
	static const char data[] = "id,name\n"       /* 1 */
				   "1,ok\n"          /* 2 */
				   "2,bad\"quote\n"  /* 3: quote at column 6 */
				   "3,\"ab\"x\n"     /* 4: x at column 7 */
				   "4,caf\xC3\n"     /* 5: truncated sequence at column 6 */
				   "5,x\0y\n"        /* 6: NUL at column 4 */
				   "6,\"multi\n"     /* 7 */
				   "line\",\xFF\n"   /* 8: 0xFF at column 7 */
				   "7,fine\n"        /* 9 */
				   "8,\"open\n"      /* 10: unterminated from column 3 */
				   "never closed\n"; /* 11 */
	OPEN(data);
	static const int bad[] = { 0, 0, 1, 1, 1, 1, 1, 0, 1 };
	static const unsigned long lines[] = { 1, 2, 3, 4, 5, 6, 7, 9, 10 };
	for (size_t i = 0; i < 9; i++) {
		next_record(i == 6 ? 3 : 2, bad[i]);
		cr_expect_eq(ctm_csv__record_line(csv), lines[i], "record %zu", i);
	}
	expect_end();
	expect_ndiags(6);
	expect_diag(0, 3, 6, "unexpected quote in unquoted field");
	expect_diag(1, 4, 7, "text after closing quote");
	expect_diag(2, 5, 6, "invalid UTF-8 in field: truncated sequence");
	expect_diag(3, 6, 4, "NUL byte in field");
	expect_diag(4, 8, 7, "invalid UTF-8 in field: invalid byte 0xFF");
	expect_diag(5, 10, 3, "unterminated quoted field (opened here)");

	csv = (ctm_csv__free(csv), NULL);
	ctm_ctx_clear(ctx);
	OPEN(data);
	cr_expect_str_eq(render_all(),
			 "id|name/1|ok/!2|bad\"quote/!3|abx/!4|caf/!5|x/!6|multi\nline|"
			 "/7|fine/!8|open\nnever closed\n");
}

Test(csv, diagnostics_without_name)
{
	cr_assert_eq(ctm_csv__open_memory(&csv, NULL, "a\"", 2, NULL, ctx), 0);
	next_record(1, 1);
	expect_diag_in(0, NULL, 1, 2, "unexpected quote in unquoted field");
}

Test(csv, null_ctx)
{
	cr_assert_eq(ctm_csv__open_memory(&csv, "t.csv", "\"a\xFF", 3, NULL, NULL), 0);
	next_record(1, 1);
	expect_end();
}

Test(csv, set_context_redirects_diagnostics)
{
	ctm_ctx *other = ctm_ctx_new();
	cr_assert_not_null(other);
	OPEN("a\"\nb\"\nc\"\n");
	next_record(1, 1);
	ctm_csv__set_context(csv, other);
	next_record(1, 1);
	ctm_csv__set_context(csv, NULL);
	next_record(1, 1);
	expect_end();
	expect_ndiags(1);
	expect_diag(0, 1, 2, "unexpected quote in unquoted field");
	cr_expect_eq(ctm_ctx_count(other), 1);
	const ctm_diag *d = ctm_ctx_get(other, 0);
	cr_assert_not_null(d);
	cr_expect_eq(d->line, 2);
	cr_expect_eq(d->column, 2);
	ctm_ctx_free(other);
}

/* ---- files ---- */

Test(csv, file_simple)
{
	static const char data[] = "\xEF\xBB\xBF"
				   "a,\"b\"\r\nc,d";
	open_temp(data, sizeof(data) - 1, NULL);
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "a", 1, 1, 0);
	expect_field(&f[1], "b", 1, 3, 1);
	f = next_record(2, 0);
	expect_field(&f[1], "d", 2, 3, 0);
	expect_end();
	expect_end();
	expect_ndiags(0);
}

Test(csv, file_empty)
{
	open_temp("", 0, NULL);
	expect_end();
	expect_ndiags(0);
}

/*
 * A record with every kind of state (doubled quote, CRLF inside and after a
 * quoted field, 2- and 3-byte UTF-8) placed so that the 64 KiB chunk boundary
 * falls before each of its bytes in turn.
 */
Test(csv, file_record_across_chunk_boundary)
{
	static const char tricky[] = "\"a\"\"b\r\nc\",\xC3\xA9\xE2\x82\xAC\r\n";
	const size_t chunk = 64 * 1024, tlen = sizeof(tricky) - 1;
	char *data = malloc(chunk + 64);
	cr_assert_not_null(data);

	for (size_t k = 0; k <= tlen; k++) {
		/* a first line of chunk-1-k bytes, so the record starts at chunk-k */
		size_t pad = chunk - 1 - k, n = 0;
		memset(data, 'x', pad);
		n = pad;
		data[n++] = '\n';
		memcpy(data + n, tricky, tlen);
		n += tlen;
		memcpy(data + n, "z\r\n", 3);
		n += 3;

		ctm_ctx_clear(ctx);
		open_temp(data, n, NULL);
		const ctm_csv_field *f = next_record(1, 0);
		cr_assert_eq(f[0].len, pad, "k=%zu", k);
		f = next_record(2, 0);
		expect_field(&f[0], "a\"b\r\nc", 2, 1, 1);
		/* line 3 is `c",é€`: é at column 4 */
		expect_field(&f[1], "\xC3\xA9\xE2\x82\xAC", 3, 4, 0);
		cr_expect_eq(ctm_csv__record_line(csv), 2, "k=%zu", k);
		f = next_record(1, 0);
		expect_field(&f[0], "z", 4, 1, 0);
		expect_end();
		expect_ndiags(0);

		ctm_csv__free(csv);
		csv = NULL;
		unlink(tmp_path);
		free(tmp_path);
		tmp_path = NULL;
	}
	free(data);
}

Test(csv, file_error_across_chunk_boundary)
{
	/* an invalid 3-byte sequence whose second byte opens the second chunk */
	const size_t chunk = 64 * 1024;
	char *data = malloc(chunk + 16);
	cr_assert_not_null(data);
	memset(data, 'x', chunk - 1);
	memcpy(data + chunk - 1, "\xED\xA0\x80,y", 5);
	open_temp(data, chunk + 4, NULL);
	const ctm_csv_field *f = next_record(2, 1);
	cr_expect_eq(f[0].len, chunk - 1);
	expect_field(&f[1], "y", 1, (unsigned long)chunk + 4, 0);
	expect_ndiags(1);
	expect_diag_in(0, tmp_path, 1, chunk, "invalid UTF-8 in field: surrogate code point");
	free(data);
}

Test(csv, file_field_larger_than_chunks)
{
	/* line 1: h; a quoted field of 200 lines of 999 y's; then `",after` on line 202 */
	const size_t lines = 200, size = lines * 1000;
	char *data = malloc(size + 64);
	cr_assert_not_null(data);
	size_t n = 0;
	memcpy(data, "h\n\"", 3);
	n = 3;
	for (size_t i = 0; i < lines; i++) {
		memset(data + n, 'y', 999);
		n += 999;
		data[n++] = '\n';
	}
	memcpy(data + n, "\",after\nlast\n", 13);
	n += 13;

	open_temp(data, n, NULL);
	next_record(1, 0);
	const ctm_csv_field *f = next_record(2, 0);
	cr_expect_eq(f[0].len, size);
	cr_expect_eq(memcmp(f[0].data, data + 3, size), 0);
	cr_expect_eq(f[0].line, 2);
	expect_field(&f[1], "after", 202, 3, 0);
	f = next_record(1, 0);
	expect_field(&f[0], "last", 203, 1, 0);
	expect_end();
	expect_ndiags(0);
	free(data);
}

Test(csv, file_field_limit_across_chunks)
{
	/* a 300 000-byte field with a 1000-byte limit: kept to 1000, rest skipped */
	const size_t size = 300000;
	char *data = malloc(size + 16);
	cr_assert_not_null(data);
	memcpy(data, "a,", 2);
	memset(data + 2, 'w', size);
	memcpy(data + 2 + size, "\nb\n", 3);
	ctm_csv_limits lim = { 1000, 0, ',', CTM_CSV_UTF8 };
	open_temp(data, size + 5, &lim);
	const ctm_csv_field *f = next_record(2, 1);
	cr_expect_eq(f[1].len, 1000);
	f = next_record(1, 0);
	expect_field(&f[0], "b", 2, 1, 0);
	expect_end();
	expect_ndiags(1);
	expect_diag_in(0, tmp_path, 1, 3, "field longer than 1000 bytes");
	free(data);
}

Test(csv, file_many_records)
{
	const int rows = 100000;
	char *data = malloc((size_t)rows * 32);
	cr_assert_not_null(data);
	size_t n = 0;
	for (int i = 0; i < rows; i++)
		n += (size_t)sprintf(data + n, "%d,\"name %d\"%s", i, i, i % 2 ? "\r\n" : "\n");
	open_temp(data, n, NULL);
	for (int i = 0; i < rows; i++) {
		char want[32];
		const ctm_csv_field *f = next_record(2, 0);
		snprintf(want, sizeof(want), "%d", i);
		cr_assert_str_eq(f[0].data, want);
		snprintf(want, sizeof(want), "name %d", i);
		cr_assert_str_eq(f[1].data, want);
		cr_assert_eq(f[1].line, (unsigned long)i + 1);
		cr_assert_eq(f[1].column, strlen(f[0].data) + 2);
	}
	expect_end();
	expect_ndiags(0);
	free(data);
}

Test(csv, file_unterminated_quote_reports_file_name)
{
	open_temp("a\n\"b\n", 5, NULL);
	cr_expect_str_eq(render_all(), "a/!b\n");
	expect_ndiags(1);
	expect_diag_in(0, tmp_path, 2, 1, "unterminated quoted field (opened here)");
}

Test(csv, open_missing_file)
{
	int rc = ctm_csv__open_file(&csv, "/nonexistent-ctm-dir/x.csv", NULL, ctx);
	cr_expect_eq(rc, CTM_EIO);
	cr_expect_null(csv);
	expect_ndiags(1);
	expect_diag_in(0, NULL, 0, 0,
		       "cannot open /nonexistent-ctm-dir/x.csv: No such file or directory");
}

Test(csv, open_directory)
{
	int rc = ctm_csv__open_file(&csv, "/tmp", NULL, ctx);
	cr_expect_eq(rc, CTM_EIO);
	cr_expect_null(csv);
	expect_ndiags(1);
	expect_diag_in(0, NULL, 0, 0, "cannot open /tmp: Is a directory");
}

/* Reading /proc/self/mem from offset 0 (never mapped) fails with EIO. */
Test(csv, read_error_is_fatal_and_sticky)
{
	const ctm_csv_field *f;
	size_t n;
	int bad;

	if (access("/proc/self/mem", R_OK) != 0)
		cr_skip_test("no /proc/self/mem");
	cr_assert_eq(ctm_csv__open_file(&csv, "/proc/self/mem", NULL, ctx), 0);
	cr_expect_eq(ctm_csv__next(csv, &f, &n, &bad), CTM_EIO);
	cr_expect_eq(ctm_csv__next(csv, &f, &n, &bad), CTM_EIO);
	expect_ndiags(1);
	expect_diag_in(0, NULL, 0, 0, "cannot read /proc/self/mem: Input/output error");
}

Test(csv, stdin_name)
{
	cr_assert_eq(ctm_csv__open_file(&csv, "-", NULL, ctx), 0);
	cr_expect_str_eq(ctm_csv__name(csv), "<stdin>");
}
