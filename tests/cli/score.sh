#!/usr/bin/env bash
# continuum score end to end on tests/data/score, expected tables worked out
# by hand (arithmetic next to each). Rubric: L = 3, no target (L), θ 0.75,
# min-n 5.
source "$(dirname "$0")/lib/common.bash"
D="$CTM_TEST_DATA/score"
RUB="$D/rubric.xml"
HEAD="region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap"

expect_text() { # actual expected label
  if [ "$1" == "$2" ]; then ok; else bad "$3: differs:"$'\n'"$(diff <(echo "$2") <(echo "$1"))"; fi
}

# ---- tiny.csv: partners A (d 1, qa yes), B (d 2, qa no), C (qa yes) ----
# d:  mean 1.5, sd sqrt(0.5) = 0.7071, median 1.5, half 12.7062 * 0.7071 / sqrt 2
#     = 6.3531 -> [1, 3]; rwg 1 - 0.5 / ((9 - 1) / 12) = 0.25; level 2; gap 3 - 1.5
# qa: 1 0 1: mean 0.6667, sd sqrt(0.6667 / 2) = 0.5774, median 1,
#     half 4.3027 * 0.5774 / sqrt 3 = 1.4342 -> [0, 1]
# A_1 = 0.6667 < 0.75: S 0, M 0.6667, gap 3 - 0.6667 = 2.3333; 3 units
Z='"Zürich, Nord",1'
TINY="$HEAD
$Z,dimension,d,2,1.5000,0.7071,1.5000,1.0000,3.0000,0.2500,2,3,1.5000
$Z,dimension,d2,0,,,,,,,,3,
$Z,question,qa,3,0.6667,0.5774,1.0000,0.0000,1.0000,,1,,
$Z,question,qb,0,,,,,,,2,,
$Z,question,qc,0,,,,,,,3,,
$Z,level,1,1,0.6667,,,,,,1,,
$Z,level,2,0,,,,,,,2,,
$Z,level,3,0,,,,,,,3,,
$Z,stage,overall,3,0.6667,,,,,,0,3,2.3333"

run ctm score -r "$RUB" "$D/tiny.csv"
expect_status 0 "score tiny"
expect_text "$out" "$TINY" "tiny.csv to stdout"
# tiny.csv leaves d2, qb and qc out: said once, nothing else
[ "$(grep -c . <<<"$err")" = 1 ] && grep -q "3 rubric items are in no column.*'d2', 'qb', 'qc'" <<<"$err" && ok || bad "score tiny: unexpected stderr: $err"

# -o: the same bytes, written atomically
mkdir "$TMP/out"
run ctm score -r "$RUB" "$D/tiny.csv" -o "$TMP/out/t.csv"
expect_status 0 "score -o"
[ -z "$out" ] && ok || bad "score -o: stdout not empty"
expect_text "$(cat "$TMP/out/t.csv")" "$TINY" "score -o file"
expect_no_temporaries "$TMP/out" "score -o"
# overwriting an existing output is fine (atomic rename)
run ctm score -r "$RUB" "$D/tiny.csv" -o "$TMP/out/t.csv"
expect_status 0 "score -o again"
expect_text "$(cat "$TMP/out/t.csv")" "$TINY" "score -o file again"
expect_no_temporaries "$TMP/out" "score -o again"

# ---- units.csv: A = respondents a1 (d 1, qa yes) and a2 (d 3, qa no); B = b1 (3, yes) ----
# partner units: d A 2, B 3: mean 2.5, sd 0.7071, median 2.5, ci [1, 3],
#   rwg 0.25, level 3 (2.5 up), gap 3 - 2.5 = 0.5
#   qa A 0.5, B 1: mean 0.75, sd sqrt(0.125) = 0.3536, half 12.7062 * 0.3536 / sqrt 2
#   = 3.1766 -> [0, 1]; A_1 0.75 >= 0.75: S 1, A_2 undefined: M 1, gap 3 - 1 = 2
PARTNER="$HEAD
R,1,dimension,d,2,2.5000,0.7071,2.5000,1.0000,3.0000,0.2500,3,3,0.5000
R,1,dimension,d2,0,,,,,,,,3,
R,1,question,qa,2,0.7500,0.3536,0.7500,0.0000,1.0000,,1,,
R,1,question,qb,0,,,,,,,2,,
R,1,question,qc,0,,,,,,,3,,
R,1,level,1,1,0.7500,,,,,,1,,
R,1,level,2,0,,,,,,,2,,
R,1,level,3,0,,,,,,,3,,
R,1,stage,overall,2,1.0000,,,,,,1,3,2.0000"
run ctm score -r "$RUB" "$D/units.csv"
expect_status 0 "score units (partner)"
expect_text "$out" "$PARTNER" "partner units"
run ctm score -r "$RUB" --aggregate partner "$D/units.csv"
expect_text "$out" "$PARTNER" "--aggregate partner"

# respondent units: d 1 3 3: mean 2.3333, squares 1.7778 + 0.4444 * 2 = 2.6667 / 2
#   = 1.3333, sd 1.1547, median 3, half 4.3027 * 1.1547 / sqrt 3 = 2.8685 -> [1, 3],
#   rwg 1 - 1.3333 / 0.6667 < 0 -> 0, level 2, gap 3 - 2.3333 = 0.6667
#   qa 1 0 1: as tiny.csv; A_1 0.6667: S 0, M 0.6667, 3 units
RESPONDENT="$HEAD
R,1,dimension,d,3,2.3333,1.1547,3.0000,1.0000,3.0000,0.0000,2,3,0.6667
R,1,dimension,d2,0,,,,,,,,3,
R,1,question,qa,3,0.6667,0.5774,1.0000,0.0000,1.0000,,1,,
R,1,question,qb,0,,,,,,,2,,
R,1,question,qc,0,,,,,,,3,,
R,1,level,1,1,0.6667,,,,,,1,,
R,1,level,2,0,,,,,,,2,,
R,1,level,3,0,,,,,,,3,,
R,1,stage,overall,3,0.6667,,,,,,0,3,2.3333"
run ctm score -r "$RUB" --aggregate respondent "$D/units.csv"
expect_status 0 "score --aggregate respondent"
expect_text "$out" "$RESPONDENT" "respondent units"

# --target 2: every target 2; d gap max(0, 2 - 2.5) = 0; stage gap 2 - 1 = 1
run ctm score -r "$RUB" --target 2 "$D/units.csv"
expect_status 0 "score --target 2"
expect_out "R,1,dimension,d,2,2.5000,0.7071,2.5000,1.0000,3.0000,0.2500,3,2,0.0000" "--target: d"
expect_out "R,1,dimension,d2,0,,,,,,,,2," "--target: d2"
expect_out "R,1,stage,overall,2,1.0000,,,,,,1,2,1.0000" "--target: stage"
run ctm score -r "$RUB" --target=3 "$D/units.csv"
expect_text "$out" "$PARTNER" "--target=3 is the default L"

# --targets: d 1 everywhere (gap max(0, 1 - 2.5) = 0), d2 "b" = 2 in region R;
# the stage target stays L = 3
run ctm score -r "$RUB" --targets "$D/targets.csv" "$D/units.csv"
expect_status 0 "score --targets"
expect_out "R,1,dimension,d,2,2.5000,0.7071,2.5000,1.0000,3.0000,0.2500,3,1,0.0000" "--targets: d"
expect_out "R,1,dimension,d2,0,,,,,,,,2," "--targets: d2 by level id"
expect_out "R,1,stage,overall,2,1.0000,,,,,,1,3,2.0000" "--targets: stage keeps L"

# several files: tiny.csv and units.csv are one data set; groups in order
run ctm score -r "$RUB" "$D/units.csv" "$D/tiny.csv"
expect_status 0 "two files"
expect_text "$out" "$PARTNER
${TINY#"$HEAD"$'\n'}" "two files, groups R then Zürich"

# ---- JSON ----
run ctm score -r "$RUB" --format json "$D/tiny.csv"
expect_status 0 "--format json"
if jq -e . >/dev/null <<<"$out"; then ok; else bad "--format json: not valid JSON"; fi
check_json() { # jq-expression label
  if jq -e "$1" >/dev/null <<<"$out"; then ok; else bad "$2: $1 is not true"; fi
}
check_json '.groups | length == 1' "json: one group"
check_json '.groups[0].region == "Zürich, Nord" and .groups[0].wave == "1"' "json: group"
check_json '.groups[0].stage == {"stage":0,"maturity":0.6667,"target":3,"gap":2.3333,"inconsistent":false}' "json: stage"
check_json '.groups[0].dimensions[0] | .n == 2 and .mean == 1.5 and .sd == 0.7071 and .median == 1.5 and .ci_low == 1 and .ci_high == 3 and .rwg == 0.25 and .level == 2 and .target == 3 and .gap == 1.5' "json: d"
check_json '.groups[0].dimensions[0].next_steps == [{"level":3,"descriptor":"as one"}]' "json: next steps"
check_json '.groups[0].dimensions[1] | .n == 0 and .mean == null and .level == null and .gap == null and .target == 3' "json: d2 undefined"
check_json '.groups[0].questions[0] | .n == 3 and .mean == 0.6667 and .sd == 0.5774 and .ci_low == 0 and .ci_high == 1 and .level == 1' "json: qa"
check_json '[.groups[0].levels[] | .attainment] == [0.6667, null, null]' "json: levels"
check_json '.groups[0].priorities == [{"dimension":"d","gap":1.5}]' "json: priorities"
check_json '.groups[0].blocking_questions == [{"id":"qa","level":1,"mean":0.6667}]' "json: blocking"
check_json '.aggregate == "partner" and .rows == 3 and .exclusions == []' "json: header fields"
run ctm score -r "$RUB" --format=json --aggregate respondent "$D/units.csv"
check_json '.aggregate == "respondent" and .groups[0].units == 3 and .groups[0].stage.maturity == 0.6667' "json: respondent"
check_json '.groups[0].divergent_partners == []' "json: no divergence with respondent units"

# ---- --min-n: roles manager (A 1, B 2) and frontline (C 3) ----
run ctm score -r "$RUB" --format json "$D/roles.csv"
check_json '[.groups[0].roles[] | .suppressed] == [true, true]' "min-n 5 (rubric default): both hidden"
check_json '[.groups[0].roles[] | .respondents] == [null, null]' "hidden cells show no size"
run ctm score -r "$RUB" --format json --min-n 2 "$D/roles.csv"
# frontline (1 < 2) is the only small cell: manager, the next smallest, hidden too
check_json '[.groups[0].roles[] | .suppressed] == [true, true]' "--min-n 2: complementary suppression"
run ctm score -r "$RUB" --format json --min-n 1 "$D/roles.csv"
check_json '.min_n == 1 and ([.groups[0].roles[] | .suppressed] == [false, false])' "--min-n 1: shown"
check_json '.groups[0].roles[0] | .role == "manager" and .respondents == 2 and .dimensions[0].mean == 1.5' "--min-n 1: manager (1 + 2) / 2"
check_json '.groups[0].roles[1].dimensions[0].mean == 3' "--min-n 1: frontline"

# ---- usage errors: exit 2, nothing written ----
run ctm score -r "$RUB" --format xml "$D/tiny.csv" -o "$TMP/u.csv"
expect_status 2 "bad --format"
expect_err "--format is 'csv' or 'json'" "bad --format message"
expect_no_file "$TMP/u.csv" "bad --format writes nothing"
for t in x 0 -1 2.5; do
  run ctm score -r "$RUB" --target "$t" "$D/tiny.csv"
  expect_status 2 "--target $t"
  expect_err "--target needs a whole number" "--target $t message"
done
run ctm score -r "$RUB" --target 4 "$D/tiny.csv" -o "$TMP/u.csv"
expect_status 2 "--target above L"
expect_err "--target 4 is not a level of rubric 'tiny'" "--target above L message"
expect_no_file "$TMP/u.csv" "--target above L writes nothing"
run ctm score "$D/tiny.csv"
expect_status 2 "missing -r"
expect_err "a rubric is required" "missing -r message"
run ctm score -r "$RUB"
expect_status 2 "no responses"
run ctm score -r "$RUB" --aggregate team "$D/tiny.csv"
expect_status 2 "bad --aggregate"
run ctm score -r "$RUB" --min-n 0 "$D/tiny.csv"
expect_status 2 "--min-n 0"
run ctm score -r "$RUB" --bogus "$D/tiny.csv"
expect_status 2 "unknown option"

# ---- output problems ----
run ctm score -r "$RUB" "$D/tiny.csv" -o /nonexistent/dir/x.csv
expect_status 3 "unwritable output"
expect_no_file /nonexistent/dir/x.csv "unwritable output"
cp "$D/tiny.csv" "$TMP/in.csv"
run ctm score -r "$RUB" "$TMP/in.csv" -o "$TMP/in.csv"
expect_status 2 "-o equal to an input"
expect_err "refusing to write" "-o equal to an input message"
cmp -s "$D/tiny.csv" "$TMP/in.csv" && ok || bad "-o equal to an input: input changed"
run ctm score -r "$RUB" "$TMP/in.csv" -o "$TMP/../$(basename "$TMP")/in.csv"
expect_status 2 "-o naming an input another way"
cmp -s "$D/tiny.csv" "$TMP/in.csv" && ok || bad "-o another way: input changed"
run ctm score -r "$RUB" "$TMP/in.csv" -o "$RUB"
expect_status 2 "-o equal to the rubric"

# ---- invalid input: exit 1, located errors, no output ----
printf 'region,wave,partner,respondent,d,qa\nR,1,A,x1,4,yes\nR,1,B,x1,2,maybe\n' >"$TMP/bad.csv"
run ctm score -r "$RUB" "$TMP/bad.csv" -o "$TMP/out/bad-out.csv"
expect_status 1 "invalid responses"
expect_err "bad.csv:2:10: error: '4' is not a level for dimension 'd'" "bad level located"
expect_err "bad.csv:3:7: error: duplicate respondent 'x1'" "duplicate located"
expect_err "bad.csv:3:12: error: 'maybe' is not an answer to question 'qa'" "bad option located"
expect_no_file "$TMP/out/bad-out.csv" "invalid input writes nothing"
expect_no_temporaries "$TMP/out" "invalid input"
: >"$TMP/empty.csv"
run ctm score -r "$RUB" "$TMP/empty.csv" "$D/tiny.csv"
expect_status 1 "empty file"
expect_err "empty.csv:1:1: error: the file is empty" "empty file message"
[ -z "$out" ] && ok || bad "empty file: output written"
run ctm score -r "$RUB" "$TMP/nothere.csv"
expect_status 1 "missing responses file"
expect_err "cannot open" "missing responses file message"

# more than 100 problems: the first 100 and a count
{ echo "region,wave,partner,d"; for i in $(seq 1 150); do echo "R,1,P$i,9"; done; } >"$TMP/many.csv"
run ctm score -r "$RUB" "$TMP/many.csv"
expect_status 1 "many problems"
n=$(grep -c "error: '9' is not a level" <<<"$err")
[ "$n" -eq 100 ] && ok || bad "many problems: $n shown, expected 100"
expect_err "continuum: 50 more errors not shown (150 errors in all)" "many problems count"

# ---- --lenient: exit 0, exclusions counted ----
run ctm score -r "$RUB" --lenient --format json "$TMP/bad.csv"
expect_status 0 "--lenient"
# kept: row 2 (d '4' left out, qa yes); row 3 is a duplicate: left out
check_json '.rows == 1' "--lenient rows"
check_json '[.exclusions[] | {reason, count, of, first_line, first_column}] == [{"reason":"placement answer that is not a level of the rubric","count":1,"of":"cells","first_line":2,"first_column":10},{"reason":"duplicate respondent id in a group","count":1,"of":"rows","first_line":3,"first_column":7}]' "--lenient exclusions"
check_json '.groups[0].questions[0].mean == 1 and .groups[0].dimensions[0].n == 0' "--lenient scores what is left"

finish
