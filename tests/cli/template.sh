#!/usr/bin/env bash
# continuum template: the CSV header exact, the PDF questionnaire printing
# every prompt, descriptor, question and option of every shipped rubric,
# reproducible bytes, the round trip through score, and failures that leave
# nothing behind.
source "$(dirname "$0")/lib/common.bash"
STRINGS="$(dirname "$0")/lib/rubric_strings.py"

run ctm template --help
expect_status 0 "template --help"
expect_out "Usage: continuum template -r RUBRIC -o PREFIX" "template --help usage"

run ctm template -o "$TMP/x"
expect_status 2 "template without a rubric"
expect_err "a rubric is required" "template without a rubric says so"
run ctm template -r "$RUBRICS/service-coordination.xml"
expect_status 2 "template without -o"
expect_err "an output prefix is required" "template without -o says so"
run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/x" extra.csv
expect_status 2 "template with a stray argument"
expect_no_file "$TMP/x.csv" "nothing written after a usage error"

# The header of the example rubric, exactly.
run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/sc"
expect_status 0 "template service-coordination"
want='region,wave,partner,respondent,role,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9'
if [ "$(cat "$TMP/sc.csv")" = "$want" ] && [ "$(wc -l <"$TMP/sc.csv")" -eq 1 ]; then ok
else bad "service-coordination header: $(cat "$TMP/sc.csv")"; fi
expect_no_temporaries "$TMP" "template leaves no temporaries"
if [ -z "$err" ]; then ok; else bad "template warns: $err"; fi

# Every shipped rubric: header from the rubric, every text in the PDF.
POPPLER=0; have pdftotext && have pdfinfo && POPPLER=1
[ "$POPPLER" = 1 ] || skip "poppler-utils not installed: the questionnaires' pages and text"
for rubric in "$RUBRICS"/*.xml; do
  name=$(basename "$rubric" .xml)
  run ctm template -r "$rubric" -o "$TMP/$name"
  expect_status 0 "template $name"
  expect_file "$TMP/$name.pdf" "template $name PDF"
  if [ "$(cat "$TMP/$name.csv")" = "$(python3 "$STRINGS" header "$rubric")" ]; then ok
  else bad "$name: header differs: $(cat "$TMP/$name.csv")"; fi
  if [ "$POPPLER" = 1 ]; then
  pages=$(pdfinfo "$TMP/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  # Items: dimensions plus questions; a page holds at least two of them.
  items=$(($(tr ',' '\n' <"$TMP/$name.csv" | wc -l) - 5))
  if [ -n "$pages" ] && [ "$pages" -ge 2 ] && [ "$pages" -le $((items / 2 + 4)) ]; then ok
  else bad "$name: $pages pages for $items items"; fi
  # Compared without any white space: pdftotext breaks lines where the
  # layout wraps them, and may order a box's number before its text.
  pdftotext -enc UTF-8 "$TMP/$name.pdf" - 2>/dev/null | tr -d ' \t\n\r\f' >"$TMP/$name.txt"
  missing=0
  while IFS= read -r s; do
    squeezed=$(tr -d ' \t' <<<"$s")
    if ! grep -qF -- "$squeezed" "$TMP/$name.txt"; then
      bad "$name: the PDF lacks '$s'"
      missing=$((missing + 1))
    fi
  done < <(python3 "$STRINGS" texts "$rubric")
  [ "$missing" -eq 0 ] && ok
  fi
  # Bookmarks: the sections and one per dimension.
  if grep -qa "/Outlines" "$TMP/$name.pdf"; then ok; else bad "$name: no outline"; fi
done

# Same rubric, same bytes.
run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/again"
cmp -s "$TMP/sc.pdf" "$TMP/again.pdf" && ok || bad "template PDF is not reproducible"
cmp -s "$TMP/sc.csv" "$TMP/again.csv" && ok || bad "template CSV is not reproducible"

# Round trip: the header with filled rows scores with no warning.
{
  cat "$TMP/sc.csv"
  echo "North,2024,Alpha,r1,manager,1,2,3,4,5,3,yes,partly,no,dk,yes,no,no,no,no"
  echo "North,2024,Beta,r2,frontline,Awareness,integration,3,3,2,2,Yes,Partly,No,Don't know,,,yes,no,no"
} >"$TMP/filled.csv"
run ctm score -r "$RUBRICS/service-coordination.xml" "$TMP/filled.csv"
expect_status 0 "filled template scores"
expect_out "North,2024,stage,overall" "filled template has a stage row"
if [ -z "$err" ]; then ok; else bad "filled template warns: $err"; fi

# A form that copies the questionnaire's wording: prompts as headers,
# descriptors and labels as answers; same scores as the ids and codes.
python3 - "$RUBRICS/service-coordination.xml" "$TMP" <<'PY'
import csv, sys, xml.etree.ElementTree as ET
ns = {"r": "urn:continuum:rubric:1"}
t = lambda e: " ".join((e.text or "").split())
root = ET.parse(sys.argv[1]).getroot()
dims = list(root.find("r:dimensions", ns))
qs = list(root.find("r:questions", ns))
opts = {o.get("code"): t(o) for o in root.find("r:scales", ns)[0]}
rows = [["1", "1", "3", "4", "5", "3"], ["4", "4", "4", "3", "2", "5"]]
answers = [["yes"] * 9, ["partly", "no", "dk", "yes", "no", "no", "partly", "yes", "no"]]
with open(sys.argv[2] + "/ids.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["region", "wave", "partner"] + [d.get("id") for d in dims] + [q.get("id") for q in qs])
    for i, (r, a) in enumerate(zip(rows, answers)):
        w.writerow(["North", "2024", "P%d" % i] + r + a)
with open(sys.argv[2] + "/words.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Region", "Wave", "Partner"] + [t(d.find("r:prompt", ns)).upper() for d in dims] + [t(q) + " " for q in qs])
    for i, (r, a) in enumerate(zip(rows, answers)):
        cells = []
        for d, v in zip(dims, r):
            desc = {x.get("level"): t(x) for x in d.findall("r:descriptor", ns)}
            shared = list(desc.values()).count(desc.get(v)) > 1
            cells.append(v if shared or v not in desc else desc[v].lower())
        w.writerow(["North", "2024", "P%d" % i] + cells + [opts[c] for c in a])
PY
run ctm score -r "$RUBRICS/service-coordination.xml" "$TMP/ids.csv"
ids_out=$out
run ctm score -r "$RUBRICS/service-coordination.xml" "$TMP/words.csv"
expect_status 0 "questionnaire wording scores"
if [ -n "$ids_out" ] && [ "$out" = "$ids_out" ]; then ok; else bad "wording and ids score differently"; fi
if [ -z "$err" ]; then ok; else bad "questionnaire wording warns: $err"; fi

# Cannot write: exit 3, nothing left behind.
mkdir -p "$TMP/ro"
chmod 555 "$TMP/ro"
if [ "$(id -u)" -ne 0 ]; then
  run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/ro/t"
  expect_status 3 "unwritable prefix"
  expect_no_file "$TMP/ro/t.csv" "no CSV in an unwritable directory"
  expect_no_file "$TMP/ro/t.pdf" "no PDF in an unwritable directory"
fi
run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/no/such/dir/t"
expect_status 3 "prefix in a missing directory"
expect_no_file "$TMP/no/such/dir/t.csv" "no CSV for a missing directory"
# The PDF's place is taken by a directory: the CSV must not stay either.
mkdir -p "$TMP/half.pdf"
run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/half"
expect_status 3 "PDF path is a directory"
expect_no_file "$TMP/half.csv" "no CSV when the PDF cannot be written"
expect_no_temporaries "$TMP" "no temporaries after failures"
chmod 755 "$TMP/ro"

# An invalid rubric: exit 1, nothing written.
printf '<rubric/>' >"$TMP/bad.xml"
run ctm template -r "$TMP/bad.xml" -o "$TMP/bad"
expect_status 1 "invalid rubric"
expect_no_file "$TMP/bad.csv" "no CSV for an invalid rubric"
expect_no_file "$TMP/bad.pdf" "no PDF for an invalid rubric"

# The output may not overwrite the rubric.
# The promise to respondents says what the reports will do: by default an
# organization alone only with min-n respondents; with --show-partners, also
# when one person answered for it.
run ctm template -r "$RUBRICS/service-coordination.xml" -o "$TMP/promise"
promise=$(pdftotext "$TMP/promise.pdf" - 2>/dev/null | tr '\n' ' ')
if grep -qF "an organization's answers are shown on their own only when at least 5 of its people answered" <<<"$promise"; then ok
else bad "the default promise: ${promise:0:600}"; fi
run ctm template -r "$RUBRICS/service-coordination.xml" --show-partners -o "$TMP/promise2"
expect_status 0 "template --show-partners"
promise=$(pdftotext "$TMP/promise2.pdf" - 2>/dev/null | tr '\n' ' ')
if grep -qF "shown on their own, also when only one of its people answered" <<<"$promise"; then ok
else bad "the --show-partners promise: ${promise:0:600}"; fi

cp "$RUBRICS/service-coordination.xml" "$TMP/r.pdf"
run ctm template -r "$TMP/r.pdf" -o "$TMP/r"
expect_status 2 "output over the rubric"

finish
