#!/usr/bin/env python3
"""Prints what `continuum template` must put in front of a respondent, one
string per line (white space collapsed), for tests/cli/template.sh:
  rubric_strings.py header RUBRIC   the CSV header line
  rubric_strings.py texts RUBRIC    every prompt, descriptor (or level name
                                    where a level has none), question text and
                                    option label of the questions' scales
"""
import sys
import xml.etree.ElementTree as ET

NS = {"r": "urn:continuum:rubric:1"}


def text(e):
    return " ".join((e.text or "").split())


mode, path = sys.argv[1], sys.argv[2]
root = ET.parse(path).getroot()
levels = root.find("r:levels", NS)
dims = root.find("r:dimensions", NS)
dims = list(dims) if dims is not None else []
qs = root.find("r:questions", NS)
qs = list(qs) if qs is not None else []
if mode == "header":
    print(",".join(["region", "wave", "partner", "respondent", "role"] +
                   [d.get("id") for d in dims] + [q.get("id") for q in qs]))
    sys.exit(0)
scales = {s.get("id"): s for s in (root.find("r:scales", NS) or [])}
for d in dims:
    print(text(d.find("r:prompt", NS)))
    desc = {x.get("level"): text(x) for x in d.findall("r:descriptor", NS)}
    for l in levels:
        print(desc.get(l.get("value")) or text(l.find("r:name", NS)))
for q in qs:
    print(text(q))
    for o in scales[q.get("scale")]:
        print(text(o))
