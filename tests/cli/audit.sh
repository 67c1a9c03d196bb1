#!/usr/bin/env bash
# Dirty data never moves a headline silently (issue 18): names compared as
# people mean them, `continuum audit` and its findings, --aliases and
# --exclude, the warnings of score, report and compare, an input given
# twice read once. The numbers of the two-mistake example are refscore.py's
# (tests/data/audit/README.md).
source "$(dirname "$0")/lib/common.bash"
D="$CTM_TEST_DATA/audit"
RUBRIC="$RUBRICS/service-coordination.xml"
FIX=(--aliases "$D/aliases.csv" --exclude "$D/exclude.csv")

# ---- the two-mistake example ----
run ctm score -r "$RUBRIC" "$D/dirty.csv"
expect_status 0 "dirty: scored"
expect_out "Riverside,2025-03,stage,overall,14,3.2857,,,,,,3,4,0.7143" \
  "dirty: Stage 3, M 3.2857, 14 partners (refscore)"
expect_err "warning: region 'Riverside', wave '2025-03': partners 'Dept. of Health' and 'Department of Health' may be one (one abbreviates the other) (see continuum audit)" \
  "score warns of the partner typed two ways"
expect_err "the row of partner 'test' looks like a test (its name says 'test'): $D/dirty.csv line 18 (see continuum audit)" \
  "score warns of the test row"

run ctm score -r "$RUBRIC" "$D/clean.csv"
clean=$out
expect_out "Riverside,2025-03,stage,overall,12,2.7083,,,,,,2,4,1.2917" \
  "clean: Stage 2, M 2.7083, 12 partners (refscore)"
if ! grep -q "see continuum audit" <<<"$err"; then ok; else bad "clean data warned: $err"; fi

run ctm score -r "$RUBRIC" "${FIX[@]}" "$D/dirty.csv"
expect_status 0 "fixed: scored"
if [ "$out" = "$clean" ]; then ok
else bad "dirty.csv with the alias and the exclusion scores differently from clean.csv:"
  diff <(echo "$clean") <(echo "$out") | head >&2
fi
if ! grep -q "see continuum audit" <<<"$err"; then ok; else bad "fixed data still warned: $err"; fi
run ctm score -r "$RUBRIC" "${FIX[@]}" --format json "$D/dirty.csv"
expect_out "\"reason\":\"excluded by $D/exclude.csv:2\",\"count\":1,\"of\":\"rows\",\"first_file\":\"$D/dirty.csv\",\"first_line\":18" \
  "the excluded row is counted under its line"

# audit: the table and the findings; exit 0
run ctm audit -r "$RUBRIC" "$D/dirty.csv"
expect_status 0 "audit of dirty data"
expect_out "Region Riverside, wave 2025-03: 17 rows, 14 partners (respondents per partner: 1 to 2, median 1)" \
  "audit's table of the group"
expect_out "answers per item: planning 17, leadership 17," "audit's answers per item"
expect_out "! Riverside, 2025-03: partners 'Dept. of Health' and 'Department of Health' may be one (one abbreviates the other)" \
  "audit: the partner typed two ways"
expect_out "! Riverside, 2025-03: the row of partner 'test' looks like a test (its name says 'test')" \
  "audit: the test row"
run ctm audit -r "$RUBRIC" --format json "$D/dirty.csv"
expect_status 0 "audit --format json"
if python3 -c 'import json,sys
d = json.load(sys.stdin)
kinds = sorted(f["kind"] for f in d["findings"])
assert kinds == ["near-partners", "test-row"], kinds
g = d["groups"][0]
assert (g["rows"], g["partners"]) == (17, 14), g
assert g["respondents_per_partner"] == {"min": 1, "median": 1, "max": 2}, g
assert all(f["changes_numbers"] for f in d["findings"])' <<<"$out"; then ok
else bad "audit's JSON: $out"; fi
run ctm audit -r "$RUBRIC" "${FIX[@]}" "$D/dirty.csv"
expect_out "No findings" "audit after the fixes"
expect_out "1 row: excluded by $D/exclude.csv:2" "audit lists the exclusion"
run ctm audit -r "$RUBRIC" -o "$TMP/a.txt" "$D/dirty.csv"
expect_status 2 "audit -o is a usage error"

# report: warned, and its method page lists the group's findings
run ctm report -r "$RUBRIC" --group "region=Riverside,wave=2025-03" -o "$TMP/r.pdf" "$D/dirty.csv"
expect_status 0 "report of dirty data"
expect_err "partners 'Dept. of Health' and 'Department of Health' may be one" "report warns"
page=$(pdftotext "$TMP/r.pdf" - 2>/dev/null | tr '\n' ' ')
if grep -qF "Checks of the data" <<<"$page" &&
   grep -qF "partners 'Dept. of Health' and 'Department of Health' may be one" <<<"$page" &&
   grep -qF "the row of partner 'test' looks like a test" <<<"$page"; then ok
else bad "the report's method page lacks the findings"; fi
run ctm report -r "$RUBRIC" "${FIX[@]}" --group "region=Riverside,wave=2025-03" -o "$TMP/r2.pdf" \
  "$D/dirty.csv"
if ! pdftotext "$TMP/r2.pdf" - 2>/dev/null | grep -qF "Checks of the data"; then ok
else bad "a report of fixed data lists findings"; fi
# its data-quality page lists the group's own exclusion
if pdftotext "$TMP/r2.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "excluded by $D/exclude.csv:2"; then ok
else bad "the report of fixed data does not list its excluded row"; fi
run ctm compare -r "$RUBRIC" -o "$TMP/cmp" "$D/dirty.csv"
expect_err "the row of partner 'test' looks like a test" "compare warns"

# ---- names as people mean them ----
printf 'region,wave,partner,planning\nNorth,2024,City Council,3\nnorth ,2024,city council,4\n' >"$TMP/n.csv"
printf 'NORTH,2024,City  Council,5\nNorth,2024,\xef\xbc\xa3\xef\xbd\x89\xef\xbd\x94\xef\xbd\x99\xc2\xa0Council,2\n' >>"$TMP/n.csv"
printf 'North,2024,School District,4\n' >>"$TMP/n.csv"
run ctm score -r "$RUBRIC" --format json "$TMP/n.csv"
expect_out '{"region":"North","wave":"2024","partners":2,"respondents":5,"units":2' \
  "case, spaces, no-break space and fullwidth letters: one partner, one region"
# City Council's mean (3+4+5+2)/4 = 3.5 and School District's 4: mean 3.75
run ctm score -r "$RUBRIC" "$TMP/n.csv"
expect_out "North,2024,dimension,planning,2,3.7500" "the folded partner's answers count as one partner's"

# Groups in natural order of their folded names: whichever spelling came
# first, "alpha" sorts before "Zürich" (z), and "Beta 10" after "beta 9".
printf 'region,wave,partner,planning\nZ\xc3\xbcrich,1,A,3\nBeta 10,1,A,3\nalpha,1,A,3\nbeta 9,1,A,2\n' >"$TMP/o.csv"
run ctm score -r "$RUBRIC" "$TMP/o.csv"
order=$(awk -F, 'NR > 1 && $3 == "stage" {print $1}' <<<"$out" | tr '\n' '|')
expect_lines() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
expect_lines "$order" "alpha|beta 9|Beta 10|Zürich|" "natural order of folded names"

# --aliases and --exclude: a line that matches nothing is a warning; bad
# files are located errors
printf 'column,from,to\npartner,Nobody,Somebody\n' >"$TMP/al.csv"
printf 'column,value\nregion,Atlantis\n' >"$TMP/ex.csv"
run ctm score -r "$RUBRIC" --aliases "$TMP/al.csv" --exclude "$TMP/ex.csv" "$TMP/n.csv"
expect_status 0 "unused fixes"
expect_err "al.csv:2:1: warning: the alias of partner 'Nobody' matched no row" "an alias that matched nothing"
expect_err "ex.csv:2:1: warning: the exclusion of region 'Atlantis' matched no row" \
  "an exclusion that matched nothing"
printf 'column,from,to\nagency,A,B\npartner,,B\n' >"$TMP/bad.csv"
run ctm score -r "$RUBRIC" --aliases "$TMP/bad.csv" "$TMP/n.csv"
expect_status 1 "a bad aliases file"
expect_err "bad.csv:2:1: error: 'agency' is not a column that takes aliases (region, wave, partner or role)" \
  "an unknown column"
expect_err "bad.csv:3:9: error: an empty 'from'" "an empty from"
if [ -z "$out" ]; then ok; else bad "a bad aliases file printed results"; fi
printf 'column,value\nrespondent,R2\n' >"$TMP/exr.csv"
printf 'region,wave,partner,respondent,planning\nN,1,A,R1,3\nN,1,B,R2,5\n' >"$TMP/r.csv"
run ctm score -r "$RUBRIC" --exclude "$TMP/exr.csv" "$TMP/r.csv"
expect_out "N,1,dimension,planning,1,3.0000" "a respondent excluded by id"

# ---- other findings ----
{
  printf 'region,wave,partner,respondent,planning,leadership,delivery\n'
  printf 'North Coast,2024-3,Team 1,a,2,3,2\nNorth Coast,2024-3,Team 2,b,3,2,3\n'
  printf 'North Coast,2024-03,Team 1,c,3,3,2\nNth Coast,2024-03,Team 1,d,2,2,2\n'
  printf 'North Coast,2024-03,Team 1,e,5,5,5\n'
} >"$TMP/f.csv"
run ctm audit -r "$RUBRIC" "$TMP/f.csv"
expect_status 0 "audit of other findings"
expect_out "waves '2024-3' and '2024-03' look like one date (2024-03) written two ways" "waves written two ways"
expect_out "regions 'North Coast' and 'Nth Coast' may be one (one abbreviates the other)" "regions near"
expect_out "1 partner answered in wave '2024-3' only of region 'North Coast' (2 waves)" "a partner in one wave only"
expect_out "the row of partner 'Team 1' looks like a test (every answer the top one)" "all-top row"
if ! grep -q "'Team 1' and 'Team 2'" <<<"$out"; then ok; else bad "Team 1 and Team 2 taken for one"; fi

# ---- an input given twice ----
cp "$D/clean.csv" "$TMP/copy.csv"
ln -s "$D/clean.csv" "$TMP/link.csv"
run ctm score -r "$RUBRIC" "$D/clean.csv" "$TMP/copy.csv" "$TMP/link.csv" "$D/clean.csv"
expect_status 0 "inputs given twice"
if [ "$out" = "$clean" ]; then ok; else bad "an input given twice was counted twice"; fi
expect_err "copy.csv: warning: has the same content as $D/clean.csv: read once" "a copy"
expect_err "link.csv: warning: is the same file as $D/clean.csv: read once" "a link"
run ctm audit -r "$RUBRIC" "$D/clean.csv" "$TMP/copy.csv"
expect_out "input '$TMP/copy.csv' has the same content as '$D/clean.csv': read once" \
  "audit lists an input given twice"

finish
