/*
 * util/: the one number rule (format.h), the one UTF-8 decoder (utf8.h),
 * the one string builder (strbuf.h) and the hash map (hashmap.h). Expected values are written out by
 * hand from the rule each header states.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "hashmap.h"
#include "strbuf.h"
#include "utf8.h"

static const char *num(double x, int decimals, unsigned flags)
{
	static char buf[CTM_FORMAT_NUMBER_SIZE];
	ctm_format__number(buf, sizeof(buf), x, decimals, flags);
	return buf;
}

Test(format, rounds_to_the_decimals_asked)
{
	cr_assert_str_eq(num(2.5, 4, 0), "2.5000");
	cr_assert_str_eq(num(1.0 / 3, 4, 0), "0.3333");
	cr_assert_str_eq(num(2.0 / 3, 2, 0), "0.67");
	cr_assert_str_eq(num(-1.25, 1, 0), "-1.2"); /* binary 1.25 is exact: a tie, to even */
	cr_assert_str_eq(num(12345.678, 0, 0), "12346");
}

Test(format, zero_at_the_precision_has_no_sign)
{
	cr_assert_str_eq(num(-0.0, 4, 0), "0.0000");
	cr_assert_str_eq(num(-0.00004, 4, 0), "0.0000");
	cr_assert_str_eq(num(-0.00004, 4, CTM_FORMAT_PLUS), "0.0000");
	cr_assert_str_eq(num(0.00004, 4, CTM_FORMAT_PLUS), "0.0000");
	cr_assert_str_eq(num(-0.004, 2, CTM_FORMAT_UNICODE_MINUS), "0.00");
	cr_assert_str_eq(num(-0.00005001, 4, 0), "-0.0001");
}

Test(format, signs)
{
	cr_assert_str_eq(num(0.25, 2, CTM_FORMAT_PLUS), "+0.25");
	cr_assert_str_eq(num(-0.25, 2, CTM_FORMAT_PLUS), "-0.25");
	cr_assert_str_eq(num(-0.25, 2, CTM_FORMAT_UNICODE_MINUS), "\xE2\x88\x92"
								  "0.25");
}

Test(format, nan_and_infinities_are_undefined)
{
	char buf[CTM_FORMAT_NUMBER_SIZE] = "x";
	cr_assert_eq(ctm_format__number(buf, sizeof(buf), NAN, 4, 0), 0);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(ctm_format__number(buf, sizeof(buf), INFINITY, 4, 0), 0);
	cr_assert_eq(ctm_format__number(buf, sizeof(buf), -INFINITY, 2, CTM_FORMAT_PLUS), 0);
	cr_assert_str_eq(buf, "");
}

Test(format, the_largest_double_fits)
{
	char buf[CTM_FORMAT_NUMBER_SIZE];
	size_t n = ctm_format__number(buf, sizeof(buf), -1.7976931348623157e308,
				      CTM_FORMAT_MAX_DECIMALS, CTM_FORMAT_UNICODE_MINUS);
	/* 3 bytes of minus, 309 digits, the point and 10 decimals */
	cr_assert_eq(n, 3 + 309 + 1 + 10);
	cr_assert_eq(strlen(buf), n);
}

/* What a writer puts in a file, as a string. */
static char *written(void (*write)(FILE *, double), double x)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	write(f, x);
	fclose(f);
	return text;
}

Test(format, csv_and_json_cells)
{
	char *s;
	s = written(ctm_format__csv_number, 0.12345);
	cr_assert_str_eq(s, ",0.1235");
	free(s);
	s = written(ctm_format__csv_number, NAN);
	cr_assert_str_eq(s, ",");
	free(s);
	s = written(ctm_format__csv_number, -INFINITY);
	cr_assert_str_eq(s, ",");
	free(s);
	s = written(ctm_format__json_number, NAN);
	cr_assert_str_eq(s, "null");
	free(s);
	s = written(ctm_format__json_number, -0.00001);
	cr_assert_str_eq(s, "0.0000");
	free(s);
}

Test(format, csv_fields_quoted_only_when_they_must_be)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ctm_format__csv_field(f, "plain");
	fputc('|', f);
	ctm_format__csv_field(f, "a,b");
	fputc('|', f);
	ctm_format__csv_field(f, "say \"hi\"");
	fputc('|', f);
	ctm_format__csv_field(f, "two\nlines");
	fclose(f);
	cr_assert_str_eq(text, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
	free(text);
}

Test(utf8, decodes_well_formed_sequences)
{
	uint32_t cp = 0;
	cr_assert_eq(ctm_utf8__decode("A", 1, &cp), 1);
	cr_assert_eq(cp, 0x41);
	cr_assert_eq(ctm_utf8__decode("\xC3\xBC", 2, &cp), 2); /* ü */
	cr_assert_eq(cp, 0xFC);
	cr_assert_eq(ctm_utf8__decode("\xE2\x80\x94", 3, &cp), 3); /* — */
	cr_assert_eq(cp, 0x2014);
	cr_assert_eq(ctm_utf8__decode("\xF0\x9F\x98\x80", 4, &cp), 4); /* U+1F600 */
	cr_assert_eq(cp, 0x1F600);
	cr_assert_eq(ctm_utf8__decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	cr_assert_eq(cp, 0x10FFFF);
}

Test(utf8, refuses_what_is_not_well_formed)
{
	cr_assert_eq(ctm_utf8__decode("\xC0\xAF", 2, NULL), 0, "overlong /");
	cr_assert_eq(ctm_utf8__decode("\xE0\x80\xAF", 3, NULL), 0, "overlong, 3 bytes");
	cr_assert_eq(ctm_utf8__decode("\xED\xA0\x80", 3, NULL), 0, "surrogate U+D800");
	cr_assert_eq(ctm_utf8__decode("\xF4\x90\x80\x80", 4, NULL), 0, "above U+10FFFF");
	cr_assert_eq(ctm_utf8__decode("\x80", 1, NULL), 0, "a lone continuation byte");
	cr_assert_eq(ctm_utf8__decode("\xC3\xBC", 1, NULL), 0, "cut off by the length");
	cr_assert_eq(ctm_utf8__decode("\xE2\x80\x41", 3, NULL), 0, "ASCII inside a sequence");
	cr_assert_eq(ctm_utf8__invalid_at("ok \xC3\xBC then \xFF", 12), 11);
	cr_assert_eq(ctm_utf8__invalid_at("Zürich", strlen("Zürich")), strlen("Zürich"));
}

Test(strbuf, appends_formats_and_detaches)
{
	ctm_strbuf b = CTM_STRBUF_INIT;
	ctm_strbuf__printf(&b, "%d levels", 5);
	ctm_strbuf__append(&b, ", ", 2);
	ctm_strbuf__printf(&b, "%s", "Māori");
	cr_assert_str_eq(b.s, "5 levels, Māori");
	cr_assert_eq(b.len, strlen("5 levels, Māori"));
	ctm_strbuf__reset(&b);
	cr_assert_str_eq(b.s, "");
	for (int i = 0; i < 1000; i++)
		ctm_strbuf__append(&b, "x", 1);
	cr_assert_eq(b.len, 1000);
	char *s = ctm_strbuf__detach(&b);
	cr_assert_eq(strlen(s), 1000);
	cr_assert_null(b.s);
	free(s);
	s = ctm_strbuf__detach(&b);
	cr_assert_str_eq(s, "", "nothing appended: an empty string");
	free(s);
	s = ctm_strbuf__format("%s-%s", "a", "b");
	cr_assert_str_eq(s, "a-b");
	free(s);
}

Test(hashmap, one_key_fills_one_slot_and_misses_still_end)
{
	/* a group's maps mostly hold one name: a one-slot table, full, where a
	 * missing key's probe must stop after the one slot */
	ctm_hashmap m = CTM_HASHMAP_INIT;
	cr_assert_null(ctm_hashmap__get(&m, "a", 1, ctm_hashmap__hash("a", 1)));
	cr_assert_eq(ctm_hashmap__put(&m, "a", 1, ctm_hashmap__hash("a", 1), 7), 0);
	cr_assert_eq(m.capacity, 1);
	cr_assert_eq(m.count, 1);
	const ctm_hashmap_slot *s = ctm_hashmap__get(&m, "a", 1, ctm_hashmap__hash("a", 1));
	cr_assert(s && s->value == 7);
	cr_assert_null(ctm_hashmap__get(&m, "b", 1, ctm_hashmap__hash("b", 1)));
	/* from two keys on, the load stays at or under 1/2 */
	static char keys[200][8];
	for (int i = 0; i < 200; i++) {
		int n = snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		cr_assert_eq(ctm_hashmap__put(&m, keys[i], (size_t)n,
					      ctm_hashmap__hash(keys[i], (size_t)n), (size_t)i),
			     0);
		cr_assert_leq(2 * m.count, m.capacity);
	}
	cr_assert_eq(m.count, 201);
	cr_assert_eq(m.capacity, 512);
	for (int i = 0; i < 200; i++) {
		size_t n = strlen(keys[i]);
		s = ctm_hashmap__get(&m, keys[i], n, ctm_hashmap__hash(keys[i], n));
		cr_assert(s && s->value == (size_t)i);
	}
	s = ctm_hashmap__get(&m, "a", 1, ctm_hashmap__hash("a", 1));
	cr_assert(s && s->value == 7);
	cr_assert_null(ctm_hashmap__get(&m, "k200", 4, ctm_hashmap__hash("k200", 4)));
	ctm_hashmap__free(&m);
	cr_assert_eq(m.capacity, 0);
}
