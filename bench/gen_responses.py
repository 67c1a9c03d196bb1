#!/usr/bin/env python3
"""Generate realistic survey responses for any continuum rubric.

gen_responses.py RUBRIC.xml [--regions N] [--waves N] [--partners LO-HI]
                 [--respondents LO-HI] [--seed S] [--missing P] [--names P]
                 [--roles] [--no-respondent] [--rows-target N] [-o FILE]

Each region has a latent maturity that drifts upward over waves; partners
scatter around it, respondents around their partner. Placement answers are
level values, or (with probability --names) a level's id or name in random
case; diagnostic answers are option codes or labels. --missing is the chance
that a cell is empty, NA or a scale's missing option. Output is RFC 4180 CSV
with UTF-8 region and partner names. Deterministic for a given seed.

--rows-target N picks respondents-per-partner so that the file has about N
rows with the other settings fixed (for benchmarks that grow respondents while
groups stay the same).
"""
import argparse
import csv
import random
import sys
import xml.etree.ElementTree as ET

NS = {"r": "urn:continuum:rubric:1"}

REGION_NAMES = [
    "Ōtautahi", "Zürich Nord", "Señora del Valle", "Whanganui-a-Tara", "North Coast",
    "Tāmaki Makaurau", "São Paulo Leste", "Kraków", "Île-de-France Sud", "Riverina",
    "Møre og Romsdal", "Cañada Real", "Rotorua", "Dunedin", "Gippsland", "Kāpiti",
]
AGENCY_KINDS = [
    "Community Health Service", "School District", "Housing Trust", "Family Services",
    "Early Learning Centre", "Youth Justice Team", "Māori Health Provider", "Disability Support",
    "Public Library", "Child Protection Office", "Mental Health Clinic", "Employment Service",
    "Women's Refuge", "Food Bank", "Council Community Team", "Pasifika Wellbeing Trust",
]
ROLES = ["manager", "frontline", "board", "coordinator"]


def load(path):
    root = ET.parse(path).getroot()
    levels = [(lv.get("id"), lv.findtext("r:name", "", NS).strip())
              for lv in root.findall("r:levels/r:level", NS)]
    scales = {}
    for sc in root.findall("r:scales/r:scale", NS):
        scales[sc.get("id")] = [(o.get("code"), (o.text or "").strip(),
                                 None if o.get("missing") == "true" else float(o.get("score")))
                                for o in sc.findall("r:option", NS)]
    dims = [d.get("id") for d in root.findall("r:dimensions/r:dimension", NS)]
    qs = [(q.get("id"), int(q.get("level")), q.get("scale"))
          for q in root.findall("r:questions/r:question", NS)]
    return levels, scales, dims, qs


def rng_range(text):
    lo, _, hi = text.partition("-")
    return int(lo), int(hi or lo)


def jitter_case(rng, s):
    r = rng.random()
    return s.upper() if r < 0.2 else s.lower() if r < 0.4 else s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rubric")
    ap.add_argument("--regions", type=int, default=4)
    ap.add_argument("--waves", type=int, default=3)
    ap.add_argument("--partners", default="8-20")
    ap.add_argument("--respondents", default="1-4")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--missing", type=float, default=0.05)
    ap.add_argument("--names", type=float, default=0.1)
    ap.add_argument("--roles", action="store_true")
    ap.add_argument("--no-respondent", action="store_true")
    ap.add_argument("--rows-target", type=int, default=0)
    ap.add_argument("--wave-names", default="")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()

    levels, scales, dims, qs = load(a.rubric)
    L = len(levels)
    rng = random.Random(a.seed)
    plo, phi = rng_range(a.partners)
    rlo, rhi = rng_range(a.respondents)
    waves = a.wave_names.split(",") if a.wave_names else [str(2021 + w) for w in range(a.waves)]

    regions = []
    for i in range(a.regions):
        base = REGION_NAMES[i % len(REGION_NAMES)]
        name = base if i < len(REGION_NAMES) else f"{base} {i // len(REGION_NAMES) + 1}"
        npart = rng.randint(plo, phi)
        partners = []
        for p in range(npart):
            kind = AGENCY_KINDS[(i * 7 + p) % len(AGENCY_KINDS)]
            partners.append(f"{base.split()[0]} {kind}" + (f" {p // len(AGENCY_KINDS) + 2}"
                                                           if p >= len(AGENCY_KINDS) else ""))
        regions.append((name, partners, rng.uniform(1.2, L - 1.5)))

    per_partner = None
    if a.rows_target:
        slots = sum(len(p) for _, p, _ in regions) * len(waves)
        per_partner = max(1, round(a.rows_target / slots))

    out = sys.stdout if a.output == "-" else open(a.output, "w", newline="", encoding="utf-8")
    w = csv.writer(out, lineterminator="\r\n" if a.seed % 2 else "\n")
    header = ["region", "wave", "partner"]
    if not a.no_respondent:
        header.append("respondent")
    if a.roles:
        header.append("role")
    header += dims + [q[0] for q in qs]
    w.writerow(header)
    rid = 0
    for wi, wave in enumerate(waves):
        for name, partners, level in regions:
            maturity = min(L, level + 0.35 * wi + rng.uniform(-0.2, 0.2))
            for partner in partners:
                pm = maturity + rng.gauss(0, 0.6)
                count = per_partner or rng.randint(rlo, rhi)
                for _ in range(count):
                    rid += 1
                    row = [name, wave, partner]
                    if not a.no_respondent:
                        row.append(f"R{rid:06d}")
                    if a.roles:
                        row.append(rng.choice(ROLES))
                    for _d in dims:
                        if rng.random() < a.missing:
                            row.append(rng.choice(["", "NA", " "]))
                            continue
                        v = int(round(min(L, max(1, pm + rng.gauss(0, 0.7)))))
                        if rng.random() < a.names:
                            lid, lname = levels[v - 1]
                            row.append(jitter_case(rng, rng.choice([lid, lname])))
                        else:
                            row.append(str(v))
                    for _qid, ql, sid in qs:
                        opts = scales[sid]
                        if rng.random() < a.missing:
                            miss = [o[0] for o in opts if o[2] is None]
                            row.append(rng.choice(["", "NA"] + miss))
                            continue
                        # Lower levels are attained first: p(yes) falls with the distance.
                        p = min(0.97, max(0.03, 0.5 + 0.45 * (pm - ql + 0.5)))
                        scored = sorted((o for o in opts if o[2] is not None), key=lambda o: o[2])
                        u = rng.random()
                        if u < p:
                            o = scored[-1]
                        elif u < p + (1 - p) * 0.4 and len(scored) > 2:
                            o = scored[len(scored) // 2]
                        else:
                            o = scored[0]
                        row.append(o[0] if rng.random() >= a.names else jitter_case(rng, o[1]))
                    w.writerow(row)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
