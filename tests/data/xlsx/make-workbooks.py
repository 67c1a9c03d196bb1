#!/usr/bin/env python3
"""Writes the test workbooks in this folder (README.md says what each is for)
with examples/exports/xlsx_writer.py, and the twin CSV of each workbook that
has one: the text the workbook shows, as Excel's "CSV UTF-8" would hold it
(UTF-8 without BOM, LF, csv module quoting), under the reader's conventions
(engine/xlsx.h):

    a date cell              ISO 8601, 2024-03-01 (either date system)
    a whole float (4.0)      4
    an absent cell (None)    an empty field; every row as wide as the header
    rich text                its runs joined
    a formula                its cached value
    a merged range           its top-left value in every cell of the range

Deterministic: the same bytes every run.

    python3 tests/data/xlsx/make-workbooks.py [OUTPUT-FOLDER [SEED-FOLDER]]

Without arguments it writes this folder and the fuzz seeds
fuzz/corpus/xlsx/seed-*.xlsx; with OUTPUT-FOLDER only that folder (and the
seeds only when SEED-FOLDER is given too).
"""
import csv
import datetime
import io
import os
import sys
import xml.etree.ElementTree as ET
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.dont_write_bytecode = True  # no __pycache__ left in examples/exports
sys.path.insert(0, os.path.join(ROOT, "examples", "exports"))
import xlsx_writer as xw  # noqa: E402

if len(sys.argv) > 1:
    OUT = sys.argv[1]
    SEEDS = sys.argv[2] if len(sys.argv) > 2 else None
else:
    OUT = HERE
    SEEDS = os.path.join(ROOT, "fuzz", "corpus", "xlsx")

# Names from the rubric, so that the workbooks follow it.
NS = {"r": "urn:continuum:rubric:1"}
rub = ET.parse(os.path.join(ROOT, "rubrics", "service-coordination.xml")).getroot()


def _text(e):
    return " ".join((e.text or "").split())


LEVEL = {int(l.get("value")): _text(l.find("r:name", NS)) for l in rub.find("r:levels", NS)}
DIM = {d.get("id"): _text(d.find("r:name", NS)) for d in rub.find("r:dimensions", NS)}
OPT = {o.get("code"): _text(o) for o in rub.find("r:scales", NS)[0]}
assert LEVEL[4] == "Collaboration" and DIM["planning"] == "Service planning"
assert DIM["leadership"] == "Leadership support"
YES, PARTLY, NO, DK = OPT["yes"], OPT["partly"], OPT["no"], OPT["dk"]

WAVE = datetime.date(2024, 3, 1)
HEADER = ["region", "wave", "partner", "respondent", "planning", "leadership", "q1", "q2"]
R1, P1 = "Whanganui-a-Tara", "Whanganui Health & Housing"
R2, P2 = "Zürich Nord", "Zürich Food Bank"
P2_RICH = ("rich", ["Zürich ", "Food Bank"])

# Each cell kind the reader must show as text, in survey responses.
MIXED = [
    HEADER,
    [R1, WAVE, P1, 101, 3, 4, YES, PARTLY],
    [R1, WAVE, ("inline", P1), 102, 4.0, 3, YES, YES],
    [R1, WAVE, P1, 103, None, 2, PARTLY, NO],            # absent in the middle
    [R1, WAVE, ("inline", P1), 104, 2, LEVEL[4], YES, ("formula", '"Ye"&"s"', YES)],
    [R1, WAVE, P1, 105, 3, 3, DK],                       # absent at the end
    [R2, WAVE, P2_RICH, 201, 5, 4, YES, YES],
    [R2, WAVE, P2, 202, 4, 4.0, YES, PARTLY],
    [R2, WAVE, ("inline", P2), 203, 3, None, NO, DK],
    [R2, WAVE, P2, 204, 4, 5, YES, None],
    [R2, WAVE, ("inline", P2), 205, 2, 3, PARTLY, YES],
]

NOTES = [
    ["Partnership survey, March 2024"],
    ["Exported from the survey platform; the responses are on the sheet \"Data\"."],
    [None],
    ["Notes:", "  two regions, five partners' staff each"],
    [None, "Line one\nline two & <three>"],
]

QUESTION = "Where does the partnership stand on each of these?"
# SurveyMonkey's layout in a workbook: row 1 the questions, a matrix's
# merged over its columns; row 2 "Response" or the matrix's rows, blank under
# the respondent id.
MERGED = [
    ["Respondent ID", "region", "wave", "partner", QUESTION, None],
    [None, "Response", "Response", "Response", DIM["planning"], DIM["leadership"]],
    [114001, R1, WAVE, P1, 3, 4],
    [114002, R1, WAVE, P1, 4, LEVEL[4]],
    [114003, R1, WAVE, ("inline", P1), None, 2],
    [114004, R2, WAVE, P2_RICH, 5, 4.0],
    [114005, R2, WAVE, P2, 3],
]
MERGED_RANGES = ["E1:F1"]

DATE1904 = [HEADER, MIXED[1], MIXED[6], MIXED[7]]


def shown(v):
    """The text a cell shows (the reader's conventions, engine/xlsx.h)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, str):
        return v
    if v[0] == "inline":
        return v[1]
    if v[0] == "rich":
        return "".join(v[1])
    if v[0] == "formula":
        return v[2]
    raise TypeError(v)


def col_row(ref):
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col, int(ref[len(letters):])


def write_csv(name, rows, merges=()):
    """The twin CSV: rows as shown, merged ranges filled with their top-left
    value, rows of only absent cells left out, every row as wide as the first."""
    grid = [[shown(v) for v in row] for row in rows]
    for m in merges:
        (c1, r1), (c2, r2) = (col_row(x) for x in m.split(":"))
        top = grid[r1 - 1][c1 - 1]
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                row = grid[r - 1]
                row.extend([""] * (c - len(row)))
                row[c - 1] = top
    width = len(grid[0])
    out = []
    for src, row in zip(rows, grid):
        if all(v is None for v in src) and not any(row):
            continue
        out.append(row + [""] * (width - len(row)))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def path(name):
    return os.path.join(OUT, name)


def sheet_xml(body, head=xw.DECL):
    return (head + '<worksheet xmlns="%s" xmlns:r="%s"><sheetData>' % (xw.NS_MAIN, xw.NS_R) +
            body + "</sheetData></worksheet>").encode("utf-8")


def replace_part(parts, name, data):
    assert any(n == name for n, _ in parts)
    return [(n, data if n == name else d) for n, d in parts]


def write_bomb(name, size, head, unit, tail):
    """A workbook whose one sheet inflates to size bytes: head, unit repeated,
    spaces to make up the size, tail. Streamed through zipfile (which deflates
    with zlib.compressobj(6, DEFLATED, -15) and computes the CRC as it goes)
    in 1 MiB chunks; the local header is rewritten with the real sizes and
    CRC (no data descriptor). The size is declared before writing: zipfile
    uses ZIP64 from 2 GiB (its ZIP64_LIMIT is 2**31 - 1), so bomb.xlsx has
    0xFFFFFFFF sizes with a ZIP64 extra field in both headers, and
    ratio.xlsx plain 32-bit sizes."""
    parts = xw.workbook_parts([("Responses", [HEADER], [])], shared=False)
    head, unit, tail = head.encode(), unit.encode(), tail.encode()
    chunk = unit * ((1 << 20) // len(unit))
    fill = size - len(head) - len(tail)
    with open(path(name), "wb") as f, zipfile.ZipFile(f, "w") as z:
        for n, data in parts:
            if n != "xl/worksheets/sheet1.xml":
                z.writestr(xw.zip_entry(n), data, compresslevel=xw.COMPRESSLEVEL)
                continue
            zi = xw.zip_entry(n)
            zi.file_size = size
            with z.open(zi, "w") as w:
                w.write(head)
                left = fill
                while left >= len(chunk):
                    w.write(chunk)
                    left -= len(chunk)
                w.write(unit * (left // len(unit)) + b" " * (left % len(unit)))
                w.write(tail)
    info = zipfile.ZipFile(path(name)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size == size, info.file_size


def write_ods(name):
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<office:document-content'
               ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
               ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
               ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
               ' office:version="1.2"><office:body><office:spreadsheet>'
               '<table:table table:name="Responses"><table:table-row>' +
               "".join('<table:table-cell office:value-type="string"><text:p>%s</text:p>'
                       '</table:table-cell>' % h for h in HEADER) +
               "</table:table-row></table:table></office:spreadsheet></office:body>"
               "</office:document-content>\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(xw.zip_entry("mimetype", stored=True),
                   b"application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(xw.zip_entry("content.xml"), content.encode(), compresslevel=xw.COMPRESSLEVEL)
    with open(path(name), "wb") as f:
        f.write(buf.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)

    xw.write_xlsx(path("mixed.xlsx"), [("Responses", MIXED, [])])
    write_csv("mixed.csv", MIXED)

    xw.write_xlsx(path("two-sheets.xlsx"), [("Notes", NOTES, []), ("Data", MIXED, [])])

    xw.write_xlsx(path("merged-header.xlsx"), [("Responses", MERGED, MERGED_RANGES)])
    write_csv("merged-header.csv", MERGED, MERGED_RANGES)

    xw.write_xlsx(path("date1904.xlsx"), [("Responses", DATE1904, [])], date1904=True)
    write_csv("date1904.csv", DATE1904)

    with open(path("mixed.xlsx"), "rb") as f:
        data = f.read()
    with open(path("corrupt.xlsx"), "wb") as f:
        f.write(data[:len(data) // 2])

    xw.write_parts(path("not-a-workbook.xlsx"), [("hello.txt", b"hello\n")])

    small = xw.workbook_parts([("Responses", MIXED[:3], [])], shared=False)
    cells = "".join('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (xw.cell_ref(1, i + 1), h)
                    for i, h in enumerate(HEADER))
    # <row> never closed: libxml2 reports the mismatched </sheetData>.
    xw.write_parts(path("bad-xml.xlsx"), replace_part(
        small, "xl/worksheets/sheet1.xml", sheet_xml('<row r="1">' + cells)))
    # An internal entity in a DTD; well formed, but no DTD is accepted.
    doc = sheet_xml('<row r="1">%s</row><row r="2"><c r="A2" t="inlineStr"><is><t>&a;</t>'
                    '</is></c></row>' % cells, head='<!DOCTYPE x [<!ENTITY a "aaaa">]>')
    xw.write_parts(path("doctype.xlsx"), replace_part(small, "xl/worksheets/sheet1.xml", doc))

    head = ('%s<worksheet xmlns="%s" xmlns:r="%s"><sheetData><row r="1">%s</row>'
            % (xw.DECL, xw.NS_MAIN, xw.NS_R, cells))
    tail = "</sheetData></worksheet>"
    write_bomb("bomb.xlsx", 2 << 30, head, " ", tail)                       # 2 GiB
    write_bomb("ratio.xlsx", 200 << 20, head + '<row r="2">', "<c/>", "</row>" + tail)

    with open(path("legacy.xls"), "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    write_ods("sheet.ods")

    if SEEDS:
        os.makedirs(SEEDS, exist_ok=True)
        for n in ("mixed", "merged-header", "date1904", "not-a-workbook", "bad-xml"):
            with open(path(n + ".xlsx"), "rb") as src, \
                    open(os.path.join(SEEDS, "seed-%s.xlsx" % n), "wb") as dst:
                dst.write(src.read())


if __name__ == "__main__":
    main()
