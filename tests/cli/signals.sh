#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP during `continuum score -o FILE` leave neither the
# output nor a temporary: the tool removes its temporaries and dies of the
# signal. The same for the PDFs of `continuum report` (every PDF left is
# whole) and for the three outputs of `continuum compare` (all or none). The run is made long by a generated file of 60 000 groups (one row
# each), whose results take seconds to write; the signal is sent once the
# temporary is seen, so it lands while the output is being written, or before
# writing for the early case. Not run under valgrind (CTM_VALGRIND): signals
# are tested on the tool itself.
source "$(dirname "$0")/lib/common.bash"

R="$RUBRICS/service-coordination.xml"
OUT="$TMP/out"
mkdir -p "$OUT"

# Job control: a background job of a non-interactive shell would start with
# SIGINT ignored (and a tool keeps an ignored signal ignored).
set -m

awk 'BEGIN {
  print "region,wave,partner,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9"
  for (i = 0; i < 60000; i++)
    printf "R%d,1,P,%d,%d,3,2,4,1,yes,no,partly,yes,no,dk,yes,no,yes\n", i, i % 5 + 1, int(i / 5) % 5 + 1
}' >"$TMP/big.csv"

# wait_for_temporary: polls (up to 120 s) until the run has created its
# temporary; returns 1 if the run ended first.
wait_for_temporary() { # pid
  local i
  for ((i = 0; i < 6000; i++)); do
    compgen -G "$OUT/.scores.csv.tmp*" >/dev/null && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

# interrupt SIGNAL WHEN LABEL: WHEN is "writing" or "reading".
interrupt() {
  local sig=$1 when=$2 label=$3 pid status
  rm -f "$OUT/scores.csv"
  "$CONTINUUM" score -r "$R" -o "$OUT/scores.csv" "$TMP/big.csv" 2>"$TMP/.stderr" &
  pid=$!
  if [ "$when" = writing ]; then
    if ! wait_for_temporary "$pid"; then
      # Never seen: the machine wrote the results faster than we could look.
      # Not a failure of the tool; say so rather than pass in silence.
      echo "note: $label: the temporary was never seen; signal sent after the run" >&2
    fi
  else
    sleep 0.1
  fi
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid"
  status=$?
  if compgen -G "$OUT/.scores.csv.tmp*" >/dev/null; then bad "$label: temporary left"; else ok; fi
  if [ "$status" -eq 0 ]; then
    # Finished before the signal arrived: then the output must be whole.
    if [ "$(wc -l <"$OUT/scores.csv")" -eq $((60000 * 21 + 1)) ]; then ok
    else bad "$label: finished but the output is not whole"; fi
  else
    expect_no_file "$OUT/scores.csv" "$label: no partial output"
    local want=$((128 + $(kill -l "$sig")))
    if [ "$status" -eq "$want" ]; then ok; else bad "$label: exit $status, expected $want (killed by SIG$sig)"; fi
  fi
}

interrupt INT writing "SIGINT while writing"
interrupt TERM writing "SIGTERM while writing"
interrupt HUP writing "SIGHUP while writing"
interrupt INT reading "SIGINT while reading"
interrupt TERM reading "SIGTERM while reading"

# An interrupted run leaves an existing output as it was.
echo "previous results" >"$OUT/scores.csv"
"$CONTINUUM" score -r "$R" -o "$OUT/scores.csv" "$TMP/big.csv" 2>/dev/null &
pid=$!
wait_for_temporary "$pid"
kill -TERM "$pid" 2>/dev/null
wait "$pid"
if [ "$(head -n 1 "$OUT/scores.csv")" = "previous results" ] || [ "$(wc -l <"$OUT/scores.csv")" -eq $((60000 * 21 + 1)) ]; then ok
else bad "interrupted run over an existing output: neither the old file nor the new one"; fi
if compgen -G "$OUT/.scores.csv.tmp*" >/dev/null; then bad "interrupted over existing: temporary left"; else ok; fi


# ---- report: 300 groups of 3 partners, a PDF each; the signal lands once a
# PDF's temporary is seen (or later, when the machine is too quick to catch
# one). Reports already renamed into place stay, each whole; nothing else.
awk 'BEGIN {
  print "region,wave,partner,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9"
  for (i = 0; i < 300; i++) for (p = 1; p <= 3; p++)
    printf "R%d,1,P%d,%d,%d,3,2,4,1,yes,no,partly,yes,no,dk,yes,no,yes\n", i, p, (i + p) % 5 + 1, p + 1
}' >"$TMP/groups.csv"

wait_for() { # pid glob: polls (up to 120 s) until glob matches; 1 if the run ended first
  local i
  for ((i = 0; i < 6000; i++)); do
    compgen -G "$2" >/dev/null && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

interrupt_report() { # SIGNAL JOBS LABEL
  local sig=$1 jobs=$2 label=$3 pid status dir="$TMP/reports-$1-$2" f whole=1
  "$CONTINUUM" report -r "$R" --jobs "$jobs" -o "$dir" "$TMP/groups.csv" 2>"$TMP/.stderr" &
  pid=$!
  wait_for "$pid" "$dir/.*.pdf.tmp*" ||
    echo "note: $label: no temporary seen; signal sent after the run" >&2
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid"
  status=$?
  if compgen -G "$dir/.*" >/dev/null; then bad "$label: temporary left: $(ls -A "$dir" | grep '^\.')"; else ok; fi
  for f in "$dir"/*.pdf; do
    [ -e "$f" ] || continue
    [ "$(tail -c 6 "$f" | tr -d '\r\n')" = "%%EOF" ] || { whole=0; bad "$label: $f is not whole"; }
  done
  [ "$whole" = 1 ] && ok
  if [ "$status" -eq 0 ]; then
    [ "$(ls "$dir" | wc -l)" -eq 300 ] && ok || bad "$label: finished but not 300 reports"
  else
    local want=$((128 + $(kill -l "$sig")))
    [ "$status" -eq "$want" ] && ok || bad "$label: exit $status, expected $want (killed by SIG$sig)"
  fi
}

interrupt_report INT 1 "report: SIGINT while writing"
interrupt_report TERM 2 "report --jobs 2: SIGTERM while writing"
interrupt_report HUP 1 "report: SIGHUP while writing"

# ---- compare: PREFIX.csv, PREFIX-regions.csv and PREFIX.pdf are all written or
# none, also when a signal lands between the renames.
awk 'BEGIN {
  print "region,wave,partner,planning,leadership,delivery,interaction,communication,funding,q1,q2,q3,q4,q5,q6,q7,q8,q9"
  for (i = 0; i < 60; i++) for (w = 1; w <= 4; w++) for (p = 1; p <= 3; p++)
    printf "R%d,%d,P%d,%d,%d,3,2,4,1,yes,no,partly,yes,no,dk,yes,no,yes\n", i, w, p, (i + p + w) % 5 + 1, p + 1
}' >"$TMP/waves.csv"

interrupt_compare() { # SIGNAL LABEL
  local sig=$1 label=$2 pid status dir="$TMP/compare-$1" n
  mkdir -p "$dir"
  "$CONTINUUM" compare -r "$R" -o "$dir/cmp" "$TMP/waves.csv" 2>"$TMP/.stderr" &
  pid=$!
  wait_for "$pid" "$dir/.cmp*.tmp*" ||
    echo "note: $label: no temporary seen; signal sent after the run" >&2
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid"
  status=$?
  if compgen -G "$dir/.*" >/dev/null; then bad "$label: temporary left"; else ok; fi
  n=$(ls "$dir" | wc -l)
  if [ "$status" -eq 0 ]; then
    [ "$n" -eq 3 ] && ok || bad "$label: finished with $n outputs"
  else
    [ "$n" -eq 0 ] && ok || bad "$label: killed, but left $(ls "$dir")"
    local want=$((128 + $(kill -l "$sig")))
    [ "$status" -eq "$want" ] && ok || bad "$label: exit $status, expected $want (killed by SIG$sig)"
  fi
}

interrupt_compare INT "compare: SIGINT while writing"
interrupt_compare TERM "compare: SIGTERM while writing"

finish
