/* Images: a PNG or JPEG (the partnership's logo) read from a file, checked
 * before libharu sees it, and drawn scaled to fit a box. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* libjpeg's header needs stdio's FILE and size_t first */
#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>

#include "diag.h"
#include "readfile.h"
#include "draw_impl.h"

/* A logo is small; a larger file is a mistake (a photograph, a scan), and
 * libharu decodes a PNG whole into memory. The pixel bound keeps a tiny
 * PNG that declares a huge canvas from taking gigabytes. */
#define IMAGE_BYTES_MAX (16u << 20)
#define IMAGE_PIXELS_MAX (16u * 1000 * 1000)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ctm_draw__image_kind(const unsigned char *b, size_t n, uint32_t *w, uint32_t *h)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	*w = *h = 0;
	if (n >= 24 && memcmp(b, png, 8) == 0 && memcmp(b + 12, "IHDR", 4) == 0) {
		*w = be32(b + 16);
		*h = be32(b + 20);
		return CTM_DRAW_IMAGE_PNG;
	}
	if (n < 4 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF)
		return CTM_DRAW_IMAGE_NONE;
	/* the frame header (SOF0..SOF15 but DHT, JPG and DAC) gives the size;
	 * markers before it are skipped by their lengths */
	for (size_t i = 2; i + 9 < n;) {
		if (b[i] != 0xFF)
			return CTM_DRAW_IMAGE_NONE;
		unsigned char m = b[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		size_t len = (size_t)b[i + 2] << 8 | b[i + 3];
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			*h = (uint32_t)b[i + 5] << 8 | b[i + 6];
			*w = (uint32_t)b[i + 7] << 8 | b[i + 8];
			return CTM_DRAW_IMAGE_JPEG;
		}
		if (len < 2)
			return CTM_DRAW_IMAGE_NONE;
		i += 2 + len;
	}
	return CTM_DRAW_IMAGE_NONE;
}

int ctm_draw__image_read(const char *path, unsigned char **bytes, size_t *size, ctm_ctx *ctx)
{
	char *buf = NULL;
	size_t n = 0;
	uint32_t w, h;
	int rc;

	*bytes = NULL;
	*size = 0;
	if ((rc = ctm_readfile__bounded(path, IMAGE_BYTES_MAX, &buf, &n, "image", ctx)) < 0)
		return rc;
	rc = CTM_EINVALID;
	if (n > IMAGE_BYTES_MAX) {
		ctm_diag__error(ctx, path, 0, 0, "the image is larger than %u MB; a logo is "
				"expected (PNG or JPEG)", IMAGE_BYTES_MAX >> 20);
		goto cleanup;
	}
	const unsigned char *ub = (const unsigned char *)buf;
	int kind = ctm_draw__image_kind(ub, n, &w, &h);
	if (kind == CTM_DRAW_IMAGE_NONE) {
		ctm_diag__error(ctx, path, 0, 0, "not a PNG or JPEG image");
		goto cleanup;
	}
	if (w == 0 || h == 0 || (uint64_t)w * h > IMAGE_PIXELS_MAX) {
		ctm_diag__error(ctx, path, 0, 0,
				"the image is %" PRIu32 " x %" PRIu32 " pixels; a logo has at "
				"least one and at most %u million",
				w, h, IMAGE_PIXELS_MAX / 1000000);
		goto cleanup;
	}
	*bytes = (unsigned char *)buf;
	*size = n;
	buf = NULL;
	rc = CTM_OK;

cleanup:
	free(buf);
	return rc;
}

/* libjpeg's errors end the decode (longjmp back to decode_jpeg) instead
 * of exiting the process, which is libjpeg's default. */
typedef struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
} jpeg_fail;

static void jpeg_fail_exit(j_common_ptr cinfo)
{
	jpeg_fail *f = (jpeg_fail *)cinfo->err;
	longjmp(f->back, 1);
}

/* Warnings are counted (a file cut short is one), not printed: the library
 * never prints. */
static void jpeg_quiet(j_common_ptr cinfo, int level)
{
	if (level < 0)
		cinfo->err->num_warnings++;
}

/* 0 when libjpeg decodes the whole image (every scanline), else -1, with
 * the colour components into *components (1 grey, 3 RGB, 4 CMYK). */
static int decode_jpeg(const unsigned char *bytes, size_t size, int *components)
{
	struct jpeg_decompress_struct cinfo;
	jpeg_fail fail;
	JSAMPLE *row = NULL;
	/* volatile: read after a longjmp */
	JSAMPLE *volatile keep = NULL;
	volatile int rc = -1;

	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail_exit;
	fail.mgr.emit_message = jpeg_quiet;
	if (setjmp(fail.back)) {
		free(keep);
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, bytes, (unsigned long)size);
	if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK)
		goto done;
	*components = cinfo.num_components;
	if ((uint64_t)cinfo.image_width * cinfo.image_height > IMAGE_PIXELS_MAX ||
	    (cinfo.num_components != 1 && cinfo.num_components != 3 &&
	     cinfo.num_components != 4))
		goto done;
	jpeg_start_decompress(&cinfo);
	keep = row = malloc((size_t)cinfo.output_width * (size_t)cinfo.output_components);
	if (!row)
		goto done;
	while (cinfo.output_scanline < cinfo.output_height)
		jpeg_read_scanlines(&cinfo, &row, 1);
	/* a file cut short decodes with a warning and grey rows: refused too */
	if (fail.mgr.num_warnings == 0) {
		jpeg_finish_decompress(&cinfo);
		rc = 0;
	}

done:
	free(keep);
	jpeg_destroy_decompress(&cinfo);
	return rc;
}

/* 0 when libpng decodes the whole PNG, else -1. */
static int decode_png(const unsigned char *bytes, size_t size)
{
	png_image png;
	unsigned char *rgba = NULL;
	int rc = -1;

	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&png, bytes, size))
		return -1;
	png.format = PNG_FORMAT_RGBA;
	if ((uint64_t)png.width * png.height > IMAGE_PIXELS_MAX ||
	    !(rgba = malloc((size_t)png.width * png.height * 4))) {
		png_image_free(&png);
		return -1;
	}
	if (png_image_finish_read(&png, NULL, rgba, 0, NULL))
		rc = 0;
	free(rgba);
	return rc;
}

/* The PNG decoded by libpng (its simplified API reports errors rather than
 * aborting) into an image of the document: the colour as raw RGB and, when
 * the file has transparency, its alpha as a soft mask. NULL when the file
 * cannot be decoded or out of memory (*nomem). */
static HPDF_Image load_png(ctm_draw_doc *doc, const unsigned char *bytes, size_t size,
			   int *nomem)
{
	png_image png;
	unsigned char *rgba = NULL, *rgb = NULL, *alpha = NULL;
	HPDF_Image img = NULL;

	*nomem = 0;
	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&png, bytes, size))
		return NULL;
	if ((uint64_t)png.width * png.height > IMAGE_PIXELS_MAX) {
		png_image_free(&png);
		return NULL;
	}
	int has_alpha = (png.format & PNG_FORMAT_FLAG_ALPHA) != 0;
	png.format = PNG_FORMAT_RGBA;
	size_t pixels = (size_t)png.width * png.height;
	if (!(rgba = malloc(pixels * 4)) || !(rgb = malloc(pixels * 3)) ||
	    (has_alpha && !(alpha = malloc(pixels)))) {
		*nomem = 1;
		png_image_free(&png);
		goto cleanup;
	}
	/* the background of a transparent pixel is the mask's business */
	if (!png_image_finish_read(&png, NULL, rgba, 0, NULL))
		goto cleanup;
	for (size_t i = 0; i < pixels; i++) {
		memcpy(rgb + 3 * i, rgba + 4 * i, 3);
		if (alpha)
			alpha[i] = rgba[4 * i + 3];
	}
	img = HPDF_LoadRawImageFromMem(doc->pdf, rgb, png.width, png.height, HPDF_CS_DEVICE_RGB,
				       8);
	if (img && alpha) {
		HPDF_Image mask = HPDF_LoadRawImageFromMem(doc->pdf, alpha, png.width, png.height,
							   HPDF_CS_DEVICE_GRAY, 8);
		if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK)
			img = NULL;
	}

cleanup:
	free(rgba);
	free(rgb);
	free(alpha);
	return img;
}

int ctm_draw__image_check(const unsigned char *bytes, size_t size, const char *shown,
			  ctm_ctx *ctx)
{
	uint32_t w, h;
	int comps = 0, kind = ctm_draw__image_kind(bytes, size, &w, &h);

	if (kind == CTM_DRAW_IMAGE_PNG ? decode_png(bytes, size) == 0
				       : kind == CTM_DRAW_IMAGE_JPEG &&
						 decode_jpeg(bytes, size, &comps) == 0)
		return CTM_OK;
	ctm_diag__error(ctx, shown, 0, 0, "the image cannot be read: a damaged or unsupported %s file",
			kind == CTM_DRAW_IMAGE_PNG ? "PNG" : "JPEG");
	return CTM_EINVALID;
}

int ctm_draw__image(ctm_draw_doc *doc, const unsigned char *bytes, size_t size, const char *shown,
		    double x, double top, double max_w, double max_h, double *drawn_w,
		    double *drawn_h)
{
	double v[4] = { x, top, max_w, max_h };
	uint32_t pw, ph;
	int rc, nomem = 0, components = 0;

	*drawn_w = *drawn_h = 0;
	if ((rc = ctm_draw__usable(doc, "drawing an image")) < 0 ||
	    (rc = ctm_draw__finite(doc, "an image", v, 4)) < 0 ||
	    (rc = ctm_draw__ensure_page(doc)) < 0)
		return rc;
	int kind = ctm_draw__image_kind(bytes, size, &pw, &ph);
	if (kind == CTM_DRAW_IMAGE_NONE || !pw || !ph || !(max_w > 0) || !(max_h > 0)) {
		ctm_diag__error(doc->ctx, shown, 0, 0, "not a PNG or JPEG image");
		return CTM_EINVALID;
	}
	/* Decoded whole before libharu sees it: libharu embeds a JPEG as it is
	 * (a damaged one would print as noise) and aborts on a damaged PNG. */
	HPDF_Image img = NULL;
	if (kind == CTM_DRAW_IMAGE_PNG)
		img = load_png(doc, bytes, size, &nomem);
	else if (decode_jpeg(bytes, size, &components) == 0)
		img = HPDF_LoadJpegImageFromMem(doc->pdf, bytes, (HPDF_UINT)size);
	if (nomem)
		return ctm_draw__nomem(doc, "decoding an image");
	if (!img) {
		HPDF_ResetError(doc->pdf);
		doc->hpdf_error = doc->hpdf_detail = 0;
		ctm_diag__error(doc->ctx, shown, 0, 0,
				"the image cannot be read: a damaged or unsupported %s file",
				kind == CTM_DRAW_IMAGE_PNG ? "PNG" : "JPEG");
		return CTM_EINVALID;
	}
	/* scaled to fit the box, its proportions kept */
	double scale = max_w / pw < max_h / ph ? max_w / pw : max_h / ph;
	*drawn_w = pw * scale;
	*drawn_h = ph * scale;
	HPDF_Page_DrawImage(ctm_draw__page_cur(doc), img, (HPDF_REAL)x,
			    (HPDF_REAL)(top - *drawn_h), (HPDF_REAL)*drawn_w, (HPDF_REAL)*drawn_h);
	return ctm_draw__check(doc, "drawing an image");
}
