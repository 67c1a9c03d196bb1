#!/usr/bin/env python3
"""Writes the sample survey-platform exports in this folder from canonical.csv.

canonical.csv holds two groups of examples/service-coordination-survey.csv
(Whanganui-a-Tara and Zürich Nord, wave 2023-03) as they are. Each export
carries exactly the same answers, laid out and spelt as its platform writes
them, so `continuum score` gives the same bytes for all of them
(tests/cli/exports.sh checks that). Run from anywhere:

    python3 examples/exports/make-exports.py
"""
import csv
import json
import os
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NS = {"r": "urn:continuum:rubric:1"}


def text(e):
    return " ".join((e.text or "").split())


rub = ET.parse(os.path.join(ROOT, "rubrics", "service-coordination.xml")).getroot()
levels = [(int(l.get("value")), l.get("id"), text(l.find("r:name", NS)))
          for l in rub.find("r:levels", NS)]
dims = []
for d in rub.find("r:dimensions", NS):
    desc = {int(x.get("level")): text(x) for x in d.findall("r:descriptor", NS)}
    dims.append((d.get("id"), text(d.find("r:prompt", NS)), desc))
options = {o.get("code"): text(o) for o in rub.find("r:scales", NS)[0]}
questions = [(q.get("id"), text(q)) for q in rub.find("r:questions", NS)]

with open(os.path.join(HERE, "canonical.csv"), newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))


def level_of(cell):
    """The level value a canonical placement cell stands for, or None."""
    c = cell.strip()
    if c == "" or c.upper() in ("NA", "N/A"):
        return None
    if c.isdigit():
        return int(c)
    for v, lid, name in levels:
        if c.lower() in (lid.lower(), name.lower()):
            return v
    raise ValueError(cell)


def code_of(cell):
    """The option code of a canonical question cell, or None (missing)."""
    c = cell.strip()
    if c == "" or c.upper() in ("NA", "N/A"):
        return None
    for code, label in options.items():
        if c.lower() in (code, label.lower()):
            return code
    raise ValueError(cell)


def level_name(v):
    return "" if v is None else levels[v - 1][2]


def write(name, records):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n" if name.startswith("qualtrics") else "\n").writerows(records)


# ---- Qualtrics: three header rows, choice text, system columns first -------
sys_names = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
             "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
             "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
             "DistributionChannel", "UserLanguage"]
sys_texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress",
             "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
             "Recipient Last Name", "Recipient First Name", "Recipient Email",
             "External Data Reference", "Location Latitude", "Location Longitude",
             "Distribution Channel", "User Language"]
sys_ids = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished",
           "recordedDate", "_recordId", "recipientLastName", "recipientFirstName",
           "recipientEmail", "externalDataReference", "locationLatitude", "locationLongitude",
           "distributionChannel", "userLanguage"]
# The designer named the organization and role questions after the columns
# continuum reads; the items keep Qualtrics' Q3.. (their texts say what they
# are); region and wave are embedded data, which Qualtrics puts last.
names = sys_names + ["partner", "role"] + ["Q%d" % (i + 3) for i in range(len(dims) + len(questions))] + ["region", "wave"]
texts = sys_texts + ["Which organization do you work for?", "What is your role?"] + \
    [p for _, p, _ in dims] + [t for _, t in questions] + ["region", "wave"]
imports = []
for i in sys_ids:
    if i in ("startDate", "endDate", "recordedDate"):
        imports.append(json.dumps({"ImportId": i, "timeZone": "Pacific/Auckland"}, separators=(",", ":")))
    else:
        imports.append(json.dumps({"ImportId": i}, separators=(",", ":")))
imports += ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}']
imports += ['{"ImportId":"QID%d"}' % (i + 3) for i in range(len(dims) + len(questions))]
imports += ['{"ImportId":"region"}', '{"ImportId":"wave"}']
records = [names, texts, imports]
for k, r in enumerate(rows):
    minute = 10 + k
    start = "2023-03-%02d 09:%02d:00" % (6 + k % 5, minute % 60)
    end = "2023-03-%02d 09:%02d:41" % (6 + k % 5, (minute + 7) % 60)
    rec = [start, end, "0", "", "100", str(461 + 13 * k), "True", end, "R_%012d" % (7341 + k),
           "", "", "", "", "-41.2865", "174.7762", "anonymous", "EN"]
    rec += [r["partner"], r["role"]]
    rec += [level_name(level_of(r[d])) for d, _, _ in dims]
    rec += ["" if code_of(r[q]) is None else options[code_of(r[q])] for q, _ in questions]
    rec += [r["region"], r["wave"]]
    records.append(rec)
write("qualtrics.csv", records)

# ---- Google Forms: Timestamp, question titles, answers as written ---------
# Dimensions whose descriptors all differ offer them as the choices, as a
# form copied from the questionnaire does; Google Forms refuses two equal
# choices, so the others offer the level names.
def unique(desc):
    return len(desc) == len(levels) and len(set(desc.values())) == len(desc)

head = ["Timestamp", "Region", "Survey wave", "Your organization", "Your role"]
head += [p + " " for _, p, _ in dims]  # Forms keeps a trailing space typed into a title
head += [t for _, t in questions]
records = [head]
for k, r in enumerate(rows):
    rec = ["2023/03/%02d %d:%02d:%02d %s GMT+13" % (6 + k % 5, 1 + k % 12, (7 * k) % 60, (13 * k) % 60,
                                               "AM" if k % 2 else "PM"),
           r["region"], r["wave"], r["partner"], r["role"]]
    for d, _, desc in dims:
        v = level_of(r[d])
        rec.append("" if v is None else (desc[v] if unique(desc) else level_name(v)))
    rec += ["" if code_of(r[q]) is None else options[code_of(r[q])] for q, _ in questions]
    records.append(rec)
write("google-forms.csv", records)
write("google-forms-map.csv", [["header", "id"], ["Survey wave", "wave"],
                               ["Your organization", "partner"], ["Your role", "role"]])

# ---- LimeSurvey: question codes as headings, full answer text -------------
codes = ["G01Q01", "G01Q02", "G01Q03", "G01Q04"] + \
    ["G02Q%02d" % (i + 1) for i in range(len(dims))] + ["G03Q%02d" % (i + 1) for i in range(len(questions))]
head = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
        "ipaddr", "refurl"] + codes
records = [head]
for k, r in enumerate(rows):
    stamp = "2023-03-%02d 10:%02d:00" % (6 + k % 5, k % 60)
    rec = [str(k + 1), stamp, "4", "en", str(104729 * (k + 1) % 999983), stamp, stamp, "", ""]
    rec += [r["region"], r["wave"], r["partner"], r["role"]]
    rec += [level_name(level_of(r[d])) for d, _, _ in dims]
    rec += ["" if code_of(r[q]) is None else options[code_of(r[q])] for q, _ in questions]
    records.append(rec)
write("limesurvey.csv", records)
write("limesurvey-map.csv", [["header", "id"]] + [[c, i] for c, i in zip(
    codes, ["region", "wave", "partner", "role"] + [d for d, _, _ in dims] + [q for q, _ in questions])])

# ---- REDCap: raw export, field names, raw codes ---------------------------
fields = ["site", "survey_round", "org_name", "job_role"] + ["sc_" + d for d, _, _ in dims] + \
    ["sc_" + q for q, _ in questions]
head = ["record_id", "redcap_survey_identifier", "partnership_survey_timestamp"] + fields + \
    ["partnership_survey_complete"]
records = [head]
for k, r in enumerate(rows):
    rec = [str(k + 1), "", "2023-03-%02d 11:%02d:17" % (6 + k % 5, k % 60)]
    rec += [r["region"], r["wave"], r["partner"], r["role"]]
    rec += ["" if level_of(r[d]) is None else str(level_of(r[d])) for d, _, _ in dims]
    rec += [code_of(r[q]) or "" for q, _ in questions]
    rec += ["2"]
    records.append(rec)
write("redcap.csv", records)
write("redcap-map.csv", [["header", "id"]] + [[f, i] for f, i in zip(
    fields, ["region", "wave", "partner", "role"] + [d for d, _, _ in dims] + [q for q, _ in questions])])
