#!/usr/bin/env python3
"""Writes the inputs of the layout test (tests/cli/layout.sh) into DIR, at
test time (nothing here is committed but this script):

    make_layout.py DIR RUBRIC.xml...

- NAME.csv for each RUBRIC.xml (NAME: its file name): a survey made for it
  from its own definitions, so that every shipped rubric gets a report with
  every part filled in. Two regions over two waves; 8 partners of 2 to 6
  respondents (some at or above min-n, some below); three roles; each
  dimension placed around a region's centre, each diagnostic question
  answered yes more often the lower its level, a statement rated around a
  region's strength, a few blanks. Deterministic (a fixed seed).
- long.xml, long.csv: the long names of issue 19: 15 dimensions whose names
  wrap, five levels one of which has a very long name, a long region, long
  partner names and roles. The target is the top level, so the cover's gap
  sits next to that long name.
"""
import os
import random
import sys
import xml.etree.ElementTree as ET

NS = {"r": "urn:continuum:rubric:1"}


def cell(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


def survey(path, rnd, regions=("Riverside", "Ōtautahi"), partners=None, roles=None):
    root = ET.parse(path).getroot()
    levels = [int(l.get("value")) for l in root.findall("r:levels/r:level", NS)]
    top = max(levels) if levels else 1
    dims = []  # (id, values with a descriptor)
    for d in root.findall("r:dimensions/r:dimension", NS):
        vals = sorted(int(x.get("level")) for x in d.findall("r:descriptor", NS)) or levels
        dims.append((d.get("id"), vals))
    scales = {}
    for s in root.findall("r:scales/r:scale", NS):
        opts = [o for o in s.findall("r:option", NS) if o.get("missing") != "true"]
        # ordered from the lowest score (or value) up
        key = lambda o: float(o.get("score") or o.get("value") or 0)
        scales[s.get("id")] = [o.get("code") for o in sorted(opts, key=key)]
    questions = [(q.get("id"), q.get("level"), q.get("scale"))
                 for q in root.findall("r:questions/r:question", NS)]
    partners = partners or [f"Partner agency {k}" for k in range(1, 9)]
    roles = roles or ["manager", "frontline", "governance"]
    cols = ["region", "wave", "partner", "respondent", "role"] + [d for d, _ in dims] + \
        [q for q, _, _ in questions]
    rows = [",".join(cell(c) for c in cols)]
    rid = 0
    for r, region in enumerate(regions):
        for w, wave in enumerate(("2024-03", "2025-03")):
            centre = 1.5 + (top - 1) * (0.35 + 0.15 * r + 0.1 * w)
            for p, partner in enumerate(partners):
                for _ in range(2 + (p * 3 + r) % 5):
                    rid += 1
                    row = [region, wave, partner, f"R{rid:05d}", roles[(rid + p) % len(roles)]]
                    for _, vals in dims:
                        if rnd.random() < 0.04:
                            row.append("")
                            continue
                        v = centre + rnd.gauss(0, 0.8)
                        row.append(str(min(vals, key=lambda x: abs(x - v))))
                    for _, level, scale in questions:
                        codes = scales[scale]
                        if rnd.random() < 0.04:
                            row.append("")
                            continue
                        if level:  # attained more often the lower its level
                            p_yes = max(0.05, min(0.95, 1.1 - int(level) / (centre + 1.2)))
                        else:
                            p_yes = 0.3 + 0.2 * r + 0.1 * w
                        k = min(len(codes) - 1, int(sum(rnd.random() < p_yes
                                                        for _ in range(len(codes) - 1))))
                        row.append(codes[k])
                    rows.append(",".join(cell(c) for c in row))
    return "\n".join(rows) + "\n"


LONG_LEVELS = ["Awareness", "Communication",
               "Coordination of services across every agency of the region and its partners",
               "Collaboration", "Integration into one system of care"]
LONG_DIMS = [
    "Shared planning of programs and services across agencies and sectors",
    "Leadership commitment and governance of the partnership as a whole",
    "Joint service delivery to families with complex needs",
    "Information sharing, consent and interoperable data systems",
    "Pooled and aligned funding across the partner organisations",
    "Referral pathways and warm handovers between services",
    "Workforce development and cross-training of frontline staff",
    "Client, whānau and community voice in the decisions of the partnership",
    "Co-location and shared premises of the partner services",
    "Outcome measurement and shared accountability frameworks",
    "Cultural safety and responsiveness of every partner service",
    "Sustainability of the partnership beyond its first funding round",
    "Communication with the public about the services of the partnership",
    "Evaluation of the partnership's own practice and its results",
    "Transport and access to services in the rural parts of the region",
]


def long_rubric():
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rubric xmlns="urn:continuum:rubric:1" id="long-names" version="1.0" xml:lang="en">',
           '  <title>Long Names Continuum of Integrated Community Services</title>',
           '  <source>Written for the continuum layout test (issue 19).</source>',
           '  <levels>']
    for i, n in enumerate(LONG_LEVELS, 1):
        out.append(f'    <level value="{i}" id="l{i}"><name>{n}</name></level>')
    out += ['  </levels>', '  <scales>', '    <scale id="ypn">',
            '      <option code="yes" score="1">Yes</option>',
            '      <option code="partly" score="0.5">Partly</option>',
            '      <option code="no" score="0">No</option>',
            '    </scale>', '  </scales>', '  <dimensions>']
    for d, name in enumerate(LONG_DIMS, 1):
        out += [f'    <dimension id="d{d}">', f'      <name>{name}</name>',
                f'      <prompt>Which statement best describes {name.lower()}?</prompt>']
        for lv in range(1, 6):
            out.append(f'      <descriptor level="{lv}">At level {lv}, the partners approach '
                       f'{name.lower()} as described here.</descriptor>')
        out.append('    </dimension>')
    out += ['  </dimensions>', '  <questions>']
    for q in range(1, 11):
        lv = 1 + (q - 1) // 2
        out.append(f'    <question id="q{q}" level="{lv}" scale="ypn">Do the partners practise '
                   f'what level {lv} asks of them (item {q})?</question>')
    out += ['  </questions>',
            '  <scoring attainment="0.7" target="5" aggregate="partner" min-n="3"/>',
            '</rubric>', '']
    return "\n".join(out)


def main():
    out = sys.argv[1]
    rnd = random.Random(19)
    for path in sys.argv[2:]:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name + ".csv"), "w", encoding="utf-8") as f:
            f.write(survey(path, rnd))
    long_xml = os.path.join(out, "long.xml")
    with open(long_xml, "w", encoding="utf-8") as f:
        f.write(long_rubric())
    region = "Aotearoa Whānau Ora Collective of the Greater Ōtautahi and Waitaha Region"
    partners = [f"Te Rūnanga o Ngāi Tahu Whānau Services and Family Support Trust {k}"
                for k in range(1, 9)]
    roles = ["Manager of community partnerships", "Frontline practitioner and kaimahi",
             "Governance board member"]
    with open(os.path.join(out, "long.csv"), "w", encoding="utf-8") as f:
        f.write(survey(long_xml, rnd, regions=(region,), partners=partners, roles=roles))


if __name__ == "__main__":
    main()
