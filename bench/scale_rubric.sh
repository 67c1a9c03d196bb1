#!/usr/bin/env bash
# bench/scale_rubric.sh — how `continuum validate` grows with the rubric
# (issue 21): time and peak memory at n, 10n and 100n rubric items, and the
# growth ratio per 10x (about 10 for linear; the issue's bar is 12).
#
#   bench/scale_rubric.sh [BUILD_DIR]    default: build (a Release build is best)
#
# Environment (optional): SIZES="1000 10000 100000" (the item counts),
# RUNS=3 (timed runs per size, the fastest kept).
#
# The rubric of N items has N/2 dimensions and N/2 questions (each with its
# own id, prompt or text), a scale for every 40 questions (each question
# names one), and a factor for every 200 questions rating 10 of them: every
# check the loader makes runs over every item, every reference is looked up
# (scales, factor items), and the file stays under the 8 MiB a rubric may
# have at N = 100000 (N dimensions and N questions would not). From 9,996
# items a rubric is refused (a responses file for it would need more than
# the 10,000 columns a record may hold): validate then exits 1 with that one
# error, after the same checks. Before issue 21 (checks comparing every
# pair of texts, lookups by id walking every item): 10,000 items 1.1 s,
# 40,000 14.8 s, 100,000 126 s; bench/RESULTS.md has a run since.
#
# Prints, as bench/scale.sh (which calls this script):
#   rubric-items N SECONDS s PEAK_RSS_KB KB xRATIO_TIME xRATIO_RSS
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
BUILD=${1:-$SRC/build}
CTM=$BUILD/continuum
SIZES=${SIZES:-1000 10000 100000}
RUNS=${RUNS:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ctm-scale-rubric.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ -x "$CTM" ] || { echo "no $CTM: build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 2; }

# gen_rubric N FILE: the rubric of N items described above.
gen_rubric() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
dims = n // 2
qs = n - dims
scales = max(1, qs // 40)
factors = qs // 200
with open(path, "w", encoding="utf-8") as f:
    w = f.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n'
      '<rubric xmlns="urn:continuum:rubric:1" id="scale" version="1" xml:lang="en">\n'
      '<title>Scaling</title>\n<source>bench/scale_rubric.sh</source>\n<levels>\n')
    for v, name in enumerate(["Low", "Middle", "High"], 1):
        w(f'<level value="{v}" id="l{v}"><name>{name}</name></level>\n')
    w('</levels>\n<scales>\n')
    for s in range(scales):
        w(f'<scale id="s{s}"><option code="1" score="0">No {s}</option>'
          f'<option code="2" score="1">Yes {s}</option></scale>\n')
    w('</scales>\n<dimensions>\n')
    for i in range(dims):
        w(f'<dimension id="d{i}"><name>D</name><prompt>P{i}</prompt></dimension>\n')
    w('</dimensions>\n<questions>\n')
    for i in range(qs):
        w(f'<question id="q{i}" level="{1 + i % 3}" scale="s{i % scales}">Q{i}</question>\n')
    w('</questions>\n')
    if factors:
        w('<factors>\n')
        for k in range(factors):
            items = "".join(f'<item question="q{k * 200 + j * 20}"/>' for j in range(10))
            w(f'<factor id="f{k}"><name>F{k}</name>{items}</factor>\n')
        w('</factors>\n')
    w('</rubric>\n')
PY
}

# time_of CMD...: sets $secs (the fastest wall time of RUNS runs, timed in the
# shell: /usr/bin/time counts hundredths) and $kb (the peak RSS, of the last).
time_of() {
  local best="" t0 t1 s
  for _ in $(seq "$RUNS"); do
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$TMP/.time" -f '%M' "$@" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; fi
  done
  secs=$best
  kb=$(tail -1 "$TMP/.time")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1f", b / a; else printf "-" }'; }

prev_s="" prev_k=""
for n in $SIZES; do
  file=$TMP/rubric-$n.xml
  gen_rubric "$n" "$file"
  time_of "$CTM" validate "$file"
  printf '%-14s %8d %8s s %9s KB  x%-5s x%s\n' rubric-items "$n" "$secs" "$kb" \
    "$( [ -n "$prev_s" ] && ratio "$prev_s" "$secs" || echo -)" \
    "$( [ -n "$prev_k" ] && ratio "$prev_k" "$kb" || echo -)"
  prev_s=$secs prev_k=$kb
  rm -f "$file"
done
