#!/usr/bin/env python3
"""Checks the layout of PDFs by their geometry, read back with poppler-utils
(`pdftotext -bbox`: a box per word) and, for the options that need it, qpdf
(the outline, and the content streams uncompressed by `qpdf --qdf`).

  pdf_layout.py [--margin PT] [--flow] [--lines] FILE.pdf...

prints one line per fault ("FILE: page N: ...") and exits 1 on any, 0 when
every check passes. Without options (tests/cli/text.sh): every word lies on
its page (not in the last 20 pt at the right nor the last 10 pt at the
bottom), and no two words are drawn over each other (their boxes share more
than a third of the smaller one).

--margin PT (the report's 56, the comparison's and questionnaire's 50)
    The content area is the page less PT on each side; the drawing layer
    (reports/draw.c, ctm_draw__doc_finish) puts only the running header and
    the footer with "Page i of n" in the margins, each one line of 8 pt with
    its baseline PT/2 + 4 below the top (header) or PT/2 above the bottom
    (footer), between the left and right margins. So: every word lies in the
    content area (0.5 pt of tolerance for rounding), or in one of those two
    bands (a box of an 8 pt line: 7.4 pt above the baseline to 1.9 below),
    within the margins. A page's footer band must hold "Page i of n" with
    the right i and n. Words are also checked against each other more
    strictly: two boxes that cross by more than 1 pt across and a fifth of
    the smaller height (lines of one paragraph touch by 0.5 pt) are an
    overlap, whatever their areas: a short label over a long one counts.
--lines (needs qpdf)
    No word is crossed by a dark stroked line at least 0.9 pt wide (the M
    marker's line over a level number, a whisker over a value) nor covered
    by a small opaque filled shape (a marker): the line or the shape meets
    the word's box shrunk to the body of its letters (a quarter of its
    height off the top, a third off the bottom, 0.5 pt off each side).
    Table rules, grid lines and the heading's underline are lighter or
    thinner and may touch text.
--flow (needs qpdf; implies the bands of --margin)
    Page breaks, from the headings' own record: every heading has an entry
    in the PDF's outline whose destination is the heading's page and top (+4
    pt, reports/draw_text.c), so headings are found by position, not by
    guessing from type size or text. A bookmark without visible text (the
    cover's) has no heading line at that place and is passed over.
    - a heading must have at least two lines of content under it on its page
      (a heading at the foot of a page without its content);
    - every page but the first must hold at least three lines in its content
      area (a line: words at one height), not counting header and footer,
      and not only headings: a page holding only a heading, or an orphaned
      tail of a line or two, is a fault;
    - a table continued onto a page must bring at least three of its rows
      there. A continued table repeats its header row at the top of the new
      page (reports/draw_table.c), so a page whose first line repeats a line
      of the page before is a continued table; its rows are counted by the
      rules drawn under each body row (grey, 0.4 pt, across the table's
      width, as under the header row's darker rule), up to the table's end
      (a rule under which the next text starts more than 7.5 pt lower, more
      than any cell padding: the 8 pt after a table, or a new table).
"""
import html
import json
import re
import subprocess
import sys

PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')
FURNITURE = 8.0  # pt: the running header's and footer's size (reports/draw.c)
ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans, as pdftotext boxes a word


def pages(path):
    """[(width, height, [((x0, y0, x1, y1), text)])], y from the top."""
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True,
                         text=True, check=True).stdout
    result = []
    for line in out.splitlines():
        m = PAGE.search(line)
        if m:
            result.append((float(m.group(1)), float(m.group(2)), []))
            continue
        m = WORD.search(line)
        if m and result:
            box = tuple(float(m.group(i)) for i in range(1, 5))
            result[-1][2].append((box, html.unescape(m.group(5))))
    return result


def overlap(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return (w, h) if w > 0 and h > 0 else (0.0, 0.0)


GRID = 24.0  # pt: the cells of the spatial hash that pairs() compares within


def pairs(words):
    """Pairs of words whose boxes meet: those sharing a cell of a grid, each
    pair once."""
    cells = {}
    for i, (b, _) in enumerate(words):
        for gx in range(int(b[0] // GRID), int(b[2] // GRID) + 1):
            for gy in range(int(b[1] // GRID), int(b[3] // GRID) + 1):
                cells.setdefault((gx, gy), []).append(i)
    seen = set()
    for ids in cells.values():
        for k, i in enumerate(ids):
            a = words[i][0]
            for j in ids[k + 1:]:
                b = words[j][0]
                if b[0] >= a[2] or a[0] >= b[2] or b[1] >= a[3] or a[1] >= b[3]:
                    continue
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                yield a, words[i][1], b, words[j][1]


def bands(margin, ph):
    """The running header's and footer's word boxes: (top, bottom) each."""
    head = margin / 2 + FURNITURE * 0.5
    foot = ph - margin / 2
    return [(base - ASCENT * FURNITURE - 0.6, base + DESCENT * FURNITURE + 0.6)
            for base in (head, foot)]


def in_band(box, band):
    return box[1] >= band[0] and box[3] <= band[1]


def lines_of(words):
    """Words grouped into lines (one top, one height), top to bottom:
    [(y0, y1, [words])]."""
    rows = []
    for w in sorted(words, key=lambda w: (w[0][1], w[0][0])):
        b = w[0]
        if rows and abs(rows[-1][0] - b[1]) < 0.6 and abs((rows[-1][1] - rows[-1][0]) -
                                                          (b[3] - b[1])) < 0.6:
            rows[-1][2].append(w)
        else:
            rows.append([b[1], b[3], [w]])
    return [tuple(r) for r in rows]


def line_key(line):
    return tuple((round(b[0]), t) for b, t in sorted(line[2], key=lambda w: w[0][0]))


# ---- content streams (qpdf) --------------------------------------------------

TOKEN = re.compile(rb"""\s*(?:(<<|>>)|<([0-9A-Fa-f\s]*)>|(\((?:\\.|[^\\()])*\))|(\[)|(\])|"""
                   rb"""(/[^\s/\[\]()<>{}%]*)|([+-]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'"*]+)|(%[^\n]*))""",
                   re.S)


def streams(path):
    """Each page's content streams, uncompressed, by qpdf's QDF mode."""
    q = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, "-"],
                       capture_output=True, check=True).stdout
    per_page = {}
    for m in re.finditer(rb"%% Contents for page (\d+)\n.*?stream\n(.*?)\nendstream", q, re.S):
        per_page.setdefault(int(m.group(1)), []).append(m.group(2))
    return per_page


def shapes(data):
    """Stroked straight segments and filled shapes of a content stream, in
    page coordinates (y up): ('line', (x0, y0, x1, y1), width, rgb) and
    ('fill', [points], rgb, opaque)."""
    out = []
    ctm = (1, 0, 0, 1, 0, 0)
    state = {"w": 1.0, "RG": (0, 0, 0), "rg": (0, 0, 0), "ctm": ctm, "alpha": False}
    stack = []
    nums = []
    path = []  # subpaths: lists of points
    rects = []

    def tx(x, y):
        a, b, c, d, e, f = state["ctm"]
        return (a * x + c * y + e, b * x + d * y + f)

    pos = 0
    in_text = False
    while pos < len(data):
        m = TOKEN.match(data, pos)
        if not m:
            pos += 1
            continue
        pos = m.end()
        if m.group(7) is not None:
            nums.append(float(m.group(7)))
            continue
        op = m.group(8)
        if op is None:
            if m.group(6) is None and m.group(4) is None and m.group(5) is None:
                nums = [] if m.group(9) is None else nums
            continue
        op = op.decode()
        if op == "BT":
            in_text = True
        elif op == "ET":
            in_text = False
        elif in_text:
            pass
        elif op == "q":
            stack.append(dict(state))
        elif op == "Q":
            if stack:
                state = stack.pop()
        elif op == "cm" and len(nums) >= 6:
            a, b, c, d, e, f = nums[-6:]
            A, B, C, D, E, F = state["ctm"]
            state["ctm"] = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                            e * A + f * C + E, e * B + f * D + F)
        elif op == "w" and nums:
            state["w"] = nums[-1]
        elif op == "RG" and len(nums) >= 3:
            state["RG"] = tuple(nums[-3:])
        elif op == "rg" and len(nums) >= 3:
            state["rg"] = tuple(nums[-3:])
        elif op == "G" and nums:
            state["RG"] = (nums[-1],) * 3
        elif op == "g" and nums:
            state["rg"] = (nums[-1],) * 3
        elif op == "gs":
            state["alpha"] = True  # an opacity: translucent fills do not hide
        elif op == "m" and len(nums) >= 2:
            path.append([tx(*nums[-2:])])
        elif op == "l" and len(nums) >= 2 and path:
            path[-1].append(tx(*nums[-2:]))
        elif op == "c" and len(nums) >= 6 and path:
            path[-1].append(tx(*nums[-2:]))
        elif op in ("v", "y") and len(nums) >= 4 and path:
            path[-1].append(tx(*nums[-2:]))
        elif op == "re" and len(nums) >= 4:
            x, y, w, h = nums[-4:]
            rects.append([tx(x, y), tx(x + w, y), tx(x + w, y + h), tx(x, y + h)])
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
            stroke = op in ("S", "s", "B", "B*", "b", "b*")
            fill = op in ("f", "F", "f*", "B", "B*", "b", "b*")
            if stroke:
                for sub in path:
                    for p0, p1 in zip(sub, sub[1:]):
                        out.append(("line", p0 + p1, state["w"], state["RG"]))
            if fill:
                for sub in path:
                    if len(sub) >= 3:
                        out.append(("fill", sub, state["rg"], not state["alpha"]))
                for r in rects:
                    out.append(("rect", r, state["rg"], not state["alpha"]))
            if stroke:
                for r in rects:
                    for p0, p1 in zip(r, r[1:] + r[:1]):
                        out.append(("line", p0 + p1, state["w"], state["RG"]))
            path, rects = [], []
        nums = []
    return out


def dark(rgb):
    return max(rgb) < 0.5


def seg_hits_box(seg, box):
    """Liang-Barsky: does the segment meet the box (x0, y0, x1, y1)?"""
    x0, y0, x1, y1 = seg
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def area(pts):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]))) / 2


# ---- the checks --------------------------------------------------------------

class Report:
    def __init__(self):
        self.faults = 0

    def __call__(self, path, n, msg):
        print(f"{path}: page {n}: {msg}")
        self.faults += 1


def check_basic(path, n, pw, ph, words, fault, strict):
    for box, text in words:
        if box[2] > pw - 20 or box[3] > ph - 10 or box[0] < 0 or box[1] < 0:
            fault(path, n, f"'{text[:40]}' leaves the page {box}")
    for a, ta, b, tb in pairs(words):
        w, h = overlap(a, b)
        if not w:
            continue
        small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
        smallh = min(a[3] - a[1], b[3] - b[1])
        if (small > 0 and w * h > small / 3) or (strict and w > 1 and h > max(1, smallh / 5)):
            fault(path, n, f"'{ta[:30]}' and '{tb[:30]}' overlap")


def check_margins(path, n, npages, pw, ph, words, margin, fault):
    head, foot = bands(margin, ph)
    tol = 0.5
    footer, furniture = [], []
    for box, text in words:
        inside_x = box[0] >= margin - tol and box[2] <= pw - margin + tol
        if in_band(box, head) or in_band(box, foot):
            if not inside_x:
                fault(path, n, f"'{text[:40]}' of the header or footer leaves the margins {box}")
            if in_band(box, foot):
                footer.append((box, text))
            furniture.append((box, text))
            continue
        if not inside_x or box[1] < margin - tol or box[3] > ph - margin + tol:
            fault(path, n, f"'{text[:40]}' lies outside the content area {box}")
    if " ".join(t for _, t in footer[-4:]) != f"Page {n} of {npages}":
        fault(path, n, f"the footer does not end in 'Page {n} of {npages}': "
                       f"{[t for _, t in footer[-4:]]}")
        return
    # the header and footer are of one size, the page number's: any other
    # text in their bands came from the content (a chart pushed down)
    size = footer[-4][0][3] - footer[-4][0][1]
    for box, text in furniture:
        if abs((box[3] - box[1]) - size) > 0.5:
            fault(path, n, f"'{text[:40]}' lies in the margin beside the header or footer {box}")


def outline(path):
    """[(title, page, top from the page's top)] of every bookmark."""
    js = json.loads(subprocess.run(["qpdf", "--json", "--json-key=outlines", path],
                                   capture_output=True, text=True, check=True).stdout)
    out = []

    def walk(items):
        for it in items:
            dest = it.get("dest") or []
            if it.get("destpageposfrom1") and len(dest) >= 3 and dest[1] == "/FitH":
                out.append((it.get("title", ""), it["destpageposfrom1"], float(dest[2])))
            walk(it.get("kids", []))
    walk(js.get("outlines", []))
    return out


def check_flow(path, doc, margin, shapes_of, fault):
    content = []  # per page: lines of the content area
    for pw, ph, words in doc:
        head, foot = bands(margin, ph)
        content.append(lines_of([w for w in words
                                 if not in_band(w[0], head) and not in_band(w[0], foot)]))
    heading_lines = {}  # page -> ids of lines that are headings
    headings = []  # (title, page, index of its last line)
    for title, p, top in outline(path):
        if p < 1 or p > len(doc):
            continue
        y0 = doc[p - 1][1] - top + 4  # the heading's top, from the page's top
        lines = content[p - 1]
        first = [i for i, ln in enumerate(lines) if -2 < ln[0] - y0 < 5]
        if not first:
            continue  # a bookmark without a heading (the cover)
        i = first[0]
        h = lines[i][1] - lines[i][0]
        last = i
        while last + 1 < len(lines) and abs((lines[last + 1][1] - lines[last + 1][0]) - h) < 0.6 \
                and lines[last + 1][0] - lines[last][0] < 1.3 * h:
            last += 1
        heading_lines.setdefault(p, set()).update(range(i, last + 1))
        headings.append((title, p, last))
    for title, p, last in headings:
        below = len(content[p - 1]) - last - 1
        # a short section may end under its heading: a fault only when what
        # follows the heading goes on at the top of the next page
        goes_on = p < len(content) and content[p] and 0 not in heading_lines.get(p + 1, ())
        if below < 2 and goes_on:
            fault(path, p, f"heading '{title[:40]}' at the foot of the page with "
                           f"{below} line(s) under it")
    for p, lines in enumerate(content, 1):
        if p == 1:
            continue
        if len(lines) < 3:
            what = "the last page" if p == len(content) else "the page"
            fault(path, p, f"{what} holds only {len(lines)} line(s): "
                           f"'{' '.join(t for _, t in lines[0][2])[:50] if lines else ''}'")
        elif len(heading_lines.get(p, ())) == len(lines):
            fault(path, p, "the page holds only headings")
    # continued tables
    for p in range(2, len(doc) + 1):
        lines, prev = content[p - 1], content[p - 2]
        if not lines or not prev:
            continue
        keys = [line_key(ln) for ln in prev]
        k = line_key(lines[0])
        ph = doc[p - 1][1]
        if k not in keys or 0 in heading_lines.get(p, ()):
            continue
        # the header row: the lines above the first header rule (0.8 pt,
        # slate), each repeating, in order, a line of the page before
        rules = [s for s in shapes_of(p) if s[0] == "line" and abs(s[1][1] - s[1][3]) < 0.01]
        hrule = sorted((s for s in rules if abs(s[2] - 0.8) < 0.05 and
                        abs(s[3][0] - 0.45) < 0.02 and ph - s[1][1] > lines[0][1]),
                       key=lambda s: -s[1][1])
        if not hrule:
            continue  # not a table's header
        head = [ln for ln in lines if ln[1] < ph - hrule[0][1][1]]
        j = len(keys) - 1 - keys[::-1].index(k)
        if [line_key(ln) for ln in head] != keys[j:j + len(head)]:
            continue
        if any(i > j for i in heading_lines.get(p - 1, ())):
            continue  # a heading after it: that table ended, this is another
        x0, x1 = hrule[0][1][0], hrule[0][1][2]
        y = ph - hrule[0][1][1]
        body = sorted(ph - s[1][1] for s in rules if abs(s[2] - 0.4) < 0.05 and
                      abs(s[1][0] - x0) < 0.5 and abs(s[1][2] - x1) < 0.5 and ph - s[1][1] > y)
        rows = 0
        for r in body:
            starts = [ln[0] for ln in lines if y < ln[0] < r]
            if starts and min(starts) - y > 7.5:
                break  # the text under the last rule starts too low: a new table
            rows += 1
            y = r
        if rows < 3:
            # the table may go on to the next page: then this is not its last part
            nxt = content[p] if p < len(content) else []
            if not (nxt and line_key(nxt[0]) == k):
                fault(path, p, f"a table is continued onto the page for {rows} row(s) "
                               f"(header '{' '.join(t for _, t in lines[0][2])[:40]}')")


def check_lines(path, n, ph, words, shp, fault):
    for kind, geo, *rest in shp:
        if kind == "line":
            width, rgb = rest
            if width < 0.9 or not dark(rgb):
                continue
        elif kind == "fill":
            rgb, opaque = rest
            if not opaque or area(geo) > 400:
                continue
        else:
            continue
        if kind == "line":
            lo_x, hi_x = min(geo[0], geo[2]), max(geo[0], geo[2])
            lo_y, hi_y = min(geo[1], geo[3]), max(geo[1], geo[3])
        else:
            lo_x, hi_x = min(p[0] for p in geo), max(p[0] for p in geo)
            lo_y, hi_y = min(p[1] for p in geo), max(p[1] for p in geo)
        for box, text in words:
            if box[0] > hi_x or box[2] < lo_x or ph - box[3] > hi_y or ph - box[1] < lo_y:
                continue
            h = box[3] - box[1]
            # the letters' body, in page coordinates (y up)
            body = (box[0] + 0.5, ph - box[3] + h / 3, box[2] - 0.5, ph - box[1] - h / 4)
            if body[0] >= body[2]:
                continue
            if kind == "line":
                hit = seg_hits_box(geo, body)
            else:
                pts = geo
                hit = any(seg_hits_box(p0 + p1, body) for p0, p1 in zip(pts, pts[1:] + pts[:1]))
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                hit = hit or (min(xs) <= body[0] and max(xs) >= body[2] and
                              min(ys) <= body[1] and max(ys) >= body[3])
            if hit:
                what = "a line" if kind == "line" else "a filled shape"
                fault(path, n, f"{what} crosses '{text[:30]}'")


def main(argv):
    margin, flow, lines = None, False, False
    files = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--margin":
            margin = float(argv[i + 1])
            i += 1
        elif a == "--flow":
            flow = True
        elif a == "--lines":
            lines = True
        else:
            files.append(a)
        i += 1
    if flow and margin is None:
        print("pdf_layout.py: --flow needs --margin", file=sys.stderr)
        return 2
    fault = Report()
    for path in files:
        doc = pages(path)
        cache = {}

        def shapes_of(p):
            if "s" not in cache:
                cache["s"] = {k: [s for d in v for s in shapes(d)]
                              for k, v in streams(path).items()}
            return cache["s"].get(p, [])
        for n, (pw, ph, words) in enumerate(doc, 1):
            check_basic(path, n, pw, ph, words, fault, margin is not None)
            if margin is not None:
                check_margins(path, n, len(doc), pw, ph, words, margin, fault)
            if lines:
                check_lines(path, n, ph, words, shapes_of(n), fault)
        if flow:
            check_flow(path, doc, margin, shapes_of, fault)
    return 1 if fault.faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
