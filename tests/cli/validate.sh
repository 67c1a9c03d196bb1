#!/usr/bin/env bash
# continuum validate RUBRIC RESPONSES...: responses checked, nothing scored.
source "$(dirname "$0")/lib/common.bash"
D="$CTM_TEST_DATA/score"
RUB="$D/rubric.xml"

run ctm validate "$RUB" "$D/tiny.csv"
expect_status 0 "valid responses"
expect_out "rubric.xml: valid rubric 'tiny'" "rubric line"
expect_out "tiny.csv: 3 rows, 1 group, valid" "file line"
[ "$(grep -c . <<<"$err")" = 1 ] && grep -q "3 rubric items are in no column" <<<"$err" && ok || bad "valid responses: stderr $err"

run ctm validate "$RUB" "$D/tiny.csv" "$D/units.csv"
expect_status 0 "two files"
expect_out "tiny.csv: 3 rows, valid" "first file"
expect_out "units.csv: 3 rows, valid" "second file"
expect_out "in all: 6 rows, 2 groups, valid" "total"

# every problem of every file, located; nothing written anywhere
# (header: region 1, wave 8, partner 13, respondent 21, d 32, qa 34, note 37)
mkdir "$TMP/w"
cd "$TMP/w" || exit 1
printf 'region,wave,partner,respondent,d,qa,note\nR,1,A,x1,6,yes,hi\nR,1,B,x2,2,maybe,ho\nR,,C,x3,1,no,hu\n' >bad1.csv
printf 'region,wave,partner,respondent,d,qa\nR,1,A,x1,1,yes\n' >bad2.csv
run ctm validate "$RUB" bad1.csv bad2.csv
expect_status 1 "invalid responses"
expect_err "bad1.csv:1:37: warning: column 'note' is not used" "unknown column warned"
expect_err "bad1.csv:2:10: error: '6' is not a level for dimension 'd'" "bad level"
expect_err "bad1.csv:3:12: error: 'maybe' is not an answer to question 'qa'" "bad option"
expect_err "bad1.csv:4:3: error: empty wave" "empty wave"
expect_err "bad2.csv:2:7: error: duplicate respondent 'x1' in region 'R', wave '1'" "duplicate across files"
if grep -v "valid rubric" <<<"$out" | grep -q "valid"; then bad "invalid responses said valid"; else ok; fi
[ "$(ls)" == "$(printf 'bad1.csv\nbad2.csv')" ] && ok || bad "validate wrote files: $(ls)"

# --lenient: what would be left out, exit 0
run ctm validate --lenient "$RUB" bad1.csv
expect_status 0 "--lenient"
expect_err "bad1.csv:2:10: warning: 1 cell left out: placement answer that is not a level" "--lenient cell"
expect_err "bad1.csv:4:3: warning: 1 row left out: row without region, wave or partner" "--lenient row"
expect_out "bad1.csv: 2 rows, 1 group, valid" "--lenient counts"

# CRLF and a BOM are fine
printf '\xef\xbb\xbfregion,wave,partner,d\r\nR,1,A,Beta\r\nR,2,A,3\r\n' >crlf.csv
run ctm validate "$RUB" crlf.csv
expect_status 0 "CRLF with BOM"
expect_out "crlf.csv: 2 rows, 2 groups, valid" "CRLF with BOM counts"

# bad files of SPEC's list
: >empty.csv
run ctm validate "$RUB" empty.csv
expect_status 1 "empty file"
expect_err "empty.csv:1:1: error: the file is empty" "empty file message"
printf 'region,wave,partner,d\n' >header.csv
run ctm validate "$RUB" header.csv
expect_status 1 "header only"
expect_err "header.csv:1:1: error: no answers" "header only message"
printf 'region,wave,partner,d\nR,1,"A,3\n' >quote.csv
run ctm validate "$RUB" quote.csv
expect_status 1 "unterminated quote"
expect_err "quote.csv:2:5: error: unterminated quoted field" "unterminated quote message"
printf 'region,wave,partner,d\nR,1,A\xff,3\n' >utf.csv
run ctm validate "$RUB" utf.csv
expect_status 1 "bad UTF-8"
expect_err "utf.csv:2:6: error: invalid UTF-8" "bad UTF-8 message"
printf 'region,partner,d\nR,A,3\n' >nowave.csv
run ctm validate "$RUB" nowave.csv
expect_status 1 "missing wave column"
expect_err "nowave.csv:1:1: error: required column 'wave' is missing" "missing column message"
run ctm validate "$RUB" nothere.csv
expect_status 1 "missing file"
expect_err "cannot open" "missing file message"

# --map renames a column
printf 'Region,Round,Org,d\nR,1,A,2\n' >mapped.csv
printf 'header,id\nRound,wave\nOrg,partner\n' >map.csv
run ctm validate --map map.csv "$RUB" mapped.csv
expect_status 0 "--map"
expect_out "mapped.csv: 1 row, 1 group, valid" "--map counts"

# a broken rubric stops before the responses
printf '<rubric/>' >broken.xml
run ctm validate broken.xml "$D/tiny.csv"
expect_status 1 "broken rubric with responses"

run ctm validate --help
expect_status 0 "validate --help"
expect_out "--lenient" "validate --help lists --lenient"

finish
