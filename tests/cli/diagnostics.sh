#!/usr/bin/env bash
# How problems are printed: errors first, errors and warnings capped apart,
# repeated warnings of one kind folded into one line with a count.
source "$(dirname "$0")/lib/common.bash"
RUB="$RUBRICS/service-coordination.xml"
BASE="region,wave,partner,respondent,role,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9"
GOOD="North,2024-01,Alpha,R%d,coordinator,3,3,3,3,3,3,yes,yes,yes,partly,no,no,no,partly,no"

# An export of 120 more columns than the rubric knows (x1..x120: 120 warnings,
# once a hundred enough to fill the old single cap) and three bad cells.
cd "$TMP" || exit 1
{
  printf '%s' "$BASE"
  for i in $(seq 1 120); do printf ',x%d' "$i"; done
  echo
  for r in 1 2 3 4 5; do
    row=$(printf "$GOOD" "$r")
    case $r in
      2) row=${row/coordinator,3,/coordinator,9,} ;;       # planning: not a level
      4) row=${row/partly,no,no,no/maybe,no,no,no} ;;      # q4: not an answer
      5) row=${row/coordinator,3,3,/coordinator,3,7,} ;;   # leadership: not a level
    esac
    printf '%s' "$row"
    for i in $(seq 1 120); do printf ','; done
    echo
  done
} >wide.csv
x1=$((${#BASE} + 2))

run ctm validate "$RUB" wide.csv
expect_status 1 "wide export with bad cells"
expect_err "wide.csv:3:" "first bad cell shown"
expect_err "error: '9' is not a level for dimension 'planning'" "bad placement"
expect_err "error: 'maybe' is not an answer to question 'q4'" "bad answer"
expect_err "error: '7' is not a level for dimension 'leadership'" "second bad placement"
n=$(grep -c "error:" <<<"$err")
[ "$n" -eq 3 ] && ok || bad "wide export: $n errors shown, expected 3; got: ${err:0:600}"
# the 120 unknown columns: one line, the first column's location, a count
n=$(grep -c "is not used" <<<"$err")
[ "$n" -eq 1 ] && ok || bad "wide export: $n unused-column lines, expected 1"
expect_err "wide.csv:1:$x1: warning: column 'x1' is not used: not a rubric item or a known column (and 119 more like it)" "unused columns folded"
# every error before the first warning, errors in the order reported
first_warning=$(grep -n "warning:" <<<"$err" | head -1 | cut -d: -f1)
last_error=$(grep -n "error:" <<<"$err" | tail -1 | cut -d: -f1)
[ -n "$first_warning" ] && [ -n "$last_error" ] && [ "$last_error" -lt "$first_warning" ] && ok ||
  bad "errors not first: last error on line $last_error, first warning on $first_warning: ${err:0:600}"
lines=$(grep "error:" <<<"$err" | sed 's/^wide\.csv:\([0-9]*\):.*/\1/' | tr '\n' ' ')
[ "$lines" == "3 5 6 " ] && ok || bad "errors out of order: lines $lines"
if grep -q "not shown" <<<"$err"; then bad "folded warnings said not shown: $err"; else ok; fi

# Past both caps: 105 files, each with an unused column (a warning of its own
# file) and two bad cells: 100 errors and 100 warnings shown, the rest counted.
ANSWERS="3,3,3,3,3,yes,yes,yes,partly,no,no,no,partly,no"
files=()
for f in $(seq 1 105); do
  {
    echo "$BASE,note"
    echo "R,1,P$f,A$f,coordinator,9,$ANSWERS,a"
    echo "R,1,Q$f,B$f,coordinator,8,$ANSWERS,b"
  } >"many$f.csv"
  files+=("many$f.csv")
done
run ctm validate "$RUB" "${files[@]}"
expect_status 1 "many files"
n=$(grep -c "error: '[89]' is not a level" <<<"$err")
[ "$n" -eq 100 ] && ok || bad "many files: $n errors shown, expected 100"
n=$(grep -c "warning: column 'note' is not used" <<<"$err")
[ "$n" -eq 100 ] && ok || bad "many files: $n warnings shown, expected 100"
expect_err "continuum: 110 more errors and 5 more warnings not shown (210 errors in all)" "both counts"
first_warning=$(grep -n "warning:" <<<"$err" | head -1 | cut -d: -f1)
[ "$first_warning" -eq 101 ] && ok || bad "many files: first warning on line $first_warning, expected 101"
[ "$(tail -1 <<<"$err")" == "continuum: 110 more errors and 5 more warnings not shown (210 errors in all)" ] &&
  ok || bad "many files: the count is not the last line: $(tail -1 <<<"$err")"

finish
