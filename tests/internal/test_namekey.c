/*
 * util/namekey.c: the keys names are grouped by, and the punctuation-free
 * keys the audit compares; and ctm_cell_name (util/diag.c), a workbook
 * cell's name. Expected keys are written out by hand from the Unicode
 * standard's NFKC_Casefold.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "continuum/error.h"
#include "namekey.h"

static const char *key(const char *s)
{
	static ctm_strbuf b = CTM_STRBUF_INIT;
	cr_assert_eq(ctm_namekey__make(&b, s, strlen(s)), 0);
	return b.s;
}

static const char *loose(const char *s)
{
	static ctm_strbuf b = CTM_STRBUF_INIT;
	cr_assert_eq(ctm_namekey__loose(&b, s, strlen(s)), 0);
	return b.s;
}

Test(namekey, case_and_white_space)
{
	cr_assert_str_eq(key("City Council"), "city council");
	cr_assert_str_eq(key("  CITY\tCOUNCIL  "), "city council");
	cr_assert_str_eq(key("City  \n Council"), "city council");
	cr_assert_str_eq(key(""), "");
	cr_assert_str_eq(key("   "), "");
}

Test(namekey, unicode_compatibility_and_case)
{
	/* no-break space (U+00A0) as a space */
	cr_assert_str_eq(key("City\xc2\xa0" "Council"), "city council");
	/* fullwidth letters (U+FF23 U+FF49 U+FF54 U+FF59) are ASCII */
	cr_assert_str_eq(key("\xef\xbc\xa3\xef\xbd\x89\xef\xbd\x94\xef\xbd\x99"), "city");
	/* Zürich: composed and decomposed u-umlaut are one; capital folds */
	cr_assert_str_eq(key("Z\xc3\xbcrich"), "z\xc3\xbcrich");
	cr_assert_str_eq(key("ZU\xcc\x88RICH"), "z\xc3\xbcrich");
	/* German sharp s folds to ss; the ligature fi (U+FB01) to fi */
	cr_assert_str_eq(key("Stra\xc3\x9f" "e"), "strasse");
	cr_assert_str_eq(key("\xef\xac\x81le"), "file");
	/* a soft hyphen (U+00AD) is ignorable */
	cr_assert_str_eq(key("Health\xc2\xad" "care"), "healthcare");
	/* Māori macrons stay (not compatibility forms) */
	cr_assert_str_eq(key("M\xc4\x81ori"), "m\xc4\x81ori");
}

Test(namekey, invalid_utf8_is_keyed_by_its_bytes)
{
	cr_assert_str_eq(key("AB\xff" "C"), "ab\xff" "c");
}

Test(namekey, loose_drops_punctuation)
{
	cr_assert_str_eq(loose("Dept. of Health"), "dept of health");
	cr_assert_str_eq(loose("Dept of  Health."), "dept of health");
	cr_assert_str_eq(loose("Women's Refuge"), "women s refuge");
	cr_assert_str_eq(loose("Whanganui-a-Tara"), "whanganui a tara");
}

Test(namekey, cell_names)
{
	char b[24];
	cr_assert_str_eq(ctm_cell_name(1, 1, b, sizeof(b)), "A1");
	cr_assert_str_eq(ctm_cell_name(3, 12, b, sizeof(b)), "C12");
	cr_assert_str_eq(ctm_cell_name(26, 2, b, sizeof(b)), "Z2");
	cr_assert_str_eq(ctm_cell_name(27, 2, b, sizeof(b)), "AA2");
	cr_assert_str_eq(ctm_cell_name(702, 9, b, sizeof(b)), "ZZ9");
	cr_assert_str_eq(ctm_cell_name(703, 9, b, sizeof(b)), "AAA9");
	cr_assert_str_eq(ctm_cell_name(16384, 1048576, b, sizeof(b)), "XFD1048576");
}
