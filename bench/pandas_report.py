#!/usr/bin/python3
"""The report job of `continuum report`, done with pandas + matplotlib + reportlab.

pandas_report.py RUBRIC.xml RESPONSES.csv [...] -o DIR [--jobs N] [--dpi N]

Writes one PDF per group (region, wave) into DIR, named like continuum's (REGION_WAVE.pdf), with
content comparable to continuum's report: a cover (rubric, region, wave, partners and respondents
counted); a summary (the stage on a drawing of the continuum, the maturity index, a chart of
dimension means with confidence intervals and target markers, a radar, the top priorities); a
per-dimension table and the distribution of partner placements; the gap analysis (today's
descriptor next to the next level's); diagnostic questions (attainment per level against theta and
a question table); a partner x dimension heat map with divergent partners; and a method page.
Text is set in DejaVu Sans (embedded, so names like Ōtautahi print), pages are numbered, the PDF
has bookmarks, a title and a subject.

It is the pandas baseline of bench/run.sh, written the way a competent analyst would: the data is
read and scored once with the vectorised code of pandas_score.py, charts are matplotlib (Agg)
figures rendered to PNG in memory and closed at once, pages are reportlab platypus flowables, fonts
are registered once per process, and --jobs N renders groups in N worker processes.
"""
import argparse
import io
import os
import re
import sys
import xml.etree.ElementTree as ET
from multiprocessing import Pool

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer,  # noqa: E402
                                Table, TableStyle)
from reportlab.graphics.shapes import Drawing, Rect, String, Polygon  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pandas_score as ps  # noqa: E402

NS = ps.NS
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
pdfmetrics.registerFont(TTFont("DejaVu", os.path.join(FONT_DIR, "DejaVuSans.ttf")))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")))
BODY = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
H1 = ParagraphStyle("h1", parent=BODY, fontName="DejaVu-Bold", fontSize=18, leading=22,
                    spaceAfter=8)
H2 = ParagraphStyle("h2", parent=BODY, fontName="DejaVu-Bold", fontSize=13, leading=16,
                    spaceBefore=6, spaceAfter=6)
TITLE = ParagraphStyle("title", parent=H1, fontSize=26, leading=32, spaceAfter=14)
PALETTE = ["#d7301f", "#fc8d59", "#fdcc8a", "#a6d96a", "#1a9641", "#0571b0", "#5e3c99",
           "#7b3294", "#404040"]
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "axes.titlesize": 9})


def rubric_texts(path):
    """What the pages print: titles, names, descriptors and question texts."""
    root = ET.parse(path).getroot()
    t = lambda e, k: " ".join((e.findtext(k, "", NS) or "").split())  # noqa: E731
    levels = {int(lv.get("value")): {"name": t(lv, "r:name"), "summary": t(lv, "r:summary")}
              for lv in root.findall("r:levels/r:level", NS)}
    dims = {}
    for d in root.findall("r:dimensions/r:dimension", NS):
        dims[d.get("id")] = {
            "name": t(d, "r:name"),
            "desc": {int(x.get("level")): " ".join((x.text or "").split())
                     for x in d.findall("r:descriptor", NS)}}
    questions = {q.get("id"): " ".join((q.text or "").split())
                 for q in root.findall("r:questions/r:question", NS)}
    return {"id": root.get("id"), "version": root.get("version"), "title": t(root, "r:title"),
            "source": t(root, "r:source"), "levels": levels, "dims": dims,
            "questions": questions}


def file_name(region, wave):
    return re.sub(r"[^\w.\-]", "-", f"{region}_{wave}") + ".pdf"


def png(fig, dpi, width_mm):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    w, h = fig.get_size_inches()
    plt.close(fig)
    buf.seek(0)
    return Image(buf, width=width_mm * mm, height=width_mm * mm * h / w)


def f2(x, nd=2):
    return "–" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.{nd}f}"


def table(rows, widths, header=True):
    tb = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1 if header else 0)
    style = [("FONTNAME", (0, 0), (-1, -1), "DejaVu"), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")])]
    if header:
        style.append(("FONTNAME", (0, 0), (-1, 0), "DejaVu-Bold"))
    tb.setStyle(TableStyle(style))
    return tb


def continuum_drawing(levels, stage, maturity):
    L = len(levels)
    w, h = 170 * mm, 26 * mm
    d = Drawing(w, h)
    bw = w / L
    for i, lv in enumerate(sorted(levels)):
        fill = colors.HexColor("#1a9641") if lv <= stage else colors.HexColor("#dddddd")
        d.add(Rect(i * bw + 1, 8 * mm, bw - 2, 10 * mm, fillColor=fill, strokeColor=None))
        d.add(String(i * bw + bw / 2, 11.5 * mm, f"{lv} {levels[lv]['name']}", fontName="DejaVu",
                     fontSize=7.5, textAnchor="middle"))
    x = min(w - 1, max(1, maturity / L * w))
    d.add(Polygon([x, 8 * mm, x - 5, 2 * mm, x + 5, 2 * mm], fillColor=colors.black,
                  strokeColor=None))
    d.add(String(x, 19.5 * mm, f"M = {maturity:.2f}", fontName="DejaVu-Bold", fontSize=8,
                 textAnchor="middle"))
    return d


def render(task):
    (region, wave, rows, units, respondents, partners, rub, texts, theta, L, out_dir,
     dpi) = task
    dims = rub["dims"]
    dimr = rows[rows["kind"] == "dimension"].set_index("id").reindex(dims)
    qr = rows[rows["kind"] == "question"].set_index("id")
    lr = rows[rows["kind"] == "level"].set_index("id")
    st = rows[rows["kind"] == "stage"].iloc[0]
    stage, maturity, target = int(st["level"]), float(st["mean"]), int(st["target"])
    dname = [texts["dims"][d]["name"] for d in dims]
    story = []

    def bookmark(title, key):
        story.append(Paragraph(f'<a name="{key}"/>{title}', H1))
        story[-1]._bookmark = (title, key)

    # 1. cover
    story.append(Spacer(1, 40 * mm))
    story.append(Paragraph(texts["title"], TITLE))
    story.append(Paragraph(f"Readiness report — {region}, wave {wave}", H2))
    story.append(Spacer(1, 10 * mm))
    story.append(table([["Rubric", f"{texts['id']} {texts['version']}"], ["Region", region],
                        ["Wave", wave], ["Partners", str(partners)],
                        ["Respondents", str(respondents)], ["Units", str(int(st["n"]))]],
                       [40, 120], header=False))
    story.append(PageBreak())

    # 2. summary: continuum, M, means with CIs and targets, radar, priorities
    bookmark("Summary", "summary")
    story.append(Paragraph(
        f"Stage <b>{stage}</b> of {L}"
        + (f" ({texts['levels'][stage]['name']})" if stage else "")
        + f"; maturity index M = <b>{maturity:.2f}</b>; target {target}.", BODY))
    story.append(continuum_drawing(texts["levels"], stage, maturity))
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(dims) + 0.8))
    y = np.arange(len(dims))[::-1]
    m = dimr["mean"].to_numpy(float)
    lo, hi = dimr["ci_low"].to_numpy(float), dimr["ci_high"].to_numpy(float)
    err = np.vstack([np.nan_to_num(m - lo), np.nan_to_num(hi - m)])
    ax.barh(y, m, color="#6baed6", height=0.55)
    ax.errorbar(m, y, xerr=err, fmt="none", ecolor="black", capsize=3, lw=0.8)
    ax.scatter(dimr["target"].to_numpy(float), y, marker="|", s=250, color="#d7301f",
               label="target", zorder=3)
    ax.set_yticks(y, dname)
    ax.set_xlim(0, L + 0.2)
    ax.set_xticks(range(1, L + 1))
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("Dimension means, 95% confidence intervals and targets")
    ax.spines[["top", "right"]].set_visible(False)
    story.append(png(fig, dpi, 165))
    fig = plt.figure(figsize=(3.6, 3.6))
    ax = fig.add_subplot(projection="polar")
    ang = np.linspace(0, 2 * np.pi, len(dims), endpoint=False)
    for vals, style, lab in ((np.nan_to_num(m), "-", "mean"),
                             (dimr["target"].to_numpy(float), "--", "target")):
        ax.plot(np.append(ang, ang[0]), np.append(vals, vals[0]), style, label=lab)
    ax.fill(np.append(ang, ang[0]), np.append(np.nan_to_num(m), np.nan_to_num(m[0])), alpha=0.2)
    ax.set_xticks(ang, dname, fontsize=7)
    ax.set_ylim(0, L)
    ax.set_yticks(range(1, L + 1))
    ax.legend(loc="lower right", bbox_to_anchor=(1.25, -0.1), frameon=False)
    story.append(png(fig, dpi, 95))
    pr = dimr[dimr["gap"].astype(float) > 0].copy()
    pr["order"] = range(len(pr))
    pr = pr.sort_values(["gap", "rwg", "order"], ascending=[False, True, True])
    story.append(Paragraph("Top priorities", H2))
    if len(pr) == 0:
        story.append(Paragraph("Every dimension has reached its target.", BODY))
    for d, r in pr.head(3).iterrows():
        story.append(Paragraph(
            f"• <b>{texts['dims'][d]['name']}</b>: mean {r['mean']:.2f}, gap {r['gap']:.2f} to "
            f"level {int(r['target'])}" + (" (low agreement)" if r["rwg"] < 0.7 else "") + ".",
            BODY))
    story.append(PageBreak())

    # 3. per-dimension detail
    bookmark("Dimensions", "dimensions")
    rows_t = [["Dimension", "n", "mean", "median", "sd", "rwg", "level", "target", "gap"]]
    for d, r in dimr.iterrows():
        rows_t.append([Paragraph(texts["dims"][d]["name"], SMALL), str(int(r["n"])),
                       f2(r["mean"]), f2(r["median"]), f2(r["sd"]), f2(r["rwg"]),
                       "–" if pd.isna(r["level"]) else str(int(r["level"])), str(int(r["target"])),
                       f2(r["gap"])])
    story.append(table(rows_t, [48, 12, 16, 16, 14, 14, 14, 14, 14]))
    story.append(Spacer(1, 4 * mm))
    cols = 3
    nrow = (len(dims) + cols - 1) // cols
    fig, axes = plt.subplots(nrow, cols, figsize=(6.5, 1.6 * nrow), squeeze=False)
    for k, d in enumerate(dims):
        ax = axes[k // cols][k % cols]
        v = units[d].dropna()
        counts = np.bincount(np.clip(np.floor(v + 0.5).astype(int), 1, L), minlength=L + 1)[1:]
        ax.bar(range(1, L + 1), counts, color="#6baed6")
        ax.set_title(texts["dims"][d]["name"], fontsize=7.5)
        ax.set_xticks(range(1, L + 1))
        ax.spines[["top", "right"]].set_visible(False)
    for k in range(len(dims), nrow * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle("Distribution of partner placements", fontsize=9)
    fig.tight_layout()
    story.append(png(fig, dpi, 165))
    story.append(PageBreak())

    # 4. gap analysis
    bookmark("Gap analysis", "gaps")
    if len(pr) == 0:
        story.append(Paragraph("No dimension is below its target.", BODY))
    for d, r in pr.iterrows():
        lvl = int(r["level"])
        desc = texts["dims"][d]["desc"]
        story.append(Paragraph(texts["dims"][d]["name"], H2))
        story.append(table([
            [f"Today (level {lvl})", f"Next (level {min(lvl + 1, L)})"],
            [Paragraph(desc.get(lvl, "–"), SMALL), Paragraph(desc.get(min(lvl + 1, L), "–"),
                                                               SMALL)]], [85, 85]))
    block = qr[(qr["level"].astype(float) > stage) & (qr["mean"].astype(float) < theta)]
    if len(block):
        story.append(Paragraph("Blocking questions", H2))
        for q, r in block.sort_values(["level", "mean"]).iterrows():
            story.append(Paragraph(f"• level {int(r['level'])}, {q} ({r['mean']:.2f}): "
                                   f"{texts['questions'][q]}", SMALL))
    story.append(PageBreak())

    # 5. diagnostic questions
    bookmark("Diagnostic questions", "questions")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(6.5, 2.4), gridspec_kw={"width_ratios": [1, 2]})
    lv = lr["mean"].astype(float)
    a1.bar(lr.index.astype(str), np.nan_to_num(lv), color=[
        "#1a9641" if x >= theta else "#fdae61" for x in np.nan_to_num(lv)])
    a1.axhline(theta, color="black", ls="--", lw=0.8)
    a1.set_ylim(0, 1)
    a1.set_title("Attainment per level")
    qm = qr["mean"].astype(float)
    a2.bar(qr.index, np.nan_to_num(qm), color=[PALETTE[(int(x) - 1) % len(PALETTE)]
                                               for x in qr["level"]])
    a2.axhline(theta, color="black", ls="--", lw=0.8)
    a2.set_ylim(0, 1)
    a2.set_title("Question attainment (colour = level)")
    for ax in (a1, a2):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    story.append(png(fig, dpi, 165))
    rows_q = [["Question", "level", "n", "a_q", "sd", "95% CI"]]
    for q, r in qr.iterrows():
        rows_q.append([Paragraph(f"{q}: {texts['questions'][q]}", SMALL), str(int(r["level"])),
                       str(int(r["n"])), f2(r["mean"]), f2(r["sd"]),
                       f"{f2(r['ci_low'])}–{f2(r['ci_high'])}"])
    story.append(table(rows_q, [95, 12, 10, 14, 14, 25]))
    story.append(PageBreak())

    # 6. partners: heat map and divergent partners
    bookmark("Partners", "partners")
    hm = units[dims]
    fig, ax = plt.subplots(figsize=(6.5, 0.28 * len(hm) + 1.2))
    im = ax.imshow(hm.to_numpy(float), cmap="RdYlGn", vmin=1, vmax=L, aspect="auto")
    ax.set_xticks(range(len(dims)), dname, rotation=30, ha="right")
    ax.set_yticks(range(len(hm)), [str(u) for u in hm.index])
    for (i, j), v in np.ndenumerate(hm.to_numpy(float)):
        if not np.isnan(v):
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=6.5)
    fig.colorbar(im, ax=ax, fraction=0.03)
    ax.set_title("Partner × dimension (mean placement)")
    fig.tight_layout()
    story.append(png(fig, dpi, 165))
    med = dimr["median"].astype(float)
    div = [(u, texts["dims"][d]["name"], v) for u, r in hm.iterrows() for d, v in r.items()
           if not np.isnan(v) and abs(v - med[d]) >= 2]
    story.append(Paragraph("Divergent partners", H2))
    story.append(Paragraph("None." if not div else "<br/>".join(
        f"• {u}: {dn} {v:.1f}" for u, dn, v in div), SMALL))
    story.append(PageBreak())

    # 7. method
    bookmark("Method and data quality", "method")
    story.append(Paragraph(
        f"Rubric {texts['id']} version {texts['version']} ({texts['source']}). Units are "
        f"{rub['aggregate']}s: a unit's answer is the mean of its respondents' answers. Levels "
        f"are attained when the mean attainment of their questions is at least θ = {theta}; the "
        f"stage is the highest level with every level below attained, M = S + A(S+1). "
        f"Confidence intervals use Student's t with n − 1 degrees of freedom; rwg = 1 − sd² / "
        f"((L² − 1)/12), low agreement below 0.70.", BODY))
    story.append(Paragraph("No exclusions: every row was read.", BODY))

    path = os.path.join(out_dir, file_name(region, wave))

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("DejaVu", 8)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{doc.page}")
        canvas.drawString(15 * mm, 10 * mm, f"{texts['title']} — {region}, {wave}")
        canvas.restoreState()

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, fl):
            bm = getattr(fl, "_bookmark", None)
            if bm:
                self.canv.bookmarkPage(bm[1])
                self.canv.addOutlineEntry(bm[0], bm[1], level=0)

    doc = Doc(path, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
              bottomMargin=18 * mm, title=f"{texts['title']}: {region}, {wave}",
              subject="Partnership readiness report", invariant=1)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rubric")
    ap.add_argument("files", nargs="+")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=150)
    a = ap.parse_args(argv[1:])
    rub = ps.load_rubric(a.rubric)
    texts = rubric_texts(a.rubric)
    L = len(rub["levels"])
    data, items = ps.read(a.files, rub, rub["aggregate"])
    table_ = ps.score(data, items, rub, None)
    units = data.groupby(["region", "wave", "unit"], observed=True)[items].mean().sort_index()
    respondents = data.groupby(["region", "wave"], observed=True).size()
    partners = data.groupby(["region", "wave"], observed=True)["partner"].nunique()
    os.makedirs(a.output, exist_ok=True)
    tasks = []
    for (region, wave), rows in table_.groupby(["region", "wave"], sort=False):
        u = units.loc[(region, wave)]
        tasks.append((region, wave, rows, u, int(respondents[(region, wave)]),
                      int(partners[(region, wave)]), rub, texts, rub["theta"], L, a.output,
                      a.dpi))
    if a.jobs > 1:
        with Pool(a.jobs) as pool:
            for _ in pool.imap_unordered(render, tasks, chunksize=max(1, len(tasks) // (8 * a.jobs))):
                pass
    else:
        for t in tasks:
            render(t)


if __name__ == "__main__":
    main(sys.argv)
