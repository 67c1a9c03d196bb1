# Shared helpers for the end-to-end CLI tests (tests/cli/*.sh, run by ctest).
# Environment from ctest: CONTINUUM (the binary), CTM_SRC (source tree),
# CTM_BUILD (build tree), CTM_TEST_DATA (tests/data).
set -uo pipefail
: "${CONTINUUM:?run through ctest}" "${CTM_SRC:?run through ctest}"
RUBRICS="$CTM_SRC/rubrics"
EXAMPLES="$CTM_SRC/examples"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ctm-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
skipped=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }

# run CMD...: runs a command, keeping $out (stdout), $err (stderr), $status.
run() {
  out=$("$@" 2>"$TMP/.stderr")
  status=$?
  err=$(cat "$TMP/.stderr")
}

# The continuum binary, under valgrind when CTM_VALGRIND is set.
ctm() {
  if [ -n "${CTM_VALGRIND:-}" ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$CONTINUUM" "$@"
  else
    "$CONTINUUM" "$@"
  fi
}

expect_status() { # expected-status label
  if [ "$status" -eq "$1" ]; then ok; else bad "$2: exit $status, expected $1; stderr: ${err:0:400}"; fi
}
expect_err() { # fixed-text label
  if grep -qF -- "$1" <<<"$err"; then ok; else bad "$2: stderr lacks '$1'; got: ${err:0:600}"; fi
}
expect_out() { # fixed-text label
  if grep -qF -- "$1" <<<"$out"; then ok; else bad "$2: stdout lacks '$1'; got: ${out:0:600}"; fi
}
expect_no_file() { # path label
  if [ ! -e "$1" ]; then ok; else bad "$2: $1 exists but should not"; fi
}
expect_file() { # path label
  if [ -s "$1" ]; then ok; else bad "$2: $1 missing or empty"; fi
}
# No temporary files left behind in a directory.
expect_no_temporaries() { # dir label
  if compgen -G "$1/.*.tmp*" >/dev/null; then bad "$2: temporary files left in $1"; else ok; fi
}

# skip WHAT: a check that could not run (a tool missing). A suite with a
# skipped check and no failure is reported to ctest as skipped, never as
# passed (the "CTM-SKIP:" line, tests/CMakeLists.txt).
skip() { echo "skipped: $*" >&2; skipped=$((skipped + 1)); }
# have TOOL: the tool is installed.
have() { command -v "$1" >/dev/null 2>&1; }

finish() {
  echo "$pass passed, $fail failed, $skipped skipped"
  [ "$fail" -eq 0 ] || return 1
  [ "$skipped" -eq 0 ] || echo "CTM-SKIP: $skipped check(s) could not run"
  return 0
}
