/* Drawing layer: the document's outline (bookmarks), written by continuum.
 *
 * libharu 2.3.0 builds each bookmark from a dictionary of named entries
 * (Title, Parent, Prev, Next, First, Last, Count, Type), each a 136-byte
 * element holding a value object, plus a destination array of its own:
 * about 1.6 KB a bookmark, 160 MB for a comparison of 100 000 regions,
 * which has one per region. Here a bookmark is one libharu object with no
 * entries, whose write_fn writes the entries from a small record kept in
 * the document's arena; object numbers are read when the file is written,
 * when every object has one. What a viewer is given is what libharu wrote
 * (its Count rule: an open entry counts its visible descendants, a closed
 * one their number negated, none without children), but for the /Type
 * libharu put on every entry, which PDF gives only the outline's root,
 * and the destination, written in place instead of as an object. */
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "draw_impl.h"
#include "utf8.h"

struct ctm_draw_mark {
	HPDF_Dict obj;
	HPDF_Page page;       /* NULL: the outline's root */
	HPDF_REAL top;        /* /FitH */
	ctm_draw_mark *parent; /* NULL for the root */
	ctm_draw_mark *prev, *next, *first, *last;
	int opened;
	const char *title; /* UTF-8, in the document's arena */
	size_t title_len;
};

static HPDF_UINT32 id_of(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu;
}

static HPDF_STATUS put_ref(HPDF_Stream s, const char *key, const ctm_draw_mark *m)
{
	HPDF_STATUS st = HPDF_OK;

	if (!m)
		return HPDF_OK;
	st |= HPDF_Stream_WriteStr(s, key);
	st |= HPDF_Stream_WriteUInt(s, id_of(m->obj));
	st |= HPDF_Stream_WriteStr(s, " 0 R\012");
	return st;
}

/* libharu's rule (hpdf_outline.c, CountChild): children, and the children
 * of those open. */
static long visible(const ctm_draw_mark *m)
{
	long n = 0;

	for (const ctm_draw_mark *c = m->first; c; c = c->next) {
		n++;
		if (c->opened)
			n += visible(c);
	}
	return n;
}

/* UTF-16BE with a byte order mark, in hex, as libharu writes a title given
 * the UTF-8 encoder. The title was checked as UTF-8 when it was added. */
static HPDF_STATUS put_title(HPDF_Stream s, const char *t, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[16];
	HPDF_STATUS st = HPDF_Stream_WriteStr(s, "/Title <FEFF");

	for (size_t i = 0; i < n && st == HPDF_OK;) {
		uint32_t cp = 0xFFFD;
		size_t k = ctm_utf8__decode(t + i, n - i, &cp);
		i += k ? k : 1;
		uint32_t unit[2] = { cp, 0 };
		size_t units = 1;
		if (cp > 0xFFFF) {
			cp -= 0x10000;
			unit[0] = 0xD800 + (cp >> 10);
			unit[1] = 0xDC00 + (cp & 0x3FF);
			units = 2;
		}
		size_t len = 0;
		for (size_t u = 0; u < units; u++)
			for (int shift = 12; shift >= 0; shift -= 4)
				buf[len++] = hex[(unit[u] >> shift) & 0xF];
		st = HPDF_Stream_Write(s, (const HPDF_BYTE *)buf, (HPDF_UINT)len);
	}
	return st | HPDF_Stream_WriteStr(s, ">\012");
}

static HPDF_STATUS write_mark(HPDF_Dict obj, HPDF_Stream s)
{
	const ctm_draw_mark *m = obj->attr;
	HPDF_STATUS st = HPDF_OK;

	if (!m->parent)
		st |= HPDF_Stream_WriteStr(s, "/Type /Outlines\012");
	else
		st |= put_title(s, m->title, m->title_len);
	st |= put_ref(s, "/Parent ", m->parent);
	st |= put_ref(s, "/Prev ", m->prev);
	st |= put_ref(s, "/Next ", m->next);
	st |= put_ref(s, "/First ", m->first);
	st |= put_ref(s, "/Last ", m->last);
	long count = visible(m);
	if (count) {
		st |= HPDF_Stream_WriteStr(s, "/Count ");
		st |= HPDF_Stream_WriteInt(s, (HPDF_INT)(m->opened ? count : -count));
		st |= HPDF_Stream_WriteStr(s, "\012");
	}
	if (m->page) {
		st |= HPDF_Stream_WriteStr(s, "/Dest [");
		st |= HPDF_Stream_WriteUInt(s, id_of(m->page));
		st |= HPDF_Stream_WriteStr(s, " 0 R /FitH ");
		st |= HPDF_Stream_WriteReal(s, m->top);
		st |= HPDF_Stream_WriteStr(s, "]\012");
	}
	return st == HPDF_OK ? HPDF_OK : HPDF_FILE_IO_ERROR;
}

/* A new object of the document's, written by write_mark. */
static ctm_draw_mark *new_mark(ctm_draw_doc *doc)
{
	ctm_draw_mark *m = ctm_arena__alloc(&doc->texts, sizeof(*m));
	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->obj = HPDF_Dict_New(doc->pdf->mmgr);
	/* HPDF_Xref_Add frees the object when it fails */
	if (!m->obj || HPDF_Xref_Add(doc->pdf->xref, m->obj) != HPDF_OK)
		return NULL;
	m->obj->attr = m;
	m->obj->write_fn = write_mark;
	return m;
}

int ctm_draw__outline_add(ctm_draw_doc *doc, int level, const char *utf8, HPDF_Page page,
			  double top)
{
	if (!doc->outline) {
		ctm_draw_mark *root = new_mark(doc);
		if (!root || HPDF_Dict_Add(doc->pdf->catalog, "Outlines", root->obj) != HPDF_OK)
			goto failed;
		root->opened = 1;
		doc->outline = root;
	}
	ctm_draw_mark *parent = level == 2 && doc->outline_l1 ? doc->outline_l1 : doc->outline;
	ctm_draw_mark *m = new_mark(doc);
	size_t len = strlen(utf8);
	char *title = m ? ctm_arena__alloc(&doc->texts, len + 1) : NULL;
	if (!title)
		goto failed;
	memcpy(title, utf8, len + 1);
	m->title = title;
	m->title_len = len;
	m->page = page;
	m->top = (HPDF_REAL)top;
	m->opened = level == 1;
	m->parent = parent;
	m->prev = parent->last;
	if (parent->last)
		parent->last->next = m;
	else
		parent->first = m;
	parent->last = m;
	if (level == 1)
		doc->outline_l1 = m;
	return 0;

failed:;
	int rc = ctm_draw__check(doc, "adding a bookmark");
	return rc ? rc : ctm_draw__nomem(doc, "adding a bookmark");
}
