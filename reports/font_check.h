/*
 * continuum — checking a font file before libharu reads it (internal).
 *
 * libharu 2.3.0 trusts the file it loads: a zero unitsPerEm divides by zero,
 * an hhea metric count above the glyph count overflows the heap, a cmap
 * without the 0xFFFF end segment reads past its arrays, a cmap length below
 * its header makes it read two billion entries, a composite glyph without an
 * end walks the file. A font a user names (--font) is therefore read once
 * here, opened with FreeType (it must be a single TrueType-outline face with
 * a Unicode cmap), and every table and field libharu reads is checked
 * against the bounds libharu assumes (font_check.c lists them). Only a file
 * that passes is handed to libharu.
 *
 * The shipped and system DejaVu faces are not checked: they come from this
 * source tree or the Debian package, not from the user.
 */
#ifndef CTM_REPORTS_FONT_CHECK_H
#define CTM_REPORTS_FONT_CHECK_H

#include <stddef.h>

#include "continuum/error.h"

/** The largest font file accepted (a full CJK TrueType face is ~20 MiB). */
#define CTM_FONT_MAX_BYTES ((size_t)64 << 20)

/**
 * Checks the font bytes data[0..size). Returns 0 when libharu can load and
 * use them safely, else CTM_EINVALID with "path: error: not a usable
 * TrueType font: REASON" in ctx (path names the file in the message only).
 * CTM_ENOMEM when FreeType cannot allocate.
 */
int ctm_font__check_bytes(const unsigned char *data, size_t size, const char *path, ctm_ctx *ctx);

/**
 * Reads the file at path (CTM_EIO with the system's reason when it cannot be
 * read, CTM_EINVALID when it is not a regular file or exceeds
 * CTM_FONT_MAX_BYTES) and checks it with ctm_font__check_bytes.
 */
int ctm_font__check_file(const char *path, ctm_ctx *ctx);

/**
 * Reads and checks the font at path as ctm_font__check_file, then puts the
 * checked bytes in an anonymous file (memfd) for libharu to read as
 * "/proc/self/fd/N": the file is read once, so a font changed on disk after
 * the check is never what libharu sees. A font without a 'prep' table gets
 * a one-byte one there (font_check.c, with_prep: libharu 2.3.0 cannot save
 * some documents otherwise). On success *fd is the caller's to close (after
 * libharu has opened it); on failure -1, with the reason in ctx.
 */
int ctm_font__open_checked(const char *path, int *fd, ctm_ctx *ctx);

#endif
