#!/usr/bin/env python3
"""Cross-check `continuum compare` against an independent computation.

crosscheck_compare.py [--continuum BIN] [--rubric RUBRIC.xml] [--regions N]
                      [--waves N] [--wave-names A,B,...] [--partners LO-HI]
                      [--respondents LO-HI] [--seed S] [--aggregate partner|respondent]
                      [--keep DIR]

Generates responses with gen_responses.py, runs `continuum compare`, and
recomputes from the raw CSV, without any of continuum's code:
  - unit values (a partner's mean over its respondents' non-missing answers,
    or each respondent's answer), per region, wave and dimension;
  - for each region and consecutive pair of its waves (natural order), n,
    means, delta, and Welch's p with scipy.stats.ttest_ind(equal_var=False)
    (undefined when either n < 2 or both variances are 0);
  - ICC(1) and ICC(2) per wave and dimension from a one-way ANOVA in numpy.
Every number must agree with PREFIX.csv / PREFIX-regions.csv to 1e-4 (the
files hold 4 decimals); row order and the significant column must match
exactly. The stage rows' M are checked against `continuum score`. Exits 1 on
any disagreement. A development tool, not a test: it needs scipy.
"""
import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict

import numpy as np
from scipy import stats

NS = {"r": "urn:continuum:rubric:1"}
HERE = os.path.dirname(os.path.abspath(__file__))
TOL = 1e-4 + 1e-9  # the brief: agree to 1e-4 (files hold 4 decimals)


def natural_key(s):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", s)]


def load_rubric(path):
    root = ET.parse(path).getroot()
    levels = {}
    for lv in root.findall("r:levels/r:level", NS):
        v = int(lv.get("value"))
        levels[str(v)] = v
        levels[lv.get("id").lower()] = v
        levels[lv.findtext("r:name", "", NS).strip().lower()] = v
    dims = [d.get("id") for d in root.findall("r:dimensions/r:dimension", NS)]
    sc = root.find("r:scoring", NS)
    agg = sc.get("aggregate", "partner") if sc is not None else "partner"
    return levels, dims, agg


def unit_values(responses, levels, dims, aggregate):
    """{(region, wave): {unit: {dim: [answers]}}} -> per-dimension unit means."""
    acc = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    with open(responses, newline="", encoding="utf-8-sig") as f:
        for i, row in enumerate(csv.DictReader(f)):
            row = {k.strip(): (v or "").strip() for k, v in row.items()}
            unit = row["partner"] if aggregate == "partner" else f"row{i}"
            for d in dims:
                v = row.get(d, "")
                if v == "" or v == "NA":
                    continue
                acc[(row["region"], row["wave"])][unit][d].append(levels[v.lower()])
    out = {}
    for key, units in acc.items():
        out[key] = {d: [np.mean(u[d]) for u in units.values() if u[d]] for d in dims}
    return out


def welch(a, b):
    if len(a) < 2 or len(b) < 2 or (np.var(a) == 0 and np.var(b) == 0):
        return math.nan
    return float(stats.ttest_ind(b, a, equal_var=False).pvalue)


def icc(groups):
    groups = [np.asarray(g, float) for g in groups if len(g)]
    G = len(groups)
    N = sum(len(g) for g in groups)
    if G < 2 or N - G < 1:
        return math.nan, math.nan
    allv = np.concatenate(groups)
    m = allv.mean()
    ssb = sum(len(g) * (g.mean() - m) ** 2 for g in groups)
    if ssb <= 1e-12 * max(1.0, float(np.abs(allv).max())) ** 2:
        return math.nan, math.nan
    msb = ssb / (G - 1)
    msw = sum(((g - g.mean()) ** 2).sum() for g in groups) / (N - G)
    k = (N - sum(len(g) ** 2 for g in groups) / N) / (G - 1)
    return (msb - msw) / (msb + (k - 1) * msw), (msb - msw) / msb


def num(s):
    return math.nan if s == "" else float(s)


class Checker:
    def __init__(self):
        self.errors = 0
        self.compared = 0
        self.maxdiff = 0.0

    def close(self, what, ours, theirs):
        self.compared += 1
        if math.isnan(ours) or math.isnan(theirs):
            if not (math.isnan(ours) and math.isnan(theirs)):
                self.fail(f"{what}: ours {ours}, continuum {theirs}")
            return
        diff = abs(ours - theirs)
        self.maxdiff = max(self.maxdiff, diff)
        if diff > TOL:
            self.fail(f"{what}: ours {ours:.6f}, continuum {theirs}")

    def equal(self, what, ours, theirs):
        self.compared += 1
        if ours != theirs:
            self.fail(f"{what}: ours {ours!r}, continuum {theirs!r}")

    def fail(self, msg):
        self.errors += 1
        if self.errors <= 30:
            print("MISMATCH", msg, file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--continuum", default=os.path.join(HERE, "..", "build", "continuum"))
    ap.add_argument("--rubric", default=os.path.join(HERE, "..", "rubrics", "service-coordination.xml"))
    ap.add_argument("--regions", type=int, default=20)
    ap.add_argument("--waves", type=int, default=4)
    ap.add_argument("--wave-names", default="")
    ap.add_argument("--partners", default="3-12")
    ap.add_argument("--respondents", default="1-4")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--aggregate", choices=["partner", "respondent"])
    ap.add_argument("--keep")
    a = ap.parse_args()

    work = a.keep or tempfile.mkdtemp(prefix="crosscheck-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "responses.csv")
    prefix = os.path.join(work, "cmp")
    gen = [sys.executable, os.path.join(HERE, "gen_responses.py"), a.rubric,
           "--regions", str(a.regions), "--waves", str(a.waves), "--partners", a.partners,
           "--respondents", a.respondents, "--seed", str(a.seed), "-o", data]
    if a.wave_names:
        gen += ["--wave-names", a.wave_names]
    subprocess.run(gen, check=True)
    opts = ["--aggregate", a.aggregate] if a.aggregate else []
    subprocess.run([a.continuum, "compare", "-r", a.rubric, *opts, data, "-o", prefix], check=True)
    score = subprocess.run([a.continuum, "score", "-r", a.rubric, *opts, data],
                           check=True, capture_output=True, text=True).stdout

    levels, dims, agg = load_rubric(a.rubric)
    agg = a.aggregate or agg
    values = unit_values(data, levels, dims, agg)
    maturity = {}
    for row in csv.DictReader(score.splitlines()):
        if row["kind"] == "stage":
            maturity[(row["region"], row["wave"])] = (int(row["n"]), float(row["mean"]))

    regions = sorted({r for r, _ in values}, key=natural_key)
    waves = sorted({w for _, w in values}, key=natural_key)

    expected = []
    for r in regions:
        have = [w for w in waves if (r, w) in values]
        for w1, w2 in zip(have, have[1:]):
            (n1, m1), (n2, m2) = maturity[(r, w1)], maturity[(r, w2)]
            expected.append((r, "stage", w1, w2, n1, n2, m1, m2, m2 - m1, math.nan, ""))
            for d in dims:
                x, y = values[(r, w1)][d], values[(r, w2)][d]
                mx = float(np.mean(x)) if x else math.nan
                my = float(np.mean(y)) if y else math.nan
                p = welch(x, y)
                sig = "" if math.isnan(p) else ("yes" if p < 0.05 else "no")
                expected.append((r, d, w1, w2, len(x), len(y), mx, my, my - mx, p, sig))

    ck = Checker()
    with open(prefix + ".csv", newline="", encoding="utf-8") as f:
        got = list(csv.DictReader(f))
    ck.equal("rows in PREFIX.csv", len(expected), len(got))
    near_alpha = 0
    for e, g in zip(expected, got):
        where = f"{e[0]}/{e[1]}/{e[2]}->{e[3]}"
        ck.equal(f"{where} key", e[:4], (g["region"], g["id"], g["from_wave"], g["to_wave"]))
        ck.equal(f"{where} n", (e[4], e[5]), (int(g["n_from"]), int(g["n_to"])))
        for i, col in ((6, "from"), (7, "to"), (8, "delta"), (9, "p")):
            if e[1] == "stage" and col == "delta":
                # M comes from `continuum score` rounded to 4 decimals, so
                # our delta of two rounded values may be 1e-4 off: check
                # that continuum's delta is its own to - from instead.
                if abs(num(g["to"]) - num(g["from"]) - num(g[col])) > TOL:
                    ck.fail(f"{where} delta {g[col]} is not to - from")
                continue
            ck.close(f"{where} {col}", e[i], num(g[col]))
        if not math.isnan(e[9]) and abs(e[9] - 0.05) < 1e-9:
            near_alpha += 1  # too close to alpha to call; skip
        else:
            ck.equal(f"{where} significant", e[10], g["significant"])

    with open(prefix + "-regions.csv", newline="", encoding="utf-8") as f:
        got = list(csv.DictReader(f))
    exp_icc = []
    for w in waves:
        for d in dims:
            groups = [values[(r, w)][d] for r in regions if (r, w) in values]
            i1, i2 = icc(groups)
            exp_icc.append((w, d, sum(1 for g in groups if g), sum(len(g) for g in groups), i1, i2))
    ck.equal("rows in PREFIX-regions.csv", len(exp_icc), len(got))
    for e, g in zip(exp_icc, got):
        where = f"{e[0]}/{e[1]}"
        ck.equal(f"{where} key", (e[0], e[1]), (g["wave"], g["id"]))
        ck.equal(f"{where} regions,units", (e[2], e[3]), (int(g["regions"]), int(g["units"])))
        ck.close(f"{where} icc1", e[4], num(g["icc1"]))
        ck.close(f"{where} icc2", e[5], num(g["icc2"]))

    tests = sum(1 for e in expected if not math.isnan(e[9]))
    print(f"{len(regions)} regions, {len(waves)} waves ({', '.join(waves)}), {agg} units: "
          f"{len(expected)} change rows ({tests} Welch tests), {len(exp_icc)} ICC rows; "
          f"{ck.compared} values compared, largest difference {ck.maxdiff:.2e}, "
          f"{ck.errors} mismatches" + (f", {near_alpha} p at alpha skipped" if near_alpha else ""))
    return 1 if ck.errors else 0


if __name__ == "__main__":
    sys.exit(main())
