/* Drawing layer: the document's streams deflated by continuum rather than
 * by libharu.
 *
 * libharu 2.3.0 deflates every stream at zlib's default level 6 with a new
 * z_stream each (its hash tables cleared and its buffers allocated again)
 * and feeds it 4 KB at a time through byte-by-byte copies: most of what was
 * left of a report's CPU after its fonts (bench/PROFILE.md). Here a
 * document keeps one z_stream, reads a memory stream's buffers in place and
 * deflates at CTM_DRAW_DEFLATE_LEVEL; the stream is then handed to libharu
 * as already filtered (its filter none, "/Filter /FlateDecode" written by
 * the dictionary's write_fn), which copies it as it is. Decoded, the bytes
 * are the same: what a page shows cannot change. */
#include <stdlib.h>
#include <string.h>
#include <hpdf_conf.h>
#include <zlib.h>

#include "draw_impl.h"

/* Level 1 (zlib's fastest) on the 40-group benchmark's pages: about a
 * third of level 6's time for 35 % larger page streams (a report ~10 %
 * larger in all, still well below what libharu's own fonts made it). */
#ifndef CTM_DRAW_DEFLATE_LEVEL
#define CTM_DRAW_DEFLATE_LEVEL 1
#endif

struct ctm_draw_deflate {
	z_stream z;
	int ready;      /* deflateInit2 done */
	HPDF_BYTE *out; /* the last stream deflated */
	size_t out_cap;
	size_t out_len;
};

ctm_draw_deflate *ctm_draw__deflate_new(void) { return calloc(1, sizeof(ctm_draw_deflate)); }

void ctm_draw__deflate_free(ctm_draw_deflate *d)
{
	if (!d)
		return;
	if (d->ready)
		deflateEnd(&d->z);
	free(d->out);
	free(d);
}

static HPDF_STATUS write_filter(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Deflates s[0..len) into d->out as one part of a stream; finish: the last. */
static int put(ctm_draw_deflate *d, const HPDF_BYTE *s, size_t len, int finish, size_t *used)
{
	d->z.next_in = (Bytef *)(uintptr_t)s;
	d->z.avail_in = (uInt)len;
	for (;;) {
		if (*used == d->out_cap) {
			size_t cap = d->out_cap ? d->out_cap * 2 : 65536;
			HPDF_BYTE *grown = realloc(d->out, cap);
			if (!grown)
				return -1;
			d->out = grown;
			d->out_cap = cap;
		}
		d->z.next_out = d->out + *used;
		d->z.avail_out = (uInt)(d->out_cap - *used);
		int zr = deflate(&d->z, finish ? Z_FINISH : Z_NO_FLUSH);
		*used = d->out_cap - d->z.avail_out;
		if (zr == Z_STREAM_END)
			return 0;
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			return -1;
		if (!finish && d->z.avail_in == 0)
			return 0;
	}
}

int ctm_draw__deflate_dict(ctm_draw_deflate *d, HPDF_Dict dict)
{
	HPDF_Stream src = dict ? dict->stream : NULL;

	/* only a plain memory stream that libharu would deflate, once */
	if (!d || !src || src->type != HPDF_STREAM_MEMORY || dict->write_fn ||
	    dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
		return 0;
	if (!d->ready) {
		if (deflateInit2(&d->z, CTM_DRAW_DEFLATE_LEVEL, Z_DEFLATED, 15, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		d->ready = 1;
	} else if (deflateReset(&d->z) != Z_OK)
		return -1;
	d->out_len = 0;

	/* the buffers of the memory stream, in order, each full but the last */
	HPDF_MemStreamAttr m = src->attr;
	size_t left = src->size, used = 0;
	for (HPDF_UINT i = 0; i < m->buf->count && left; i++) {
		size_t n = left < m->buf_siz ? left : m->buf_siz;
		left -= n;
		if (put(d, HPDF_List_ItemAt(m->buf, i), n, 0, &used) < 0)
			return -1;
	}
	if (left || put(d, NULL, 0, 1, &used) < 0)
		return -1;

	/* one buffer of the deflated size: buffers of HPDF_STREAM_BUF_SIZ would
	 * leave half of one unused per stream, on every page of a document */
	HPDF_Stream dst = HPDF_MemStream_New(dict->mmgr, used ? (HPDF_UINT)used : 1);
	if (!dst)
		return -1;
	if (HPDF_Stream_Write(dst, d->out, (HPDF_UINT)used) != HPDF_OK) {
		HPDF_Stream_Free(dst);
		return -1;
	}
	HPDF_Stream_Free(src);
	dict->stream = dst;
	ctm_draw__deflate_mark(dict);
	d->out_len = used;
	return 0;
}

void ctm_draw__deflate_mark(HPDF_Dict dict)
{
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = write_filter;
}

const HPDF_BYTE *ctm_draw__deflate_last(const ctm_draw_deflate *d, size_t *len)
{
	*len = d->out_len;
	return d->out;
}
