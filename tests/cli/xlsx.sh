#!/usr/bin/env bash
# Excel workbooks read as responses (issue 17): each workbook made by
# tests/data/xlsx/make-workbooks.py scores exactly as its twin CSV (what the
# sheet shows, saved as CSV UTF-8); a broken, hostile or foreign file is a
# located error with exit 1 and no output, never a crash, hang or large
# allocation.
source "$(dirname "$0")/lib/common.bash"
X="$CTM_TEST_DATA/xlsx"
RUBRIC="$RUBRICS/service-coordination.xml"

same_as_csv() { # label csv-args -- xlsx-args
  local label=$1; shift
  local csv_args=() xlsx_args=()
  while [ "$1" != "--" ]; do csv_args+=("$1"); shift; done
  shift
  xlsx_args=("$@")
  for format in csv json; do
    run ctm score -r "$RUBRIC" --format "$format" "${csv_args[@]}"
    local want=$out want_status=$status
    run ctm score -r "$RUBRIC" --format "$format" "${xlsx_args[@]}"
    expect_status "$want_status" "$label ($format): status as its CSV"
    if [ "$want_status" -eq 0 ] && [ -n "$want" ] && [ "$out" = "$want" ]; then ok
    else bad "$label ($format) scores differently from its CSV:"
      diff <(echo "$want") <(echo "$out") | head -8 >&2
    fi
  done
}

# Shared, inline and rich strings, numbers (4.0 shows 4), a date (the wave,
# 2024-03-01), absent cells, a formula's text.
same_as_csv mixed "$X/mixed.csv" -- "$X/mixed.xlsx"
# The 1904 date system gives the same calendar dates.
same_as_csv date1904 "$X/date1904.csv" -- "$X/date1904.xlsx"
# A merged header cell shows its value over the range (SurveyMonkey's layout).
same_as_csv merged-header "$X/merged-header.csv" -- "$X/merged-header.xlsx"
# --sheet picks a sheet by name (exactly, else ignoring case).
same_as_csv two-sheets "$X/mixed.csv" -- --sheet Data "$X/two-sheets.xlsx"
same_as_csv two-sheets-case "$X/mixed.csv" -- --sheet data "$X/two-sheets.xlsx"
# Recognised by content, not by name.
cp "$X/mixed.xlsx" "$TMP/responses.csv"
same_as_csv by-content "$X/mixed.csv" -- "$TMP/responses.csv"
# The JSON's exclusions and the lenient read agree too.
same_as_csv lenient --lenient "$X/mixed.csv" -- --lenient "$X/mixed.xlsx"

# A region typed once and merged down its rows counts for each of them.
python3 - "$TMP/vertical.xlsx" "$TMP/vertical.csv" "$CTM_SRC" <<'PY'
import sys, csv
sys.path.insert(0, sys.argv[3] + "/examples/exports")
from xlsx_writer import write_xlsx
rows = [["region", "wave", "partner", "planning"],
        ["North", "2024", "Alpha", 3], [None, "2024", "Beta", 4], [None, "2024", "Gamma", 2],
        ["South", "2024", "Delta", 5]]
write_xlsx(sys.argv[1], [("Sheet1", rows, ["A2:A4"])])
with open(sys.argv[2], "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(
        [["North" if c is None else c for c in r] for r in rows])
PY
same_as_csv vertical-merge "$TMP/vertical.csv" -- "$TMP/vertical.xlsx"

# Microsoft Forms' own download, as the same answers in CSV.
EX="$EXAMPLES/exports"
same_as_csv microsoft-forms --set wave=2023-03 --map "$EX/microsoft-forms-map.csv" \
  "$EX/microsoft-forms.csv" -- --set wave=2023-03 --map "$EX/microsoft-forms-map.csv" \
  "$EX/microsoft-forms.xlsx"

# The first sheet is read by default: two-sheets' first is notes, whose
# header names nothing, and the messages name its cells.
run ctm score -r "$RUBRIC" "$X/two-sheets.xlsx"
expect_status 1 "two-sheets without --sheet"
expect_err "two-sheets.xlsx:Notes!A1: error: required column 'region' is missing" \
  "a workbook's header errors name its sheet and cell"
if [ -z "$out" ]; then ok; else bad "two-sheets without --sheet printed results"; fi
run ctm score -r "$RUBRIC" --sheet Answers "$X/two-sheets.xlsx"
expect_status 1 "--sheet that is none"
expect_err "two-sheets.xlsx: error: no sheet 'Answers' in the workbook (--sheet): its sheets are 'Notes', 'Data'" \
  "--sheet names the sheets there are"

# A bad answer is located at its cell, in strict reads and lenient ones.
python3 - "$TMP/bad.xlsx" "$CTM_SRC" <<'PY'
import sys, datetime
sys.path.insert(0, sys.argv[2] + "/examples/exports")
from xlsx_writer import write_xlsx
rows = [["region", "wave", "partner", "planning", "q1"],
        ["North", datetime.date(2024, 3, 1), "Alpha", 3, "Yes"],
        ["North", datetime.date(2024, 3, 1), "Beta", "Banana", ("inline", "maybe")],
        ["North", datetime.date(2024, 3, 1), "Gamma", 4.0, True]]
write_xlsx(sys.argv[1], [("Answers", rows, [])])
PY
run ctm score -r "$RUBRIC" "$TMP/bad.xlsx"
expect_status 1 "invalid cells"
expect_err "bad.xlsx:Answers!D3: error: 'Banana' is not a level for dimension 'planning'" "cell D3"
expect_err "bad.xlsx:Answers!E3: error: 'maybe' is not an answer to question 'q1'" "cell E3"
expect_err "bad.xlsx:Answers!E4: error: 'TRUE' is not an answer to question 'q1'" "a boolean cell is TRUE"
if [ -z "$out" ]; then ok; else bad "invalid cells printed results"; fi
run ctm validate "$RUBRIC" --lenient "$TMP/bad.xlsx"
expect_status 0 "lenient validate"
expect_err "bad.xlsx:Answers!D3: warning: 1 cell left out: placement answer that is not a level" \
  "exclusions are located at cells"
run ctm score -r "$RUBRIC" --lenient "$TMP/bad.xlsx"
expect_out "North,2024-03-01,dimension,planning,2,3.5000" "lenient: the valid cells scored"

# Broken, hostile and foreign files: located errors, exit 1, no output.
refused() { # file expected-stderr label
  run ctm score -r "$RUBRIC" -o "$TMP/out.csv" "$1"
  expect_status 1 "$3"
  expect_err "$2" "$3: message"
  if [ ! -e "$TMP/out.csv" ]; then ok; else bad "$3: wrote output"; rm -f "$TMP/out.csv"; fi
}
refused "$X/corrupt.xlsx" "corrupt.xlsx: error: not a readable workbook" "a truncated workbook"
refused "$X/not-a-workbook.xlsx" \
  "not-a-workbook.xlsx: error: a zip archive but not an Excel workbook (it has no xl/workbook.xml)" \
  "a zip that is no workbook"
refused "$X/bad-xml.xlsx" "bad-xml.xlsx: error: part 'xl/worksheets/sheet1.xml' is not well-formed XML" \
  "a sheet that is not XML"
refused "$X/doctype.xlsx" "doctype.xlsx: error: part 'xl/worksheets/sheet1.xml': a DOCTYPE is not allowed" \
  "entities in a sheet"
refused "$X/bomb.xlsx" "bomb.xlsx: error: part 'xl/worksheets/sheet1.xml' would inflate from" "a zip bomb"
if [ "$(grep -c "error:" <<<"$err")" -eq 1 ]; then ok; else bad "a zip bomb: more than its one error: $err"; fi
refused "$X/ratio.xlsx" "refused as a zip bomb" "a 1000:1 part"
refused "$X/legacy.xls" \
  "legacy.xls: error: an Excel 97-2003 workbook (.xls) is not read: save it as an Excel workbook (.xlsx) or as CSV UTF-8" \
  "an .xls"
refused "$X/sheet.ods" \
  "sheet.ods: error: an OpenDocument spreadsheet (.ods) is not read: save it as an Excel workbook (.xlsx) or as CSV UTF-8" \
  "an .ods"

# The bomb is refused from the archive's directory: at once, in little
# memory (GNU time's maximum resident set, in KB; the 2 GiB part is never
# inflated).
if command -v /usr/bin/time >/dev/null; then
  /usr/bin/time -f "%M" -o "$TMP/rss" "$CONTINUUM" score -r "$RUBRIC" "$X/bomb.xlsx" >/dev/null 2>&1
  rss=$(tail -1 "$TMP/rss")
  if [ "$rss" -lt 100000 ]; then ok; else bad "the zip bomb took $rss KB"; fi
fi

# The workbooks here are what make-workbooks.py writes.
mkdir "$TMP/books"
if python3 "$X/make-workbooks.py" "$TMP/books" >/dev/null 2>"$TMP/gen.err"; then
  for f in "$TMP"/books/*; do
    cmp -s "$f" "$X/$(basename "$f")" && ok || bad "make-workbooks.py changes $(basename "$f")"
  done
else
  bad "make-workbooks.py failed: $(cat "$TMP/gen.err")"
fi

finish
