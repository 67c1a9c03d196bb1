/* libFuzzer target: a font file as --font would give it. The input goes
 * through the font check (reports/font_check.c); an input it accepts is
 * then loaded by libharu as both faces of a document that draws text of
 * many scripts and characters chosen by the input's last bytes, and saved
 * (to /dev/null). Whatever the bytes, the check must refuse them or libharu
 * must use them without a crash, an overflow or a stall. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "continuum/error.h"
#include "draw.h"
#include "font_check.h"
#include "fuzz.h"
#include "strbuf.h"

/* Up to 32 BMP characters from the input's last 64 bytes, so that the
 * fuzzer reaches the glyph lookups of the code points it makes up. */
static void add_chosen(ctm_strbuf *text, const uint8_t *data, size_t size)
{
	size_t from = size > 64 ? size - 64 : 0;
	for (size_t i = from; i + 1 < size; i += 2) {
		unsigned cp = (unsigned)data[i] << 8 | data[i + 1];
		if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x7F)
			continue;
		char buf[4];
		size_t n;
		if (cp < 0x80) {
			buf[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			buf[0] = (char)(0xC0 | cp >> 6);
			buf[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else {
			buf[0] = (char)(0xE0 | cp >> 12);
			buf[1] = (char)(0x80 | (cp >> 6 & 0x3F));
			buf[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		}
		ctm_strbuf__append(text, buf, n);
	}
}

static void draw_with(const char *path, const uint8_t *data, size_t size, ctm_ctx *ctx)
{
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	ctm_draw_doc *doc = NULL;
	ctm_strbuf text = CTM_STRBUF_INIT;
	o.font = o.font_bold = path;
	o.title = "fuzz";
	ctm_strbuf__printf(&text, "Hx Awareness — Coordination ≥ 3.5 ± 0.2 Ωμέγα Кириллица "
				  "العربية עברית 中文 ﬁ é ");
	add_chosen(&text, data, size);
	if (ctm_draw__doc_new(&doc, &o, ctx) < 0)
		goto cleanup;
	if (!text.failed && ctm_draw__heading(doc, 1, text.s) == 0 &&
	    ctm_draw__paragraph(doc, text.s, NULL) == 0)
		(void)ctm_draw__doc_save(doc, "/dev/null");
cleanup:
	ctm_draw__doc_free(doc);
	ctm_strbuf__free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_ctx *ctx = ctm_ctx_new();
	if (!ctx)
		return 0;
	if (ctm_font__check_bytes(data, size, "font.ttf", ctx) == 0) {
		int fd = memfd_create("font.ttf", 0);
		char path[64];
		if (fd >= 0 && ctm_fuzz_write_all(fd, data, size) == 0) {
			snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
			draw_with(path, data, size, ctx);
		}
		if (fd >= 0)
			close(fd);
	}
	ctm_ctx_free(ctx);
	return 0;
}
