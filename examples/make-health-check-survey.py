#!/usr/bin/env python3
"""Writes examples/partnership-health-check-survey.csv: a made-up but
realistic survey for rubrics/partnership-health-check.xml (statements rated
1..5, 9 = don't know), three regions over two waves, partners with one to
three respondents. Deterministic: the same file every run.

Each region has a strength per factor; a respondent rates a statement around
it (a negatively worded, reverse-scored statement the other way round), with
a little noise, some blanks and some "don't know". Usage: python3 THIS [OUT]
"""
import csv
import random
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
NS = {"r": "urn:continuum:rubric:1"}
RUBRIC = HERE.parent / "rubrics" / "partnership-health-check.xml"

REGIONS = {
    # region: (partners, factor strengths in wave 1, change by wave 2)
    "Ōtautahi": (["Ōtautahi Community Health", "Canterbury Housing Trust", "Te Whare Āwhina",
                  "Christchurch City Council", "Family Works Ōtautahi", "Schools Network"],
                 {"need": 4.3, "purpose": 3.6, "commitment": 3.4, "trust": 3.9,
                  "arrangements": 2.8, "learning": 2.6}, 0.4),
    "Kāpiti Coast": (["Kāpiti Health Centre", "Coast Youth Services", "District Council",
                      "Kāpiti Women's Refuge", "Community Law Kāpiti"],
                     {"need": 4.0, "purpose": 3.1, "commitment": 2.9, "trust": 3.2,
                      "arrangements": 2.5, "learning": 2.9}, 0.1),
    "Riverside": (["Riverside Hospital", "Riverside Housing Association", "Department of Health",
                   "Riverside School District", "Riverside Food Bank", "Citizens Advice",
                   "Riverside Police"],
                  {"need": 3.8, "purpose": 3.3, "commitment": 3.7, "trust": 2.7,
                   "arrangements": 3.2, "learning": 3.0}, -0.2),
}
WAVES = ["2024-03", "2025-03"]


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "partnership-health-check-survey.csv"
    root = ET.parse(RUBRIC).getroot()
    items = []  # (question id, factor id, reversed)
    for f in root.findall("r:factors/r:factor", NS):
        for it in f.findall("r:item", NS):
            items.append((it.get("question"), f.get("id"), it.get("reverse") == "true"))
    rng = random.Random(20250301)
    rows = []
    n = 0
    for region, (partners, strength, change) in REGIONS.items():
        for w, wave in enumerate(WAVES):
            for partner in partners:
                for _ in range(rng.choice([1, 1, 2, 2, 3])):
                    n += 1
                    row = [region, wave, partner, f"H{n:05d}"]
                    lean = rng.gauss(0, 0.5)
                    for q, factor, reversed_item in items:
                        if rng.random() < 0.04:
                            row.append("")
                            continue
                        if rng.random() < 0.05:
                            row.append("9")
                            continue
                        x = strength[factor] + w * change + lean + rng.gauss(0, 0.7)
                        if reversed_item:
                            x = 6 - x
                        row.append(str(min(5, max(1, round(x)))))
                    rows.append(row)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(["region", "wave", "partner", "respondent"] + [q for q, _, _ in items])
        wr.writerows(rows)


if __name__ == "__main__":
    main()
