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

/* What the first invalid UTF-8 of an input adds to its message. */
#define HINT \
	" (the file may be in the Windows encoding, Windows-1252: save it as \"CSV UTF-8\" or " \
	"pass --encoding windows-1252)"

/* expect_diag for the first invalid UTF-8 of an input: the message and HINT. */
static void expect_hinted_diag(size_t i, unsigned long line, unsigned long column,
			       const char *message)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s%s", message, HINT);
	expect_diag(i, line, column, buf);
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
	expect_hinted_diag(0, 1, 1, "invalid UTF-8 in field: truncated sequence");
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
		expect_hinted_diag(0, 1, 5, bad_utf8_cases[i].message);
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
				expect_hinted_diag(0, 1, 5 + shift + strlen(seq),
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
			expect_hinted_diag(0, 1, 5 + shift, bad_utf8_cases[i].message);
			csv = (ctm_csv__free(csv), NULL);
		}
	}
}

Test(csv, truncated_utf8_before_delimiters)
{
	/* before a comma: lead byte at column 3 */
	OPEN("ab\xC3,cd\n");
	cr_expect_str_eq(render_all(), "!ab|cd");
	expect_hinted_diag(0, 1, 3, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* before a closing quote: lead byte at column 4 */
	OPEN("\"ab\xC3\"\n");
	cr_expect_str_eq(render_all(), "!ab");
	expect_hinted_diag(1, 1, 4, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* before a CRLF */
	OPEN("ab\xE2\x82\r\nz");
	cr_expect_str_eq(render_all(), "!ab/z");
	expect_hinted_diag(2, 1, 3, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* at the end of input */
	OPEN("ab\xF0\x9F\x98");
	cr_expect_str_eq(render_all(), "!ab");
	expect_hinted_diag(3, 1, 3, "invalid UTF-8 in field: truncated sequence");
	csv = (ctm_csv__free(csv), NULL);

	/* before a NUL: one content error per field, the UTF-8 one */
	OPEN("ab\xC3\0\n");
	cr_expect_str_eq(render_all(), "!ab");
	expect_hinted_diag(4, 1, 3, "invalid UTF-8 in field: truncated sequence");
	expect_ndiags(5);
}

Test(csv, truncated_utf8_in_unterminated_quote)
{
	OPEN("\"ab\xF0\x9F\x98");
	cr_expect_str_eq(render_all(), "!ab");
	expect_ndiags(2);
	expect_hinted_diag(0, 1, 4, "invalid UTF-8 in field: truncated sequence");
	expect_diag(1, 1, 1, "unterminated quoted field (opened here)");
}

Test(csv, invalid_utf8_reported_once_per_field)
{
	OPEN("\xFF\xFF\xC0,ok\n");
	cr_expect_str_eq(render_all(), "!|ok");
	expect_ndiags(1);
	expect_hinted_diag(0, 1, 1, "invalid UTF-8 in field: invalid byte 0xFF");
}

Test(csv, invalid_utf8_position_inside_multiline_field)
{
	/* the quoted field opens on line 2; the bad byte is on line 3, column 2 */
	OPEN("a\n\"x\ny\xFFz\",w\n");
	cr_expect_str_eq(render_all(), "a/!x\ny|w");
	expect_ndiags(1);
	expect_hinted_diag(0, 3, 2, "invalid UTF-8 in field: invalid byte 0xFF");
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
	expect_hinted_diag(2, 5, 6, "invalid UTF-8 in field: truncated sequence");
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
	char want[512];
	snprintf(want, sizeof(want), "%s%s", "invalid UTF-8 in field: surrogate code point", HINT);
	expect_diag_in(0, tmp_path, 1, chunk, want);
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

/* ---- delimiters ---- */

/* Opens s with delimiter delim (0: found) and encoding enc. */
#define OPEN_AS(s, delim, enc) \
	do { \
		ctm_csv_limits lim_ = { 0, 0, (delim), (enc) }; \
		open_mem((s), sizeof(s) - 1, &lim_); \
	} while (0)
#define OPEN_DETECT(s) OPEN_AS(s, 0, CTM_CSV_UTF8)

Test(csv, delimiter_semicolon_found)
{
	/* a decimal comma in the data does not matter: the header decides */
	OPEN_DETECT("id;name;score\n1;Zoë;2,5\n");
	cr_expect_str_eq(render_all(), "id|name|score/1|Zoë|2,5");
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
	cr_expect_eq(ctm_csv__transcoded(csv), 0);
	expect_ndiags(0);
}

Test(csv, delimiter_tab_found)
{
	OPEN_DETECT("id\tname, full\tscore\r\n1\t\"a\tb\"\t3\r\n");
	cr_expect_str_eq(render_all(), "id|name, full|score/1|a\tb|3");
	cr_expect_eq(ctm_csv__delimiter(csv), '\t');
	expect_ndiags(0);
}

Test(csv, delimiter_not_fooled_by_quoted_semicolons)
{
	/* 5 semicolons inside quotes, 2 commas outside; a doubled quote stays inside */
	OPEN_DETECT("\"a;b;c\",\"d;\"\"e;\",f;g\n1,2,3\n");
	cr_expect_eq(ctm_csv__delimiter(csv), 0); /* not found before the first read */
	cr_expect_str_eq(render_all(), "a;b;c|d;\"e;|f;g/1|2|3");
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
}

Test(csv, delimiter_quoted_line_break_in_header)
{
	/* the first line break is inside quotes: the record goes on to line 2 */
	OPEN_DETECT("\"x,\ny\";b;c\n1;2;3\n");
	cr_expect_str_eq(render_all(), "x,\ny|b|c/1|2|3");
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
}

Test(csv, delimiter_only_first_record_counts)
{
	/* one comma in the header; the semicolons of the data do not count */
	OPEN_DETECT("a,b\n1;2;3;4;5\n");
	cr_expect_str_eq(render_all(), "a|b/1;2;3;4;5");
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
}

Test(csv, delimiter_ties_and_none_are_comma)
{
	OPEN_DETECT("a;b,c\n1;2,3\n"); /* 1 and 1 */
	cr_expect_str_eq(render_all(), "a;b|c/1;2|3");
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
	csv = (ctm_csv__free(csv), NULL);

	OPEN_DETECT("a;b\tc\n"); /* ';' and TAB tie above ',' */
	cr_expect_str_eq(render_all(), "a;b\tc");
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
	csv = (ctm_csv__free(csv), NULL);

	OPEN_DETECT("name\nx;y\n"); /* none in the header */
	cr_expect_str_eq(render_all(), "name/x;y");
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
	csv = (ctm_csv__free(csv), NULL);

	OPEN_DETECT("");
	expect_end();
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
}

Test(csv, delimiter_after_blank_lines_and_bom)
{
	OPEN_DETECT("\xEF\xBB\xBF\r\n\na;b\n1;2\n");
	cr_expect_str_eq(render_all(), "//a|b/1|2");
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
}

Test(csv, delimiter_given_overrides)
{
	/* four commas, one semicolon: ';' because it was asked for */
	OPEN_AS("a,b,c,d;e\n1,2;3\n", ';', CTM_CSV_UTF8);
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
	cr_expect_str_eq(render_all(), "a,b,c,d|e/1,2|3");
	csv = (ctm_csv__free(csv), NULL);

	OPEN_AS("a;b;c\n", ',', CTM_CSV_UTF8);
	cr_expect_str_eq(render_all(), "a;b;c");
	csv = (ctm_csv__free(csv), NULL);

	/* NULL limits: ',' */
	OPEN("a;b;c\n");
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
	cr_expect_str_eq(render_all(), "a;b;c");
}

Test(csv, delimiter_other_than_three_refused)
{
	ctm_csv_limits lim = CTM_CSV_LIMITS_INIT;
	lim.delimiter = '|';
	cr_expect_eq(ctm_csv__open_memory(&csv, "t.csv", "a|b", 3, &lim, ctx), CTM_EUSAGE);
	cr_expect_null(csv);
	expect_ndiags(1);
	lim.delimiter = '"';
	cr_expect_eq(ctm_csv__open_memory(&csv, "t.csv", "a|b", 3, &lim, ctx), CTM_EUSAGE);
	lim.delimiter = ',';
	lim.encoding = (ctm_csv_encoding)7;
	cr_expect_eq(ctm_csv__open_memory(&csv, "t.csv", "a|b", 3, &lim, ctx), CTM_EUSAGE);
}

Test(csv, semicolon_file_positions_and_errors)
{
	/* every state of the parser with ';': quotes, errors, a trailing delimiter */
	OPEN_DETECT("a;b;c\n"               /* 1 */
		    "\"x;y\";\"p\"\"q\";\n" /* 2: fields at 1, 7, 13 */
		    "1;2\"3;4\n"            /* 3: stray quote at column 4 */
		    "\"z\"w;5;6\n");        /* 4: text after quote at column 4 */
	const ctm_csv_field *f = next_record(3, 0);
	f = next_record(3, 0);
	expect_field(&f[0], "x;y", 2, 1, 1);
	expect_field(&f[1], "p\"q", 2, 7, 1);
	expect_field(&f[2], "", 2, 14, 0);
	f = next_record(3, 1);
	expect_field(&f[1], "2\"3", 3, 3, 0);
	f = next_record(3, 1);
	expect_field(&f[0], "zw", 4, 1, 1);
	expect_field(&f[2], "6", 4, 8, 0);
	expect_end();
	expect_ndiags(2);
	expect_diag(0, 3, 4, "unexpected quote in unquoted field");
	expect_diag(1, 4, 4, "text after closing quote");
}

/* Long fields take the 64-byte scan (plain_field_end_run) with any delimiter. */
Test(csv, tab_file_long_fields)
{
	static char buf[4096], want[4096];
	size_t n = 0, w = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "h1\th2\th3\n");
	w += (size_t)snprintf(want + w, sizeof(want) - w, "h1|h2|h3");
	for (int i = 0; i < 20; i++) {
		char fld[200];
		memset(fld, 'a' + i, (size_t)(20 + 7 * i));
		fld[20 + 7 * i] = '\0';
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s,\t%d\tx\n", fld, i);
		w += (size_t)snprintf(want + w, sizeof(want) - w, "/%s,|%d|x", fld, i);
	}
	ctm_csv_limits lim = { 0, 0, 0, CTM_CSV_UTF8 };
	open_mem(buf, n, &lim);
	cr_expect_str_eq(render_all(), want);
	cr_expect_eq(ctm_csv__delimiter(csv), '\t');
	expect_ndiags(0);
}

/*
 * A header longer than the first chunk: the file reader reads ahead for it
 * and finds what the memory reader finds. After a BOM the first 64 KiB chunk
 * holds 65533 bytes of text; the semicolons come after them, within the
 * 64 KiB window.
 */
Test(csv, delimiter_found_past_the_first_chunk)
{
	const size_t xs = 65531;
	size_t n = 0;
	char *data = malloc(xs + 64);
	cr_assert_not_null(data);
	memcpy(data,
	       "\xEF\xBB\xBF"
	       "a,",
	       5);
	n = 5;
	memset(data + n, 'x', xs);
	n += xs;
	memcpy(data + n, ";b;c\n1;2;\"3\"\"\n", 14);
	n += 14;

	for (int via_file = 0; via_file < 2; via_file++) {
		ctm_csv_limits lim = { 0, 0, 0, CTM_CSV_UTF8 };
		ctm_ctx_clear(ctx);
		if (via_file)
			open_temp(data, n, &lim);
		else
			open_mem(data, n, &lim);
		const ctm_csv_field *f = next_record(3, 0);
		cr_expect_eq(ctm_csv__delimiter(csv), ';', "via file %d", via_file);
		cr_expect_eq(f[0].len, 2 + xs);
		expect_field(&f[1], "b", 1, 2 + xs + 2, 0);
		expect_field(&f[2], "c", 1, 2 + xs + 4, 0);
		f = next_record(3, 1);
		expect_field(&f[2], "3\"\n", 2, 5, 1);
		expect_end();
		const char *name = via_file ? tmp_path : "t.csv";
		expect_ndiags(1);
		expect_diag_in(0, name, 2, 5, "unterminated quoted field (opened here)");
		cr_expect_eq(ctm_csv__bytes_read(csv), n);
		csv = (ctm_csv__free(csv), NULL);
		if (via_file) {
			unlink(tmp_path);
			free(tmp_path);
			tmp_path = NULL;
		}
	}
	free(data);
}

/* A header longer than the window: what is in the window decides. */
Test(csv, delimiter_window_is_bounded)
{
	const size_t xs = 70000;
	char *data = malloc(xs + 64);
	cr_assert_not_null(data);
	memcpy(data, "a;", 2);
	memset(data + 2, 'x', xs);
	memcpy(data + 2 + xs, ",b,c\n", 5);
	open_temp(data, xs + 7, &(ctm_csv_limits){ 0, 0, 0, CTM_CSV_UTF8 });
	next_record(2, 0);
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
	expect_end();
	free(data);
}

/* A second reader of the same file, at a record in the middle, with the
 * first one's delimiter (as dataset_split.c opens it). */
Test(csv, second_reader_at_offset_takes_the_delimiter)
{
	static const char data[] = "a;b\n1;x\n2;y\n";
	open_temp(data, sizeof(data) - 1, &(ctm_csv_limits){ 0, 0, 0, CTM_CSV_UTF8 });
	next_record(2, 0);
	cr_assert_eq(ctm_csv__next_record_offset(csv), 4);
	ctm_csv_limits lim = { 0, 0, ctm_csv__delimiter(csv), CTM_CSV_UTF8 };
	ctm_csv *part = NULL;
	cr_assert_eq(ctm_csv__open_fd_at(&part, "t.csv", ctm_csv__fd(csv), 8, &lim, ctx), 0);
	const ctm_csv_field *f;
	size_t n;
	int bad;
	cr_assert_eq(ctm_csv__next(part, &f, &n, &bad), 1);
	cr_expect_eq(n, 2);
	cr_expect_str_eq(f[1].data, "y");
	cr_expect_eq(f[1].column, 3);
	cr_expect_eq(ctm_csv__next(part, &f, &n, &bad), 0);
	ctm_csv__free(part);
	expect_ndiags(0);
}

/* ---- UTF-16 ---- */

/* "id,name\r\n" "1,é€😀\r\n" "2,\"a,b\"\r\n": é U+00E9, € U+20AC, 😀 U+1F600
 * (the surrogate pair D83D DE00). UTF-16LE, then the same big-endian. */
static const unsigned char utf16le[] = { 0xFF, 0xFE, 'i',  0,    'd',  0,    ',',  0,    'n',
					 0,    'a',  0,    'm',  0,    'e',  0,    '\r', 0,
					 '\n', 0,    '1',  0,    ',',  0,    0xE9, 0x00, 0xAC,
					 0x20, 0x3D, 0xD8, 0x00, 0xDE, '\r', 0,    '\n', 0,
					 '2',  0,    ',',  0,    '"',  0,    'a',  0,    ',',
					 0,    'b',  0,    '"',  0,    '\r', 0,    '\n', 0 };
static const unsigned char utf16be[] = { 0xFE, 0xFF, 0,    'i',  0,    'd', 0,    ',',  0,
					 'n',  0,    'a',  0,    'm',  0,   'e',  0,    '\r',
					 0,    '\n', 0,    '1',  0,    ',', 0x00, 0xE9, 0x20,
					 0xAC, 0xD8, 0x3D, 0xDE, 0x00, 0,   '\r', 0,    '\n',
					 0,    '2',  0,    ',',  0,    '"', 0,    'a',  0,
					 ',',  0,    'b',  0,    '"',  0,   '\r', 0,    '\n' };

static void check_utf16_sample(void)
{
	const ctm_csv_field *f = next_record(2, 0);
	expect_field(&f[0], "id", 1, 1, 0);
	expect_field(&f[1], "name", 1, 4, 0);
	f = next_record(2, 0);
	expect_field(&f[0], "1", 2, 1, 0);
	expect_field(&f[1], "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 2, 3, 0);
	f = next_record(2, 0);
	/* columns count the UTF-8 text: the quote at 3 */
	expect_field(&f[1], "a,b", 3, 3, 1);
	expect_end();
	expect_ndiags(0);
	cr_expect_neq(ctm_csv__transcoded(csv), 0);
	cr_expect_eq(ctm_csv__delimiter(csv), ',');
}

Test(csv, utf16le_with_bom)
{
	ctm_csv_limits lim = { 0, 0, 0, CTM_CSV_UTF8 };
	open_mem((const char *)utf16le, sizeof(utf16le), &lim);
	check_utf16_sample();
	cr_expect_eq(ctm_csv__bytes_read(csv), sizeof(utf16le));
}

Test(csv, utf16be_with_bom)
{
	open_mem((const char *)utf16be, sizeof(utf16be), NULL);
	check_utf16_sample();
}

Test(csv, utf16_files)
{
	ctm_csv_limits lim = { 0, 0, 0, CTM_CSV_UTF8 };
	open_temp((const char *)utf16le, sizeof(utf16le), &lim);
	check_utf16_sample();
	csv = (ctm_csv__free(csv), NULL);
	unlink(tmp_path);
	free(tmp_path);
	tmp_path = NULL;
	open_temp((const char *)utf16be, sizeof(utf16be), NULL);
	check_utf16_sample();
}

/* A UTF-16 BOM wins over Windows-1252 asked for; so does a UTF-8 one. */
Test(csv, bom_wins_over_windows_1252)
{
	ctm_csv_limits lim = { 0, 0, ',', CTM_CSV_WINDOWS_1252 };
	open_mem((const char *)utf16le, sizeof(utf16le), &lim);
	check_utf16_sample();
	csv = (ctm_csv__free(csv), NULL);
	OPEN_AS("\xEF\xBB\xBF"
		"caf\xC3\xA9\n",
		',', CTM_CSV_WINDOWS_1252);
	cr_expect_str_eq(render_all(), "caf\xC3\xA9");
	cr_expect_eq(ctm_csv__transcoded(csv), 0);
	expect_ndiags(0);
}

/* "a;b" then "x\t" -- the delimiter is found in the decoded text. */
Test(csv, utf16_delimiter_found)
{
	static const unsigned char data[] = { 0xFF, 0xFE, 'a', 0,   ';', 0,    'b', 0,    '\n',
					      0,    'x',  0,   ';', 0,   0xE9, 0,   '\n', 0 };
	ctm_csv_limits lim = { 0, 0, 0, CTM_CSV_UTF8 };
	open_mem((const char *)data, sizeof(data), &lim);
	cr_expect_str_eq(render_all(), "a|b/x|\xC3\xA9");
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
}

Test(csv, utf16_unpaired_surrogates)
{
	/* "a,<D83D>b\n" "c,<DE00>\n" "d,e<D83D>": a high surrogate before 'b',
	 * a lone low one, a high one at the end of the input */
	static const unsigned char data[] = { 0xFF, 0xFE, 'a', 0, ',', 0, 0x3D, 0xD8, 'b',  0,
					      '\n', 0,    'c', 0, ',', 0, 0x00, 0xDE, '\n', 0,
					      'd',  0,    ',', 0, 'e', 0, 0x3D, 0xD8 };
	open_mem((const char *)data, sizeof(data), NULL);
	cr_expect_str_eq(render_all(), "!a|/!c|/!d|e");
	expect_ndiags(3);
	expect_diag(0, 1, 3, "invalid UTF-16 in field: unpaired surrogate 0xD83D");
	expect_diag(1, 2, 3, "invalid UTF-16 in field: unpaired surrogate 0xDE00");
	expect_diag(2, 3, 4, "invalid UTF-16 in field: unpaired surrogate 0xD83D");
}

Test(csv, utf16_odd_last_byte)
{
	static const unsigned char data[] = { 0xFE, 0xFF, 0, 'a', 0, ',', 0, 'b', 'c' };
	open_mem((const char *)data, sizeof(data), NULL);
	cr_expect_str_eq(render_all(), "!a|b");
	expect_ndiags(1);
	expect_diag(0, 1, 4, "invalid UTF-16 in field: odd byte 0x63 at the end of the input");
}

/* Decoded text past an error is located as ever: lines, and UTF-8 columns. */
Test(csv, utf16_later_errors_located)
{
	/* "é,x\n" "€,a\"b\n": the stray quote is at column 6 of line 2 (€ is 3 bytes) */
	static const unsigned char data[] = { 0xFF, 0xFE, 0xE9, 0,    ',',  0, 'x', 0,
					      '\n', 0,    0xAC, 0x20, ',',  0, 'a', 0,
					      '"',  0,    'b',  0,    '\n', 0 };
	open_mem((const char *)data, sizeof(data), NULL);
	cr_expect_str_eq(render_all(), "\xC3\xA9|x/!\xE2\x82\xAC|a\"b");
	expect_ndiags(1);
	expect_diag(0, 2, 6, "unexpected quote in unquoted field");
}

/*
 * A UTF-16 file of many 64 KiB chunks: surrogate pairs and CRLFs fall on
 * every side of the boundaries of what is read (raw) and of what is decoded.
 */
Test(csv, utf16_file_across_chunks)
{
	/* each record: "<i>,é😀\r\n" */
	const int records = 30000;
	size_t cap = (size_t)records * 32 + 16, n = 0;
	unsigned char *data = malloc(cap);
	cr_assert_not_null(data);
	data[n++] = 0xFF;
	data[n++] = 0xFE;
	for (int i = 0; i < records; i++) {
		char num[16];
		int len = snprintf(num, sizeof(num), "%d", i);
		for (int k = 0; k < len; k++) {
			data[n++] = (unsigned char)num[k];
			data[n++] = 0;
		}
		static const unsigned char rest[] = { ',',  0,    0xE9, 0, 0x3D, 0xD8,
						      0x00, 0xDE, '\r', 0, '\n', 0 };
		memcpy(data + n, rest, sizeof(rest));
		n += sizeof(rest);
	}
	open_temp((const char *)data, n, NULL);
	unsigned long long last = 0;
	for (int i = 0; i < records; i++) {
		char want[16];
		const ctm_csv_field *f = next_record(2, 0);
		snprintf(want, sizeof(want), "%d", i);
		cr_assert_str_eq(f[0].data, want);
		cr_assert_str_eq(f[1].data, "\xC3\xA9\xF0\x9F\x98\x80");
		cr_assert_eq(f[1].line, (unsigned long)i + 1);
		cr_assert_eq(f[1].column, strlen(want) + 2);
		unsigned long long at = ctm_csv__bytes_read(csv);
		cr_assert_geq(at, last);
		cr_assert_leq(at, n);
		last = at;
	}
	expect_end();
	expect_ndiags(0);
	cr_expect_eq(ctm_csv__bytes_read(csv), n);
	free(data);
}

/* ---- Windows-1252 ---- */

Test(csv, windows_1252_decoded)
{
	/* "café,€5,“x”,–—…" and 0xFF ÿ, 0xA0 NBSP */
	OPEN_AS("caf\xE9,\x80"
		"5,\x93x\x94,\x96\x97\x85\n"
		"\xFF,\xA0\n",
		',', CTM_CSV_WINDOWS_1252);
	const ctm_csv_field *f = next_record(4, 0);
	expect_field(&f[0], "caf\xC3\xA9", 1, 1, 0);
	expect_field(&f[1],
		     "\xE2\x82\xAC"
		     "5",
		     1, 7, 0); /* café is 5 bytes of UTF-8 */
	expect_field(&f[2], "\xE2\x80\x9Cx\xE2\x80\x9D", 1, 12, 0);
	expect_field(&f[3], "\xE2\x80\x93\xE2\x80\x94\xE2\x80\xA6", 1, 20, 0);
	f = next_record(2, 0);
	expect_field(&f[0], "\xC3\xBF", 2, 1, 0);
	expect_field(&f[1], "\xC2\xA0", 2, 4, 0);
	expect_end();
	expect_ndiags(0);
	cr_expect_neq(ctm_csv__transcoded(csv), 0);
}

/* Every byte from 0x80 up, each a field of its own, against Microsoft's
 * table (unicode.org CP1252.TXT), typed here on its own. */
Test(csv, windows_1252_every_byte)
{
	static const unsigned short high[32] = { 0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026,
						 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
						 0x0152, 0,      0x017D, 0,      0,      0x2018,
						 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
						 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,
						 0x017E, 0x0178 };
	char in[256 * 2];
	size_t n = 0;
	for (int b = 0x80; b <= 0xFF; b++) {
		in[n++] = (char)b;
		in[n++] = '\n';
	}
	ctm_csv_limits lim = { 0, 0, ',', CTM_CSV_WINDOWS_1252 };
	open_mem(in, n, &lim);
	size_t undefined = 0;
	for (int b = 0x80; b <= 0xFF; b++) {
		unsigned cp = b < 0xA0 ? high[b - 0x80] : (unsigned)b;
		const ctm_csv_field *f = next_record(1, cp == 0);
		if (cp == 0) {
			cr_expect_eq(f[0].len, 0);
			undefined++;
			continue;
		}
		char want[8];
		if (cp < 0x800)
			snprintf(want, sizeof(want), "%c%c", 0xC0 | cp >> 6, 0x80 | (cp & 0x3F));
		else
			snprintf(want, sizeof(want), "%c%c%c", 0xE0 | cp >> 12,
				 0x80 | (cp >> 6 & 0x3F), 0x80 | (cp & 0x3F));
		cr_expect_str_eq(f[0].data, want, "byte 0x%02X", b);
	}
	expect_end();
	cr_expect_eq(undefined, 5);
	expect_ndiags(5);
	expect_diag(0, 2, 1, "byte 0x81 is not a character in Windows-1252");
	expect_diag(1, 14, 1, "byte 0x8D is not a character in Windows-1252");
	expect_diag(2, 16, 1, "byte 0x8F is not a character in Windows-1252");
	expect_diag(3, 17, 1, "byte 0x90 is not a character in Windows-1252");
	expect_diag(4, 30, 1, "byte 0x9D is not a character in Windows-1252");
}

Test(csv, windows_1252_undefined_byte_located)
{
	/* line 2: "é" (2 bytes of UTF-8) and "x" before 0x8D, at column 4; it
	 * counts one column, so 0x81 is at 7 */
	OPEN_AS("a;b\n\xE9x\x8Dy;\x81\n"
		"\x81\x8D;a\"b\n", /* line 3: the second in the field is not
					 * reported, and counts one column too */
		0, CTM_CSV_WINDOWS_1252);
	cr_expect_str_eq(render_all(), "a|b/!\xC3\xA9x|/!|a\"b");
	cr_expect_eq(ctm_csv__delimiter(csv), ';');
	expect_ndiags(4);
	expect_diag(0, 2, 4, "byte 0x8D is not a character in Windows-1252");
	expect_diag(1, 2, 7, "byte 0x81 is not a character in Windows-1252");
	expect_diag(2, 3, 1, "byte 0x81 is not a character in Windows-1252");
	expect_diag(3, 3, 5, "unexpected quote in unquoted field");
}

/* A file in Windows-1252 over many chunks: 0xE9 becomes 2 bytes, so the
 * decoded chunks end elsewhere than the file's. */
Test(csv, windows_1252_file_across_chunks)
{
	const int records = 20000;
	size_t cap = (size_t)records * 24, n = 0;
	char *data = malloc(cap);
	cr_assert_not_null(data);
	for (int i = 0; i < records; i++)
		n += (size_t)snprintf(data + n, cap - n, "%d;\"\xE9\x80\x93\"\"\x94;\"\n", i);
	ctm_csv_limits lim = { 0, 0, 0, CTM_CSV_WINDOWS_1252 };
	open_temp(data, n, &lim);
	for (int i = 0; i < records; i++) {
		const ctm_csv_field *f = next_record(2, 0);
		cr_assert_str_eq(f[1].data, "\xC3\xA9\xE2\x82\xAC\xE2\x80\x9C\"\xE2\x80\x9D;",
				 "record %d", i);
		cr_assert_eq(f[1].line, (unsigned long)i + 1);
	}
	expect_end();
	expect_ndiags(0);
	cr_expect_eq(ctm_csv__bytes_read(csv), n);
	free(data);
}

/* ---- the hint on invalid UTF-8 ---- */

Test(csv, invalid_utf8_hint_once_per_file)
{
	OPEN("name,city\nZo\xEB,K\xF6ln\n\x93x\x94,y\n");
	cr_expect_str_eq(render_all(), "name|city/!Zo|K/!|y");
	expect_ndiags(3);
	expect_hinted_diag(0, 2, 3, "invalid UTF-8 in field: truncated sequence");
	expect_diag(1, 2, 6, "invalid UTF-8 in field: code point above U+10FFFF");
	expect_diag(2, 3, 1, "invalid UTF-8 in field: unexpected continuation byte 0x93");
	csv = (ctm_csv__free(csv), NULL);

	/* each file has its own first time */
	OPEN("\xE9\n");
	render_all();
	expect_hinted_diag(3, 1, 1, "invalid UTF-8 in field: truncated sequence");
}

Test(csv, no_hint_after_utf8_bom)
{
	/* the file says it is UTF-8 */
	OPEN("\xEF\xBB\xBF"
	     "ab\xFF");
	render_all();
	expect_ndiags(1);
	expect_diag(0, 1, 3, "invalid UTF-8 in field: invalid byte 0xFF");
}
