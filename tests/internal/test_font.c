/*
 * The font check (reports/font_check.c): the shipped faces pass; each field
 * libharu 2.3.0 trusts, spoilt in a copy of the lean DejaVu Sans, is refused
 * with its reason, through ctm_font__check_bytes and through a document
 * given the spoilt file as its font (what --font does).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "continuum/error.h"
#include "draw.h"
#include "font_check.h"

#define LEAN CTM_FONTS_DIR "/DejaVuSansLean.ttf"

static unsigned char *font;
static size_t font_size;
static ctm_ctx *ctx;

static unsigned get16(size_t at) { return (unsigned)font[at] << 8 | font[at + 1]; }

static uint32_t get32(size_t at) { return (uint32_t)get16(at) << 16 | get16(at + 2); }

static void put16(size_t at, unsigned v)
{
	font[at] = (unsigned char)(v >> 8);
	font[at + 1] = (unsigned char)v;
}

/* The offset of table `tag` in the copy; fails the test when absent. */
static size_t table_at(const char *tag)
{
	for (unsigned i = 0; i < get16(4); i++)
		if (memcmp(font + 12 + 16 * i, tag, 4) == 0)
			return get32(12 + 16 * i + 8);
	cr_assert_fail("no %s table", tag);
	return 0;
}

/* The first diagnostic, formatted ("file: error: message"). */
static const char *first(void)
{
	static char buf[1024];
	buf[0] = 0;
	if (ctm_ctx_count(ctx))
		ctm_diag_format(ctm_ctx_get(ctx, 0), buf, sizeof buf);
	return buf;
}

static void setup(void)
{
	FILE *f = fopen(LEAN, "rb");
	cr_assert(f, "cannot open %s", LEAN);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	font_size = (size_t)ftell(f);
	rewind(f);
	font = malloc(font_size);
	cr_assert(font);
	cr_assert_eq(fread(font, 1, font_size, f), font_size);
	fclose(f);
	ctx = ctm_ctx_new();
	cr_assert(ctx);
}

static void teardown(void)
{
	free(font);
	ctm_ctx_free(ctx);
}

/* The check refuses the copy, saying `why`. */
static void refused(const char *why)
{
	cr_assert_eq(ctm_font__check_bytes(font, font_size, "x.ttf", ctx), CTM_EINVALID);
	const char *msg = first();
	cr_assert(strstr(msg, "x.ttf") && strstr(msg, "not a usable TrueType font") &&
			  strstr(msg, why),
		  "message: %s (expected: %s)", msg, why);
}

TestSuite(font, .init = setup, .fini = teardown);

Test(font, shipped_faces_pass)
{
	cr_assert_eq(ctm_font__check_bytes(font, font_size, "lean", ctx), 0);
	cr_assert_eq(ctm_font__check_file(CTM_FONTS_DIR "/DejaVuSansLean-Bold.ttf", ctx), 0);
	cr_assert_eq(ctm_ctx_error_count(ctx), 0);
}

Test(font, zero_units_per_em)
{
	put16(table_at("head") + 18, 0); /* libharu divides by it */
	refused("unitsPerEm");
}

Test(font, more_metrics_than_glyphs)
{
	unsigned glyphs = get16(table_at("maxp") + 4);
	put16(table_at("hhea") + 34, glyphs + 1); /* a heap overflow in libharu */
	refused("hhea metric count");
}

/* The (3,1) format-4 subtable of the copy. */
static size_t unicode_cmap(void)
{
	size_t cmap = table_at("cmap");
	for (unsigned i = 0; i < get16(cmap + 2); i++) {
		size_t r = cmap + 4 + 8 * i, sub = cmap + get32(r + 4);
		if (get16(r) == 3 && get16(r + 2) == 1 && get16(sub) == 4)
			return sub;
	}
	cr_assert_fail("no Unicode cmap");
	return 0;
}

Test(font, cmap_without_last_segment)
{
	size_t sub = unicode_cmap();
	unsigned segs = get16(sub + 6) / 2;
	/* the last segment 0xFFFE..0xFFFE: libharu reads past its arrays for
	 * U+FFFF */
	put16(sub + 14 + 2 * (segs - 1), 0xFFFE);
	put16(sub + 14 + 2 * segs + 2 + 2 * (segs - 1), 0xFFFE);
	refused("0xFFFF");
}

Test(font, cmap_length_below_its_header)
{
	put16(unicode_cmap() + 2, 10); /* libharu would read 2^31 entries */
	refused("length does not match");
}

Test(font, loca_decreasing)
{
	size_t loca = table_at("loca");
	int long_loca = get16(table_at("head") + 50) == 1;
	/* glyph 1's offset above glyph 2's */
	if (long_loca) {
		uint32_t v = get32(loca + 8) + 4;
		put16(loca + 4, v >> 16);
		put16(loca + 6, v & 0xFFFF);
	} else {
		put16(loca + 2, get16(loca + 4) + 2);
	}
	refused("loca");
}

Test(font, table_outside_the_file)
{
	size_t entry = 0;
	for (unsigned i = 0; i < get16(4); i++)
		if (memcmp(font + 12 + 16 * i, "post", 4) == 0)
			entry = 12 + 16 * i;
	cr_assert(entry, "no post table");
	put16(entry + 12, 0x7FFF); /* length ~2 GB: libharu's copy loop spins */
	refused("outside the file");
}

Test(font, embedding_not_allowed)
{
	put16(table_at("OS/2") + 8, 0x0002);
	refused("embedding");
}

Test(font, name_record_outside_its_table)
{
	size_t name = table_at("name");
	put16(name + 6 + 8, 0xFFFF); /* the first record's length */
	refused("name");
}

Test(font, cff_collection_and_garbage)
{
	memcpy(font, "OTTO", 4);
	refused("TrueType");
	ctm_ctx_clear(ctx);
	memcpy(font, "ttcf", 4);
	refused("collection");
	ctm_ctx_clear(ctx);
	font_size = 11;
	refused("not a usable");
}

Test(font, truncated_files)
{
	size_t whole = font_size;
	for (size_t n = 0; n < whole; n += whole / 97 + 1) {
		font_size = n;
		cr_assert_eq(ctm_font__check_bytes(font, n, "cut.ttf", ctx), CTM_EINVALID,
			     "a font cut at %zu bytes passed", n);
		ctm_ctx_clear(ctx);
	}
}

/* What --font does: the document refuses the file and names it; nothing
 * of libharu's runs on it. */
Test(font, document_refuses_a_spoilt_font)
{
	put16(table_at("head") + 18, 0);
	char path[] = "/tmp/ctm-font.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, font, font_size), (ssize_t)font_size);
	close(fd);
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	o.font = path;
	ctm_draw_doc *doc = NULL;
	int rc = ctm_draw__doc_new(&doc, &o, ctx);
	unlink(path);
	cr_assert_eq(rc, CTM_EINVALID);
	cr_assert_null(doc);
	cr_assert(strstr(first(), path), "%s", first());
	ctm_ctx_clear(ctx);
	o.font = "/tmp";
	cr_assert_eq(ctm_draw__doc_new(&doc, &o, ctx), CTM_EINVALID);
	cr_assert(strstr(first(), "not a regular file"), "%s", first());
}

Test(font, odd_utf16_name)
{
	size_t name = table_at("name");
	for (unsigned i = 0; i < get16(name + 2); i++) {
		size_t r = name + 6 + 12 * i;
		if (get16(r) == 3 && get16(r + 2) == 1) {
			put16(r + 8, get16(r + 8) - 1); /* libharu reads a byte never written */
			refused("odd length");
			return;
		}
	}
	cr_assert_fail("no UTF-16 name record");
}

/* A font without prep is given to libharu with a one-byte prep (libharu
 * 2.3.0 cannot save some documents without one), from the bytes checked. */
Test(font, missing_prep_is_added)
{
	size_t entry = 0;
	for (unsigned i = 0; i < get16(4); i++)
		if (memcmp(font + 12 + 16 * i, "prep", 4) == 0)
			entry = 12 + 16 * i;
	cr_assert(entry, "the lean font has a prep table");
	memcpy(font + entry, "prez", 4); /* now it has none (and a table libharu ignores) */
	unsigned before = get16(4);
	char path[] = "/tmp/ctm-font.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, font, font_size), (ssize_t)font_size);
	close(fd);
	int checked = -1;
	cr_assert_eq(ctm_font__open_checked(path, &checked, ctx), 0, "%s", first());
	unlink(path);
	off_t size = lseek(checked, 0, SEEK_END);
	cr_assert_gt(size, (off_t)font_size);
	unsigned char *got = malloc((size_t)size);
	cr_assert(got);
	cr_assert_eq(pread(checked, got, (size_t)size, 0), size);
	close(checked);
	free(font);
	font = got;
	font_size = (size_t)size;
	size_t prep = table_at("prep");
	cr_assert_eq(get16(4), before + 1, "one table more");
	cr_assert_eq(font[prep], 0x00, "SVTCA[y]");
	cr_assert_eq(ctm_font__check_bytes(font, font_size, "patched", ctx), 0, "%s", first());
	/* every table the lean font had is where its entry says */
	size_t head = table_at("head");
	cr_assert_eq(get32(head + 12), 0x5F0F3CF5, "head's magic number, after the move");
}
