#!/usr/bin/env bash
# tests/hostile: the cases of issue 20, made by make-cases.py at test time
# and run here through the real tool (under valgrind with CTM_VALGRIND=1).
# Each case's folder says what it runs (cmd) and what must hold (expect);
# make-cases.py documents the format. Prints one line per failure and a
# summary; exits 1 when a case fails.
set -uo pipefail
: "${CONTINUUM:?run through ctest}" "${CTM_SRC:?run through ctest}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ctm-hostile.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT
/usr/bin/python3 "$CTM_SRC/tests/hostile/make-cases.py" "$TMP/cases" "$CTM_SRC" || exit 1
pass=0 fail=0
bad() { echo "FAIL: $case: $*" >&2; fail=$((fail + 1)); }

ctm() {
  if [ -n "${CTM_VALGRIND:-}" ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$CONTINUUM" "$@"
  else
    "$CONTINUUM" "$@"
  fi
}

for dir in "$TMP"/cases/*/; do
  case=$(basename "$dir")
  out="$TMP/out/$case"
  mkdir -p "$out"
  subst() { local s=${1//@CASE@/${dir%/}}; printf '%s' "${s//@OUT@/$out}"; }
  readers=()
  if [ -f "$dir/setup" ]; then
    while read -r kind name mode; do
      case $kind in
        fifo) mkfifo "$out/$name"; cat "$out/$name" > "$out/$name.captured" & readers+=($!) ;;
        file) : > "$out/$name"; chmod "$mode" "$out/$name" ;;
        dir) mkdir -p "$out/$name" ;;
        link) ln -s "$mode" "$out/$name" ;;
      esac
    done < "$dir/setup"
  fi
  args=()
  while IFS= read -r a; do args+=("$(subst "$a")"); done < "$dir/cmd"
  timeout 300 bash -c "$(declare -f ctm); CONTINUUM='$CONTINUUM' CTM_VALGRIND='${CTM_VALGRIND:-}' ctm \"\$@\"" \
    ctm "${args[@]}" > "$TMP/stdout" 2> "$TMP/stderr"
  status=$?
  for r in "${readers[@]}"; do wait "$r"; done
  while IFS= read -r line; do
    kind=${line%% *} arg=$(subst "${line#* }")
    case $kind in
      status) [ "$status" = "$arg" ] || bad "exit $status, expected $arg; stderr: $(head -c 600 "$TMP/stderr")" ;;
      stderr) grep -qF -- "$arg" "$TMP/stderr" || bad "stderr lacks '$arg': $(head -c 600 "$TMP/stderr")" ;;
      stdout) grep -qF -- "$arg" "$TMP/stdout" || bad "stdout lacks '$arg'" ;;
      no-raw-escape) ! grep -q $'\x1b' "$TMP/stderr" || bad "a raw ESC byte on stderr" ;;
      exists) [ -e "$arg" ] || bad "no $arg" ;;
      absent) [ ! -e "$arg" ] || bad "$arg should not exist" ;;
      mode) [ "$(stat -c %a "${arg% *}")" = "${arg##* }" ] || bad "mode of ${arg% *} is $(stat -c %a "${arg% *}")" ;;
      chardev) [ -c "$arg" ] || bad "$arg is no longer a character device" ;;
      symlink) [ -L "$arg" ] || bad "$arg is no longer a symbolic link" ;;
      contains) grep -qF -- "${arg#* }" "${arg%% *}" || bad "${arg%% *} lacks '${arg#* }'" ;;
      inside) # every word of every PDF in the folder lies on its page (pdftotext -bbox)
        if command -v pdftotext >/dev/null; then
          for pdf in "$arg"/*.pdf; do
            over=$(pdftotext -bbox "$pdf" - 2>/dev/null | awk '
              /<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0
                         match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
              /<word / { match($0, /xMax="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
                         match($0, /yMax="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
                         if (x > w - 20 || y > h - 10) { n++; if (n == 1) print $0 } }')
            [ -z "$over" ] || bad "a word outside the page (or in its last 20 pt) of $pdf: $over"
          done
        fi ;;
      captured) grep -qF -- "${arg#* }" "$out/${arg%% *}.captured" || bad "the FIFO's reader did not get '${arg#* }'" ;;
    esac
  done < "$dir/expect"
  [ "$status" -ne 99 ] || bad "valgrind found an error: $(head -c 1500 "$TMP/stderr")"
  pass=$((pass + 1))
done
echo "hostile cases: $pass run, $fail failed checks"
[ "$fail" -eq 0 ]
