"""A minimal, correct .xlsx writer (SpreadsheetML, ECMA-376 transitional),
standard library only, for the sample exports and the test workbooks.

    write_xlsx(path, sheets, *, shared=True, date1904=False)

sheets is a list of (sheet_name, rows, merges). rows is a list of rows, each
a list of cells (row i is sheet row i + 1, cell j is column j + 1):

    None                      no <c> element at all (an absent cell); a row
                              of only None is left out, as Excel does
    str                       a shared string (t="s"), or an inline string
                              when shared=False
    bool                      t="b", <v>1</v> or <v>0</v> (Excel shows TRUE)
    int                       <v>3</v>
    float                     <v>repr(x)</v>: 4.0 is written "4.0" (Excel
                              itself would write "4"; both show 4); NaN and
                              infinities are refused (ValueError)
    datetime.date             the date's serial, style 1 (numFmtId 14)
    datetime.datetime         the serial with the day fraction, style 2
                              (numFmt 164 "m/d/yy h:mm:ss", as Microsoft
                              Forms writes); time zones are refused
    ('inline', text)          t="inlineStr" <is><t>text</t></is>
    ('rich', [run, ...])      a shared string of rich-text runs
                              <si><r>..<t>run</t></r>...</si> (the first run
                              plain, the others bold; inline <is><r>.. when
                              shared=False); Excel shows the runs joined
    ('formula', f, cached)    t="str" <f>f</f><v>cached</v> (f without "=";
                              Excel shows the cached text)

merges is a list of "A1:C1" ranges, written in <mergeCells> after
<sheetData> (where Excel puts them); the cells under a range other than its
top-left are normally None.

Dates: the 1900 system's serial is the days since 1899-12-30 for dates from
1900-03-01 (Excel's serial 61); 1900-01-01..1900-02-28 are 1..59 (Excel
counts a 1900-02-29 that never was); earlier dates are refused. With
date1904 (<workbookPr date1904="1"/>) the serial is the days since
1904-01-01, and earlier dates are refused. A datetime adds
seconds / 86400, written with repr() (an exact whole day as an integer).

Text: escaped for XML (&, <, > in text; also " in attributes); CR is written
as &#13; so that it survives XML's line-end normalization; xml:space=
"preserve" is set on a <t> whose text has leading or trailing white space or
holds a TAB, LF, CR or two spaces together. Characters XML 1.0 cannot hold
(controls other than TAB, LF and CR, lone surrogates, U+FFFE, U+FFFF) are
refused with ValueError rather than written as Excel's _x0001_ escapes. Text
that itself looks like such an escape (_x0041_) is written as Excel writes
it, its underscore escaped (_x005F_x0041_), so that a reader decoding the
escapes gets the text back.

Sheet names follow Excel's rules (1 to 31 characters, none of []:*?/\\,
no leading or trailing apostrophe, unique ignoring case), else ValueError.

The parts are those Excel writes for such a workbook, in its order:
[Content_Types].xml, _rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels,
xl/worksheets/sheetN.xml, xl/styles.xml, xl/sharedStrings.xml (only when a
shared string is used); no theme or docProps (both optional).

The bytes are deterministic: fixed entry order, every entry dated
2023-03-06 09:00:00 (mode 644), deflated at level 6 (given the same
zlib). For writing deliberately broken workbooks, workbook_parts() returns
the parts as [(name, bytes)] and write_parts(path, parts) zips them the same
way; zip_entry(name) is the ZipInfo every entry gets.
"""
import datetime
import io
import math
import re
import zipfile
from xml.sax.saxutils import escape

__all__ = ["write_xlsx", "workbook_parts", "write_parts", "zip_entry",
           "date_serial", "cell_ref", "DATE_TIME"]

DATE_TIME = (2023, 3, 6, 9, 0, 0)
COMPRESSLEVEL = 6

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
REL = NS_R + "/"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

STYLE_DATE = 1      # cellXfs index: numFmtId 14 (m/d/yyyy, locale short date)
STYLE_DATETIME = 2  # cellXfs index: numFmtId 164 "m/d/yy h:mm:ss"

MAX_ROWS = 1048576
MAX_COLS = 16384

# Characters XML 1.0 cannot hold (TAB, LF, CR are fine).
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text that Excel would read as one of its _xHHHH_ escapes.
_X_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_RANGE = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6}):([A-Z]{1,3})([1-9][0-9]{0,6})$")


def zip_entry(name, stored=False):
    """The ZipInfo every entry gets: fixed date and mode, deflated (level 6)."""
    zi = zipfile.ZipInfo(name, date_time=DATE_TIME)
    zi.create_system = 3                # Unix, on every platform
    zi.external_attr = 0o100644 << 16   # a regular file, rw-r--r--
    zi.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    if not stored:
        zi._compresslevel = COMPRESSLEVEL  # read by ZipFile.open(zi, "w")
    return zi


def write_parts(path, parts):
    """Zips [(name, bytes)] to path in the given order (see zip_entry)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as z:
        for name, data in parts:
            zi = zip_entry(name)
            z.writestr(zi, data, compresslevel=COMPRESSLEVEL)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def cell_ref(row, col):
    """'C12' for row 12, column 3 (both from 1)."""
    if not (1 <= row <= MAX_ROWS and 1 <= col <= MAX_COLS):
        raise ValueError("cell outside a sheet: row %d, column %d" % (row, col))
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return "%s%d" % (letters, row)


def _col_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def date_serial(value, date1904=False):
    """The serial of a date or (naive) datetime: int for a date or a whole
    day, float with the day fraction otherwise."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise ValueError("a datetime with a time zone cannot be written: %r" % (value,))
        day = value.date()
        secs = value.hour * 3600 + value.minute * 60 + value.second
        micros = secs * 1000000 + value.microsecond
    else:
        day, micros = value, 0
    if date1904:
        days = (day - datetime.date(1904, 1, 1)).days
        if days < 0:
            raise ValueError("a date before 1904-01-01 in the 1904 date system: %s" % day)
    elif day >= datetime.date(1900, 3, 1):
        days = (day - datetime.date(1899, 12, 30)).days
    elif day >= datetime.date(1900, 1, 1):
        days = (day - datetime.date(1899, 12, 31)).days
    else:
        raise ValueError("a date before 1900-01-01 in the 1900 date system: %s" % day)
    if micros == 0:
        return days
    return (days * 86400000000 + micros) / 86400000000


def _check_text(s, what="text"):
    if not isinstance(s, str):
        raise TypeError("%s must be a str, not %r" % (what, s))
    m = _BAD_XML.search(s)
    if m:
        raise ValueError("%s holds U+%04X, which XML 1.0 cannot hold: %r"
                         % (what, ord(m.group()), s))
    return s


def _text(s):
    """Element content: checked, Excel's _x escape kept literal, escaped."""
    _check_text(s)
    s = _X_ESCAPE.sub(r"_x005F_\1", s)
    return escape(s).replace("\r", "&#13;")


def _attr(s):
    _check_text(s, "an attribute")
    return escape(s, {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def _t(s):
    pre = (s != s.strip(" \t\r\n") or any(c in s for c in "\t\r\n") or "  " in s)
    return "<t%s>%s</t>" % (' xml:space="preserve"' if pre else "", _text(s))


_RUN_PR = '<rPr><b/><sz val="11"/><rFont val="Calibri"/><family val="2"/></rPr>'


def _runs(runs):
    if isinstance(runs, str) or not runs:
        raise ValueError("rich text must be a non-empty list of run texts: %r" % (runs,))
    return "".join("<r>%s%s</r>" % ("" if i == 0 else _RUN_PR, _t(r))
                   for i, r in enumerate(runs))


def _check_sheet_name(name, seen):
    _check_text(name, "a sheet name")
    if not 1 <= len(name) <= 31:
        raise ValueError("a sheet name must have 1 to 31 characters: %r" % name)
    if any(c in name for c in "[]:*?/\\") or any(ord(c) < 32 for c in name):
        raise ValueError("a sheet name cannot hold []:*?/\\ or controls: %r" % name)
    if name.startswith("'") or name.endswith("'"):
        raise ValueError("a sheet name cannot begin or end with an apostrophe: %r" % name)
    if name.lower() in seen:
        raise ValueError("two sheets named %r" % name)
    seen.add(name.lower())


class _Shared:
    def __init__(self):
        self.index = {}
        self.items = []
        self.count = 0

    def add(self, key, xml):
        self.count += 1
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(xml)
        return self.index[key]


def _cell(ref, v, shared, date1904):
    """The <c> element of one value."""
    if isinstance(v, bool):
        return '<c r="%s" t="b"><v>%d</v></c>' % (ref, v)
    if isinstance(v, int):
        return '<c r="%s"><v>%d</v></c>' % (ref, v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("%s: %r cannot be written in a cell" % (ref, v))
        return '<c r="%s"><v>%s</v></c>' % (ref, repr(v))
    if isinstance(v, datetime.datetime):
        return '<c r="%s" s="%d"><v>%r</v></c>' % (ref, STYLE_DATETIME, date_serial(v, date1904))
    if isinstance(v, datetime.date):
        return '<c r="%s" s="%d"><v>%d</v></c>' % (ref, STYLE_DATE, date_serial(v, date1904))
    if isinstance(v, str):
        if shared is None:
            return '<c r="%s" t="inlineStr"><is>%s</is></c>' % (ref, _t(v))
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, shared.add(("s", v), _t(v)))
    if isinstance(v, tuple) and v:
        kind = v[0]
        if kind == "inline" and len(v) == 2:
            return '<c r="%s" t="inlineStr"><is>%s</is></c>' % (ref, _t(_check_text(v[1])))
        if kind == "rich" and len(v) == 2:
            if not isinstance(v[1], (list, tuple)):
                raise TypeError("%s: rich text must be a list of run texts: %r" % (ref, v))
            runs = list(v[1])
            if shared is None:
                return '<c r="%s" t="inlineStr"><is>%s</is></c>' % (ref, _runs(runs))
            return '<c r="%s" t="s"><v>%d</v></c>' % (
                ref, shared.add(("rich", tuple(runs)), _runs(runs)))
        if kind == "formula" and len(v) == 3:
            f = escape(_check_text(v[1], "a formula")).replace("\r", "&#13;")
            return '<c r="%s" t="str"><f>%s</f><v>%s</v></c>' % (ref, f, _text(v[2]))
    raise TypeError("%s: a cell cannot be %r" % (ref, v))


def _sheet_xml(rows, merges, shared, date1904, selected):
    body = []
    min_r = min_c = None
    max_r = max_c = 0
    for i, row in enumerate(rows):
        cells = []
        for j, v in enumerate(row):
            if v is None:
                continue
            ref = cell_ref(i + 1, j + 1)
            cells.append(_cell(ref, v, shared, date1904))
            min_r = i + 1 if min_r is None else min_r
            min_c = j + 1 if min_c is None else min(min_c, j + 1)
            max_r, max_c = i + 1, max(max_c, j + 1)
        if cells:
            body.append('<row r="%d">%s</row>' % (i + 1, "".join(cells)))
    if min_r is None:
        dim = "A1"
    else:
        a, b = cell_ref(min_r, min_c), cell_ref(max_r, max_c)
        dim = a if a == b else a + ":" + b
    merge_xml = ""
    if merges:
        for m in merges:
            g = _RANGE.match(m) if isinstance(m, str) else None
            if not g:
                raise ValueError("a merge must be a range like A1:C1: %r" % (m,))
            c1, r1, c2, r2 = _col_number(g[1]), int(g[2]), _col_number(g[3]), int(g[4])
            cell_ref(r2, c2)
            if c1 > c2 or r1 > r2 or (c1, r1) == (c2, r2):
                raise ValueError("a merge must span two or more cells, top-left first: %r" % m)
        merge_xml = '<mergeCells count="%d">%s</mergeCells>' % (
            len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges))
    return (DECL +
            '<worksheet xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_R) +
            '<dimension ref="%s"/>' % dim +
            '<sheetViews><sheetView %sworkbookViewId="0"/></sheetViews>'
            % ('tabSelected="1" ' if selected else "") +
            '<sheetFormatPr defaultRowHeight="15"/>' +
            ("<sheetData>%s</sheetData>" % "".join(body) if body else "<sheetData/>") +
            merge_xml +
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            "</worksheet>")


STYLES = (DECL +
          '<styleSheet xmlns="%s">' % NS_MAIN +
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="m/d/yy h:mm:ss"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill>'
          '<fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="3">'
          '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '</cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
          '<dxfs count="0"/><tableStyles count="0"/>'
          '</styleSheet>')


def workbook_parts(sheets, *, shared=True, date1904=False):
    """The workbook's parts, [(name, bytes)], in the order they are zipped."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    seen = set()
    strings = _Shared() if shared else None
    sheet_parts = []
    for n, sheet in enumerate(sheets, 1):
        name, rows, merges = sheet
        _check_sheet_name(name, seen)
        xml = _sheet_xml(rows, merges, strings, date1904, n == 1)
        sheet_parts.append(("xl/worksheets/sheet%d.xml" % n, xml))
    has_sst = bool(strings and strings.items)
    n = len(sheets)

    overrides = ['<Override PartName="/xl/workbook.xml" ContentType="%ssheet.main+xml"/>' % CT]
    overrides += ['<Override PartName="/%s" ContentType="%sworksheet+xml"/>' % (p, CT)
                  for p, _ in sheet_parts]
    overrides.append('<Override PartName="/xl/styles.xml" ContentType="%sstyles+xml"/>' % CT)
    if has_sst:
        overrides.append('<Override PartName="/xl/sharedStrings.xml" '
                         'ContentType="%ssharedStrings+xml"/>' % CT)
    content_types = (DECL + '<Types xmlns="%s">' % NS_CT +
                     '<Default Extension="rels" '
                     'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>' +
                     "".join(overrides) + "</Types>")
    root_rels = (DECL + '<Relationships xmlns="%s">' % NS_PKG_REL +
                 '<Relationship Id="rId1" Type="%sofficeDocument" Target="xl/workbook.xml"/>' % REL +
                 "</Relationships>")
    workbook = (DECL + '<workbook xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_R) +
                ('<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>") +
                '<bookViews><workbookView activeTab="0"/></bookViews><sheets>' +
                "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (_attr(s[0]), i, i)
                        for i, s in enumerate(sheets, 1)) +
                "</sheets></workbook>")
    rels = ['<Relationship Id="rId%d" Type="%sworksheet" Target="worksheets/sheet%d.xml"/>'
            % (i, REL, i) for i in range(1, n + 1)]
    rels.append('<Relationship Id="rId%d" Type="%sstyles" Target="styles.xml"/>' % (n + 1, REL))
    if has_sst:
        rels.append('<Relationship Id="rId%d" Type="%ssharedStrings" Target="sharedStrings.xml"/>'
                    % (n + 2, REL))
    workbook_rels = (DECL + '<Relationships xmlns="%s">' % NS_PKG_REL + "".join(rels) +
                     "</Relationships>")

    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels)]
    parts += sheet_parts
    parts.append(("xl/styles.xml", STYLES))
    if has_sst:
        parts.append(("xl/sharedStrings.xml",
                      DECL + '<sst xmlns="%s" count="%d" uniqueCount="%d">'
                      % (NS_MAIN, strings.count, len(strings.items)) +
                      "".join("<si>%s</si>" % x for x in strings.items) + "</sst>"))
    return [(name, xml.encode("utf-8")) for name, xml in parts]


def write_xlsx(path, sheets, *, shared=True, date1904=False):
    """Writes the workbook of sheets [(name, rows, merges)] to path (see the
    module's docstring for the cells)."""
    write_parts(path, workbook_parts(sheets, shared=shared, date1904=date1904))
