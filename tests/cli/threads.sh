#!/usr/bin/env bash
# `score --jobs 2` reads a file of 8 MiB or more in two halves at once: its
# output and its messages must be those of `--jobs 1`, byte for byte, for a
# valid file, for one with errors only in its second half (reported with their
# true lines), and for one whose middle falls inside a quoted line break.
source "$(dirname "$0")/lib/common.bash"

R="$RUBRICS/service-coordination.xml"
H="region,wave,partner,respondent,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9"

# gen ROWS [BAD_FROM]: sorted rows; from row BAD_FROM on, every 50 000th row
# has a level out of range
gen() {
  awk -v rows="$1" -v bad="${2:-0}" -v head="$H" 'BEGIN {
    print head
    split("yes no partly dk Yes NA", a, " ")
    for (i = 0; i < rows; i++) {
      d1 = (bad && i >= bad && i % 50000 == 7) ? 9 : i % 5 + 1
      printf "Region %d,%d,\"Partner %d, Ltd\",R%07d,%d,%d,Coordination,%d,,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
        int(i / 40000), int(i / 10000) % 4 + 2020, int(i / 37) % 60, i, d1, (i * 7) % 5 + 1,
        int(i / 3) % 5 + 1, (i * 3) % 4 + 1, a[i % 6 + 1], a[int(i / 6) % 6 + 1],
        a[i % 5 + 1], a[i % 4 + 1], a[i % 3 + 1], a[i % 2 + 1], a[int(i / 2) % 6 + 1],
        a[int(i / 5) % 6 + 1], a[int(i / 7) % 6 + 1]
  }}'
}

# same FILE LABEL: --jobs 1 and --jobs 2 agree on output, messages and status
same() {
  run ctm score -r "$R" --jobs 1 "$1"
  local out1=$out err1=$err status1=$status
  run ctm score -r "$R" --jobs 2 "$1"
  [ "$status" -eq "$status1" ] && ok || bad "$2: exit $status with 2 threads, $status1 with 1"
  [ "$out" == "$out1" ] && ok || bad "$2: output differs between --jobs 1 and 2"
  [ "$err" == "$err1" ] && ok || bad "$2: messages differ: ${err:0:300} / ${err1:0:300}"
}

gen 120000 >"$TMP/valid.csv"
size=$(stat -c %s "$TMP/valid.csv")
[ "$size" -ge $((8 << 20)) ] && ok || bad "generated file is only $size bytes"
same "$TMP/valid.csv" "valid file"
expect_status 0 "valid file"
[ "$(wc -l <<<"$out")" -gt 100 ] && ok || bad "valid file: short output"

gen 120000 70000 >"$TMP/late-errors.csv"
same "$TMP/late-errors.csv" "errors in the second half"
expect_status 1 "errors in the second half"
expect_err "late-errors.csv:100009:" "errors in the second half: first error's true line"

# the middle of the file inside a quoted partner name of 20 000 lines: the
# split guessed there is not a record boundary, and the file is read in order
{
  gen 60000
  awk 'BEGIN {
    printf "Region 9,2024,\"Big partner\n"
    for (i = 0; i < 20000; i++) printf "a line, with a comma\n"
    print "end\",Q1,1,1,1,1,1,1,yes,no,no,no,no,no,no,no,no"
  }'
  gen 60000 | tail -n +2 | sed 's/^Region /Later /'
} >"$TMP/quoted.csv"
same "$TMP/quoted.csv" "quoted line breaks"
expect_status 0 "quoted line breaks"

run ctm score -r "$R" --jobs 0 "$TMP/valid.csv"
expect_status 2 "--jobs 0"
finish
