#!/usr/bin/env python3
"""Checks the layout of PDFs through `pdftotext -bbox` (poppler-utils), for
tests/cli/text.sh: every word lies on its page (not in the last 20 pt at the
right, nor the last 10 pt at the bottom), and no two words are drawn over
each other (their boxes share at most a third of the smaller one).
  pdf_layout.py FILE.pdf...   prints one line per fault; exits 1 on any
"""
import html
import re
import subprocess
import sys

PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pages(path):
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True,
                         text=True, check=True).stdout
    page = None
    for line in out.splitlines():
        m = PAGE.search(line)
        if m:
            if page:
                yield page
            page = (float(m.group(1)), float(m.group(2)), [])
            continue
        m = WORD.search(line)
        if m and page:
            box = tuple(float(m.group(i)) for i in range(1, 5))
            page[2].append((box, html.unescape(m.group(5))))
    if page:
        yield page


def overlap(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


faults = 0
for path in sys.argv[1:]:
    for n, (pw, ph, words) in enumerate(pages(path), 1):
        for box, text in words:
            if box[2] > pw - 20 or box[3] > ph - 10 or box[0] < 0 or box[1] < 0:
                print(f"{path}: page {n}: '{text[:40]}' leaves the page {box}")
                faults += 1
        # sweep by xMin: only boxes that can still meet are compared
        order = sorted(words, key=lambda w: w[0][0])
        for i, (a, ta) in enumerate(order):
            for b, tb in order[i + 1:]:
                if b[0] >= a[2]:
                    break
                area = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if area > 0 and overlap(a, b) > area / 3:
                    print(f"{path}: page {n}: '{ta[:30]}' and '{tb[:30]}' overlap")
                    faults += 1
sys.exit(1 if faults else 0)
