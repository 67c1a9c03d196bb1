#!/usr/bin/env bash
# Open-text prompts (<comment>): the rubric's rules, the columns matched by
# id or prompt, the answers in "What partners said" (verbatim, unattributed,
# in a fixed order, none from rows left out or replaced), --omit comments,
# and the questionnaire's box and promise.
source "$(dirname "$0")/lib/common.bash"
DATA="$CTM_TEST_DATA/report"
R="$DATA/comments.xml"
D="$DATA/comments.csv"
have pdftotext || { skip "poppler-utils not installed"; finish; exit $?; }
section() { # pdf: the text of "What partners said" up to the next part
  pdftotext "$1" - 2>/dev/null | sed -n '/^What partners said$/,/^Method and data quality$/p'
}

# ---- the rubric ------------------------------------------------------------------
run ctm validate "$R" "$D" --duplicates last
expect_status 0 "a rubric with comments and its data"
grep -q "not used" <<<"$err" && bad "a comment column is used: $err" || ok
sed 's#<comment id="c2">Anything else?</comment>#<comment id="d" dimension="nope">QA?</comment><comment id="role">x</comment>#' \
  "$R" >"$TMP/bad.xml"
run ctm validate "$TMP/bad.xml"
expect_status 1 "bad comments"
expect_err "duplicate id 'd': already used by a dimension" "comment id taken by a dimension"
expect_err "comment 'd' is about dimension 'nope', which is not defined" "unknown dimension"
expect_err "comment 'd' has the same prompt as the text of question 'qa'" "prompt equal to a question"
expect_err "comment id 'role' is a reserved column name" "reserved id"

# ---- the report --------------------------------------------------------------------
run ctm report -r "$R" "$D" --exclude "$DATA/comments-exclude.csv" --duplicates last \
  --group region=Valley,wave=1 -o "$TMP/v1.pdf"
expect_status 0 "report with comments"
s=$(section "$TMP/v1.pdf")
[ -n "$s" ] && ok || bad "a 'What partners said' part"
grep -qF "What would help you plan together?" <<<"$s" && ok || bad "first prompt as heading"
grep -qF "About D." <<<"$s" && ok || bad "the dimension the prompt is about"
grep -qF "Anything else?" <<<"$s" && ok || bad "second prompt"
# verbatim: the line break kept, quotes and commas as written, white space trimmed
tr '\n' '|' <<<"$s" | grep -qF '“Shared calendars|and a budget”' && ok || bad "line break kept: $s"
grep -qF '“Apples, then "pears"”' <<<"$s" && ok || bad "quotes and comma verbatim"
grep -qF '“zebra crossings”' <<<"$s" && ok || bad "trimmed"
grep -qF '“Thanks for asking”' <<<"$s" && ok || bad "second prompt's answer"
# NA and blanks are no answers; a left-out row's and a replaced row's answers are gone
grep -qF '“NA”' <<<"$s" && bad "NA is not an answer" || ok
grep -qF 'from a row left out' <<<"$s" && bad "an excluded row's answer shown" || ok
grep -qF 'first version' <<<"$s" && bad "a replaced submission's answer shown" || ok
grep -qF '“second version”' <<<"$s" && ok || bad "the later submission's answer"
grep -qF "Next year's words" <<<"$s" && bad "another wave's answer" || ok
grep -qF "5 answers in all." <<<"$s" && ok || bad "five answers counted: $s"
# unattributed: no partner, respondent or role next to the answers
grep -qE 'Partner (Alpha|Beta|Gamma)|manager|frontline|\ba1\b' <<<"$s" && bad "an answer attributed: $s" || ok
# a fixed order: by the text's bytes, whatever the order of the rows
order=$(grep -o '“[A-Za-z]*' <<<"$s" | tr -d '“' | tr '\n' ' ')
[ "$order" = "Apples Shared second zebra Thanks " ] && ok || bad "order of the answers: '$order'"
python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8")).writerows(rows[:1] + rows[:0:-1])' \
  "$D" "$TMP/reversed.csv"
run ctm report -r "$R" "$TMP/reversed.csv" --exclude "$DATA/comments-exclude.csv" \
  --group region=Valley,wave=1 -o "$TMP/rev.pdf" --duplicates first
expect_status 0 "rows in the other order"
order2=$(section "$TMP/rev.pdf" | grep -o '“[A-Za-z]*' | tr -d '“' | tr '\n' ' ')
# reversed, --duplicates first keeps the later row of the file: "second version" again
[ "$order2" = "$order" ] && ok || bad "the order does not follow the rows: '$order2'"
pdftotext "$TMP/v1.pdf" - 2>/dev/null | tr -s ' \n' ' ' |
  grep -qF "what the partners said in their own words" && ok || bad "the cover lists the part"

# ---- a column matched by its id; --omit comments -------------------------------------
sed '1s/What would help you plan together?/C1/' "$D" >"$TMP/ids.csv"
run ctm report -r "$R" "$TMP/ids.csv" --duplicates last --group region=Valley,wave=1 -o "$TMP/ids.pdf"
expect_status 0 "comment column by id, any case"
section "$TMP/ids.pdf" | grep -qF "zebra crossings" && ok || bad "answers of a column named by id"
run ctm report -r "$R" "$D" --duplicates last --group region=Valley,wave=1 -o "$TMP/omit.pdf" --omit comments
expect_status 0 "--omit comments"
pdftotext "$TMP/omit.pdf" - 2>/dev/null | grep -q "What partners said" && bad "comments left out" || ok
run ctm report -r "$R" "$D" --duplicates last --group region=Valley,wave=2 -o "$TMP/v2.pdf"
expect_status 0 "a wave where one prompt has no answer"
section "$TMP/v2.pdf" | grep -qF "No one answered this question." && ok || bad "an unanswered prompt said"

# ---- the questionnaire ----------------------------------------------------------------
run ctm template -r "$R" -o "$TMP/tpl"
expect_status 0 "template"
[ "$(head -1 "$TMP/tpl.csv")" = "region,wave,partner,respondent,role,d,d2,qa,qb,qc,c1,c2" ] && ok ||
  bad "the header names the comment columns: $(head -1 "$TMP/tpl.csv")"
t=$(pdftotext "$TMP/tpl.pdf" - 2>/dev/null | tr -s ' \n' ' ')
grep -qF "Part 3: In your own words" <<<"$t" && ok || bad "a part for written answers"
grep -qF "Written answers are printed in the report as you write them, without your name, organization or role." \
  <<<"$t" && ok || bad "the promise about written answers"
grep -qF "What would help you plan together?" <<<"$t" && ok || bad "the prompt in the questionnaire"
finish
