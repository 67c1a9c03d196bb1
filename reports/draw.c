/* Drawing layer: the document, its pages, errors and the atomic save. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "draw_impl.h"
#include "font_check.h"
#include "grow.h"

/* The full system DejaVu Sans (CMake finds it): the fallback for text the
 * lean subset lacks, and the default when the subset is not found. */
#ifndef CTM_DEFAULT_FONT
#define CTM_DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#endif
#ifndef CTM_DEFAULT_FONT_BOLD
#define CTM_DEFAULT_FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#endif

/* The lean default faces (reports/fonts/make-subset.sh) and where they are
 * looked for: beside the running program as installed
 * (BINDIR/../share/continuum/fonts, wherever the prefix was moved to), beside
 * the library (LIBDIR/CTM_FONT_FROM_LIBDIR: a program of its own linking an
 * installed libcontinuum), in the install prefix, then in the source tree (a
 * build that is not installed). */
#define LEAN_REGULAR "DejaVuSansLean.ttf"
#define LEAN_BOLD "DejaVuSansLean-Bold.ttf"
#define LEAN_BESIDE_EXE "/../share/continuum/fonts"

#define PAGE_FOOTER_SIZE 8.0
#define MAX_PAGES 100000u

/* ---- errors ------------------------------------------------------------- */

/* libharu calls this for most errors; the first one is kept. Errors are
 * also sticky in the document (HPDF_GetError), which ctm_draw__check reads,
 * because some failures never reach the handler. */
static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	ctm_draw_doc *doc = user;
	if (doc && !doc->hpdf_error) {
		doc->hpdf_error = error;
		doc->hpdf_detail = detail;
	}
}

static const char *hpdf_error_text(HPDF_STATUS e)
{
	switch (e) {
	case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
	case HPDF_FILE_IO_ERROR: return "file I/O error";
	case HPDF_FILE_OPEN_ERROR: return "cannot open file";
	case HPDF_INVALID_DOCUMENT: return "document in error state";
	case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
	case HPDF_TTF_INVALID_FOMAT: return "not a TrueType font";
	case HPDF_TTF_MISSING_TABLE: return "TrueType table missing";
	case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "font does not allow embedding";
	case HPDF_INVALID_ENCODER: return "invalid encoder";
	case HPDF_PAGE_INVALID_GMODE: return "drawing call out of order";
	case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
	case HPDF_REAL_OUT_OF_RANGE: return "number out of range";
	case HPDF_INVALID_PARAMETER: return "invalid parameter";
	case HPDF_INVALID_DATE_TIME: return "invalid date";
	case HPDF_STRING_OUT_OF_RANGE: return "string too long";
	default: return "libharu error";
	}
}

int ctm_draw__check(ctm_draw_doc *doc, const char *what)
{
	HPDF_STATUS e = doc->hpdf_error, detail = doc->hpdf_detail;

	if (!e)
		e = HPDF_GetError(doc->pdf);
	if (!e)
		return 0;
	if (e == HPDF_FAILD_TO_ALLOC_MEM)
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: out of memory while %s", what);
	else
		ctm_diag__error(doc->ctx, NULL, 0, 0,
				"PDF: %s while %s (libharu 0x%04X, detail %u)", hpdf_error_text(e),
				what, (unsigned)e, (unsigned)detail);
	HPDF_ResetError(doc->pdf);
	doc->hpdf_error = doc->hpdf_detail = 0;
	doc->failed = 1;
	return e == HPDF_FAILD_TO_ALLOC_MEM ? CTM_ENOMEM : CTM_EINTERNAL;
}

int ctm_draw__nomem(ctm_draw_doc *doc, const char *what)
{
	ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: out of memory while %s", what);
	doc->failed = 1;
	return CTM_ENOMEM;
}

int ctm_draw__usable(ctm_draw_doc *doc, const char *what)
{
	if (!doc)
		return CTM_EUSAGE;
	if (doc->failed) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: %s on a document that already failed",
				what);
		return CTM_EINTERNAL;
	}
	if (doc->finished) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: %s after the document was finished",
				what);
		return CTM_EUSAGE;
	}
	return 0;
}

int ctm_draw__finite(ctm_draw_doc *doc, const char *what, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* v != v is NaN; the bound keeps libharu's float in range */
		if (v[i] != v[i] || v[i] > 1e7 || v[i] < -1e7) {
			ctm_diag__error(doc->ctx, NULL, 0, 0,
					"PDF: %s: coordinate or size out of range", what);
			return CTM_EUSAGE;
		}
	}
	return 0;
}

/* ---- document ------------------------------------------------------------ */

/* path is what libharu opens; shown names the font in messages (NULL: path). */
int ctm_draw__load_font(ctm_draw_doc *doc, const char *path, const char *shown, int shared,
			HPDF_Font *out)
{
	struct stat st;

	if (!shown)
		shown = path;
	FILE *probe = fopen(path, "rb");
	/* the identity of what libharu is about to read: a shipped face's
	 * glyph tables are reused while the file stays the same */
	if (!probe || fstat(fileno(probe), &st) != 0) {
		ctm_diag__error(doc->ctx, shown, 0, 0, "cannot read font: %s", strerror(errno));
		if (probe)
			fclose(probe);
		return CTM_EIO;
	}
	/* Embedded: the file's glyphs used are written into the PDF. A file
	 * libharu cannot parse may return NULL without raising an error. A
	 * shipped face is read once per process (draw_font.c). */
	const char *name = shared ? ctm_draw__load_shared(doc->pdf, path, fileno(probe), &st)
				  : HPDF_LoadTTFontFromFile(doc->pdf, path, HPDF_TRUE);
	fclose(probe);
	if (!name) {
		HPDF_STATUS e = doc->hpdf_error ? doc->hpdf_error : HPDF_GetError(doc->pdf);
		ctm_diag__error(doc->ctx, shown, 0, 0,
				"not a usable TrueType font (%s, libharu 0x%04X)",
				e ? hpdf_error_text(e) : "no details", (unsigned)e);
		HPDF_ResetError(doc->pdf);
		doc->hpdf_error = doc->hpdf_detail = 0;
		return CTM_EINVALID;
	}
	/* The UTF-8 encoder's Type0 (CID, Identity-H) font, made by
	 * draw_font.c rather than HPDF_GetFont: libharu would build its
	 * code-to-glyph map and widths for all 65 536 BMP code points in every
	 * document (bench/PROFILE.md); draw_font.c builds them once per
	 * process. The parsed TrueType file itself stays per document: libharu
	 * keeps font definitions per HPDF_Doc. */
	HPDF_FontDef def = HPDF_GetFontDef(doc->pdf, name);
	*out = def ? ctm_draw__type0_new(doc->pdf, def, doc->utf8, doc->deflate, path,
					 shared ? &st : NULL)
		   : NULL;
	int rc = ctm_draw__check(doc, "loading a font");
	if (!rc && !*out) {
		ctm_diag__error(doc->ctx, shown, 0, 0, "PDF: cannot use the font with UTF-8");
		doc->failed = 1;
		rc = CTM_EINTERNAL;
	}
	return rc;
}

/* Writes dir/name into buf; 1 when that file is readable. */
static int readable_in(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);
	return n > 0 && (size_t)n < size && access(buf, R_OK) == 0;
}

/* The lean default face `name` into buf (PATH_MAX bytes): 1 when found. */
static int find_lean(char *buf, size_t size, const char *name)
{
	static const char *const dirs[] = {
#ifdef CTM_FONT_INSTALL_DIR
		CTM_FONT_INSTALL_DIR,
#endif
#ifdef CTM_FONT_SOURCE_DIR
		CTM_FONT_SOURCE_DIR,
#endif
		NULL
	};
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - sizeof(LEAN_BESIDE_EXE));
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			memcpy(slash, LEAN_BESIDE_EXE, sizeof(LEAN_BESIDE_EXE));
			if (readable_in(buf, size, exe, name))
				return 1;
		}
	}
#ifdef CTM_FONT_FROM_LIBDIR
	/* the file this code was loaded from: libcontinuum.so, or the program
	 * that linked libcontinuum.a */
	Dl_info info;
	char lib[PATH_MAX];
	if (dladdr((void *)(uintptr_t)find_lean, &info) && info.dli_fname &&
	    strlen(info.dli_fname) < sizeof(lib)) {
		strcpy(lib, info.dli_fname);
		char *slash = strrchr(lib, '/');
		int n = slash ? snprintf(slash + 1, sizeof(lib) - (size_t)(slash + 1 - lib), "%s",
					 CTM_FONT_FROM_LIBDIR)
			      : -1;
		if (n > 0 && (size_t)n < sizeof(lib) - (size_t)(slash + 1 - lib) &&
		    readable_in(buf, size, lib, name))
			return 1;
	}
#endif
	for (size_t i = 0; dirs[i]; i++)
		if (readable_in(buf, size, dirs[i], name))
			return 1;
	return 0;
}

/* Loads face i (0 regular, 1 bold): the file given, else the lean default
 * subset with the full system face as its fallback, else (no subset found)
 * the full system face. */
static int load_face(ctm_draw_doc *doc, int i, const char *given)
{
	ctm_draw_face *f = &doc->face[i];
	const char *full = i ? CTM_DEFAULT_FONT_BOLD : CTM_DEFAULT_FONT;
	char lean[PATH_MAX];

	if (given) {
		/* A user's file is checked before libharu trusts it
		 * (font_check.h); the shipped faces are not. */
		int fd, rc = ctm_font__open_checked(given, &fd, doc->ctx);
		if (rc < 0)
			return rc;
		char checked[64];
		snprintf(checked, sizeof(checked), "/proc/self/fd/%d", fd);
		rc = ctm_draw__load_font(doc, checked, given, 0, &f->font);
		close(fd); /* libharu holds its own open file */
		return rc;
	}
	if (!find_lean(lean, sizeof(lean), i ? LEAN_BOLD : LEAN_REGULAR))
		return ctm_draw__load_font(doc, full, NULL, 1, &f->font);
	f->full_path = full;
	int rc = ctm_draw__load_font(doc, lean, NULL, 1, &f->font);
	if (rc == 0)
		f->lean = ctm_draw__font_glyphs(f->font);
	return rc;
}

/* SOURCE_DATE_EPOCH: decimal seconds since 1970 in UTC. Returns 1 and fills
 * *date when set and valid, 0 when unset, -1 when malformed. */
static int source_date(HPDF_Date *date)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	struct tm tm;

	if (!s || !*s)
		return 0;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0 || v > 253402300799LL) /* up to 9999 */
		return -1;
	time_t t = (time_t)v;
	if (!gmtime_r(&t, &tm))
		return -1;
	*date = (HPDF_Date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			     tm.tm_sec,         'Z',           0,          0 };
	return 1;
}

static int set_info(ctm_draw_doc *doc, const ctm_draw_options *o)
{
	static const struct {
		size_t off;
		HPDF_InfoType type;
		const char *name;
	} f[] = {
		{ offsetof(ctm_draw_options, title), HPDF_INFO_TITLE, "title" },
		{ offsetof(ctm_draw_options, subject), HPDF_INFO_SUBJECT, "subject" },
		{ offsetof(ctm_draw_options, keywords), HPDF_INFO_KEYWORDS, "keywords" },
		{ offsetof(ctm_draw_options, author), HPDF_INFO_AUTHOR, "author" },
	};
	HPDF_Date date;
	int rc;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *v = *(const char *const *)(const void *)((const char *)o + f[i].off);
		if (!v || !*v)
			continue;
		if ((rc = ctm_draw__utf8_check(doc, v, f[i].name)) < 0)
			return rc;
		/* written as UTF-16BE because the current encoder is UTF-8 */
		HPDF_SetInfoAttr(doc->pdf, f[i].type, v);
	}
	int have = source_date(&date);
	if (have < 0)
		ctm_diag__warning(doc->ctx, NULL, 0, 0,
				  "SOURCE_DATE_EPOCH is not a valid time: the PDF has no date");
	if (have > 0) {
		HPDF_SetInfoDateAttr(doc->pdf, HPDF_INFO_CREATION_DATE, date);
		HPDF_SetInfoDateAttr(doc->pdf, HPDF_INFO_MOD_DATE, date);
	}
	return ctm_draw__check(doc, "setting the document information");
}

int ctm_draw__doc_new(ctm_draw_doc **out, const ctm_draw_options *opts, ctm_ctx *ctx)
{
	ctm_draw_options defaults = CTM_DRAW_OPTIONS_INIT;
	ctm_draw_doc *doc = NULL;
	int rc = 0;

	if (!out)
		return CTM_EUSAGE;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (ctm_diag__check_version(ctx, "ctm_draw__doc_new", opts->version,
				    CTM_DRAW_OPTIONS_VERSION) < 0)
		return CTM_EUSAGE;
	if ((opts->paper != CTM_DRAW_A4 && opts->paper != CTM_DRAW_LETTER) ||
	    !(opts->margin >= 0 && opts->margin <= 150)) {
		ctm_diag__error(ctx, NULL, 0, 0, "PDF: invalid drawing options");
		return CTM_EUSAGE;
	}

	doc = calloc(1, sizeof(*doc));
	if (!doc) {
		ctm_diag__error(ctx, NULL, 0, 0, "PDF: out of memory");
		return CTM_ENOMEM;
	}
	doc->ctx = ctx;
	doc->page_empty = 1;
	/* user_data is the doc itself: stable, and no global state */
	doc->pdf = HPDF_New(on_hpdf_error, doc);
	if (!doc->pdf) {
		ctm_diag__error(ctx, NULL, 0, 0, "PDF: cannot create a document (out of memory)");
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	/* Everything deflated, font streams included. Measured on 40 reports
	 * (bench/PROFILE.md): leaving the font streams out (HPDF_COMP_TEXT |
	 * HPDF_COMP_IMAGE) saves 7 % of the CPU but makes the files 4.3x
	 * bigger, mostly libharu's CIDToGIDMap of 128 KB per face, nearly all
	 * zeros, which deflate shrinks to a few hundred bytes. */
	HPDF_SetCompressionMode(doc->pdf, opts->uncompressed ? HPDF_COMP_NONE : HPDF_COMP_ALL);
	/* deflated by draw_deflate.c, faster than libharu; without it (out of
	 * memory) libharu deflates */
	if (!opts->uncompressed)
		doc->deflate = ctm_draw__deflate_new();
	/* Once per document: registers the UTF-8 encoder. */
	HPDF_UseUTFEncodings(doc->pdf);
	HPDF_SetCurrentEncoder(doc->pdf, "UTF-8");
	doc->utf8 = HPDF_GetEncoder(doc->pdf, "UTF-8");
	if ((rc = ctm_draw__check(doc, "setting up UTF-8")) < 0)
		goto cleanup;
	if (!doc->utf8) {
		ctm_diag__error(ctx, NULL, 0, 0, "PDF: libharu has no UTF-8 encoder");
		rc = CTM_EINTERNAL;
		goto cleanup;
	}

	if ((rc = load_face(doc, 0, opts->font)) < 0 ||
	    (rc = load_face(doc, 1, opts->font_bold)) < 0)
		goto cleanup;
	doc->font = doc->face[0].font;
	doc->bold = doc->face[1].font;
	if ((rc = set_info(doc, opts)) < 0)
		goto cleanup;
	if (opts->footer && *opts->footer) {
		if ((rc = ctm_draw__utf8_check(doc, opts->footer, "footer")) < 0)
			goto cleanup;
		if (!(doc->footer = strdup(opts->footer))) {
			rc = ctm_draw__nomem(doc, "copying the footer");
			goto cleanup;
		}
	}

	if (opts->paper == CTM_DRAW_LETTER) {
		doc->page_w = 612.0;
		doc->page_h = 792.0;
	} else {
		doc->page_w = 595.276;
		doc->page_h = 841.89;
	}
	doc->margin = opts->margin > 0 ? opts->margin : 50.0;
	doc->content = (ctm_draw_box){ doc->margin, doc->margin, doc->page_w - doc->margin,
				       doc->page_h - doc->margin };
	doc->cursor = doc->content.top;

	*out = doc;
	doc = NULL;
cleanup:
	ctm_draw__doc_free(doc);
	return rc;
}

void ctm_draw__doc_free(ctm_draw_doc *doc)
{
	if (!doc)
		return;
	if (doc->pdf)
		HPDF_Free(doc->pdf);
	ctm_draw__deflate_free(doc->deflate);
	for (size_t i = 0; i < doc->npages; i++)
		free(doc->pages[i].header);
	free(doc->pages);
	ctm_arena__free(&doc->texts);
	free(doc->header);
	free(doc->footer);
	free(doc->scratch);
	free(doc->lines);
	ctm_draw__table_clear(&doc->table);
	free(doc);
}

/* ---- pages --------------------------------------------------------------- */

HPDF_Page ctm_draw__page_cur(const ctm_draw_doc *doc)
{
	return doc->npages ? doc->pages[doc->npages - 1].page : NULL;
}

int ctm_draw__set_header(ctm_draw_doc *doc, const char *utf8)
{
	char *copy = NULL;
	int rc;

	if ((rc = ctm_draw__usable(doc, "setting the header")) < 0)
		return rc;
	if (utf8 && (rc = ctm_draw__utf8_check(doc, utf8, "header")) < 0)
		return rc;
	if (utf8 && *utf8 && !(copy = strdup(utf8)))
		return ctm_draw__nomem(doc, "copying the header");
	free(doc->header);
	doc->header = copy;
	return 0;
}

/* A page left for the next one is never drawn on again until the header
 * and footer: its content is deflated now (draw_deflate.c), so a document
 * holds one page's uncompressed content at a time, not all of them (a
 * comparison of 100 000 regions held ~450 MB). A page left inside a text
 * or path object would get its closing operator from libharu when written,
 * so it stays as it is (libharu deflates it). Best effort: out of memory
 * leaves it to libharu. */
static void seal_page(ctm_draw_doc *doc, ctm_draw_page *p)
{
	HPDF_PageAttr pa = p->page->attr;
	unsigned filter = pa->contents->filter;

	if (!doc->deflate || p->sealed || pa->gmode != HPDF_GMODE_PAGE_DESCRIPTION ||
	    pa->stream != pa->contents->stream)
		return;
	if (ctm_draw__deflate_dict(doc->deflate, pa->contents) == 0 &&
	    pa->contents->write_fn) {
		pa->stream = pa->contents->stream;
		p->sealed = 1;
		p->filter = filter;
	}
}

/* Drawing on a sealed page again: a second content stream, which PDF reads
 * as the continuation of the first (the graphics state carries over, as
 * libharu's record of it does), deflated once the page is done. */
static int unseal_page(ctm_draw_doc *doc, ctm_draw_page *p)
{
	HPDF_Dict next = NULL;

	if (!p->sealed)
		return 0;
	if (HPDF_Page_New_Content_Stream(p->page, &next) != HPDF_OK || !next) {
		int rc = ctm_draw__check(doc, "adding a content stream");
		return rc ? rc : CTM_EINTERNAL;
	}
	next->filter = p->filter;
	p->sealed = 0;
	return 0;
}

int ctm_draw__page_add(ctm_draw_doc *doc)
{
	char *header = NULL;
	int rc;

	if ((rc = ctm_draw__usable(doc, "adding a page")) < 0)
		return rc;
	if (doc->npages >= MAX_PAGES) {
		ctm_diag__error(doc->ctx, NULL, 0, 0, "PDF: more than %u pages", MAX_PAGES);
		return CTM_EUSAGE;
	}
	if (ctm_grow__reserve((void **)&doc->pages, &doc->pages_cap, doc->npages + 1,
			      sizeof(*doc->pages)))
		return ctm_draw__nomem(doc, "adding a page");
	if (doc->header && !(header = strdup(doc->header)))
		return ctm_draw__nomem(doc, "adding a page");
	if (doc->npages)
		seal_page(doc, &doc->pages[doc->npages - 1]);
	HPDF_Page page = HPDF_AddPage(doc->pdf);
	if (!page) {
		free(header);
		rc = ctm_draw__check(doc, "adding a page");
		return rc ? rc : CTM_EINTERNAL;
	}
	HPDF_Page_SetWidth(page, (HPDF_REAL)doc->page_w);
	HPDF_Page_SetHeight(page, (HPDF_REAL)doc->page_h);
	doc->pages[doc->npages++] = (ctm_draw_page){ page, header, 0, 0 };
	doc->cursor = doc->content.top;
	doc->page_empty = 1;
	return ctm_draw__check(doc, "adding a page");
}

int ctm_draw__ensure_page(ctm_draw_doc *doc) { return doc->npages ? 0 : ctm_draw__page_add(doc); }

int ctm_draw__need(ctm_draw_doc *doc, double height)
{
	int rc;

	if ((rc = ctm_draw__usable(doc, "reserving space")) < 0)
		return rc;
	if (!doc->npages)
		return ctm_draw__page_add(doc);
	if (doc->cursor - height < doc->content.bottom - 1e-6 && !doc->page_empty)
		return ctm_draw__page_add(doc);
	return 0;
}

double ctm_draw__cursor(const ctm_draw_doc *doc) { return doc ? doc->cursor : 0.0; }

void ctm_draw__set_cursor(ctm_draw_doc *doc, double y)
{
	if (!doc || y != y)
		return;
	if (y > doc->content.top)
		y = doc->content.top;
	if (y < doc->content.bottom)
		y = doc->content.bottom;
	if (y < doc->cursor)
		doc->page_empty = 0;
	doc->cursor = y;
}

void ctm_draw__advance(ctm_draw_doc *doc, double dy)
{
	if (doc)
		ctm_draw__set_cursor(doc, doc->cursor - dy);
}

ctm_draw_box ctm_draw__content(const ctm_draw_doc *doc)
{
	return doc ? doc->content : (ctm_draw_box){ 0, 0, 0, 0 };
}

void ctm_draw__page_size(const ctm_draw_doc *doc, double *width, double *height)
{
	if (width)
		*width = doc ? doc->page_w : 0;
	if (height)
		*height = doc ? doc->page_h : 0;
}

size_t ctm_draw__page_count(const ctm_draw_doc *doc) { return doc ? doc->npages : 0; }

/* ---- finishing ----------------------------------------------------------- */

/* One line of the running header or footer, shortened with "…" to max_w
 * points: a region or wave of any length stays inside the page. */
static void text_line(ctm_draw_doc *doc, HPDF_Page page, double x, double y, const char *s,
		      ctm_draw_align align, double max_w)
{
	HPDF_Font font = doc->font;
	char *cut = NULL;
	if (ctm_draw__face_for(doc, &font, s, strlen(s)) < 0)
		return; /* the document is failed: finish reports it */
	double w = ctm_draw__width(font, PAGE_FOOTER_SIZE, s, strlen(s));
	if (w > max_w && (cut = ctm_draw__shortened(font, PAGE_FOOTER_SIZE, s, strlen(s), max_w))) {
		s = cut;
		w = ctm_draw__width(font, PAGE_FOOTER_SIZE, s, strlen(s));
	}
	if (align == CTM_DRAW_ALIGN_RIGHT)
		x -= w;
	else if (align == CTM_DRAW_ALIGN_CENTER)
		x -= w / 2;
	HPDF_Page_BeginText(page);
	ctm_draw__set_font(page, font, PAGE_FOOTER_SIZE);
	ctm_draw__set_fill(page, CTM_DRAW_RGB(0.35, 0.35, 0.35));
	HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, s);
	HPDF_Page_EndText(page);
	free(cut);
}

int ctm_draw__doc_finish(ctm_draw_doc *doc)
{
	char num[64];
	int rc;

	if (!doc)
		return CTM_EUSAGE;
	if (doc->finished)
		return doc->failed ? CTM_EINTERNAL : 0;
	if ((rc = ctm_draw__usable(doc, "finishing")) < 0)
		return rc;
	if (doc->table.active && (rc = ctm_draw__table_end(doc)) < 0)
		return rc;
	if ((rc = ctm_draw__ensure_page(doc)) < 0)
		return rc;
	/* The footer band lies in the bottom margin, the header in the top. */
	double foot_y = doc->margin * 0.5;
	double head_y = doc->page_h - doc->margin * 0.5 - PAGE_FOOTER_SIZE * 0.5;
	for (size_t i = 0; i < doc->npages; i++) {
		HPDF_Page page = doc->pages[i].page;
		double width = doc->content.right - doc->content.left;
		if ((rc = unseal_page(doc, &doc->pages[i])) < 0)
			return rc;
		snprintf(num, sizeof(num), "Page %zu of %zu", i + 1, doc->npages);
		text_line(doc, page, doc->content.right, foot_y, num, CTM_DRAW_ALIGN_RIGHT, width);
		/* the footer leaves room for the page number (and a gap) */
		double num_w = ctm_draw__width(doc->font, PAGE_FOOTER_SIZE, num, strlen(num));
		if (doc->footer)
			text_line(doc, page, doc->content.left, foot_y, doc->footer,
				  CTM_DRAW_ALIGN_LEFT, width - num_w - 18);
		if (doc->pages[i].header) {
			text_line(doc, page, doc->content.left, head_y, doc->pages[i].header,
				  CTM_DRAW_ALIGN_LEFT, width);
			HPDF_Page_SetRGBStroke(page, 0.75f, 0.75f, 0.75f);
			HPDF_Page_SetLineWidth(page, 0.5f);
			HPDF_Page_MoveTo(page, (HPDF_REAL)doc->content.left,
					 (HPDF_REAL)(head_y - 5));
			HPDF_Page_LineTo(page, (HPDF_REAL)doc->content.right,
					 (HPDF_REAL)(head_y - 5));
			HPDF_Page_Stroke(page);
		}
		/* done with the page: its header and footer deflated too */
		seal_page(doc, &doc->pages[i]);
	}
	if ((rc = ctm_draw__check(doc, "writing page numbers")) < 0)
		return rc;
	if (doc->failed) /* a fallback face failed to load, reported */
		return CTM_EINTERNAL;
	/* Open the outline at the top level in viewers. */
	HPDF_SetPageMode(doc->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	if ((rc = ctm_draw__check(doc, "finishing")) < 0)
		return rc;
	doc->finished = 1;
	return 0;
}

int ctm_draw__doc_hand_over(ctm_draw_doc **doc, ctm_draw_doc **out, int rc, int text_failed,
			    ctm_ctx *ctx, const char *what, ...)
{
	if (rc == CTM_OK && text_failed)
		rc = CTM_ENOMEM;
	if (rc == CTM_OK) {
		*out = *doc;
		*doc = NULL;
		return CTM_OK;
	}
	if (rc == CTM_ENOMEM && ctx && ctm_ctx_error_count(ctx) == 0) {
		ctm_strbuf text = CTM_STRBUF_INIT;
		va_list ap;
		va_start(ap, what);
		ctm_strbuf__vprintf(&text, what, ap);
		va_end(ap);
		ctm_diag__error(ctx, NULL, 0, 0, "out of memory drawing %s",
				text.failed ? "a document" : text.s);
		ctm_strbuf__free(&text);
	}
	ctm_draw__doc_free(*doc);
	*doc = NULL;
	return rc;
}

/* ---- saving -------------------------------------------------------------- */

/* Where the document goes as libharu writes it. */
typedef struct sink {
	FILE *out;
	size_t total;
	int err; /* errno of the first failed write */
} sink;

static HPDF_STATUS sink_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	sink *k = stream->attr;

	if (k->err)
		return HPDF_FILE_IO_ERROR;
	if (siz && fwrite(ptr, 1, siz, k->out) != siz) {
		k->err = errno ? errno : EIO;
		return HPDF_FILE_IO_ERROR;
	}
	k->total += siz;
	return HPDF_OK;
}

int ctm_draw__doc_write(ctm_draw_doc *doc, FILE *out, const char *path)
{
	int rc;

	if (!doc || !out)
		return CTM_EUSAGE;
	if ((rc = ctm_draw__doc_finish(doc)) < 0)
		return rc;

	/* every page's content is deflated by now (seal_page, in finishing) */

	/* Written as libharu makes it, through a callback stream put where
	 * HPDF_SaveToStream keeps its memory stream (which it empties only when
	 * it is one): the document is not held a second time in memory (92 MB
	 * for a comparison of 100 000 regions). A failure part way leaves a
	 * partial file, which the atomic writer of ctm_draw__doc_save discards. */
	sink k = { out, 0, 0 };
	HPDF_Stream to = HPDF_CallbackWriter_New(doc->pdf->mmgr, sink_write, &k);
	if (!to) {
		rc = ctm_draw__check(doc, "writing the PDF");
		return rc ? rc : ctm_draw__nomem(doc, "writing the PDF");
	}
	HPDF_Stream kept = doc->pdf->stream;
	doc->pdf->stream = to;
	HPDF_STATUS saved = HPDF_SaveToStream(doc->pdf);
	doc->pdf->stream = kept;
	HPDF_Stream_Free(to);
	if (k.err) {
		ctm_diag__error(doc->ctx, path, 0, 0, "cannot write: %s", strerror(k.err));
		HPDF_ResetError(doc->pdf);
		doc->hpdf_error = doc->hpdf_detail = 0;
		return CTM_EWRITE;
	}
	if ((rc = ctm_draw__check(doc, "writing the PDF")) < 0)
		return rc;
	if (saved != HPDF_OK || k.total == 0) {
		/* a failure libharu did not record */
		ctm_diag__error(doc->ctx, path, 0, 0, "PDF: libharu produced no output (0x%04X)",
				(unsigned)saved);
		doc->failed = 1;
		return CTM_EINTERNAL;
	}
	return 0;
}

int ctm_draw__doc_save(ctm_draw_doc *doc, const char *path)
{
	ctm_atomic out;
	int rc;

	if (!doc || !path || !*path)
		return CTM_EUSAGE;
	/* Drawn to the end before a file is made, so a failed document leaves
	 * nothing behind. */
	if ((rc = ctm_draw__doc_finish(doc)) < 0)
		return rc;
	if ((rc = ctm_atomic__begin(&out, path, doc->ctx)) < 0)
		return rc;
	if ((rc = ctm_draw__doc_write(doc, out.file, path)) == 0)
		rc = ctm_atomic__commit(&out, doc->ctx);
	ctm_atomic__abort(&out);
	return rc;
}
