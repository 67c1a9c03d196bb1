#!/bin/bash
# bench/run.sh — the benchmark suite of issue 6, every ratio taken in one run.
#
#   bench/run.sh                 build, generate, measure, print and write bench/RESULTS.md
#
# Environment (all optional):
#   BUILD=DIR        build directory (default: build-bench in the repository)
#   DATA=DIR         where generated data and outputs go (default: /tmp/continuum-bench)
#   RUNS=N           timed runs per measurement, best taken (default 5)
#   SLOW_RUNS=N      timed runs for the slow pandas jobs (default 3)
#   REPORT_RUNS=N    timed runs for the report jobs (default 3)
#   PANDAS_REPORT_RUNS=N  runs of the pandas report jobs (default 1: 400 groups take minutes)
#   PANDAS_REPORT_GROUPS="40 400"  the data sets the pandas report job runs on (its cost per
#                    report does not depend on the number of groups; 400 groups take ~25 min
#                    per --jobs setting on a busy 2-core machine)
#   OUT=FILE         results file (default bench/RESULTS.md)
#   SKIP_REPORTS=1   measure scoring only
#   SKIP_BUILD=1     use the binaries already in $BUILD
#
# What it measures (same files for every tool):
#   scoring: 100k and 1M respondents, 10 regions x 4 waves x 10 partners (40 groups),
#     `continuum score` next to bench/csvscan (the bare RFC 4180 field scan), `wc -l`,
#     and bench/pandas_score.py; peak RSS from /usr/bin/time -v.
#   reports: 40 groups (10 regions x 4 waves) and 400 groups (100 regions x 4 waves), 10 partners
#     of 1-4 respondents each, `continuum report` at --jobs 1 and 2 and bench/pandas_report.py
#     at --jobs 1 and 2.
# Times are wall clock, best of N (hyperfine when installed, else a loop over /usr/bin/time).
# Benchmarks are never part of ctest: run this by hand on a quiet machine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
DATA=${DATA:-/tmp/continuum-bench}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-3}
REPORT_RUNS=${REPORT_RUNS:-3}
PANDAS_REPORT_RUNS=${PANDAS_REPORT_RUNS:-1}
PANDAS_REPORT_GROUPS=${PANDAS_REPORT_GROUPS:-40 400}
OUT=${OUT:-$ROOT/bench/RESULTS.md}
SKIP_REPORTS=${SKIP_REPORTS:-0}
PY=/usr/bin/python3          # Debian's python3: the one apt installs pandas for
RUBRIC=$ROOT/rubrics/service-coordination.xml
GEN="$PY $ROOT/bench/gen_responses.py $RUBRIC"
ENVSET=""
[ "$RUNS" != 5 ] && ENVSET+="RUNS=$RUNS "
[ "$SLOW_RUNS" != 3 ] && ENVSET+="SLOW_RUNS=$SLOW_RUNS "
[ "$REPORT_RUNS" != 3 ] && ENVSET+="REPORT_RUNS=$REPORT_RUNS "
[ "$PANDAS_REPORT_RUNS" != 1 ] && ENVSET+="PANDAS_REPORT_RUNS=$PANDAS_REPORT_RUNS "
[ "$SKIP_REPORTS" != 0 ] && ENVSET+="SKIP_REPORTS=$SKIP_REPORTS "
[ "$PANDAS_REPORT_GROUPS" != "40 400" ] && ENVSET+="PANDAS_REPORT_GROUPS=\"$PANDAS_REPORT_GROUPS\" "
CMDLINE="${ENVSET}bench/run.sh"

log() { printf '%s\n' "$*" >&2; }
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- dependencies: Debian packages, installed when we are root, else named
need_pkgs=()
$PY -c 'import pandas' 2>/dev/null || need_pkgs+=(python3-pandas)
$PY -c 'import matplotlib' 2>/dev/null || need_pkgs+=(python3-matplotlib)
$PY -c 'import reportlab' 2>/dev/null || need_pkgs+=(python3-reportlab)
$PY -c 'import scipy' 2>/dev/null || need_pkgs+=(python3-scipy)
command -v hyperfine >/dev/null || need_pkgs+=(hyperfine)
[ -x /usr/bin/time ] || need_pkgs+=(time)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${need_pkgs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null; }
  else
    log "missing: ${need_pkgs[*]} (apt-get install ${need_pkgs[*]}); hyperfine is optional"
  fi
fi
for m in pandas matplotlib reportlab scipy; do
  $PY -c "import $m" || { log "python3-$m is required"; exit 1; }
done
[ -x /usr/bin/time ] || { log "/usr/bin/time is required (apt-get install time)"; exit 1; }
HAVE_HYPERFINE=0
command -v hyperfine >/dev/null && HAVE_HYPERFINE=1

# ---- build (Release, with bench/)
if [ "${SKIP_BUILD:-0}" = 0 ]; then
  log "building in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCONTINUUM_BENCH=ON >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target continuum_cli csvscan >/dev/null
fi
CTM=$BUILD/continuum
SCAN=$BUILD/bench/csvscan
[ -x "$CTM" ] || { log "no $CTM"; exit 1; }

# ---- data
mkdir -p "$DATA"
gen() { # gen FILE ARGS...
  local f=$1; shift
  if [ ! -s "$f" ] || [ "$ROOT/bench/gen_responses.py" -nt "$f" ]; then
    log "generating $f"
    $GEN "$@" -o "$f.tmp" && mv "$f.tmp" "$f"
  fi
}
gen "$DATA/score-100k.csv" --regions 10 --waves 4 --partners 10-10 --rows-target 100000 --seed 1
gen "$DATA/score-1m.csv" --regions 10 --waves 4 --partners 10-10 --rows-target 1000000 --seed 1
gen "$DATA/report-40.csv" --regions 10 --waves 4 --partners 10-10 --respondents 1-4 --roles --seed 2
gen "$DATA/report-400.csv" --regions 100 --waves 4 --partners 10-10 --respondents 1-4 --roles --seed 2

# ---- timing helpers: best (min) wall time in seconds, and mean user+sys CPU
# measure NAME RUNS COMMAND  -> sets T_NAME (best wall s) and C_NAME (mean cpu s)
measure() {
  local name=$1 runs=$2 cmd=$3 best cpu
  log "timing $name ($runs runs): $cmd"
  if [ "$HAVE_HYPERFINE" = 1 ]; then
    local warm=1
    [ "$runs" -le 1 ] && warm=0
    hyperfine -N --style none -w "$warm" -r "$runs" --export-json "$DATA/$name.json" "$cmd" >/dev/null 2>&1 ||
      hyperfine --style none -w "$warm" -r "$runs" --export-json "$DATA/$name.json" "$cmd" >/dev/null
    read -r best cpu < <($PY -c "
import json,sys; r=json.load(open(sys.argv[1]))['results'][0]
print('%.6f %.6f' % (r['min'], r['user'] + r['system']))" "$DATA/$name.json")
  else
    best=999999; cpu=0
    for _ in $(seq "$runs"); do
      /usr/bin/time -f '%e %U %S' -o "$DATA/$name.time" bash -c "$cmd" >/dev/null
      read -r e u s < "$DATA/$name.time"
      best=$($PY -c "print(min($best, $e))"); cpu=$($PY -c "print($cpu + ($u + $s) / $runs)")
    done
  fi
  printf -v "T_$name" '%s' "$best"
  printf -v "C_$name" '%s' "$cpu"
}
# rss NAME COMMAND -> sets RSS_NAME (peak resident set, KiB)
rss() {
  local name=$1 cmd=$2
  /usr/bin/time -v -o "$DATA/$name.rss" bash -c "exec $cmd" >/dev/null 2>&1
  printf -v "RSS_$name" '%s' "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DATA/$name.rss")"
}
calc() { $PY -c "print($1)"; }
pd_on() { case " $PANDAS_REPORT_GROUPS " in *" $1 "*) return 0 ;; esac; return 1; }
fmt() { $PY -c "print('%.${2:-3}f' % ($1))"; }

# ---- scoring
for size in 100k 1m; do
  f=$DATA/score-$size.csv
  measure "scan_$size" "$RUNS" "$SCAN $f"
  measure "wc_$size" "$RUNS" "wc -l $f"
  measure "ctm_$size" "$RUNS" "$CTM score -r $RUBRIC $f -o $DATA/ctm-$size.csv"
  measure "ctm1_$size" "$RUNS" "$CTM score --jobs 1 -r $RUBRIC $f -o $DATA/ctm1-$size.csv"
  measure "pd_$size" "$SLOW_RUNS" "$PY $ROOT/bench/pandas_score.py $RUBRIC $f -o $DATA/pandas-$size.csv"
  rss "ctm_$size" "$CTM score -r $RUBRIC $f -o $DATA/ctm-$size.csv"
  rss "pd_$size" "$PY $ROOT/bench/pandas_score.py $RUBRIC $f -o $DATA/pandas-$size.csv"
done
ROWS_100k=$(($(wc -l < "$DATA/score-100k.csv") - 1))
ROWS_1m=$(($(wc -l < "$DATA/score-1m.csv") - 1))
SIZE_100k=$(stat -c %s "$DATA/score-100k.csv")
SIZE_1m=$(stat -c %s "$DATA/score-1m.csv")

# the pandas table must be continuum's (to 1e-4), or the comparison means nothing
SAME=$($PY - "$DATA/ctm-100k.csv" "$DATA/pandas-100k.csv" "$DATA/ctm-1m.csv" "$DATA/pandas-1m.csv" <<'EOF'
import csv, sys
def same(a, b):
    ra, rb = list(csv.reader(open(a, encoding="utf-8"))), list(csv.reader(open(b, encoding="utf-8")))
    if len(ra) != len(rb): return False
    for x, y in zip(ra, rb):
        if len(x) != len(y): return False
        for u, v in zip(x, y):
            if u == v: continue
            try:
                if abs(float(u) - float(v)) > 1e-4 + 1e-12: return False
            except ValueError:
                return False
    return True
args = sys.argv[1:]
print("yes" if all(same(args[i], args[i + 1]) for i in range(0, len(args), 2)) else "NO")
EOF
)
[ "$SAME" = yes ] || log "WARNING: pandas_score.py and continuum score disagree"

# ---- reports
REPORTS=0
REPORT_NOTE=""
HAS_JOBS=0
if [ "$SKIP_REPORTS" = 0 ] && "$CTM" report --help >/dev/null 2>&1; then
  REPORTS=1
  "$CTM" report --help 2>&1 | grep -q -- '--jobs' && HAS_JOBS=1
  [ "$HAS_JOBS" = 1 ] || REPORT_NOTE="\`continuum report\` has no --jobs yet: its jobs-2 row is the same command as jobs 1."
  for g in 40 400; do
    f=$DATA/report-$g.csv
    GROUPS_N=$($PY - "$f" <<'EOF'
import csv, sys
r = csv.reader(open(sys.argv[1], encoding="utf-8")); next(r)
print(len({(row[0].strip(), row[1].strip()) for row in r}))
EOF
)
    printf -v "NG_$g" '%s' "$GROUPS_N"
    for j in 1 2; do
      jobs=""
      [ "$HAS_JOBS" = 1 ] && jobs="--jobs $j"
      rm -rf "$DATA/ctm-reports-$g-$j" "$DATA/pd-reports-$g-$j"
      mkdir -p "$DATA/ctm-reports-$g-$j" "$DATA/pd-reports-$g-$j"
      measure "ctmrep_${g}_$j" "$REPORT_RUNS" "$CTM report -r $RUBRIC $f $jobs -o $DATA/ctm-reports-$g-$j"
      pd_on "$g" || continue
      measure "pdrep_${g}_$j" "$PANDAS_REPORT_RUNS" "$PY $ROOT/bench/pandas_report.py $RUBRIC $f --jobs $j -o $DATA/pd-reports-$g-$j"
    done
    printf -v "NPDF_$g" '%s' "$(ls "$DATA/ctm-reports-$g-1" | grep -c '\.pdf$' || true)"
    printf -v "NPDFPD_$g" '%s' "$(ls "$DATA/pd-reports-$g-1" | grep -c '\.pdf$' || true)"
    pd_on "$g" || { printf -v "NPDFPD_$g" '%s' "not run"; printf -v "SZPD_$g" '%s' "(not run) "; }
    printf -v "SZ_$g" '%s' "$(du -sk "$DATA/ctm-reports-$g-1" | cut -f1)"
    printf -v "SZPD_$g" '%s' "$(du -sk "$DATA/pd-reports-$g-1" | cut -f1)"
  done
elif [ "$SKIP_REPORTS" = 0 ]; then
  REPORT_NOTE="\`continuum report\` does not exist yet in this build: report rows not measured."
else
  REPORT_NOTE="Reports skipped (SKIP_REPORTS=1)."
fi

# ---- results
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
NPROC=$(nproc)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes in the tree)" || true)

ok() { if [ "$($PY -c "print(1 if $1 else 0)")" = 1 ]; then echo "**met**"; else echo "**not met**"; fi; }
ms() { fmt "$1 * 1000" 1; }

R_SCAN_100k=$(calc "$T_ctm_100k / $T_scan_100k")
R_SCAN_1m=$(calc "$T_ctm_1m / $T_scan_1m")
R_PD_100k=$(calc "$T_pd_100k / $T_ctm_100k")
R_PD_1m=$(calc "$T_pd_1m / $T_ctm_1m")
RSS_LIMIT=$(calc "1.2 * $RSS_ctm_100k + 4096")
R_RSS=$(calc "$RSS_ctm_1m / $RSS_ctm_100k")

{
echo "# Benchmark results"
echo
echo "Produced by \`$CMDLINE\` (from the repository root) — every number and ratio below comes from"
echo "that one run. Times are wall clock, best of N runs$( [ "$HAVE_HYPERFINE" = 1 ] && echo ' (hyperfine)' || echo ' (/usr/bin/time)'); CPU is the mean user+system time."
echo
echo "| | |"
echo "|---|---|"
echo "| date | $DATE |"
echo "| machine | $NPROC CPUs (\`nproc\`), $CPU, $MEM RAM |"
echo "| load average (1, 5, 15 min) at start / end | $LOAD_START / $LOAD |"
echo "| commit | $COMMIT$DIRTY, Release build |"
echo "| rubric | rubrics/service-coordination.xml (6 dimensions, 9 questions, 5 levels) |"
echo "| python | $($PY -c 'import sys, pandas, scipy, matplotlib, reportlab; print("Python %s, pandas %s, scipy %s, matplotlib %s, reportlab %s" % (sys.version.split()[0], pandas.__version__, scipy.__version__, matplotlib.__version__, reportlab.Version))') |"
echo
echo "## Scoring: ingest + score"
echo
echo "Data: \`gen_responses.py --regions 10 --waves 4 --partners 10-10 --rows-target N --seed 1\`: 40 groups, 400 partners."
echo
echo "| | 100k | 1M |"
echo "|---|---:|---:|"
echo "| respondents (rows) | $ROWS_100k | $ROWS_1m |"
echo "| file size | $(fmt "$SIZE_100k / 1e6" 1) MB | $(fmt "$SIZE_1m / 1e6" 1) MB |"
echo "| \`wc -l\` | $(ms "$T_wc_100k") ms | $(ms "$T_wc_1m") ms |"
echo "| bare CSV scan (\`bench/csvscan\`) | $(ms "$T_scan_100k") ms | $(ms "$T_scan_1m") ms |"
echo "| \`continuum score\` (default: two threads) | $(ms "$T_ctm_100k") ms (cpu $(ms "$C_ctm_100k") ms) | $(ms "$T_ctm_1m") ms (cpu $(ms "$C_ctm_1m") ms) |"
echo "| \`continuum score --jobs 1\` (one thread) | $(ms "$T_ctm1_100k") ms (cpu $(ms "$C_ctm1_100k") ms) | $(ms "$T_ctm1_1m") ms (cpu $(ms "$C_ctm1_1m") ms) |"
echo "| \`bench/pandas_score.py\` | $(ms "$T_pd_100k") ms (cpu $(ms "$C_pd_100k") ms) | $(ms "$T_pd_1m") ms (cpu $(ms "$C_pd_1m") ms) |"
echo "| continuum throughput | $(fmt "$SIZE_100k / $T_ctm_100k / 1e6" 0) MB/s | $(fmt "$SIZE_1m / $T_ctm_1m / 1e6" 0) MB/s |"
echo "| peak RSS, continuum score | $RSS_ctm_100k KiB | $RSS_ctm_1m KiB |"
echo "| peak RSS, pandas_score.py | $RSS_pd_100k KiB | $RSS_pd_1m KiB |"
echo
echo "pandas_score.py writes the same table as continuum score (every number within 1e-4, on both files): **$SAME**."
echo
echo "## Reports"
echo
if [ "$REPORTS" = 1 ]; then
  echo "Data: \`gen_responses.py --regions R --waves 4 --partners 10-10 --respondents 1-4 --roles --seed 2\`, R = 10 and 100."
  echo "Reports per second = groups / best wall time of the whole command (reading, scoring, rendering, writing)."
  echo
  echo "| | 40 groups | 400 groups |"
  echo "|---|---:|---:|"
  echo "| groups / PDFs written (continuum, pandas) | $NG_40 / $NPDF_40, $NPDFPD_40 | $NG_400 / $NPDF_400, $NPDFPD_400 |"
  echo "| total PDF size (continuum, pandas) | $SZ_40 KiB, $SZPD_40 KiB | $SZ_400 KiB, $SZPD_400 KiB |"
  for j in 1 2; do
    a=T_ctmrep_40_$j; b=T_ctmrep_400_$j; c=T_pdrep_40_$j; d=T_pdrep_400_$j
    echo "| continuum report --jobs $j | $(fmt "$NG_40 / ${!a}" 1) reports/s ($(fmt "${!a}" 2) s) | $(fmt "$NG_400 / ${!b}" 1) reports/s ($(fmt "${!b}" 2) s) |"
    pc="not run"; pd="not run"
    pd_on 40 && pc="$(fmt "$NG_40 / ${!c}" 2) reports/s ($(fmt "${!c}" 2) s)"
    pd_on 400 && pd="$(fmt "$NG_400 / ${!d}" 2) reports/s ($(fmt "${!d}" 2) s)"
    echo "| pandas_report.py --jobs $j | $pc | $pd |"
  done
  [ -n "$REPORT_NOTE" ] && { echo; echo "$REPORT_NOTE"; }
else
  echo "$REPORT_NOTE"
fi
echo
echo "## Targets (issue 6)"
echo
echo "| target | measured | |"
echo "|---|---|---|"
echo "| scoring 1M within 3x the bare scan | continuum/scan = $(fmt "$R_SCAN_1m" 2)x (100k: $(fmt "$R_SCAN_100k" 2)x; one thread: $(fmt "$T_ctm1_1m / $T_scan_1m" 2)x; by CPU time: $(fmt "$C_ctm_1m / $C_scan_1m" 2)x) | $(ok "$R_SCAN_1m <= 3") |"
echo "| scoring >= 25x faster than pandas | pandas/continuum = $(fmt "$R_PD_1m" 1)x at 1M (100k: $(fmt "$R_PD_100k" 1)x; one thread at 1M: $(fmt "$T_pd_1m / $T_ctm1_1m" 1)x; by CPU time at 1M: $(fmt "$C_pd_1m / $C_ctm_1m" 1)x) | $(ok "$R_PD_1m >= 25 and $R_PD_100k >= 25") |"
echo "| peak RSS 1M <= 1.2x (+4 MB) that of 100k | $RSS_ctm_1m KiB vs limit $(fmt "$RSS_LIMIT" 0) KiB (ratio $(fmt "$R_RSS" 3)) | $(ok "$RSS_ctm_1m <= $RSS_LIMIT") |"
if [ "$REPORTS" = 1 ]; then
  worst=""
  for g in 40 400; do for j in 1 2; do
    a=T_ctmrep_${g}_$j; c=T_pdrep_${g}_$j
    if ! pd_on "$g"; then
      echo "| reports >= 50x pandas throughput, $g groups, --jobs $j | pandas not run on $g groups (PANDAS_REPORT_GROUPS) | — |"
      continue
    fi
    r=$(calc "${!c} / ${!a}")
    a2=C_ctmrep_${g}_$j; c2=C_pdrep_${g}_$j
    echo "| reports >= 50x pandas throughput, $g groups, --jobs $j | $(fmt "$r" 1)x (by CPU time: $(fmt "${!c2} / ${!a2}" 1)x) | $(ok "$r >= 50") |"
  done; done
else
  echo "| reports >= 50x pandas throughput | not measured: $REPORT_NOTE | — |"
fi
echo
echo "Notes: the bare scan (bench/csvscan.c) reads 1 MiB blocks and finds every field of RFC 4180"
echo "CSV (quotes, doubled quotes, embedded line breaks) and nothing else; continuum also validates"
echo "UTF-8, reports positions, matches every cell against the rubric and accumulates per unit."
echo "\`continuum score -o\` saves atomically (temporary file, fsync, rename): that is part of its time."
echo "By default \`continuum score\` reads a file of 8 MiB or more in two halves on two threads"
echo "(engine/dataset.c; the results are those of reading in order, tests/internal/test_split.c);"
echo "the bare scan and pandas use one core. \`--jobs 1\` is the same work on one thread."
echo "The pandas scripts are competent baselines: Categorical columns mapped once per distinct"
echo "spelling, one groupby for unit means and one for group statistics (bench/pandas_score.py);"
echo "matplotlib charts into reportlab pages (bench/pandas_report.py)."
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
