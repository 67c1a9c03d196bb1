#!/usr/bin/env bash
# bench/scale.sh — how cost grows with the input (issue 21): time and peak
# memory at n, 10n and 100n for
#   respondents   rows of one region and wave, numeric ids (R0000001...)
#   uuid-ids      the same rows with UUID respondent ids (Qualtrics, Forms)
#   groups        one-row groups (a region each): score and compare
#   name-clashes  regions that all sanitise to the same report file name
#   rubric-items  (bench/scale_rubric.sh, when present)
# and the growth ratio per 10x (about 10 for linear; the issue's bar is 12).
#
#   bench/scale.sh [BUILD_DIR]     default: build (a Release build is best)
#
# name-clashes times the naming of every report without rendering one: the
# responses file is placed where the last group's report would go, so the
# tool names all n groups, then refuses to write over its input (exit 1).
# Prints: MEASURE N SECONDS PEAK_RSS_KB RATIO_TIME RATIO_RSS
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
BUILD=${1:-$SRC/build}
CTM=$BUILD/continuum
RUBRIC=$SRC/rubrics/service-coordination.xml
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ctm-scale.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ -x "$CTM" ] || { echo "no $CTM: build first" >&2; exit 2; }

HEADER='region,wave,partner,respondent,role,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9'
gen() { # kind n file
  /usr/bin/python3 - "$1" "$2" "$3" "$HEADER" <<'PY'
import sys, uuid, random
kind, n, path, header = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(7)
answers = ["3,4,3,3,2,3,yes,no,partly,yes,no,no,partly,yes,no",
           "2,3,3,4,3,2,yes,yes,partly,no,no,partly,no,yes,no",
           "4,4,3,3,3,4,yes,yes,yes,partly,yes,no,partly,yes,partly"]
with open(path, "w") as f:
    f.write(header + "\n")
    for i in range(n):
        a = answers[i % 3]
        if kind == "respondents":
            f.write(f"North,2024,Partner {i % 40},R{i:07d},staff,{a}\n")
        elif kind == "uuid-ids":
            f.write(f"North,2024,Partner {i % 40},{uuid.UUID(int=rnd.getrandbits(128), version=4)},staff,{a}\n")
        elif kind == "groups":
            f.write(f"Region {i},2024,Partner {i % 40},R{i:07d},staff,{a}\n")
        elif kind == "name-clashes":
            # "a/b", "a b", "a:b"... all become "a-b": a run of separators
            seps = " /:*?"
            name = "Region" + "".join(seps[(i // 5 ** k) % 5] for k in range(8)) + "x"
            f.write(f"{name},2024,Partner 1,R{i:07d},staff,{a}\n")
PY
}

# time_of CMD...: sets $secs and $kb (peak RSS) of one run.
time_of() {
  /usr/bin/time -o "$TMP/.time" -f '%e %M' "$@" >/dev/null 2>"$TMP/.stderr" || true
  read -r secs kb < <(tail -1 "$TMP/.time")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1f", b / a; else printf "-" }'; }

measure() { # measure-name n0 command-builder
  local name=$1 n=$2 prev_s="" prev_k=""
  for m in 1 10 100; do
    local size=$((n * m)) file="$TMP/$name-$((n * m)).csv"
    case $name in
      compare-groups) gen groups "$size" "$file" ;;
      *) gen "$name" "$size" "$file" ;;
    esac
    case $name in
      respondents|uuid-ids|groups)
        time_of "$CTM" score -r "$RUBRIC" "$file" -o "$TMP/out.csv" --jobs 1 ;;
      compare-groups)
        time_of "$CTM" compare -r "$RUBRIC" "$file" -o "$TMP/cmp" ;;
      name-clashes)
        rm -rf "$TMP/reports"; mkdir -p "$TMP/reports"
        # the last group's name: base, then -2 ... -size
        local last="Region--------x_2024-$size.pdf"
        cp "$file" "$TMP/reports/$last"
        time_of "$CTM" report -r "$RUBRIC" "$TMP/reports/$last" -o "$TMP/reports" ;;
    esac
    printf '%-14s %8d %8s s %9s KB  x%-5s x%s\n' "$name" "$size" "$secs" "$kb" \
      "$( [ -n "$prev_s" ] && ratio "$prev_s" "$secs" || echo -)" \
      "$( [ -n "$prev_k" ] && ratio "$prev_k" "$kb" || echo -)"
    prev_s=$secs prev_k=$kb
    rm -f "$file"
  done
}

echo "# $(date -u +%F) $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null) $(nproc) cores"
echo "# measure           n  seconds    peak RSS   time ratio  RSS ratio (per 10x)"
measure respondents 10000
measure uuid-ids 10000
measure groups 1000
measure compare-groups 1000
measure name-clashes 1000
[ -x "$HERE/scale_rubric.sh" ] && "$HERE/scale_rubric.sh" "$BUILD" || true
