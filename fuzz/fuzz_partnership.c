/* libFuzzer target: the files that make a report the partnership's. The
 * first byte chooses: even, the rest is a --notes file (read as paragraphs,
 * every fault at its place); odd, a --logo file (its PNG or JPEG header
 * walked, then decoded whole by libpng or libjpeg, and an accepted image
 * drawn into a document saved to /dev/null). Whatever the bytes: an error
 * or a result, never a crash, an overflow, a leak or a stall. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "continuum/error.h"
#include "draw.h"
#include "fuzz.h"
#include "report_options.h"

static void logo(const char *path, ctm_ctx *ctx)
{
	unsigned char *bytes = NULL;
	size_t size = 0;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	ctm_draw_doc *doc = NULL;
	double w, h;

	if (ctm_draw__image_read(path, &bytes, &size, ctx) != 0 ||
	    ctm_draw__image_check(bytes, size, path, ctx) != 0) {
		free(bytes);
		return;
	}
	o.title = "fuzz";
	if (ctm_draw__doc_new(&doc, &o, ctx) == 0 &&
	    ctm_draw__image(doc, bytes, size, path, 56, 780, 150, 56, &w, &h) == 0)
		(void)ctm_draw__doc_save(doc, "/dev/null");
	ctm_draw__doc_free(doc);
	free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_ctx *ctx = ctm_ctx_new();
	char path[64];
	uint32_t w, h;
	int fd;

	if (!ctx || size < 1)
		goto cleanup;
	/* the header walk on the bytes as they are, too */
	(void)ctm_draw__image_kind(data + 1, size - 1, &w, &h);
	fd = memfd_create("input", 0);
	if (fd < 0 || ctm_fuzz_write_all(fd, data + 1, size - 1) != 0) {
		if (fd >= 0)
			close(fd);
		goto cleanup;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (data[0] & 1) {
		logo(path, ctx);
	} else {
		char *notes = NULL;
		if (ctm_report__notes_read(path, &notes, ctx) == 0 && !notes)
			abort(); /* success gives the text */
		free(notes);
	}
	close(fd);
cleanup:
	ctm_ctx_free(ctx);
	return 0;
}
