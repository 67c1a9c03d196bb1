/* Checking a user's font file before libharu 2.3.0 reads it (font_check.h).
 *
 * What libharu reads, and the bound each check below keeps (its source,
 * src/hpdf_fontdef_tt.c of RELEASE_2_3_0):
 * - the table directory: every table it looks up (the first of its tag) must
 *   lie inside the file, or its copy loop for the embedded font spins over
 *   a length that no read can satisfy;
 * - head: unitsPerEm divides every metric (0 is SIGFPE); indexToLocFormat
 *   chooses 2- or 4-byte loca entries;
 * - maxp numGlyphs sizes the metric, offset and flag arrays (0 leaves
 *   h_metric[0] unallocated); hhea numberOfHMetrics entries are written into
 *   an array of numGlyphs (more is a heap overflow);
 * - cmap: the first (3,1) format-4 subtable; its segments are searched for
 *   the first end >= the code, with no stop at the last segment (so the last
 *   end must be 0xFFFF), and its glyph array is indexed with an off-by-one
 *   bound (an index equal to the array's length is read); the array's
 *   length is (length - header) / 2 in unsigned arithmetic (a length below
 *   the header is two billion reads);
 * - loca offsets, used unchecked to seek into glyf and to copy glyphs (they
 *   must increase and end inside glyf); the glyphs of 'H' and 'x' are read
 *   without checking their ids against numGlyphs, and their heights are
 *   converted from a float to a 16-bit integer (they must fit);
 * - a composite glyph's components are walked until a flag without
 *   MORE_COMPONENTS, with no end but the file's: every walk must end within
 *   CTM_FONT_MAX_COMPONENTS components;
 * - name: the records are copied into the embedded font; each must lie
 *   inside the table and all of them together stay below a bound; a UTF-16
 *   record's length must be even (an odd one reads an unwritten byte);
 * - OS/2: fsType (embedding must be allowed) and fields up to byte 86.
 * FreeType is then asked whether the file is one scalable TrueType face
 * with a Unicode map: it knows the format in full.
 */
/* memfd_create(2) */
#define _GNU_SOURCE
#include "font_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_FONT_FORMATS_H

#include "diag.h"

#define CTM_FONT_MAX_COMPONENTS 256
/* What the name records may add up to (DejaVu Sans: about 30 KB). */
#define NAME_BYTES_MAX ((uint64_t)16 << 20)

typedef struct font_bytes {
	const unsigned char *p;
	size_t size;
} font_bytes;

typedef struct table {
	uint64_t offset, length; /* length 0 and offset 0: absent */
	int found;
} table;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

static int s16(const unsigned char *p)
{
	unsigned v = u16(p);
	return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The first directory entry with `tag`, as libharu's FindTable; 0 when the
 * table is absent, -1 when it does not lie inside the file. */
static int find_table(const font_bytes *f, const char *tag, table *t)
{
	unsigned n = u16(f->p + 4);
	memset(t, 0, sizeof *t);
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *e = f->p + 12 + 16 * (size_t)i;
		if (memcmp(e, tag, 4) != 0)
			continue;
		t->offset = u32(e + 8);
		t->length = u32(e + 12);
		t->found = 1;
		return t->offset + t->length <= f->size ? 0 : -1;
	}
	return 0;
}

typedef struct checked {
	table head, maxp, hhea, hmtx, loca, glyf, cmap, name, os2;
	unsigned units_per_em, num_glyphs, num_hmetrics;
	int long_loca;
	/* the cmap subtable libharu uses */
	const unsigned char *cmap4;
	unsigned segs;
	uint64_t glyph_array_count;
} checked;

/* Every table libharu reads or copies lies inside the file. */
static const char *check_directory(const font_bytes *f, checked *c)
{
	if (f->size < 12)
		return "the file is too short for a font";
	uint32_t version = u32(f->p);
	if (version == 0x4F54544F) /* 'OTTO' */
		return "OpenType with PostScript (CFF) outlines; use a TrueType (.ttf) font";
	if (version == 0x74746366) /* 'ttcf' */
		return "a font collection (.ttc); use a single TrueType (.ttf) font";
	if (version != 0x00010000 && version != 0x74727565) /* 'true' */
		return "not a TrueType font file";
	unsigned n = u16(f->p + 4);
	if (n == 0 || 12 + 16 * (uint64_t)n > f->size)
		return "its table directory does not fit in the file";
	static const char *const copied[] = { "cvt ", "fpgm", "post", "prep" };
	for (size_t i = 0; i < sizeof copied / sizeof *copied; i++) {
		table t;
		if (find_table(f, copied[i], &t) < 0)
			return "a table lies outside the file";
	}
	struct {
		const char *tag;
		table *t;
	} need[] = { { "head", &c->head }, { "maxp", &c->maxp }, { "hhea", &c->hhea },
		     { "hmtx", &c->hmtx }, { "loca", &c->loca }, { "glyf", &c->glyf },
		     { "cmap", &c->cmap }, { "name", &c->name }, { "OS/2", &c->os2 } };
	for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
		if (find_table(f, need[i].tag, need[i].t) < 0)
			return "a table lies outside the file";
		if (!need[i].t->found)
			return "a table libharu needs is missing (head, maxp, hhea, hmtx, "
			       "loca, glyf, cmap, name and OS/2 are required)";
	}
	return NULL;
}

static const char *check_metrics(const font_bytes *f, checked *c)
{
	const unsigned char *head = f->p + c->head.offset;
	if (c->head.length < 54)
		return "its head table is too short";
	c->units_per_em = u16(head + 18);
	if (c->units_per_em < 16 || c->units_per_em > 16384)
		return "its unitsPerEm is outside 16..16384";
	int loc = s16(head + 50);
	if (loc != 0 && loc != 1)
		return "its indexToLocFormat is neither 0 nor 1";
	c->long_loca = loc == 1;
	if (c->maxp.length < 6)
		return "its maxp table is too short";
	c->num_glyphs = u16(f->p + c->maxp.offset + 4);
	if (c->num_glyphs == 0)
		return "it has no glyphs";
	if (c->hhea.length < 36)
		return "its hhea table is too short";
	c->num_hmetrics = u16(f->p + c->hhea.offset + 34);
	if (c->num_hmetrics == 0 || c->num_hmetrics > c->num_glyphs)
		return "its hhea metric count is 0 or above its glyph count";
	uint64_t hmtx_need = 4 * (uint64_t)c->num_hmetrics +
			     2 * (uint64_t)(c->num_glyphs - c->num_hmetrics);
	if (c->hmtx.length < hmtx_need)
		return "its hmtx table is shorter than its glyph count needs";
	if (c->os2.length < 2)
		return "its OS/2 table is too short";
	unsigned os2_version = u16(f->p + c->os2.offset);
	if (c->os2.length < (os2_version > 0 ? 86u : 42u))
		return "its OS/2 table is too short";
	unsigned fs_type = u16(f->p + c->os2.offset + 8);
	if (fs_type & (0x0002 | 0x0100 | 0x0200))
		return "its licence (OS/2 fsType) does not allow embedding it in a PDF";
	return NULL;
}

/* The cmap subtable libharu chooses: the first (3,1) record whose subtable
 * has format 4, looked at in order; every record it looks at must point
 * inside the table. */
static const char *check_cmap(const font_bytes *f, checked *c)
{
	const unsigned char *cmap = f->p + c->cmap.offset;
	uint64_t len = c->cmap.length;
	if (len < 4 || u16(cmap) != 0)
		return "its cmap table has no version-0 header";
	unsigned records = u16(cmap + 2);
	if (4 + 8 * (uint64_t)records > len)
		return "its cmap records do not fit in the table";
	uint64_t at = 0;
	for (unsigned i = 0; i < records && !at; i++) {
		const unsigned char *r = cmap + 4 + 8 * (size_t)i;
		uint64_t off = u32(r + 4);
		if (off == 0 || off + 2 > len)
			return "a cmap record points outside the table";
		if (u16(r) == 3 && u16(r + 2) == 1 && u16(cmap + off) == 4)
			at = off;
	}
	if (!at)
		return "it has no Unicode (3,1) cmap of format 4";
	if (at + 14 > len)
		return "its Unicode cmap does not fit in the table";
	const unsigned char *t = cmap + at;
	unsigned sub_len = u16(t + 2), segx2 = u16(t + 6);
	if (segx2 == 0 || segx2 % 2)
		return "its Unicode cmap has an odd or zero segment count";
	unsigned segs = segx2 / 2;
	uint64_t header = 16 + 8 * (uint64_t)segs;
	if (sub_len < header || at + sub_len > len)
		return "its Unicode cmap's length does not match its segments";
	c->cmap4 = t;
	c->segs = segs;
	c->glyph_array_count = (sub_len - header) / 2;
	const unsigned char *ends = t + 14, *starts = ends + segx2 + 2,
			    *ranges = starts + 2 * segx2;
	for (unsigned i = 0; i < segs; i++) {
		unsigned end = u16(ends + 2 * i), start = u16(starts + 2 * i);
		if (i && end <= u16(ends + 2 * (i - 1)))
			return "its Unicode cmap segments are not in order";
		if (start > end)
			return "a Unicode cmap segment starts after its end";
		unsigned ro = u16(ranges + 2 * i);
		if (!ro)
			continue;
		/* libharu reads glyph_id_array[idx] when idx <= count: the one
		 * unsafe index is count itself (a negative one wraps above it). */
		int64_t lo = (int64_t)(ro / 2) - (int64_t)(segs - i);
		int64_t hi = lo + (int64_t)(end - start);
		if (lo <= (int64_t)c->glyph_array_count && (int64_t)c->glyph_array_count <= hi)
			return "a Unicode cmap segment points past its glyph array";
	}
	if (u16(ends + 2 * (segs - 1)) != 0xFFFF)
		return "its Unicode cmap does not end with the 0xFFFF segment";
	return NULL;
}

/* libharu's HPDF_TTFontDef_GetGlyphid on the checked subtable. */
static unsigned glyph_of(const checked *c, unsigned code)
{
	const unsigned char *ends = c->cmap4 + 14, *starts = ends + 2 * c->segs + 2,
			    *deltas = starts + 2 * c->segs, *ranges = deltas + 2 * c->segs,
			    *array = ranges + 2 * c->segs;
	unsigned i = 0;
	while (i < c->segs && code > u16(ends + 2 * i))
		i++;
	unsigned start = u16(starts + 2 * i), ro = u16(ranges + 2 * i);
	int delta = s16(deltas + 2 * i);
	if (start > code)
		return 0;
	if (!ro)
		return (unsigned)(code + (unsigned)delta) & 0xFFFF;
	uint32_t idx = ro / 2 + (code - start) - (c->segs - i);
	if (idx > c->glyph_array_count)
		return 0;
	return (u16(array + 2 * (size_t)idx) + (unsigned)delta) & 0xFFFF;
}

static uint64_t loca_at(const font_bytes *f, const checked *c, unsigned i)
{
	const unsigned char *p = f->p + c->loca.offset;
	return c->long_loca ? u32(p + 4 * (size_t)i) : 2 * (uint64_t)u16(p + 2 * (size_t)i);
}

/* libharu's CheckCompositGryph walk from glyf offset `at`, which reads on
 * past the glyph (and past glyf) until a component without MORE_COMPONENTS
 * or the end of the file (a read error, which ends it): it must end within
 * CTM_FONT_MAX_COMPONENTS components, or libharu walks the file once for
 * every glyph that starts there. */
static int composite_walk_ends(const font_bytes *f, const checked *c, uint64_t at)
{
	const unsigned char *g = f->p + c->glyf.offset;
	uint64_t end = f->size - c->glyf.offset;
	if (at + 2 > end || s16(g + at) != -1)
		return 1;
	at += 10;
	for (int n = 0; n < CTM_FONT_MAX_COMPONENTS; n++) {
		if (at + 4 > end)
			return 1;
		unsigned flags = u16(g + at);
		at += 4 + ((flags & 1) ? 4 : 2);
		if (flags & 8)
			at += 2;
		else if (flags & 64)
			at += 4;
		else if (flags & 128)
			at += 8;
		if (!(flags & 32))
			return 1;
	}
	return 0;
}

static const char *check_glyphs(const font_bytes *f, checked *c)
{
	uint64_t entry = c->long_loca ? 4 : 2;
	if (c->loca.length < entry * ((uint64_t)c->num_glyphs + 1))
		return "its loca table is shorter than its glyph count needs";
	uint64_t prev = 0;
	for (unsigned i = 0; i <= c->num_glyphs; i++) {
		uint64_t at = loca_at(f, c, i);
		if (at < prev || at > c->glyf.length)
			return "its glyph offsets (loca) decrease or point outside glyf";
		if (i < c->num_glyphs && (i == 0 || at != prev) && !composite_walk_ends(f, c, at))
			return "a composite glyph has no last component";
		prev = at;
	}
	static const char probes[] = { 'H', 'x' };
	for (size_t i = 0; i < sizeof probes; i++) {
		unsigned gid = glyph_of(c, (unsigned char)probes[i]);
		if (gid >= c->num_glyphs)
			return "its cmap maps 'H' or 'x' to a glyph it does not have";
		/* libharu takes the cap and x heights from these glyphs' yMax
		 * (read at loca + 8 even when the glyph is empty) and converts
		 * yMax * 1000 / unitsPerEm to an unsigned 16-bit integer from
		 * a float: outside 0..65535 that is undefined behaviour. */
		uint64_t at = loca_at(f, c, gid) + 8;
		if (!gid || c->glyf.offset + at + 2 > f->size)
			continue;
		int32_t top = (int32_t)s16(f->p + c->glyf.offset + at) * 1000 /
			      (int32_t)c->units_per_em;
		if (top < 0 || top > 65535)
			return "the height of its 'H' or 'x' is negative or out of range";
	}
	return NULL;
}

static const char *check_names(const font_bytes *f, const checked *c)
{
	const unsigned char *name = f->p + c->name.offset;
	uint64_t len = c->name.length;
	if (len < 6)
		return "its name table is too short";
	unsigned count = u16(name + 2), strings = u16(name + 4);
	if (6 + 12 * (uint64_t)count > len || strings > len)
		return "its name records do not fit in the table";
	uint64_t total = 0;
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *r = name + 6 + 12 * (size_t)i;
		uint64_t n = u16(r + 8), off = strings + (uint64_t)u16(r + 10);
		if (off + n > len)
			return "a name record points outside the name table";
		/* libharu copies the UTF-16 names it uses two bytes at a time
		 * from a buffer it does not clear: an odd length reads a byte
		 * never written */
		if (u16(r) == 3 && u16(r + 2) == 1 && (n & 1))
			return "a UTF-16 name record has an odd length";
		total += n;
	}
	if (total > NAME_BYTES_MAX)
		return "its name records are implausibly large";
	return NULL;
}

/* FreeType's view: one scalable TrueType face with a Unicode map. */
static int check_freetype(const font_bytes *f, const char **why)
{
	FT_Library lib = NULL;
	FT_Face face = NULL;
	if (FT_Init_FreeType(&lib) != 0)
		return CTM_ENOMEM;
	FT_Error e = FT_New_Memory_Face(lib, f->p, (FT_Long)f->size, 0, &face);
	if (e == FT_Err_Out_Of_Memory) {
		FT_Done_FreeType(lib);
		return CTM_ENOMEM;
	}
	if (e != 0)
		*why = "FreeType cannot read it as a font";
	else if (face->num_faces != 1)
		*why = "a font collection; use a single TrueType (.ttf) font";
	else if (!FT_IS_SFNT(face) || !FT_IS_SCALABLE(face) ||
		 strcmp(FT_Get_Font_Format(face), "TrueType") != 0)
		*why = "not a TrueType-outline font";
	else if (FT_Select_Charmap(face, FT_ENCODING_UNICODE) != 0)
		*why = "it has no Unicode character map";
	if (face)
		FT_Done_Face(face);
	FT_Done_FreeType(lib);
	return 0;
}

int ctm_font__check_bytes(const unsigned char *data, size_t size, const char *path, ctm_ctx *ctx)
{
	font_bytes f = { data, size };
	checked c;
	memset(&c, 0, sizeof c);
	/* libharu's bounds first (each says which field is wrong), then
	 * FreeType's reading of the whole format. */
	const char *why = check_directory(&f, &c);
	if (!why)
		why = check_metrics(&f, &c);
	if (!why)
		why = check_cmap(&f, &c);
	if (!why)
		why = check_glyphs(&f, &c);
	if (!why)
		why = check_names(&f, &c);
	if (!why && check_freetype(&f, &why) < 0) {
		ctm_diag__error(ctx, path, 0, 0, "out of memory checking the font");
		return CTM_ENOMEM;
	}
	if (!why)
		return 0;
	ctm_diag__error(ctx, path, 0, 0, "not a usable TrueType font: %s", why);
	return CTM_EINVALID;
}

/* Reads the font file at path into *data (the caller frees it). */
static int read_font(const char *path, unsigned char **data, size_t *size, ctm_ctx *ctx)
{
	int rc = 0;
	FILE *in = fopen(path, "rb");
	struct stat st;

	*data = NULL;
	if (!in || fstat(fileno(in), &st) != 0) {
		ctm_diag__error(ctx, path, 0, 0, "cannot read font: %s", strerror(errno));
		rc = CTM_EIO;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > CTM_FONT_MAX_BYTES) {
		if (S_ISREG(st.st_mode))
			ctm_diag__error(ctx, path, 0, 0,
					"not a usable TrueType font: empty, or over %zu MiB",
					CTM_FONT_MAX_BYTES >> 20);
		else
			ctm_diag__error(ctx, path, 0, 0,
					"not a usable TrueType font: not a regular file");
		rc = CTM_EINVALID;
		goto cleanup;
	}
	*size = (size_t)st.st_size;
	if (!(*data = malloc(*size))) {
		ctm_diag__error(ctx, path, 0, 0, "out of memory reading the font");
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	if (fread(*data, 1, *size, in) != *size) {
		ctm_diag__error(ctx, path, 0, 0, "cannot read font: %s",
				ferror(in) ? strerror(errno) : "the file changed while read");
		rc = CTM_EIO;
	}
cleanup:
	if (rc < 0) {
		free(*data);
		*data = NULL;
	}
	if (in)
		fclose(in);
	return rc;
}

int ctm_font__check_file(const char *path, ctm_ctx *ctx)
{
	unsigned char *data;
	size_t size;
	int rc = read_font(path, &data, &size, ctx);
	if (rc == 0)
		rc = ctm_font__check_bytes(data, size, path, ctx);
	free(data);
	return rc;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The font with a one-byte 'prep' (SVTCA[y], a no-op for drawing) when it
 * has none or an empty one: libharu embeds its tables in a fixed order
 * ending with prep and then seeks to each one's start; an empty last table
 * starts at the very end of the data, and when that length is a multiple of
 * libharu's 4096-byte blocks the seek fails and the PDF cannot be saved.
 * Returns the bytes to load (data itself, or a new buffer in *grown). */
static const unsigned char *with_prep(const unsigned char *data, size_t *size,
				      unsigned char **grown)
{
	font_bytes f = { data, *size };
	table t;
	unsigned n = u16(data + 4);
	*grown = NULL;
	if (find_table(&f, "prep", &t) == 0 && t.found && t.length > 0)
		return data;
	size_t dir = 12 + 16 * (size_t)n, add = t.found ? 0 : 16;
	size_t end = (*size + add + 3) & ~(size_t)3, total = end + 4;
	unsigned char *out = calloc(1, total);
	if (!out)
		return NULL;
	memcpy(out, data, 12);
	out[4] = (unsigned char)((n + !t.found) >> 8);
	out[5] = (unsigned char)(n + !t.found);
	/* the entries in tag order, prep among them; every offset moved by add */
	unsigned char *e = out + 12;
	int placed = t.found;
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *src = data + 12 + 16 * (size_t)i;
		if (!placed && memcmp(src, "prep", 4) > 0) {
			memcpy(e, "prep", 4);
			e += 16;
			placed = 1;
		}
		memcpy(e, src, 16);
		if (memcmp(src, "prep", 4) == 0)
			put32(e + 8, (uint32_t)end), put32(e + 12, 1);
		else
			put32(e + 8, u32(src + 8) + (uint32_t)add);
		e += 16;
	}
	if (!placed) {
		memcpy(e, "prep", 4);
		e += 16;
	}
	/* the entry made for a missing prep */
	for (unsigned char *p = out + 12; p < e; p += 16)
		if (memcmp(p, "prep", 4) == 0 && u32(p + 12) == 0)
			put32(p + 8, (uint32_t)end), put32(p + 12, 1);
	memcpy(out + dir + add, data + dir, *size - dir);
	out[end] = 0x00; /* SVTCA[y] */
	*size = total;
	*grown = out;
	return out;
}

int ctm_font__open_checked(const char *path, int *fd_out, ctm_ctx *ctx)
{
	unsigned char *data = NULL, *grown = NULL;
	size_t size;
	int fd = -1;
	int rc = read_font(path, &data, &size, ctx);

	*fd_out = -1;
	if (rc < 0 || (rc = ctm_font__check_bytes(data, size, path, ctx)) < 0)
		goto cleanup;
	const unsigned char *load = with_prep(data, &size, &grown);
	if (!load) {
		ctm_diag__error(ctx, path, 0, 0, "out of memory reading the font");
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	if (grown && (rc = ctm_font__check_bytes(load, size, path, ctx)) < 0)
		goto cleanup; /* (the added table keeps every bound) */
	/* libharu reads these very bytes, not the file again: what was
	 * checked is what it gets, even if the file changes meanwhile. */
	fd = memfd_create("continuum-font", MFD_CLOEXEC);
	size_t done = 0;
	while (fd >= 0 && done < size) {
		ssize_t w = write(fd, load + done, size - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (fd < 0 || done < size) {
		ctm_diag__error(ctx, path, 0, 0, "cannot read font: %s", strerror(errno));
		rc = CTM_EIO;
		goto cleanup;
	}
	*fd_out = fd;
	fd = -1;
cleanup:
	if (fd >= 0)
		close(fd);
	free(grown);
	free(data);
	return rc;
}
