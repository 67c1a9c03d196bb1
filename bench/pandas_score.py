#!/usr/bin/python3
"""The scoring job of `continuum score`, done the way a competent analyst would do it in pandas.

pandas_score.py RUBRIC.xml RESPONSES.csv [...] [--aggregate partner|respondent] [--target N]
                [-o OUT.csv]

Writes the same tidy table as `continuum score` (SPEC.md, "Scoring (exact)" and "Outputs"):
region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap

It is the pandas baseline of bench/run.sh, so it is written to be fast, not to be a strawman:
- every answer column is read as a pandas Categorical, so each distinct spelling ("3", "Yes",
  "COORDINATION", "NA", " ") is trimmed, case-folded and mapped to its number once, and the
  column becomes numbers with one vectorised take over the category codes;
- unit means are one groupby(region, wave, unit).mean() over all items at once, group statistics
  one groupby(region, wave) of count/mean/std/median over the unit means, the t quantiles one
  vectorised scipy call, and the level/stage rows are computed on whole frames.

Like refscore.py it is lenient (an answer that is no level or option counts as missing), reads
headers that are item ids (not prompts, not Qualtrics' extra rows, no --map) and does not read
--targets files; on valid input its table equals continuum's.
"""
import argparse
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
from scipy import stats

NS = {"r": "urn:continuum:rubric:1"}
COLUMNS = "region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap".split(",")


def natkey(s):
    """Natural order: runs of digits compare as numbers, other runs by code point."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", s)]


def load_rubric(path):
    root = ET.parse(path).getroot()
    levels = [(int(lv.get("value")), lv.get("id"), (lv.findtext("r:name", "", NS) or "").strip())
              for lv in root.findall("r:levels/r:level", NS)]
    scales = {}
    for sc in root.findall("r:scales/r:scale", NS):
        scales[sc.get("id")] = [(o.get("code"), (o.text or "").strip(),
                                 None if o.get("missing") == "true" else float(o.get("score")))
                                for o in sc.findall("r:option", NS)]
    dims = [d.get("id") for d in root.findall("r:dimensions/r:dimension", NS)]
    qs = [(q.get("id"), int(q.get("level")), q.get("scale"))
          for q in root.findall("r:questions/r:question", NS)]
    sc = root.find("r:scoring", NS)
    get = (lambda k: sc.get(k)) if sc is not None else (lambda k: None)
    return {
        "levels": levels, "scales": scales, "dims": dims, "questions": qs,
        "theta": float(get("attainment") or 0.75),
        "target": int(get("target")) if get("target") else None,
        "aggregate": get("aggregate") or "partner",
    }


MISSING = {"", "na", "n/a"}


def placement_map(rub):
    L = len(rub["levels"])
    m = {}
    for value, lid, name in rub["levels"]:
        m[lid.lower()] = float(value)
        m[name.lower()] = float(value)

    def value(cell):
        c = cell.strip().lower()
        if c in MISSING:
            return np.nan
        if c.isascii() and c.isdigit():
            v = int(c)
            return float(v) if 1 <= v <= L else np.nan
        return m.get(c, np.nan)
    return value


def question_map(options):
    m = {}
    for code, label, score in options:
        s = np.nan if score is None else score
        m[code.lower()] = s
        m[label.lower()] = s

    def value(cell):
        c = cell.strip().lower()
        return np.nan if c in MISSING else m.get(c, np.nan)
    return value


def to_numbers(col, convert):
    """A Categorical column to float64: convert each distinct spelling once, then take."""
    cats = col.cat.categories
    table = np.array([convert(str(c)) for c in cats] + [np.nan], dtype="float64")
    codes = col.cat.codes.to_numpy()  # -1 (never here: no NA filtering) maps to the last slot
    return table[codes]


def read(files, rub, agg):
    dims, qs = rub["dims"], rub["questions"]
    items = dims + [q[0] for q in qs]
    frames = []
    for k, f in enumerate(files):
        header = pd.read_csv(f, nrows=0, encoding="utf-8-sig").columns
        names = {h: h.strip() for h in header}
        wanted = {"region", "wave", "partner", "respondent"} | set(items)
        use = [h for h in header if names[h] in wanted]
        df = pd.read_csv(f, usecols=use, dtype="category", keep_default_na=False,
                         na_filter=False, encoding="utf-8-sig", skip_blank_lines=True)
        df.columns = [names[h] for h in df.columns]
        out = pd.DataFrame(index=df.index)
        for key in ("region", "wave", "partner"):
            c = df[key]
            out[key] = c.cat.rename_categories([s.strip() for s in c.cat.categories])
        if agg == "partner":
            out["unit"] = out["partner"]
        elif "respondent" in df:
            out["unit"] = df["respondent"].astype(str).str.strip()
        else:
            out["unit"] = f"{f}:" + pd.Series(np.arange(len(df)), index=df.index).astype(str)
        conv = placement_map(rub)
        for d in dims:
            out[d] = to_numbers(df[d], conv) if d in df else np.nan
        for qid, _lvl, sid in qs:
            out[qid] = to_numbers(df[qid], question_map(rub["scales"][sid])) if qid in df else np.nan
        frames.append(out)
    data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    # rows without region, wave or partner (blank rows among them) are left out
    keep = (data["region"] != "") & (data["wave"] != "") & (data["partner"] != "")
    if not keep.all():
        data = data[keep]
    return data, items


def score(data, items, rub, target):
    L = len(rub["levels"])
    theta = rub["theta"]
    stage_target = target or rub["target"] or L
    dims, qs = rub["dims"], rub["questions"]
    qids = [q[0] for q in qs]

    # unit means: one groupby over all items (mean skips missing answers)
    units = data.groupby(["region", "wave", "unit"], observed=True, sort=False)[items].mean()
    g = units.groupby(level=["region", "wave"], observed=True, sort=False)
    n, mean, sd, med = g.count(), g.mean(), g.std(ddof=1), g.median()
    groups = sorted(n.index, key=lambda k: (natkey(str(k[0])), natkey(str(k[1]))))
    n, mean, sd, med = (x.reindex(groups) for x in (n, mean, sd, med))
    n_units = units.notna().any(axis=1).groupby(level=["region", "wave"], observed=True,
                                                sort=False).sum().reindex(groups)

    N = n.to_numpy(dtype="float64")
    M = mean.to_numpy()
    S = sd.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, N - 1) * S / np.sqrt(N)
    half[N < 2] = np.nan
    G = len(groups)
    nd = len(dims)

    def long(kind, cols, block, extra):
        """One block of rows (groups x items) as a frame, in group then item order."""
        k = len(cols)
        frame = {
            "region": np.repeat([str(r) for r, _ in groups], k),
            "wave": np.repeat([str(w) for _, w in groups], k),
            "kind": kind,
            "id": np.tile(cols, G),
        }
        frame.update({c: v.reshape(-1) for c, v in block.items()})
        frame.update(extra)
        return pd.DataFrame(frame)

    # dimensions
    dm, ds_, dn = M[:, :nd], S[:, :nd], N[:, :nd]
    lo = np.clip(dm - half[:, :nd], 1, L)
    hi = np.clip(dm + half[:, :nd], 1, L)
    rwg = np.clip(1 - ds_ ** 2 / ((L * L - 1) / 12), 0, 1)
    level = np.floor(dm + 0.5)
    gap = np.maximum(0.0, stage_target - dm)
    dim_rows = long("dimension", dims, {
        "n": dn, "mean": dm, "sd": ds_, "median": med.to_numpy()[:, :nd], "ci_low": lo,
        "ci_high": hi, "rwg": rwg, "level": level, "gap": gap}, {"target": float(stage_target)})

    # questions
    qm, qn = M[:, nd:], N[:, nd:]
    q_rows = long("question", qids, {
        "n": qn, "mean": qm, "sd": S[:, nd:], "median": med.to_numpy()[:, nd:],
        "ci_low": np.clip(qm - half[:, nd:], 0, 1), "ci_high": np.clip(qm + half[:, nd:], 0, 1),
        "level": np.tile([float(q[1]) for q in qs], (G, 1))}, {})

    # levels: A_l = mean of a_q over the level's questions with data
    values = [lv[0] for lv in rub["levels"]]
    aq = pd.DataFrame(qm, columns=qids)
    qlevel = pd.Series({q[0]: q[1] for q in qs})
    by_level = aq.T.groupby(qlevel.reindex(qids).to_numpy())
    A = by_level.mean().reindex(values).T.to_numpy()      # groups x levels
    An = by_level.count().reindex(values).fillna(0).T.to_numpy()
    lvl_rows = long("level", [str(v) for v in values], {
        "n": An, "mean": A, "level": np.tile(np.array(values, dtype="float64"), (G, 1))}, {})

    # stage: S = largest l with 1..l attained, M = S + A_{S+1}
    attained = np.nan_to_num(A, nan=-1.0) >= theta
    stage = np.cumprod(attained, axis=1).sum(axis=1)
    nxt = np.full(G, np.nan)
    below = stage < L
    nxt[below] = A[np.arange(G)[below], stage[below]]
    maturity = stage + np.nan_to_num(nxt, nan=0.0)
    st_rows = pd.DataFrame({
        "region": [str(r) for r, _ in groups], "wave": [str(w) for _, w in groups],
        "kind": "stage", "id": "overall", "n": n_units.to_numpy(dtype="float64"),
        "mean": maturity, "level": stage.astype("float64"), "target": float(stage_target),
        "gap": np.maximum(0.0, stage_target - maturity)})

    # rows by group, then kind, then rubric order: interleave the four blocks per group
    blocks = [dim_rows, q_rows, lvl_rows, st_rows]
    sizes = [nd, len(qids), len(values), 1]
    order = np.concatenate([
        np.arange(G * s).reshape(G, s) + off
        for s, off in zip(sizes, np.cumsum([0] + [G * s for s in sizes[:-1]]))], axis=1).ravel()
    table = pd.concat(blocks, ignore_index=True).reindex(columns=COLUMNS).iloc[order]
    # a dimension without data has no level and no gap, only its target
    for c in ("n", "level", "target"):
        table[c] = table[c].astype("Int64")
    return table


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rubric")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--aggregate", choices=["partner", "respondent"])
    ap.add_argument("--target", type=int)
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args(argv[1:])
    rub = load_rubric(a.rubric)
    data, items = read(a.files, rub, a.aggregate or rub["aggregate"])
    table = score(data, items, rub, a.target)
    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8", newline="")
    table.to_csv(out, index=False, float_format="%.4f", na_rep="", lineterminator="\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main(sys.argv)
