#!/usr/bin/env python3
"""Writes the sample survey-platform exports in this folder from canonical.csv.

canonical.csv holds two groups of examples/service-coordination-survey.csv
(Whanganui-a-Tara and Zürich Nord, wave 2023-03) as they are. Each export
carries exactly the same answers, laid out, coded and spelt as its platform
writes them when downloaded: its own header rows and system columns, its
codes for answers, its delimiter and encoding, and no wave column (a
download is one survey round; `--set wave=2023-03` names it). Some also hold
the rows a platform writes that are no answers: previews, tests and
responses never finished or submitted. With at most `--set`, a `--map` for
the names the rubric cannot know and the platform's own dictionary or a
recode file, `continuum score` gives exactly the canonical file's bytes for
every one of them (tests/cli/exports.sh checks that; the README lists the
command per platform).

The output is deterministic: run it from anywhere after changing
canonical.csv or the rubric,

    python3 examples/exports/make-exports.py [OUTPUT-FOLDER]

(by default this folder; tests/cli/exports.sh writes them elsewhere and
checks that they are the files here).
"""
import csv
import datetime
import io
import json
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = sys.argv[1] if len(sys.argv) > 1 else HERE
NS = {"r": "urn:continuum:rubric:1"}
WAVE = "2023-03"


def text(e):
    return " ".join((e.text or "").split())


rub = ET.parse(os.path.join(ROOT, "rubrics", "service-coordination.xml")).getroot()
levels = [(int(l.get("value")), l.get("id"), text(l.find("r:name", NS)))
          for l in rub.find("r:levels", NS)]
dims = []
for d in rub.find("r:dimensions", NS):
    desc = {int(x.get("level")): text(x) for x in d.findall("r:descriptor", NS)}
    dims.append((d.get("id"), text(d.find("r:name", NS)), text(d.find("r:prompt", NS)), desc))
options = {o.get("code"): text(o) for o in rub.find("r:scales", NS)[0]}
questions = [(q.get("id"), text(q)) for q in rub.find("r:questions", NS)]

with open(os.path.join(HERE, "canonical.csv"), newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert all(r["wave"] == WAVE for r in rows)


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


def option_label(cell):
    c = code_of(cell)
    return "" if c is None else options[c]


def placements(r):
    return [level_of(r[d]) for d, _, _, _ in dims]


def answers(r):
    return [code_of(r[q]) for q, _ in questions]


def csv_text(records, delimiter=",", crlf=False):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(records)
    return buf.getvalue()


def write(name, records, delimiter=",", crlf=False, encoding="utf-8"):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(csv_text(records, delimiter, crlf).encode(encoding))


# The rows a platform writes that are no answers: whoever tests a survey
# answers it at the top. None of them may reach a score.
def extreme(r):
    return dict(r, **{d: "5" for d, _, _, _ in dims}, **{q: "yes" for q, _ in questions})


test_row = extreme(dict(rows[0], partner="Test Organization", role="coordinator"))

# ---- Qualtrics (CSV, "Use choice text"): three header rows ---------------
# Row 1 the question names (Q1, Q2, a matrix Q3_1..), row 2 the question
# texts (a matrix "Question - Row"), row 3 the ImportIds; the system columns
# first, embedded data (region, from the panel) last. The organization and
# role questions are named by qualtrics-map.csv.
q_sys = [("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
         ("Status", "Response Type", "status"), ("IPAddress", "IP Address", "ipAddress"),
         ("Progress", "Progress", "progress"),
         ("Duration (in seconds)", "Duration (in seconds)", "duration"),
         ("Finished", "Finished", "finished"), ("RecordedDate", "Recorded Date", "recordedDate"),
         ("ResponseId", "Response ID", "_recordId"),
         ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
         ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
         ("RecipientEmail", "Recipient Email", "recipientEmail"),
         ("ExternalReference", "External Data Reference", "externalDataReference"),
         ("LocationLatitude", "Location Latitude", "locationLatitude"),
         ("LocationLongitude", "Location Longitude", "locationLongitude"),
         ("DistributionChannel", "Distribution Channel", "distributionChannel"),
         ("UserLanguage", "User Language", "userLanguage")]
MATRIX_DIMS = "Where does the partnership stand today on each of these features?"
MATRIX_QS = "Please answer each of the following questions about the partnership."


def qualtrics_import(qid, single_quotes=False):
    if single_quotes:
        return "{'ImportId': '%s'}" % qid
    if qid in ("startDate", "endDate", "recordedDate"):
        return json.dumps({"ImportId": qid, "timeZone": "Pacific/Auckland"}, separators=(",", ":"))
    return json.dumps({"ImportId": qid}, separators=(",", ":"))


def qualtrics(name, numeric):
    names = [n for n, _, _ in q_sys] + ["Q1", "Q2"]
    texts = [t for _, t, _ in q_sys] + ["Which organization do you work for?",
                                        "What is your role in it?"]
    ids = [i for _, _, i in q_sys] + ["QID1", "QID2"]
    for k, (_, dname, _, _) in enumerate(dims):
        names.append("Q3_%d" % (k + 1))
        texts.append("%s - %s" % (MATRIX_DIMS, dname))
        ids.append("QID3_%d" % (k + 1))
    for k, (_, qtext) in enumerate(questions):
        names.append("Q4_%d" % (k + 1))
        texts.append("%s - %s" % (MATRIX_QS, qtext))
        ids.append("QID4_%d" % (k + 1))
    names.append("region")
    texts.append("region")
    ids.append("region")
    records = [names, texts, [qualtrics_import(i, numeric) for i in ids]]
    opt_value = {code: str(k + 1) for k, code in enumerate(options)}

    def record(k, r, status="IP Address", finished=True, channel="anonymous"):
        start = "2023-03-%02d 09:%02d:00" % (6 + k % 5, (10 + k) % 60)
        end = "2023-03-%02d 09:%02d:41" % (6 + k % 5, (17 + k) % 60)
        if numeric:
            status = {"IP Address": "0", "Survey Preview": "1", "Survey Test": "2"}[status]
        rec = [start, end, status, "" if channel == "anonymous" else "203.0.113.%d" % (k % 250),
               "100" if finished else "38", str(461 + 13 * k),
               ("1" if finished else "0") if numeric else ("True" if finished else "False"),
               end, "R_%012d" % (7341 + k), "", "", "", "", "-41.2865", "174.7762", channel, "EN"]
        rec += [r["partner"], r["role"]]
        if numeric:
            rec += ["" if v is None else str(v) for v in placements(r)]
            rec += ["" if c is None else opt_value[c] for c in answers(r)]
        else:
            rec += [level_name(v) for v in placements(r)]
            rec += ["" if c is None else options[c] for c in answers(r)]
        rec.append(r["region"])
        return rec

    # the survey's author previews it, then runs the test generator
    records.append(record(0, test_row, status="Survey Preview", channel="preview"))
    records.append(record(1, test_row, status="Survey Test", channel="test"))
    for k, r in enumerate(rows):
        records.append(record(k + 2, r))
        if k == 20:
            # a partner who stopped on the second page (recorded as partial)
            part = dict(r, **{q: "" for q, _ in questions})
            records.append(record(k + 100, part, finished=False))
    write(name, records, crlf=True)


qualtrics("qualtrics.csv", numeric=False)
# Older exports write the ImportIds with single quotes; with "Use numeric
# values" the answers are the choices' recode values (the matrix's columns
# 1..5 are the levels; Yes, Partly, No, Don't know are 1..4).
qualtrics("qualtrics-values.csv", numeric=True)
write("qualtrics-map.csv", [["header", "id"], ["Q1", "partner"], ["Q2", "role"]])
write("qualtrics-recode.csv", [["item", "from", "to"]] +
      [["*", str(k + 1), code] for k, code in enumerate(options)])

# ---- Qualtrics, legacy layout (before 2017): V1..V10 and two header rows --
legacy_sys = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
              "IPAddress", "Status", "StartDate", "EndDate", "Finished"]
head1 = ["V%d" % (k + 1) for k in range(len(legacy_sys))] + ["Q1", "Q2"] + \
    ["Q3_%d" % (k + 1) for k in range(len(dims))] + \
    ["Q4_%d" % (k + 1) for k in range(len(questions))] + ["region"]
head2 = legacy_sys + ["Which organization do you work for?", "What is your role in it?"] + \
    ["%s-%s" % (MATRIX_DIMS, dname) for _, dname, _, _ in dims] + \
    ["%s-%s" % (MATRIX_QS, qtext) for _, qtext in questions] + ["region"]
# In the legacy layout the second row is the names; the texts are gone.
records = [head1, head2]
for k, r in enumerate(rows):
    stamp = "2016-03-%02d 09:%02d:00" % (6 + k % 5, (10 + k) % 60)
    rec = ["R_%s" % format(0x5A3E1 * (k + 1), "x"), "Default Response Set", "Anonymous", "", "",
           "", "0", stamp, stamp, "1", r["partner"], r["role"]]
    rec += [level_name(v) for v in placements(r)]
    rec += ["" if c is None else options[c] for c in answers(r)]
    rec.append(r["region"])
    records.append(rec)
write("qualtrics-legacy.csv", records, crlf=True)
write("qualtrics-legacy-map.csv", [["header", "id"]] + [["Q1", "partner"], ["Q2", "role"]] +
      [["Q3_%d" % (k + 1), d] for k, (d, _, _, _) in enumerate(dims)] +
      [["Q4_%d" % (k + 1), q] for k, (q, _) in enumerate(questions)])

# ---- Google Forms (Responses, Download .csv) ------------------------------
# Timestamp first; the placements asked as one multiple-choice grid,
# "Question [Row]" with the dimensions' names as its rows; questions by
# their titles, answers as their choices are written.
head = ["Timestamp", "Which region is your organization in?", "Your organization", "Your role"]
head += ["%s [%s]" % (MATRIX_DIMS, dname) for _, dname, _, _ in dims]
head += [q + " " for _, q in questions]  # Forms keeps a trailing space typed into a title
records = [head]
for k, r in enumerate(rows):
    rec = ["2023/03/%02d %d:%02d:%02d %s GMT+13" % (6 + k % 5, 1 + k % 12, (7 * k) % 60,
                                                   (13 * k) % 60, "AM" if k % 2 else "PM"),
           r["region"], r["partner"], r["role"]]
    rec += [level_name(v) for v in placements(r)]
    rec += ["" if c is None else options[c] for c in answers(r)]
    records.append(rec)
write("google-forms.csv", records)
write("google-forms-map.csv", [["header", "id"], ["Which region is your organization in?", "region"],
                               ["Your organization", "partner"], ["Your role", "role"]])

# ---- LimeSurvey (Export responses: CSV, question codes, answer codes) ----
# ';' as the field separator; arrays are "code[subquestion]"; the answer
# options' codes (AO01.. for the placements, Y/P/N/DK for the questions)
# are turned into answers by limesurvey-recode.csv; a response never
# submitted has no submitdate.
lime_codes = ["G01Q01", "G01Q02", "G01Q03"] + \
    ["G02Q04[SQ%03d]" % (k + 1) for k in range(len(dims))] + \
    ["G03Q05[SQ%03d]" % (k + 1) for k in range(len(questions))]
lime_opt = {"yes": "Y", "partly": "P", "no": "N", "dk": "DK"}
assert set(lime_opt) == set(options)
head = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"] + \
    lime_codes


def lime_record(k, r, submitted=True):
    stamp = "2023-03-%02d 10:%02d:00" % (6 + k % 5, k % 60)
    rec = [str(k + 1), stamp if submitted else "", "3" if submitted else "2", "en",
           str(104729 * (k + 1) % 999983), stamp, stamp]
    rec += [r["region"], r["partner"], r["role"]]
    rec += ["" if v is None else "AO%02d" % v for v in placements(r)]
    rec += ["" if c is None else lime_opt[c] for c in answers(r)]
    return rec


records = [head]
for k, r in enumerate(rows):
    records.append(lime_record(len(records) - 1, r))
    if k == 9:
        records.append(lime_record(len(records) - 1, dict(r, **{q: "" for q, _ in questions}),
                                   submitted=False))
write("limesurvey.csv", records, delimiter=";")
write("limesurvey-map.csv", [["header", "id"]] + [[c, i] for c, i in zip(
    lime_codes, ["region", "partner", "role"] + [d for d, _, _, _ in dims] +
    [q for q, _ in questions])])
write("limesurvey-recode.csv", [["item", "from", "to"]] +
      [["*", "AO%02d" % v, str(v)] for v, _, _ in levels] +
      [["*", lime_opt[c], c] for c in options])

# ---- REDCap (raw export and its data dictionary) --------------------------
# Raw codes: the placements are radio fields coded 0..4 (REDCap's default
# numbering), the questions 1, 2, 3, 9; the data dictionary says what each
# code means and labels the fields with the rubric's prompts and texts.
# The form's status is <form>_complete, 2 when complete; one partner left it
# incomplete (0).
dim_fields = ["place_%d" % (k + 1) for k in range(len(dims))]
q_fields = ["check_%d" % (k + 1) for k in range(len(questions))]
q_codes = {"yes": "1", "partly": "2", "no": "3", "dk": "9"}
dict_head = ["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
             "Choices, Calculations, OR Slider Labels", "Field Note",
             "Text Validation Type OR Show Slider Number", "Text Validation Min",
             "Text Validation Max", "Identifier?",
             "Branching Logic (Show field only if...)", "Required Field?",
             "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
             "Matrix Ranking?", "Field Annotation"]


def dict_row(var, typ, label, choices="", section="", required=""):
    row = [var, "partnership_survey", section, typ, label, choices] + [""] * 12
    row[12] = required
    return row


dictionary = [dict_head, dict_row("record_id", "text", "Record ID"),
              dict_row("region", "text", "Region", required="y"),
              dict_row("org_name", "text", "Which organization do you work for?", required="y"),
              dict_row("job_role", "text", "What is your role in it?")]
level_choices = " | ".join("%d, %s" % (v - 1, name) for v, _, name in levels)
for k, (d, _, prompt, _) in enumerate(dims):
    dictionary.append(dict_row(dim_fields[k], "radio", prompt, level_choices,
                               section="Where the partnership stands" if k == 0 else ""))
q_choices = " | ".join("%s, %s" % (q_codes[c], options[c]) for c in options)
for k, (q, qtext) in enumerate(questions):
    dictionary.append(dict_row(q_fields[k], "radio", qtext, q_choices,
                               section="Questions" if k == 0 else ""))
write("redcap-dictionary.csv", dictionary)

head = ["record_id", "redcap_survey_identifier", "partnership_survey_timestamp", "region",
        "org_name", "job_role"] + dim_fields + q_fields + ["partnership_survey_complete"]


def redcap_record(k, r, complete="2"):
    rec = [str(k + 1), "", "2023-03-%02d 11:%02d:17" % (6 + k % 5, k % 60) if complete == "2"
           else "[not completed]", r["region"], r["partner"], r["role"]]
    rec += ["" if v is None else str(v - 1) for v in placements(r)]
    rec += ["" if c is None else q_codes[c] for c in answers(r)]
    rec.append(complete)
    return rec


records = [head]
for k, r in enumerate(rows):
    records.append(redcap_record(len(records) - 1, r))
    if k == 30:
        records.append(redcap_record(len(records) - 1, dict(r, **{q: "" for q, _ in questions}),
                                     complete="0"))
write("redcap.csv", records)
write("redcap-map.csv", [["header", "id"], ["org_name", "partner"], ["job_role", "role"]])

# The same records as a label export ("CSV / Microsoft Excel (labels)"):
# the fields' labels as headers, the choices' labels as answers and the
# form's status as "Complete?": Complete, Incomplete or Unverified.
label_of = {row[0]: row[4] for row in dictionary[1:]}
status_label = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
head_labels = ["Record ID", "Survey Identifier", "Survey Timestamp"] + \
    [label_of[h] for h in head[3:-1]] + ["Complete?"]
labelled = [head_labels]
for rec in records[1:]:
    out = rec[:6]
    out += ["" if c == "" else levels[int(c)][2] for c in rec[6:6 + len(dims)]]
    inv = {v: k for k, v in q_codes.items()}
    out += ["" if c == "" else options[inv[c]] for c in rec[6 + len(dims):-1]]
    out.append(status_label[rec[-1]])
    labelled.append(out)
write("redcap-labels.csv", labelled)
write("redcap-labels-map.csv", [["header", "id"],
                                ["Which organization do you work for?", "partner"],
                                ["What is your role in it?", "role"]])

# ---- SurveyMonkey (Export: All individual responses, CSV) -----------------
# Two header rows: the questions in row 1 (blank over a matrix's further
# columns), "Response" or the matrix's row labels in row 2.
sm_sys = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
          "Email Address", "First Name", "Last Name", "Custom Data 1"]
row1 = sm_sys + ["Which region is your organization in?", "Which organization do you work for?",
                 "What is your role in it?"]
row2 = [""] * len(sm_sys) + ["Response", "Response", "Response"]
for k, (_, dname, _, _) in enumerate(dims):
    row1.append(MATRIX_DIMS if k == 0 else "")
    row2.append(dname)
for k, (_, qtext) in enumerate(questions):
    row1.append(MATRIX_QS if k == 0 else "")
    row2.append(qtext)
records = [row1, row2]
for k, r in enumerate(rows):
    stamp = "03/%02d/2023 09:%02d:%02d AM" % (6 + k % 5, (10 + k) % 60, (7 * k) % 60)
    rec = [str(114_000_000_000 + 7919 * k), "431920117", stamp, stamp, "", "", "", "", "",
           r["region"], r["partner"], r["role"]]
    rec += [level_name(v) for v in placements(r)]
    rec += ["" if c is None else options[c] for c in answers(r)]
    records.append(rec)
write("surveymonkey.csv", records)
write("surveymonkey-map.csv", [["header", "id"],
                               ["Which region is your organization in?", "region"],
                               ["Which organization do you work for?", "partner"],
                               ["What is your role in it?", "role"]])

# ---- Microsoft Forms (Open in Excel, saved as "CSV UTF-8") ----------------
# Excel writes a BOM; the questions' titles as headers; the placements'
# choices are the descriptors where a dimension's five differ.
def unique(desc):
    return len(desc) == len(levels) and len(set(desc.values())) == len(desc)


head = ["ID", "Start time", "Completion time", "Email", "Name",
        "Which region is your organization in?", "Which organization do you work for?",
        "What is your role in it?"] + [prompt for _, _, prompt, _ in dims] + \
    [qtext for _, qtext in questions]
records = [head]
for k, r in enumerate(rows):
    stamp = "3/%d/23 %d:%02d:%02d" % (6 + k % 5, 9 + k % 8, (3 * k) % 60, (11 * k) % 60)
    rec = [str(k + 1), stamp, stamp, "anonymous", "", r["region"], r["partner"], r["role"]]
    for (_, _, _, desc), v in zip(dims, placements(r)):
        rec.append("" if v is None else (desc[v] if unique(desc) else level_name(v)))
    rec += ["" if c is None else options[c] for c in answers(r)]
    records.append(rec)
with open(os.path.join(OUT, "microsoft-forms.csv"), "wb") as f:
    f.write(b"\xef\xbb\xbf" + csv_text(records, crlf=True).encode("utf-8"))

# What Microsoft Forms itself downloads ("Open results in Excel"): the same
# answers in a workbook, ID a number, the times date-time cells, an empty
# answer no cell at all (xlsx_writer.py writes the parts as Excel does).
sys.path.insert(0, HERE)
from xlsx_writer import write_xlsx  # noqa: E402

book = [head]
for k, rec in enumerate(records[1:]):
    t = datetime.datetime(2023, 3, 6 + k % 5, 9 + k % 8, (3 * k) % 60, (11 * k) % 60)
    book.append([k + 1, t, t] + [c if c != "" else None for c in rec[3:]])
write_xlsx(os.path.join(OUT, "microsoft-forms.xlsx"), [("Sheet1", book, [])])
write("microsoft-forms-map.csv", [["header", "id"],
                                  ["Which region is your organization in?", "region"],
                                  ["Which organization do you work for?", "partner"],
                                  ["What is your role in it?", "role"]])

# ---- KoboToolbox (Downloads: CSV, XML values and headers) -----------------
# ';' between fields, '/' between a question's groups and its name; the
# XLSForm names the questions and choices after the rubric's ids.
head = ["start", "end", "today", "deviceid", "intro/region", "intro/organization", "intro/role"]
head += ["placement/%s" % d for d, _, _, _ in dims]
head += ["questions/%s" % q for q, _ in questions]
head += ["__version__", "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
         "_status", "_submitted_by", "_tags", "_index"]
records = [head]
lid = {v: i for v, i, _ in levels}
for k, r in enumerate(rows):
    t = "2023-03-%02dT10:%02d:%02d.000+13:00" % (6 + k % 5, (5 + k) % 60, (17 * k) % 60)
    rec = [t, t, "2023-03-%02d" % (6 + k % 5), "ee.kobotoolbox.org:%07d" % (3301 * k % 9999991),
           r["region"], r["partner"], r["role"]]
    rec += ["" if v is None else lid[v] for v in placements(r)]
    rec += ["" if c is None else c for c in answers(r)]
    rec += ["vGqP8dB3kFXu7xCm2eYhRz", str(201_000_000 + k),
            "%08x-4d2c-4e1a-9b7f-%012x" % (0x1F3A5 * (k + 1), 0xC0FFEE * (k + 1)),
            t[:19], "", "", "submitted_via_web", "", "", str(k + 1)]
    records.append(rec)
write("kobo.csv", records, delimiter=";")
write("kobo-map.csv", [["header", "id"], ["organization", "partner"]])

# ---- canonical.csv saved by Excel -----------------------------------------
# "CSV (Comma delimited)" in a German or French Windows: Windows-1252 and ';'
# (read with --encoding windows-1252). Windows-1252 has no 'ā' (Māori), which
# Excel would write as '?': this one holds Zürich Nord's rows only.
# "Unicode Text": UTF-16LE with a BOM, TAB between fields, every row.
with open(os.path.join(HERE, "canonical.csv"), newline="", encoding="utf-8") as f:
    table = list(csv.reader(f))
zurich = [table[0]] + [t for t in table[1:] if t[0] == "Zürich Nord"]
write("excel-windows-1252.csv", zurich, delimiter=";", crlf=True, encoding="cp1252")
with open(os.path.join(OUT, "excel-unicode.txt"), "wb") as f:
    f.write(b"\xff\xfe" + csv_text(table, delimiter="\t", crlf=True).encode("utf-16-le"))
