#!/usr/bin/env bash
# The embedding example (examples/embed/embed.c), built in this tree against
# libcontinuum.so (target ctm_embed_example), run on the bundled survey.
# examples/embed/expected-output.txt holds what it must print: the stages,
# maturity indexes and unit counts there were taken from the tidy table of an
# independent implementation of the scoring rules of the specification (a
# Python reference scorer kept outside this repository), and the level names
# from the rubric, not from this program or this library.
# Environment from ctest: CTM_EMBED (the program), CTM_SRC, CONTINUUM.
source "$(dirname "$0")/../cli/lib/common.bash"
source "$(dirname "$0")/lib.bash"
: "${CTM_EMBED:?run through ctest}"
RUBRIC="$RUBRICS/service-coordination.xml"
SURVEY="$EXAMPLES/service-coordination-survey.csv"

mkdir "$TMP/ok" && cd "$TMP/ok" || exit 1
run "$CTM_EMBED" "$RUBRIC" "$SURVEY" report.pdf
expect_status 0 "bundled survey"
if diff -u "$EXAMPLES/embed/expected-output.txt" - <<<"$out"; then ok; else bad "output differs from expected-output.txt (diff above)"; fi
[ -z "$err" ] && ok || bad "bundled survey: stderr: ${err:0:400}"
expect_pdf report.pdf "report of the first group"
[ "$(ls -A)" == "report.pdf" ] && ok || bad "files left beside the report: $(ls -A)"

# Bad input: every problem printed from the context, exit 1, no report.
mkdir "$TMP/bad" && cd "$TMP/bad" || exit 1
printf 'region,wave,partner,planning\nR,1,A,7\nR,1,B,x\n' >bad.csv
run "$CTM_EMBED" "$RUBRIC" bad.csv report.pdf
expect_status 1 "invalid responses"
expect_err "bad.csv:2:7: error: '7' is not a level for dimension 'planning'" "first bad cell located"
expect_err "bad.csv:3:7: error: 'x' is not a level for dimension 'planning'" "second bad cell located"
expect_no_file report.pdf "invalid responses"

printf '<rubric xmlns="urn:continuum:rubric:1">\n' >bad.xml
run "$CTM_EMBED" bad.xml "$SURVEY" report.pdf
expect_status 1 "invalid rubric"
expect_err "bad.xml:" "rubric problem located"
expect_no_file report.pdf "invalid rubric"

run "$CTM_EMBED" missing.xml "$SURVEY" report.pdf
expect_status 1 "missing rubric"
expect_err "missing.xml" "missing rubric named"

run "$CTM_EMBED" "$RUBRIC" "$SURVEY" no-such-dir/report.pdf
expect_status 1 "unwritable report"
expect_err "no-such-dir/report.pdf" "unwritable report named"

run "$CTM_EMBED" "$RUBRIC"
expect_status 2 "wrong arguments"
expect_err "usage:" "usage printed"

finish
