#!/usr/bin/env bash
# Survey platforms' exports as they come: each sample in examples/exports
# carries the answers of examples/exports/canonical.csv as its platform
# writes them, and must score to exactly the canonical file's bytes (CSV and
# JSON); the platforms' system columns are named in one warning.
source "$(dirname "$0")/lib/common.bash"
EX="$EXAMPLES/exports"
RUBRIC="$RUBRICS/service-coordination.xml"

for format in csv json; do
  run ctm score -r "$RUBRIC" --format "$format" "$EX/canonical.csv"
  expect_status 0 "canonical ($format)"
  canonical=$out
  [ -n "$canonical" ] && ok || bad "canonical ($format) printed nothing"

  # name | arguments after the rubric
  while IFS='|' read -r name args; do
    # shellcheck disable=SC2086
    run ctm score -r "$RUBRIC" --format "$format" $args
    expect_status 0 "$name ($format)"
    if [ "$out" = "$canonical" ]; then ok
    else bad "$name ($format) scores differently from canonical.csv:"
      diff <(echo "$canonical") <(echo "$out") | head -10 >&2
    fi
  done <<LIST
qualtrics|$EX/qualtrics.csv
google-forms|--map $EX/google-forms-map.csv $EX/google-forms.csv
limesurvey|--map $EX/limesurvey-map.csv $EX/limesurvey.csv
redcap|--map $EX/redcap-map.csv $EX/redcap.csv
LIST
done

# One warning for all of a platform's system columns, none for the rest.
run ctm score -r "$RUBRIC" "$EX/qualtrics.csv"
expect_err "qualtrics.csv:1:1: warning: 17 survey platform columns are not used: StartDate, EndDate, Status, IPAddress, Progress, Duration (in seconds), Finished, RecordedDate, ResponseId," "Qualtrics system columns"
if [ "$(grep -c warning <<<"$err")" -eq 1 ]; then ok; else bad "qualtrics: more than one warning: $err"; fi
run ctm score -r "$RUBRIC" --map "$EX/redcap-map.csv" "$EX/redcap.csv"
expect_err "4 survey platform columns are not used: record_id, redcap_survey_identifier, partnership_survey_timestamp, partnership_survey_complete" "REDCap system columns"
run ctm score -r "$RUBRIC" --map "$EX/limesurvey-map.csv" "$EX/limesurvey.csv"
expect_err "9 survey platform columns are not used: id, submitdate, lastpage, startlanguage, seed, startdate, datestamp, ipaddr, refurl" "LimeSurvey system columns"

# validate reads them the same way.
run ctm validate "$RUBRIC" "$EX/qualtrics.csv"
expect_status 0 "validate qualtrics"
expect_out "49 rows" "validate counts the Qualtrics data rows only"

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
