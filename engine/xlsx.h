/*
 * Internal: Excel workbooks (.xlsx) read as responses, one sheet streamed
 * into the CSV reader's records (csv.h, ctm_csv_source), so that everything
 * the CSV path does applies unchanged.
 *
 * What a sheet's cells become (the text Excel shows, as its "CSV UTF-8"
 * would hold it): shared and inline strings (rich text runs joined, phonetic
 * runs left out); numbers in General as their shortest exact form (3, not
 * 3.0; 2.5; 0.1 for 0.1000000000000000055; integers written out in full up
 * to 15 digits); numbers in a date or time format as ISO 8601 (YYYY-MM-DD,
 * YYYY-MM-DD HH:MM:SS, HH:MM:SS; the 1900 and 1904 date systems); booleans
 * TRUE and FALSE; error values (#N/A) and formula results as their text.
 * Cells absent from a row are empty fields; a merged range shows its top-left
 * value in every cell (Excel's merged header cells); rows absent from the
 * sheet are not records (each record's line is the sheet row), and every row
 * has at least as many fields as the first (the header).
 *
 * Locations: a record's fields have the sheet row as line and the column
 * (1 = A) with CTM_DIAG_CELL as column, so that messages read
 * "book.xlsx:Sheet1!C12: error: ..."; the reader's name is "book.xlsx:Sheet1".
 *
 * Hardening: the zip is read with libzip, every part with libxml2's push
 * parser and no DTD, entity, network or deep nesting (as a rubric, see
 * rubric_load.c), and bounds on the number of parts, each part's size and
 * its expansion ratio (a zip bomb is refused from its directory, before any
 * of it is inflated) and on what is kept in memory: shared strings, styles,
 * merged ranges. The sheet itself is streamed: memory is bounded by a row,
 * never by the sheet.
 */
#ifndef CTM_ENGINE_XLSX_H
#define CTM_ENGINE_XLSX_H

#include <stddef.h>

#include "continuum/error.h"
#include "csv.h"

/* What a file's first bytes say it is. */
typedef enum ctm_xlsx_kind {
	CTM_XLSX_NOT = 0, /* not a zip or OLE2 file: text */
	CTM_XLSX_ZIP,     /* a zip archive: a workbook (.xlsx) or an .ods */
	CTM_XLSX_OLE2     /* an Excel 97-2003 workbook (.xls) or another OLE2 file */
} ctm_xlsx_kind;

ctm_xlsx_kind ctm_xlsx__sniff(const void *head, size_t len);

/*
 * Opens sheet (NULL: the first) of the workbook at path, or in buf[0..len)
 * when buf is set (kept alive by the caller until the reader is freed), as
 * a reader of records named "<name>:<sheet>". max_field_bytes and max_fields
 * bound a cell's text and a row's cells (0: the CSV reader's defaults).
 * Returns 0, or CTM_EINVALID (said in ctx: not a workbook, a format that is
 * not read, a hostile or corrupt archive, no such sheet), CTM_EIO or
 * CTM_ENOMEM.
 */
int ctm_xlsx__open(ctm_csv **out, const char *path, const char *name, const void *buf,
		   size_t len, const char *sheet, const ctm_csv_limits *limits, ctm_ctx *ctx);

#endif
