#!/usr/bin/env bash
# Survey platforms' exports as they come: each sample in examples/exports
# carries the answers of examples/exports/canonical.csv as its platform
# writes them, and must score to exactly the canonical file's bytes (CSV and
# JSON); the platforms' system columns are named in one warning.
source "$(dirname "$0")/lib/common.bash"
EX="$EXAMPLES/exports"
RUBRIC="$RUBRICS/service-coordination.xml"

# One command per platform, as in the README: at most --set, a --map for
# the names the rubric cannot know, and the platform's dictionary or a
# recode file.
W="--set wave=2023-03"
EXPORTS="qualtrics|$W --map $EX/qualtrics-map.csv $EX/qualtrics.csv
qualtrics-values|$W --map $EX/qualtrics-map.csv --recode $EX/qualtrics-recode.csv $EX/qualtrics-values.csv
qualtrics-legacy|$W --map $EX/qualtrics-legacy-map.csv $EX/qualtrics-legacy.csv
google-forms|$W --map $EX/google-forms-map.csv $EX/google-forms.csv
limesurvey|$W --map $EX/limesurvey-map.csv --recode $EX/limesurvey-recode.csv $EX/limesurvey.csv
redcap|$W --map $EX/redcap-map.csv --redcap-dictionary $EX/redcap-dictionary.csv $EX/redcap.csv
redcap-labels|$W --map $EX/redcap-labels-map.csv $EX/redcap-labels.csv
surveymonkey|$W --map $EX/surveymonkey-map.csv $EX/surveymonkey.csv
microsoft-forms|$W --map $EX/microsoft-forms-map.csv $EX/microsoft-forms.csv
microsoft-forms-xlsx|$W --map $EX/microsoft-forms-map.csv $EX/microsoft-forms.xlsx
kobo|$W --map $EX/kobo-map.csv $EX/kobo.csv
excel-unicode|$EX/excel-unicode.txt"

# The JSON without its exclusions (previews, tests and unfinished rows are
# counted there), which the canonical file has none of.
without_exclusions() {
  python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("exclusions"); print(json.dumps(d, sort_keys=True))'
}

run ctm score -r "$RUBRIC" "$EX/canonical.csv"
expect_status 0 "canonical (csv)"
canonical=$out
run ctm score -r "$RUBRIC" --format json "$EX/canonical.csv"
expect_status 0 "canonical (json)"
canonical_json=$(without_exclusions <<<"$out")
[ -n "$canonical" ] && [ -n "$canonical_json" ] && ok || bad "canonical printed nothing"

while IFS='|' read -r name args; do
  # shellcheck disable=SC2086
  run ctm score -r "$RUBRIC" $args
  expect_status 0 "$name"
  if [ "$out" = "$canonical" ]; then ok
  else bad "$name scores differently from canonical.csv:"
    diff <(echo "$canonical") <(echo "$out") | head -10 >&2
  fi
  # every platform column is named in one warning, nothing else is said
  if [ "$(grep -c . <<<"$err")" -le 1 ] && ! grep -q "error" <<<"$err"; then ok
  else bad "$name: more than one line on stderr: $err"; fi
  # shellcheck disable=SC2086
  run ctm score -r "$RUBRIC" --format json $args
  expect_status 0 "$name (json)"
  if [ "$(without_exclusions <<<"$out")" = "$canonical_json" ]; then ok
  else bad "$name (json) differs from canonical.csv's"; fi
done <<<"$EXPORTS"

# What each platform marks as no answer is left out and counted, by reason.
exclusions() { # arguments after the rubric: "reason count first_line" lines
  # shellcheck disable=SC2086
  run ctm score -r "$RUBRIC" --format json "$@"
  python3 -c 'import json,sys
for e in json.load(sys.stdin)["exclusions"]: print(e["reason"], e["count"], e["first_line"])' <<<"$out"
}
expect_lines() { # got want label
  if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi
}
expect_lines "$(exclusions $W --map "$EX/qualtrics-map.csv" "$EX/qualtrics.csv")" \
  "Qualtrics survey preview or test (Status) 2 4
Qualtrics response not finished (Finished is false) 1 27" "Qualtrics previews, tests, unfinished"
expect_lines "$(exclusions $W --map "$EX/qualtrics-map.csv" --recode "$EX/qualtrics-recode.csv" \
  "$EX/qualtrics-values.csv")" \
  "Qualtrics survey preview or test (Status) 2 4
Qualtrics response not finished (Finished is false) 1 27" "Qualtrics (codes) previews, tests, unfinished"
expect_lines "$(exclusions $W --map "$EX/limesurvey-map.csv" --recode "$EX/limesurvey-recode.csv" \
  "$EX/limesurvey.csv")" "LimeSurvey response not submitted (no submitdate) 1 12" \
  "LimeSurvey not submitted"
expect_lines "$(exclusions $W --map "$EX/redcap-map.csv" --redcap-dictionary \
  "$EX/redcap-dictionary.csv" "$EX/redcap.csv")" \
  "REDCap form 'partnership_survey' not complete (partnership_survey_complete is not 2, Complete) 1 33" \
  "REDCap raw incomplete"
expect_lines "$(exclusions $W --map "$EX/redcap-labels-map.csv" "$EX/redcap-labels.csv")" \
  "REDCap form not complete (Complete? is not Complete) 1 33" "REDCap labels incomplete"

# --keep-incomplete keeps them: the preview and the test answer for one more
# partner of Zürich Nord, "Test Organization" (n counts partners), and the
# unfinished row's placements count too.
run ctm score -r "$RUBRIC" $W --keep-incomplete --map "$EX/qualtrics-map.csv" "$EX/qualtrics.csv"
expect_status 0 "--keep-incomplete"
if [ "$out" != "$canonical" ]; then ok; else bad "--keep-incomplete changed nothing"; fi
kept_n=$(awk -F, '$1=="Zürich Nord" && $4=="planning" {print $5}' <<<"$out")
canon_n=$(awk -F, '$1=="Zürich Nord" && $4=="planning" {print $5}' <<<"$canonical")
expect_lines "$kept_n" "$((canon_n + 1))" "--keep-incomplete: one more partner in Zürich Nord"
run ctm score -r "$RUBRIC" $W --keep-incomplete --format json --map "$EX/qualtrics-map.csv" "$EX/qualtrics.csv"
expect_out '"rows":52' "--keep-incomplete: 52 rows read"

# The validate command says what is left out.
run ctm validate "$RUBRIC" $W --map "$EX/qualtrics-map.csv" "$EX/qualtrics.csv"
expect_status 0 "validate qualtrics"
expect_out "49 rows" "validate counts the Qualtrics data rows only"
expect_err "qualtrics.csv:4:1: warning: 2 rows left out: Qualtrics survey preview or test (Status)" \
  "validate names the previews"

# The report's data-quality page lists them, and says "leniently" only
# when --lenient was given.
run ctm report -r "$RUBRIC" $W --map "$EX/qualtrics-map.csv" --group "region=Zürich Nord,wave=2023-03" \
  -o "$TMP/q.pdf" "$EX/qualtrics.csv"
expect_status 0 "report of a Qualtrics export"
page=$(pdftotext "$TMP/q.pdf" - 2>/dev/null | tr '\n' ' ')
if grep -qF "These rows of this group were left out." <<<"$page" && ! grep -qi "leniently" <<<"$page" &&
   grep -qF "Qualtrics response not finished (Finished is false)" <<<"$page" &&
   grep -qF "Elsewhere in the files read (other groups, or rows of no group such as a survey preview) 2 rows were left out" <<<"$page"; then ok
else bad "report's data-quality page of a strict read: ${page: -900}"; fi
run ctm report -r "$RUBRIC" $W --lenient --map "$EX/qualtrics-map.csv" \
  --group "region=Zürich Nord,wave=2023-03" -o "$TMP/q2.pdf" "$EX/qualtrics.csv"
if pdftotext "$TMP/q2.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "Responses read leniently"; then ok
else bad "a lenient report does not say so"; fi

# Exports whose platform's pieces are missing fail loudly, never score n=0.
run ctm score -r "$RUBRIC" --map "$EX/qualtrics-map.csv" "$EX/qualtrics.csv"
expect_status 1 "qualtrics without --set wave"
expect_err "required column 'wave' is missing from the header (an export without it: --set wave=VALUE" \
  "the missing wave names --set"
run ctm score -r "$RUBRIC" $W --set region=North --map "$EX/qualtrics-map.csv" "$EX/qualtrics.csv"
expect_status 1 "a region column and --set region"
expect_err "the file has a region column and a constant region is set too (--set region=North)" \
  "column and constant clash"
run ctm score -r "$RUBRIC" $W --map "$EX/redcap-map.csv" "$EX/redcap.csv"
expect_status 1 "redcap without its dictionary"
expect_err "no column is an item of rubric 'service-coordination' (15 items): nothing to score" \
  "redcap without its dictionary matches nothing"
run ctm score -r "$RUBRIC" $W --map "$EX/limesurvey-map.csv" "$EX/limesurvey.csv"
expect_status 1 "limesurvey without its recodes"
expect_err "limesurvey.csv:2:121: error: 'AO02' is not a level for dimension 'planning'" \
  "limesurvey codes without recodes are located errors"
run ctm score -r "$RUBRIC" $W --map "$EX/qualtrics-map.csv" "$EX/qualtrics-values.csv"
expect_status 1 "qualtrics values without its recodes"
if [ -z "$out" ]; then ok; else bad "an invalid export printed results"; fi

# Excel's Windows-1252 CSV: named with its fix, then read with --encoding
# (Zürich Nord's rows: Windows-1252 cannot write 'ā').
{ head -1 "$EX/canonical.csv"; grep '^Zürich Nord,' "$EX/canonical.csv"; } >"$TMP/zurich.csv"
run ctm score -r "$RUBRIC" "$TMP/zurich.csv"
zurich=$out
run ctm score -r "$RUBRIC" --encoding windows-1252 "$EX/excel-windows-1252.csv"
expect_status 0 "windows-1252 with --encoding"
if [ "$out" = "$zurich" ] && [ -n "$zurich" ]; then ok
else bad "windows-1252 scores differently from its rows in canonical.csv"; fi
run ctm score -r "$RUBRIC" "$EX/excel-windows-1252.csv"
expect_status 1 "windows-1252 without --encoding"
expect_err 'excel-windows-1252.csv:2:2: error: invalid UTF-8 in field: invalid byte 0xFC (the file may be in the Windows encoding, Windows-1252: save it as "CSV UTF-8" or pass --encoding windows-1252)' \
  "windows-1252 named with the fix"

# The generator is deterministic and the files here are what it writes.
mkdir "$TMP/exports"
if python3 "$EX/make-exports.py" "$TMP/exports" 2>"$TMP/gen.err"; then
  same=1
  for f in "$EX"/*; do
    case $f in *.py | */canonical.csv) continue ;; esac
    cmp -s "$f" "$TMP/exports/$(basename "$f")" || { same=0; bad "make-exports.py changes $(basename "$f")"; }
  done
  [ "$same" = 1 ] && ok
else
  bad "make-exports.py failed: $(cat "$TMP/gen.err")"
fi

# Without its map an export is not silently misread: the required columns
# are missing.
run ctm score -r "$RUBRIC" "$EX/google-forms.csv"
expect_status 1 "google forms without its map"
expect_err "required column 'partner' is missing" "google forms without its map says why"

# --map renames a header, e.g. "Your organization" to partner.
printf 'region,wave,Your organization,planning\nNorth,2024,Alpha,3\nNorth,2024,Beta,4\n' >"$TMP/org.csv"
printf 'header,id\n  your ORGANIZATION ,partner\n' >"$TMP/org-map.csv"
run ctm score -r "$RUBRIC" --map "$TMP/org-map.csv" "$TMP/org.csv"
expect_status 0 "--map Your organization"
expect_out "North,2024,dimension,planning,2,3.5000" "--map: two partners scored"
# only the rubric's items the file leaves out are said, in one line
if [ "$(grep -c . <<<"$err")" = 1 ] && grep -q "14 rubric items are in no column" <<<"$err"; then
  ok
else
  bad "--map leaves a warning: $err"
fi
printf 'header,id\nYour organization,organisation\n' >"$TMP/bad-map.csv"
run ctm score -r "$RUBRIC" --map "$TMP/bad-map.csv" "$TMP/org.csv"
expect_status 1 "--map to an unknown id"
expect_err "bad-map.csv:2:19: error: 'organisation' is not a column" "--map unknown id located"

# Qualtrics with CRLF: its text row names a column row 1 calls Q3, which
# must not be taken for q3 although it matches ignoring case.
{
  printf 'region,wave,partner,Q3\r\n'
  printf 'Region,Wave,Org,Which statement best describes how your organizations plan programs and services?\r\n'
  printf '"{""ImportId"":""region""}","{""ImportId"":""wave""}","{""ImportId"":""QID1""}","{""ImportId"":""QID3""}"\r\n'
  printf 'North,2024,Alpha,Coordination\r\n'
} >"$TMP/q3.csv"
printf 'region,wave,partner,planning\nNorth,2024,Alpha,3\n' >"$TMP/q3-canonical.csv"
run ctm score -r "$RUBRIC" "$TMP/q3-canonical.csv"
want=$out
run ctm score -r "$RUBRIC" "$TMP/q3.csv"
expect_status 0 "Q3 read by its text"
if [ "$out" = "$want" ]; then ok; else bad "Q3 taken for q3: $out"; fi

finish
