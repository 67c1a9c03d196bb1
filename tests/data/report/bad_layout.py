#!/usr/bin/env python3
"""Writes small PDFs that tests/cli/lib/pdf_layout.py must pass or fail, so
that the layout test (tests/cli/layout.sh) knows its checker can fail:

    bad_layout.py DIR

good.pdf passes every check; each other NAME.pdf has one defect, which the
checker must report (with the option given):

    margin.pdf    a word in the right margin                    --margin 56
    footer.pdf    a 9 pt word in the footer band (a chart pushed down) --margin 56
    overlap.pdf   a short label drawn over a longer one         --margin 56
    line.pdf      a dark 1.2 pt line through a number           --lines
    foot.pdf      a heading at the foot of a page, its text on the next --flow
    lonely.pdf    a last page holding one line                  --flow
    table.pdf     a table continued onto a page for two rows    --flow

A4 pages with a 56 pt margin, the running header and the footer where
reports/draw.c puts them (baselines 32 pt below the top and 28 pt above the
bottom), Helvetica (no font to embed), headings in the outline as
reports/draw_text.c records them (/FitH at the heading's top + 4 pt).
"""
import os
import sys

W, H, M = 595.276, 841.89, 56.0


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


class Page:
    def __init__(self):
        self.ops = []
        self.headings = []  # (title, top)

    def text(self, x, base, s, size=10):
        self.ops.append(f"BT /F1 {size} Tf {x:.2f} {base:.2f} Td ({esc(s)}) Tj ET")

    def line(self, x0, y0, x1, y1, width=0.75, rgb=(0, 0, 0)):
        self.ops.append(f"{rgb[0]} {rgb[1]} {rgb[2]} RG {width} w {x0:.2f} {y0:.2f} m "
                        f"{x1:.2f} {y1:.2f} l S")

    def heading(self, top, s, size=12.5):
        self.text(M, top - 0.99 * size, s, size)
        self.headings.append((s, top))

    def paragraph(self, top, n, s="Body text of a paragraph, one line of it here."):
        """n lines of 10 pt text from top; the y under them."""
        for k in range(n):
            self.text(M, top - 9.9 - 12.5 * k, s)
        return top - 12.5 * n


def write(path, pages):
    objs = []  # bodies, numbered from 1

    def add(body):
        objs.append(body)
        return len(objs)
    catalog = add(None)
    pages_id = add(None)
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for n, pg in enumerate(pages, 1):
        pg.text(M, H - M / 2 - 4, "Readiness report - Test", 8)
        pg.text(M, M / 2, "test footer", 8)
        pg.text(W - M - 45, M / 2, f"Page {n} of {len(pages)}", 8)
        data = "\n".join(pg.ops).encode("latin-1")
        content = add(f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream")
        page_ids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {W} {H}] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> "
                            f"/Contents {content} 0 R >>"))
    marks = [(t, page_ids[n], top) for n, pg in enumerate(pages) for t, top in pg.headings]
    outlines = add(None)
    item_ids = list(range(len(objs) + 1, len(objs) + 1 + len(marks)))
    for k, (t, pid, top) in enumerate(marks):
        links = f"/Parent {outlines} 0 R"
        if k:
            links += f" /Prev {item_ids[k - 1]} 0 R"
        if k + 1 < len(marks):
            links += f" /Next {item_ids[k + 1]} 0 R"
        add(f"<< /Title ({esc(t)}) {links} /Dest [{pid} 0 R /FitH {top + 4:.2f}] >>")
    objs[outlines - 1] = (f"<< /Type /Outlines /Count {len(marks)}" +
                          (f" /First {item_ids[0]} 0 R /Last {item_ids[-1]} 0 R" if marks else "") +
                          " >>")
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R /Outlines {outlines} 0 R >>"
    objs[pages_id - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] "
                          f"/Count {len(page_ids)} >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + (body if isinstance(body, bytes) else body.encode())
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    with open(path, "wb") as f:
        f.write(out)


TOP = H - M
HEAD_RULE, BODY_RULE = (0.45, 0.5, 0.58), (0.78, 0.78, 0.78)


def table(pg, top, rows, header="Question Level n"):
    """A table as reports/draw_table.c draws it: a header row (9 pt text,
    3 pt padding) over its 0.8 pt rule, body rows over 0.4 pt rules."""
    row_h = 9 * 1.2 + 6
    pg.text(M + 3, top - 3 - 8.9, header, 9)
    y = top - row_h
    pg.line(M, y, W - M, y, 0.8, HEAD_RULE)
    for r in range(rows):
        pg.text(M + 3, y - 3 - 8.9, f"Row {r + 1} of the table", 9)
        y -= row_h
        pg.line(M, y, W - M, y, 0.4, BODY_RULE)
    return y - 8


def good():
    p1, p2 = Page(), Page()
    p1.heading(TOP, "Summary", 16)
    y = p1.paragraph(TOP - 25, 5)
    p1.heading(y - 8, "Results")
    y = table(p1, y - 30, 3)
    y = p1.paragraph(y, 4)
    # a table that breaks with three rows on the next page
    rows = int((y - 30 - M - 17) // 16.8)
    table(p1, y - 10, rows)
    y = table(p2, TOP, 3)
    p2.paragraph(y, 3)
    # a line near a number, not through it
    p2.text(300, 400, "3.64")
    p2.line(290, 390, 290, 420, 1.2)
    return [p1, p2]


def cases():
    out = {"good": good()}
    pgs = good()
    pgs[0].text(W - M - 10, 500, "overflowing")
    out["margin"] = pgs
    pgs = good()
    pgs[1].text(W - M - 140, M / 2 + 1, "pushed", 9)
    out["footer"] = pgs
    pgs = good()
    pgs[1].text(100, 300, "Strategic plan: assessment")
    pgs[1].text(140, 302, "Shared")
    out["overlap"] = pgs
    pgs = good()
    pgs[1].text(400, 400, "4")
    pgs[1].line(403, 390, 403, 420, 1.2)
    out["line"] = pgs
    p1, p2 = Page(), Page()
    p1.heading(TOP, "Summary", 16)
    y = p1.paragraph(TOP - 25, int((TOP - 25 - M - 40) / 12.5))
    p1.heading(y - 8, "Perception and evidence")
    p2.paragraph(TOP, 6)
    out["foot"] = [p1, p2]
    p1, p2 = Page(), Page()
    p1.heading(TOP, "Summary", 16)
    p1.paragraph(TOP - 25, 50)
    p2.paragraph(TOP, 1)
    out["lonely"] = [p1, p2]
    pgs = good()
    p1, p2 = Page(), Page()
    p1.heading(TOP, "Gap analysis", 16)
    y = p1.paragraph(TOP - 25, 4)
    rows = int((y - 30 - M - 17) // 16.8)
    table(p1, y - 10, rows)
    y = table(p2, TOP, 2)
    p2.paragraph(y, 6)
    out["table"] = [p1, p2]
    return out


if __name__ == "__main__":
    for name, pgs in cases().items():
        write(os.path.join(sys.argv[1], name + ".pdf"), pgs)
