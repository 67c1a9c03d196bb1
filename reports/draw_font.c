/* Drawing layer: the glyph tables of the fonts (built once per process and
 * shared by every document) and the UTF-8 (Type0, Identity-H) fonts made
 * from them.
 *
 * Why not libharu's own Type0 font (HPDF_GetFont with "UTF-8"): for every
 * document and face it calls HPDF_TTFontDef_GetGlyphid, a linear search of
 * the cmap's segments, for all 65 536 BMP code points, writes a W array of
 * every glyph the font has and a 128 KB CIDToGIDMap that is then deflated,
 * and it measures text with the same search per character. That was 60 %
 * of a report's CPU (bench/PROFILE.md). The font built here is the same
 * PDF font -- the same content stream codes (UTF-16BE code units from the
 * document's UTF-8 encoder), the same embedded subset of the TrueType file,
 * the same ToUnicode CMap -- whose W array and CIDToGIDMap hold the
 * characters the document drew: what any page shows is unchanged. Text is
 * measured from the shared table, one lookup per character, with libharu's
 * rounding (1/1000 em per character, summed as integers), so every line
 * breaks where it did.
 *
 * It relies on libharu's installed headers for the layout of its objects
 * (HPDF_FontAttr_Rec, HPDF_TTFontDefAttr_Rec, HPDF_Doc_Rec), which is what
 * libharu 2.3.0 installs them for, and mirrors hpdf_font_cid.c (Type0Font_New,
 * CIDFontType2_New, CIDFontType2_BeforeWrite_Func, TextWidth, CreateCMap). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "draw_impl.h"

#define NCODES 65536u
/* Shared tables kept at most (each ~260 KB): the four shipped faces and a
 * few replaced files; a program that loads more builds the rest per
 * document. */
#define SHARED_MAX 16
/* Deflated subsets kept per shared face (each ~10-20 KB): a batch of
 * reports draws the same few sets of glyphs again and again. */
#define BLOBS_MAX 64

/* The embedded subset of a shared face for one set of glyphs used, as
 * HPDF_TTFontDef_SaveFontData writes it, deflated: the same set (and tag,
 * which the subset's name table holds) gives the same bytes. */
typedef struct font_blob {
	struct font_blob *next;
	uint64_t hash;
	char tag[HPDF_TTF_FONT_TAG_LEN + 1];
	HPDF_BYTE *flgs; /* num_glyphs used flags */
	HPDF_BYTE *data; /* deflated */
	size_t ndata;
	HPDF_UINT length1;
} font_blob;

struct ctm_draw_glyphs {
	struct ctm_draw_glyphs *next; /* the process's list */
	/* the file the tables were built from */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char *path;
	HPDF_BYTE *bytes; /* the file, read once (NULL: a document's own tables) */
	size_t nbytes;
	int built; /* the tables below are filled in */
	/* what the tables depend on in libharu's parse, checked on reuse */
	HPDF_UINT16 num_glyphs, units_per_em;
	HPDF_INT16 missing_width;
	font_blob *blobs; /* shared only, under shared_lock; never removed */
	size_t nblobs;
	size_t ncodes;
	HPDF_UINT16 *codes;       /* code points with a glyph, ascending */
	HPDF_UINT16 gid[NCODES];  /* code point -> glyph (0: none) */
	HPDF_INT16 width[NCODES]; /* code point -> advance, 1/1000 em */
};

/* The Type0 font's attributes: libharu's first (it reads them as its own),
 * then this file's. */
typedef struct font_attr {
	HPDF_FontAttr_Rec base;
	const ctm_draw_glyphs *glyphs;
	ctm_draw_glyphs *owned;    /* per-document tables (not shared), or NULL */
	ctm_draw_deflate *deflate; /* the document's (NULL: libharu deflates) */
	size_t top;                /* the highest code drawn + 1, below 0xFFFF */
	int mapped;                /* W and CIDToGIDMap filled in */
} font_attr;

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static ctm_draw_glyphs *shared_list;
static size_t shared_count;

/* hpdf_font_cid.c's CreateCMap for the UTF-8 encoder, byte for byte: text
 * is extracted from the new font exactly as from libharu's. */
/* clang-format off */
static const char tounicode[] =
	"%!PS-Adobe-3.0 Resource-CMap\r\n"
	"%%DocumentNeededResources: ProcSet (CIDInit)\r\n"
	"%%IncludeResource: ProcSet (CIDInit)\r\n"
	"%%BeginResource: CMap (UTF-8)\r\n"
	"%%Title: (UTF-8 Adobe Identity-H 0)\r\n"
	"%%Version: 1.0\r\n"
	"%%EndComments\r\n"
	"/CIDInit /ProcSet findresource begin\r\n"
	"\r\n"
	"12 dict begin\r\n"
	"\r\n"
	"begincmap\r\n"
	"\r\n"
	"/CIDSystemInfo 3 dict dup begin\r\n"
	"  /Registry (Adobe) def\r\n"
	"  /Ordering (Identity-H) def\r\n"
	"  /Supplement 0 def\r\n"
	"end def\r\n"
	"\r\n"
	"/CMapName /UTF-8 def\r\n"
	"/CMapVersion 1.0 def\r\n"
	"/CMapType 1 def\r\n"
	"\r\n"
	"/UIDOffset 0 def\r\n"
	"\r\n"
	"/XUID [0 0 0] def\r\n"
	"\r\n"
	"/WMode 0 def\r\n"
	"\r\n"
	"1 begincodespacerange\r\n"
	"<0000> <FFFF>\r\n"
	"endcodespacerange\r\n"
	"\r\n"
	"1 beginnotdefrange\r\n"
	"<00> <1F> 1\r\n"
	"endnotdefrange\r\n"
	"\r\n"
	"1 begincidrange\r\n"
	"<0000> <FFFF> 0\r\n"
	"endcidrange\r\n"
	"endcmap\r\n"
	"CMapName currentdict /CMap defineresource pop\r\n"
	"end\r\n"
	"end\r\n"
	"\r\n"
	"%%EndResource\r\n"
	"%%EOF\r\n";
/* clang-format on */

/* ---- glyph tables --------------------------------------------------------- */

static void glyphs_free(ctm_draw_glyphs *g)
{
	if (!g)
		return;
	for (font_blob *b = g->blobs, *next; b; b = next) {
		next = b->next;
		free(b->flgs);
		free(b->data);
		free(b);
	}
	free(g->codes);
	free(g->path);
	free(g->bytes);
	free(g);
}

/* Fills in g's tables from the loaded font def, with libharu's own lookups
 * so that they agree with it for every code point; -1 when out of memory. */
static int glyphs_build(ctm_draw_glyphs *g, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr da = def->attr;
	size_t n = 0;

	for (uint32_t cp = 0; cp < NCODES; cp++) {
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
		g->gid[cp] = gid;
		/* HPDF_TTFontDef_GetCharWidth's value, without marking the
		 * glyph used */
		g->width[cp] = HPDF_TTFontDef_GetGidWidth(def, gid);
		n += gid != 0;
	}
	if (!(g->codes = malloc((n ? n : 1) * sizeof(*g->codes))))
		return -1;
	for (uint32_t cp = 0; cp < NCODES; cp++)
		if (g->gid[cp])
			g->codes[g->ncodes++] = (HPDF_UINT16)cp;
	g->num_glyphs = da->num_glyphs;
	g->units_per_em = da->header.units_per_em;
	g->missing_width = def->missing_width;
	g->built = 1;
	return 0;
}

static int glyphs_fit(const ctm_draw_glyphs *g, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr da = def->attr;
	return g->num_glyphs == da->num_glyphs && g->units_per_em == da->header.units_per_em &&
	       g->missing_width == def->missing_width;
}

/* The shared entry of the file path with the identity *st, or NULL. With
 * shared_lock held. */
static ctm_draw_glyphs *shared_find(const char *path, const struct stat *st)
{
	for (ctm_draw_glyphs *g = shared_list; g; g = g->next)
		if (g->dev == st->st_dev && g->ino == st->st_ino && g->size == st->st_size &&
		    g->mtime.tv_sec == st->st_mtim.tv_sec &&
		    g->mtime.tv_nsec == st->st_mtim.tv_nsec && !strcmp(g->path, path))
			return g;
	return NULL;
}

/* The tables for def, loaded from the file `path` that had the identity
 * *st (NULL: a file of the user's, whose tables are not shared). *owned is
 * set when the tables are the caller's to free. */
static const ctm_draw_glyphs *glyphs_get(HPDF_FontDef def, const char *path, const struct stat *st,
					 ctm_draw_glyphs **owned)
{
	ctm_draw_glyphs *g = NULL;

	*owned = NULL;
	if (st) {
		pthread_mutex_lock(&shared_lock);
		/* the entry ctm_draw__load_shared made; its tables are built
		 * by the first document, under the lock: another thread
		 * wanting them waits rather than building them too */
		if ((g = shared_find(path, st)) && !g->built && glyphs_build(g, def) < 0)
			g = NULL;
		pthread_mutex_unlock(&shared_lock);
		/* once built, the tables are never written again: they are
		 * read without the lock */
		if (g && glyphs_fit(g, def))
			return g;
	}
	if ((*owned = calloc(1, sizeof(**owned))) && glyphs_build(*owned, def) < 0) {
		glyphs_free(*owned);
		*owned = NULL;
	}
	return *owned;
}

/* ---- the font file, read once --------------------------------------------- */

/* A document's read position in a shared file's bytes: libharu's file
 * reader (hpdf_streams.c) over memory, so that loading and saving a font
 * reads no file and calls no stdio for its many small reads. */
typedef struct mem_reader {
	const HPDF_BYTE *bytes;
	size_t size, pos;
} mem_reader;

static HPDF_STATUS mem_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	mem_reader *r = stream->attr;
	size_t want = *siz, have = r->pos < r->size ? r->size - r->pos : 0;
	size_t n = want < have ? want : have;

	memcpy(ptr, r->bytes + r->pos, n);
	r->pos += n;
	if (n < want) { /* as fread at the end: the rest zeroed, EOF */
		memset(ptr + n, 0, want - n);
		*siz = (HPDF_UINT)n;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS mem_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
	mem_reader *r = stream->attr;
	long long at = mode == HPDF_SEEK_CUR ? (long long)r->pos + pos
		     : mode == HPDF_SEEK_END ? (long long)r->size + pos
					     : pos;
	/* fseek: anywhere from 0 on, past the end too */
	if (at < 0)
		return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
	r->pos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32 mem_tell(HPDF_Stream stream)
{
	return (HPDF_INT32)((mem_reader *)stream->attr)->pos;
}

static HPDF_UINT32 mem_size(HPDF_Stream stream)
{
	return (HPDF_UINT32)((mem_reader *)stream->attr)->size;
}

static void mem_free(HPDF_Stream stream)
{
	if (stream->attr)
		HPDF_FreeMem(stream->mmgr, stream->attr);
	stream->attr = NULL;
}

/* The whole file fd of st->st_size bytes; NULL when it cannot be read. */
static HPDF_BYTE *read_all(int fd, const struct stat *st)
{
	size_t size = (size_t)st->st_size, got = 0;
	HPDF_BYTE *b;

	if (st->st_size <= 0 || st->st_size > (off_t)CTM_DRAW_FONT_MAX || !(b = malloc(size)))
		return NULL;
	while (got < size) {
		ssize_t n = pread(fd, b + got, size - got, (off_t)got);
		if (n <= 0) {
			free(b);
			return NULL;
		}
		got += (size_t)n;
	}
	return b;
}

const char *ctm_draw__load_shared(HPDF_Doc pdf, const char *path, int fd, const struct stat *st)
{
	ctm_draw_glyphs *g;

	if (!HPDF_HasDoc(pdf))
		return NULL;
	pthread_mutex_lock(&shared_lock);
	if (!(g = shared_find(path, st)) && shared_count < SHARED_MAX &&
	    (g = calloc(1, sizeof(*g)))) {
		g->dev = st->st_dev;
		g->ino = st->st_ino;
		g->size = st->st_size;
		g->mtime = st->st_mtim;
		g->nbytes = (size_t)st->st_size;
		if ((g->path = strdup(path)) && (g->bytes = read_all(fd, st))) {
			g->next = shared_list;
			shared_list = g;
			shared_count++;
		} else {
			glyphs_free(g);
			g = NULL;
		}
	}
	pthread_mutex_unlock(&shared_lock);
	if (!g) /* not kept (out of memory, many files): as before */
		return HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);

	/* hpdf_doc.c's LoadTTFontFromStream, over the shared bytes */
	HPDF_Stream in = HPDF_CallbackReader_New(pdf->mmgr, mem_read, mem_seek, mem_tell, mem_size,
						 NULL);
	mem_reader *r = in ? HPDF_GetMem(pdf->mmgr, sizeof(*r)) : NULL;
	if (!r) {
		HPDF_Stream_Free(in);
		HPDF_CheckError(&pdf->error);
		return NULL;
	}
	*r = (mem_reader){ g->bytes, g->nbytes, 0 };
	in->attr = r;
	in->free_fn = mem_free;
	HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, in, HPDF_TRUE); /* owns in */
	if (!def) {
		HPDF_CheckError(&pdf->error);
		return NULL;
	}
	HPDF_FontDef known = HPDF_Doc_FindFontDef(pdf, def->base_font);
	if (known) {
		HPDF_FontDef_Free(def);
		return known->base_font;
	}
	if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		HPDF_CheckError(&pdf->error);
		return NULL;
	}
	if (pdf->ttfont_tag[0] == 0) {
		memcpy(pdf->ttfont_tag, "HPDFAA", 6);
	} else {
		for (int i = 5; i >= 0; i--) {
			pdf->ttfont_tag[i] += 1;
			if (pdf->ttfont_tag[i] > 'Z')
				pdf->ttfont_tag[i] = 'A';
			else
				break;
		}
	}
	HPDF_TTFontDef_SetTagName(def, (char *)pdf->ttfont_tag);
	return def->base_font;
}

/* ---- measuring ------------------------------------------------------------ */

/* libharu's UTF-8 decoding (hpdf_encoder_utf.c: ByteType and ToUnicode),
 * which TextWidth and the content stream use: a lead byte takes the next
 * `end` bytes whatever they are, a byte that cannot lead is skipped, a
 * sequence cut short by the end is no character, and a code point beyond
 * the BMP is a space. *cp gets the code point; returns the bytes taken, 0
 * for none (the text ends inside a sequence). */
static inline size_t next_char(const unsigned char *p, size_t left, unsigned *cp)
{
	unsigned b = p[0], v;
	size_t end;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if ((b & 0xf8) == 0xf0)
		end = 3;
	else if ((b & 0xf0) == 0xe0)
		end = 2;
	else if ((b & 0xe0) == 0xc0)
		end = 1;
	else {
		*cp = NCODES; /* skipped: no character */
		return 1;
	}
	if (left <= end)
		return 0;
	if (end == 3) /* as libharu: the second byte unmasked */
		v = ((b & 0x7u) << 18) + ((unsigned)p[1] << 12) + ((p[2] & 0x3fu) << 6) +
		    (p[3] & 0x3fu);
	else if (end == 2)
		v = ((b & 0xfu) << 12) + ((p[1] & 0x3fu) << 6) + (p[2] & 0x3fu);
	else
		v = ((b & 0x1fu) << 6) + (p[1] & 0x3fu);
	*cp = v > 65535 ? 32 : v;
	return end + 1;
}

HPDF_UINT ctm_draw__glyphs_units(const ctm_draw_glyphs *g, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	HPDF_UINT sum = 0; /* wraps as libharu's HPDF_UINT sum does */
	size_t i = 0;

	while (i < len) {
		if (p[i] < 0x80) { /* the common case, one load */
			sum += (HPDF_UINT)g->width[p[i++]];
			continue;
		}
		unsigned cp;
		size_t n = next_char(p + i, len - i, &cp);
		if (!n)
			break;
		if (cp < NCODES)
			sum += (HPDF_UINT)g->width[cp];
		i += n;
	}
	return sum;
}

int ctm_draw__glyphs_has(const ctm_draw_glyphs *g, uint32_t cp)
{
	return cp < NCODES && g->gid[cp] != 0;
}

static int is_white(unsigned c)
{
	return c == 0x00 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

/* HPDF_Font_TextWidth of the font (libharu calls it from ShowText, TextOut
 * and Page_TextWidth): hpdf_font_cid.c's TextWidth from the table. Each
 * glyph met for the first time is marked used, through libharu
 * (HPDF_TTFontDef_GetCharWidth also marks the parts of a composite glyph),
 * so that the embedded subset has the glyphs drawn. */
static HPDF_TextWidth font_text_width(HPDF_Font font, const HPDF_BYTE *text, HPDF_UINT len)
{
	HPDF_TextWidth tw = { 0, 0, 0, 0 };
	font_attr *a = font->attr;
	const ctm_draw_glyphs *g = a->glyphs;
	HPDF_FontDef def = a->base.fontdef;
	HPDF_TTFontDefAttr da = def->attr;
	unsigned last = 0;
	HPDF_UINT i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = next_char(text + i, len - i, &cp);
		if (!n) { /* cut short: its bytes still count as spaces or not */
			for (; i < len; i++)
				if (is_white(last = text[i]))
					tw.numwords++, tw.numspace++;
			break;
		}
		for (size_t k = 0; k < n; k++)
			if (is_white(last = text[i + k]))
				tw.numwords++, tw.numspace++;
		i += (HPDF_UINT)n;
		if (cp >= NCODES)
			continue; /* a skipped byte */
		HPDF_UINT16 gid = g->gid[cp];
		if (gid < da->num_glyphs && !da->glyph_tbl.flgs[gid])
			(void)HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
		/* the map must reach every code drawn, a code without a glyph
		 * too: viewers take a code beyond its end for a glyph id */
		if (cp < 0xFFFF && cp >= a->top)
			a->top = (size_t)cp + 1;
		tw.width += (HPDF_UINT)g->width[cp];
		tw.numchars++;
	}
	if (!is_white(last))
		tw.numwords++;
	return tw;
}

/* ---- the font ------------------------------------------------------------- */

static void font_free(HPDF_Dict obj)
{
	font_attr *a = obj->attr;
	if (!a)
		return;
	glyphs_free(a->owned);
	HPDF_FreeMem(obj->mmgr, a);
}

/* W and CIDToGIDMap of the characters whose glyphs the document uses, as
 * CIDFontType2_New writes them for every character of the font: runs of
 * widths other than DW, and the glyph of each code (0 for the rest). */
static HPDF_STATUS write_map(font_attr *a)
{
	HPDF_Dict desc = a->base.descendant_font;
	HPDF_FontDef def = a->base.fontdef;
	HPDF_TTFontDefAttr da = def->attr;
	const ctm_draw_glyphs *g = a->glyphs;
	HPDF_INT16 dw = def->missing_width;
	HPDF_Array w = HPDF_Array_New(desc->mmgr), run = NULL;
	size_t top = a->top; /* the highest code drawn or used, + 1 */
	long last = -2;
	HPDF_STATUS ret;

	if (!w)
		return HPDF_Error_GetCode(desc->error);
	if ((ret = HPDF_Dict_Add(desc, "W", w)) != HPDF_OK)
		return ret;
	for (size_t k = 0; k < g->ncodes; k++) {
		HPDF_UINT16 cid = g->codes[k], gid = g->gid[cid];
		/* libharu's map stops before 0xFFFF */
		if (cid == 0xFFFF || gid >= da->num_glyphs || !da->glyph_tbl.flgs[gid])
			continue;
		if ((size_t)cid >= top)
			top = (size_t)cid + 1;
		if (g->width[cid] == dw) {
			run = NULL;
			continue;
		}
		if (!run || (long)cid != last + 1) {
			if ((ret = HPDF_Array_AddNumber(w, cid)) != HPDF_OK)
				return ret;
			if (!(run = HPDF_Array_New(desc->mmgr)))
				return HPDF_Error_GetCode(desc->error);
			if ((ret = HPDF_Array_Add(w, run)) != HPDF_OK)
				return ret;
		}
		if ((ret = HPDF_Array_AddNumber(run, g->width[cid])) != HPDF_OK)
			return ret;
		last = cid;
	}
	if (!a->base.map_stream)
		return HPDF_OK;
	if (!top)
		top = 1; /* code 0 to glyph 0: never an empty stream */
	HPDF_BYTE *map = calloc(top, 2);
	if (!map)
		return HPDF_SetError(desc->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
	for (size_t k = 0; k < g->ncodes && g->codes[k] < top; k++) {
		HPDF_UINT16 cid = g->codes[k], gid = g->gid[cid];
		if (gid < da->num_glyphs && da->glyph_tbl.flgs[gid]) {
			map[2 * (size_t)cid] = (HPDF_BYTE)(gid >> 8);
			map[2 * (size_t)cid + 1] = (HPDF_BYTE)gid;
		}
	}
	ret = HPDF_Stream_Write(a->base.map_stream->stream, map, (HPDF_UINT)(top * 2));
	free(map);
	return ret;
}

static uint64_t blob_hash(const HPDF_TTFontDefAttr da)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (HPDF_UINT i = 0; i < da->num_glyphs; i++)
		h = (h ^ da->glyph_tbl.flgs[i]) * 1099511628211u;
	for (const char *t = da->tag_name; *t; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211u;
	return h;
}

/* The kept subset of the glyphs def uses, or NULL. With shared_lock held. */
static const font_blob *blob_find_locked(const ctm_draw_glyphs *g, const HPDF_TTFontDefAttr da,
					 uint64_t h)
{
	const font_blob *b;
	for (b = g->blobs; b; b = b->next)
		if (b->hash == h && !strcmp(b->tag, da->tag_name) &&
		    !memcmp(b->flgs, da->glyph_tbl.flgs, da->num_glyphs))
			break;
	return b;
}

static const font_blob *blob_find(const ctm_draw_glyphs *g, const HPDF_TTFontDefAttr da, uint64_t h)
{
	pthread_mutex_lock(&shared_lock);
	const font_blob *b = blob_find_locked(g, da, h);
	pthread_mutex_unlock(&shared_lock);
	return b; /* never changed nor freed while the process runs */
}

static void blob_free(font_blob *b)
{
	if (!b)
		return;
	free(b->flgs);
	free(b->data);
	free(b);
}

/* Keeps the subset just deflated (best effort: out of memory keeps none). */
static void blob_keep(ctm_draw_glyphs *g, const HPDF_TTFontDefAttr da, uint64_t h,
		      const HPDF_BYTE *data, size_t ndata)
{
	font_blob *b = calloc(1, sizeof(*b));
	if (!b || !(b->flgs = malloc(da->num_glyphs ? da->num_glyphs : 1)) ||
	    !(b->data = malloc(ndata ? ndata : 1))) {
		blob_free(b);
		return;
	}
	b->hash = h;
	memcpy(b->tag, da->tag_name, sizeof(b->tag));
	memcpy(b->flgs, da->glyph_tbl.flgs, da->num_glyphs);
	memcpy(b->data, data, ndata);
	b->ndata = ndata;
	b->length1 = da->length1;
	pthread_mutex_lock(&shared_lock);
	if (g->nblobs < BLOBS_MAX && !blob_find_locked(g, da, h)) {
		b->next = g->blobs;
		g->blobs = b;
		g->nblobs++;
		b = NULL;
	}
	pthread_mutex_unlock(&shared_lock);
	blob_free(b); /* another thread kept the same, or the list is full */
}

/* The font program (FontFile2) into data: the kept deflated subset when a
 * shared face drew this set of glyphs before, else libharu's subset,
 * deflated and kept. */
static HPDF_STATUS font_data(font_attr *a, HPDF_Dict data)
{
	HPDF_FontDef def = a->base.fontdef;
	HPDF_TTFontDefAttr da = def->attr;
	/* the shared tables of def's file: its subsets are def's */
	ctm_draw_glyphs *g = a->owned || !a->deflate || !a->glyphs->bytes ||
					     data->filter != HPDF_STREAM_FILTER_FLATE_DECODE
				   ? NULL
				   : (ctm_draw_glyphs *)(uintptr_t)a->glyphs;
	uint64_t h = g ? blob_hash(da) : 0;
	const font_blob *b = g ? blob_find(g, da, h) : NULL;

	if (b) {
		HPDF_STATUS ret = HPDF_Stream_Write(data->stream, b->data, (HPDF_UINT)b->ndata);
		if (ret != HPDF_OK)
			return ret;
		da->length1 = b->length1;
		ctm_draw__deflate_mark(data);
		return HPDF_OK;
	}
	if (HPDF_TTFontDef_SaveFontData(def, data->stream) != HPDF_OK)
		return HPDF_Error_GetCode(data->error);
	/* a failure leaves it to libharu */
	if (ctm_draw__deflate_dict(a->deflate, data) == 0 && g && data->write_fn) {
		size_t n;
		const HPDF_BYTE *z = ctm_draw__deflate_last(a->deflate, &n);
		blob_keep(g, da, h, z, n);
	}
	return HPDF_OK;
}

/* CIDFontType2_BeforeWrite_Func, and the map of what was drawn: the
 * document is finished when it is written, so the glyphs used are known. */
static HPDF_STATUS font_before_write(HPDF_Dict obj)
{
	font_attr *a = obj->attr;
	HPDF_FontDef def = a->base.fontdef;
	HPDF_TTFontDefAttr da = def->attr;
	HPDF_STATUS ret = 0;

	if (!a->mapped) {
		if (a->base.map_stream)
			a->base.map_stream->filter = obj->filter;
		if (a->base.cmap_stream)
			a->base.cmap_stream->filter = obj->filter;
		if ((ret = write_map(a)) != HPDF_OK)
			return ret;
		/* a failure leaves them to libharu */
		(void)ctm_draw__deflate_dict(a->deflate, a->base.map_stream);
		(void)ctm_draw__deflate_dict(a->deflate, a->base.cmap_stream);
		a->mapped = 1;
	}
	if (!def->descriptor) {
		HPDF_Dict descriptor = HPDF_Dict_New(obj->mmgr);
		if (!descriptor)
			return HPDF_Error_GetCode(obj->error);
		if (da->embedding) {
			HPDF_Dict data = HPDF_DictStream_New(obj->mmgr, a->base.xref);
			if (!data)
				return HPDF_Error_GetCode(obj->error);
			data->filter = obj->filter;
			if ((ret = font_data(a, data)) != HPDF_OK)
				return ret;
			ret += HPDF_Dict_Add(descriptor, "FontFile2", data);
			ret += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)da->length1);
			ret += HPDF_Dict_AddNumber(data, "Length2", 0);
			ret += HPDF_Dict_AddNumber(data, "Length3", 0);
			if (ret != HPDF_OK)
				return HPDF_Error_GetCode(obj->error);
		}
		ret += HPDF_Xref_Add(a->base.xref, descriptor);
		ret += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
		ret += HPDF_Dict_AddNumber(descriptor, "Ascent", def->ascent);
		ret += HPDF_Dict_AddNumber(descriptor, "Descent", def->descent);
		ret += HPDF_Dict_AddNumber(descriptor, "Flags", (HPDF_INT32)def->flags);
		ret += HPDF_Dict_Add(descriptor, "FontBBox",
				     HPDF_Box_Array_New(obj->mmgr, def->font_bbox));
		ret += HPDF_Dict_AddName(descriptor, "FontName", da->base_font);
		ret += HPDF_Dict_AddNumber(descriptor, "ItalicAngle", def->italic_angle);
		ret += HPDF_Dict_AddNumber(descriptor, "StemV", def->stemv);
		ret += HPDF_Dict_AddNumber(descriptor, "XHeight", def->x_height);
		if (ret != HPDF_OK)
			return HPDF_Error_GetCode(obj->error);
		def->descriptor = descriptor;
	}
	if ((ret = HPDF_Dict_AddName(obj, "BaseFont", da->base_font)) != HPDF_OK)
		return ret;
	if ((ret = HPDF_Dict_AddName(a->base.descendant_font, "BaseFont", da->base_font)) !=
	    HPDF_OK)
		return ret;
	return HPDF_Dict_Add(a->base.descendant_font, "FontDescriptor", def->descriptor);
}

/* The CIDFontType2 descendant (CIDFontType2_New without its maps, which
 * font_before_write fills in). */
static HPDF_Dict descendant_new(HPDF_Doc pdf, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr da = def->attr;
	HPDF_Dict font = HPDF_Dict_New(pdf->mmgr), info;
	HPDF_Array dw2;
	HPDF_STATUS ret = 0;

	if (!font || HPDF_Xref_Add(pdf->xref, font) != HPDF_OK)
		return NULL;
	ret += HPDF_Dict_AddName(font, "Type", "Font");
	ret += HPDF_Dict_AddName(font, "Subtype", "CIDFontType2");
	ret += HPDF_Dict_AddNumber(font, "DW", def->missing_width);
	if (ret != HPDF_OK || !(dw2 = HPDF_Array_New(pdf->mmgr)) ||
	    HPDF_Dict_Add(font, "DW2", dw2) != HPDF_OK)
		return NULL;
	ret += HPDF_Array_AddNumber(dw2, (HPDF_INT32)def->font_bbox.bottom);
	ret += HPDF_Array_AddNumber(dw2, (HPDF_INT32)(def->font_bbox.bottom - def->font_bbox.top));
	if (ret != HPDF_OK || !(info = HPDF_Dict_New(pdf->mmgr)) ||
	    HPDF_Dict_Add(font, "CIDSystemInfo", info) != HPDF_OK)
		return NULL;
	ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
	ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity-H", NULL));
	ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
	(void)da;
	return ret == HPDF_OK ? font : NULL;
}

/* The ToUnicode CMap stream (CreateCMap). */
static HPDF_Dict tounicode_new(HPDF_Doc pdf)
{
	HPDF_Dict cmap = HPDF_DictStream_New(pdf->mmgr, pdf->xref), info;
	HPDF_STATUS ret = 0;

	if (!cmap)
		return NULL;
	ret += HPDF_Dict_AddName(cmap, "Type", "CMap");
	ret += HPDF_Dict_AddName(cmap, "CMapName", "UTF-8");
	if (ret != HPDF_OK || !(info = HPDF_Dict_New(pdf->mmgr)) ||
	    HPDF_Dict_Add(cmap, "CIDSystemInfo", info) != HPDF_OK)
		return NULL;
	ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
	ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity-H", NULL));
	ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
	ret += HPDF_Dict_AddNumber(cmap, "WMode", 0);
	ret += HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)tounicode,
				 (HPDF_UINT)(sizeof tounicode - 1));
	return ret == HPDF_OK ? cmap : NULL;
}

HPDF_Font ctm_draw__type0_new(HPDF_Doc pdf, HPDF_FontDef def, HPDF_Encoder utf8,
			      ctm_draw_deflate *deflate, const char *path, const struct stat *st)
{
	HPDF_Font font;
	HPDF_Array descendants;
	HPDF_STATUS ret = 0;
	font_attr *a;

	/* the same file loaded twice in a document is one font def: one font
	 * (HPDF_GetFont would find it too) */
	for (HPDF_UINT i = 0; i < pdf->font_mgr->count; i++) {
		font = HPDF_List_ItemAt(pdf->font_mgr, i);
		if (((HPDF_FontAttr)font->attr)->fontdef == def)
			return font;
	}
	if (def->type != HPDF_FONTDEF_TYPE_TRUETYPE) {
		HPDF_SetError(&pdf->error, HPDF_INVALID_FONTDEF_TYPE, 0);
		return NULL;
	}
	if (!(font = HPDF_Dict_New(pdf->mmgr)))
		return NULL;
	font->header.obj_class |= HPDF_OSUBCLASS_FONT;
	if (!(a = HPDF_GetMem(pdf->mmgr, sizeof(*a)))) {
		HPDF_Dict_Free(font);
		return NULL;
	}
	memset(a, 0, sizeof(*a));
	font->free_fn = font_free;
	font->before_write_fn = font_before_write;
	font->attr = a;
	if (!(a->glyphs = glyphs_get(def, path, st, &a->owned))) {
		HPDF_Dict_Free(font);
		HPDF_SetError(&pdf->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
		return NULL;
	}
	a->base.type = HPDF_FONT_TYPE0_TT;
	a->base.writing_mode = HPDF_WMODE_HORIZONTAL;
	a->base.text_width_fn = font_text_width;
	/* HPDF_Font_MeasureText (TextRect) is not used: it fails cleanly */
	a->base.measure_text_fn = NULL;
	a->base.fontdef = def;
	a->base.encoder = utf8;
	a->base.xref = pdf->xref;
	a->deflate = deflate;
	if (HPDF_Xref_Add(pdf->xref, font) != HPDF_OK) /* frees font on failure */
		return NULL;
	ret += HPDF_Dict_AddName(font, "Type", "Font");
	ret += HPDF_Dict_AddName(font, "BaseFont", def->base_font);
	ret += HPDF_Dict_AddName(font, "Subtype", "Type0");
	ret += HPDF_Dict_AddName(font, "Encoding", "Identity-H");
	if (ret != HPDF_OK || !(a->base.cmap_stream = tounicode_new(pdf)) ||
	    HPDF_Dict_Add(font, "ToUnicode", a->base.cmap_stream) != HPDF_OK)
		return NULL;
	if (!(descendants = HPDF_Array_New(pdf->mmgr)) ||
	    HPDF_Dict_Add(font, "DescendantFonts", descendants) != HPDF_OK)
		return NULL;
	if (!(a->base.descendant_font = descendant_new(pdf, def)) ||
	    HPDF_Array_Add(descendants, a->base.descendant_font) != HPDF_OK)
		return NULL;
	if (((HPDF_TTFontDefAttr)def->attr)->embedding) {
		if (!(a->base.map_stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref)) ||
		    HPDF_Dict_Add(a->base.descendant_font, "CIDToGIDMap", a->base.map_stream) !=
			    HPDF_OK)
			return NULL;
	}
	if (HPDF_List_Add(pdf->font_mgr, font) != HPDF_OK)
		return NULL;
	if (pdf->compression_mode & HPDF_COMP_METADATA)
		font->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	return font;
}

const ctm_draw_glyphs *ctm_draw__font_glyphs(HPDF_Font font)
{
	const font_attr *a = font ? font->attr : NULL;
	return a && a->base.text_width_fn == font_text_width ? a->glyphs : NULL;
}
