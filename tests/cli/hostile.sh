#!/usr/bin/env bash
# Hostile inputs through the real tool: every one is refused with a located
# error (file:line: or file:line:column:), exit 1, no output file and no
# temporary left, within bounded memory and time. Big inputs are generated
# here, never committed. The parser's own unit tests (tests/api/test_rubric.c)
# cover the same attacks on the library; this checks what a user sees.
source "$(dirname "$0")/lib/common.bash"

R="$CTM_SRC/fuzz/fuzz_rubric.xml"   # small rubric: dimensions d, e; questions q1-q3 (scale y/p/n/dk)
OUT="$TMP/out"
mkdir -p "$OUT"

# Bounds. Generous on purpose (never a flaky timing assertion): they catch a
# run that reads a whole 20 MB file into memory per field, or one that is
# quadratic, not a slow machine. Sanitizers cost memory (shadow, quarantine).
SANITIZED=0
grep -q '^CONTINUUM_SANITIZE:BOOL=ON' "${CTM_BUILD:-/nonexistent}/CMakeCache.txt" 2>/dev/null && SANITIZED=1
RSS_LIMIT_KB=$((SANITIZED ? 1024 * 1024 : 200 * 1024))
TIME_LIMIT=300
HAVE_TIME=0
[ -x /usr/bin/time ] && HAVE_TIME=1

# bounded CMD-ARGS...: runs continuum like `run ctm`, under a time limit and,
# when /usr/bin/time is there, measuring peak RSS into $rss_kb (empty under
# valgrind, which measures itself rather than the tool).
bounded() {
  rss_kb=
  if [ -n "${CTM_VALGRIND:-}" ]; then
    run timeout "$((TIME_LIMIT * 4))" valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite "$CONTINUUM" "$@"
  elif [ "$HAVE_TIME" = 1 ]; then
    run timeout "$TIME_LIMIT" /usr/bin/time -o "$TMP/.rss" -f %M "$CONTINUUM" "$@"
    rss_kb=$(tail -n 1 "$TMP/.rss" 2>/dev/null)
  else
    # No /usr/bin/time: cap the address space instead (not under ASan, which
    # reserves terabytes of it).
    if [ "$SANITIZED" = 1 ]; then
      run timeout "$TIME_LIMIT" "$CONTINUUM" "$@"
    else
      run bash -c 'ulimit -v $((1024 * 1024)); exec timeout "$0" "$@"' "$TIME_LIMIT" "$CONTINUUM" "$@"
    fi
  fi
}

max_rss_kb=0
expect_bounded() { # label
  if [ -z "$rss_kb" ]; then ok; return; fi
  [ "$rss_kb" -gt "$max_rss_kb" ] 2>/dev/null && max_rss_kb=$rss_kb
  if [ "$rss_kb" -le "$RSS_LIMIT_KB" ] 2>/dev/null; then ok
  else bad "$1: peak RSS ${rss_kb} KB above ${RSS_LIMIT_KB} KB"; fi
}

# refused LABEL EXPECTED-LOCATED-TEXT CSV [extra options...]:
# `score -o` on a bad responses file: exit 1, the located message, no output.
refused() {
  local label=$1 text=$2 csv=$3
  shift 3
  rm -f "$OUT/scores.csv"
  bounded score -r "$R" "$@" -o "$OUT/scores.csv" "$csv"
  expect_status 1 "$label"
  expect_err "$text" "$label: located error"
  expect_no_file "$OUT/scores.csv" "$label: no output"
  expect_no_temporaries "$OUT" "$label"
  expect_bounded "$label"
}

# refused_rubric LABEL EXPECTED-TEXT XML: both validate and score refuse it.
refused_rubric() {
  local label=$1 text=$2 xml=$3
  bounded validate "$xml"
  expect_status 1 "$label (validate)"
  expect_err "$text" "$label (validate): message"
  if grep -q 'ctm-secret-marker' <<<"$out$err"; then bad "$label: file content leaked"; else ok; fi
  expect_bounded "$label (validate)"
  rm -f "$OUT/scores.csv"
  bounded score -r "$xml" -o "$OUT/scores.csv" "$TMP/good.csv"
  expect_status 1 "$label (score)"
  expect_no_file "$OUT/scores.csv" "$label (score): no output"
  expect_no_temporaries "$OUT" "$label (score)"
}

printf 'region,wave,partner,respondent,d,e,q1,q2,q3\nR,1,A,r1,1,2,y,p,n\nR,1,B,r2,3,2,n,y,y\n' >"$TMP/good.csv"
run ctm score -r "$R" "$TMP/good.csv"
expect_status 0 "the good file scores (sanity)"

# ---------------------------------------------------------------- rubrics
# A secret the external entities would reveal if they were resolved.
echo "ctm-secret-marker" >"$TMP/secret.txt"
base=$(sed -n '/<rubric /,$p' "$R")

printf '<?xml version="1.0"?>\n<!DOCTYPE rubric [<!ENTITY x SYSTEM "file://%s">]>\n%s\n' \
  "$TMP/secret.txt" "${base/<title>Fuzz/<title>&x;}" >"$TMP/xxe.xml"
refused_rubric "external entity" "xxe.xml:2: error:" "$TMP/xxe.xml"

printf '<?xml version="1.0"?>\n<!DOCTYPE rubric SYSTEM "file://%s">\n%s\n' \
  "$TMP/secret.txt" "$base" >"$TMP/extdtd.xml"
refused_rubric "external DTD" "extdtd.xml:2: error:" "$TMP/extdtd.xml"

printf '<?xml version="1.0"?>\n<!DOCTYPE rubric [<!ENTITY %% p SYSTEM "http://127.0.0.1:9/p.dtd"> %%p;]>\n%s\n' \
  "$base" >"$TMP/param.xml"
refused_rubric "parameter entity over the network" "param.xml:2: error:" "$TMP/param.xml"

{
  printf '<?xml version="1.0"?>\n<!DOCTYPE rubric [\n<!ENTITY l0 "lol">\n'
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '<!ENTITY l%d "%s">\n' "$i" "$(printf "&l$((i - 1));%.0s" 1 2 3 4 5 6 7 8 9 10)"
  done
  printf ']>\n%s\n' "${base/<title>Fuzz/<title>&l9;}"
} >"$TMP/bomb.xml"
refused_rubric "billion laughs" "bomb.xml:2: error:" "$TMP/bomb.xml"

# Quadratic blow-up: one 100 kB entity referenced 10 000 times.
{
  printf '<?xml version="1.0"?>\n<!DOCTYPE rubric [<!ENTITY a "%s">]>\n' "$(head -c 100000 /dev/zero | tr '\0' a)"
  printf '%s\n' "${base/<title>Fuzz/<title>$(printf '&a;%.0s' $(seq 10000))}"
} >"$TMP/quadratic.xml"
refused_rubric "quadratic blow-up" "quadratic.xml:2: error:" "$TMP/quadratic.xml"

printf '<?xml version="1.0"?>\n%s\n' \
  "${base/<title>Fuzz<\/title>/<title>Fuzz<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"$TMP/secret.txt\" parse=\"text\"/></title>}" \
  >"$TMP/xinclude.xml"
refused_rubric "XInclude is not processed" "xinclude.xml:" "$TMP/xinclude.xml"

{
  printf '<rubric xmlns="urn:continuum:rubric:1" id="x" version="1">'
  for _ in $(seq 100000); do printf '<a>'; done
} >"$TMP/deep.xml"
refused_rubric "deep nesting" "deep.xml:1: error: elements nested deeper than 64 levels" "$TMP/deep.xml"

{ cat "$R"; printf '<!--%*s-->\n' $((9 * 1024 * 1024)) ''; } >"$TMP/huge.xml"
refused_rubric "rubric over the size cap" "huge.xml: error:" "$TMP/huge.xml"

head -c 900 "$R" >"$TMP/truncated.xml"
refused_rubric "truncated rubric" "truncated.xml:" "$TMP/truncated.xml"

sed 's/<title>Fuzz/<title>F\xff\xfez/' "$R" >"$TMP/badutf8.xml"
refused_rubric "invalid UTF-8 in a rubric" "badutf8.xml:" "$TMP/badutf8.xml"

sed 's/<title>Fuzz/<title>F\x00z/' "$R" >"$TMP/nul.xml"
refused_rubric "NUL byte in a rubric" "nul.xml:" "$TMP/nul.xml"

: >"$TMP/empty.xml"
refused_rubric "empty rubric" "empty.xml:" "$TMP/empty.xml"

# ---------------------------------------------------------------- responses
H='region,wave,partner,respondent,d,e,q1,q2,q3'

# A 20 MB cell: refused at the field cap, not read whole.
{ printf '%s\nR,1,A,r1,1,2,y,p,' "$H"; head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' x; printf '\n'; } >"$TMP/cell.csv"
refused "20 MB cell" "cell.csv:2:18: error: field longer than" "$TMP/cell.csv"
{ printf '%s\nR,1,A,r1,1,2,y,p,"' "$H"; head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' x; printf '"\n'; } >"$TMP/qcell.csv"
refused "20 MB quoted cell" "qcell.csv:2:18: error: field longer than" "$TMP/qcell.csv"

# A million columns, in the header and in a row.
{ printf '%s,' "$H"; seq 1000000 | sed 's/^/c/' | paste -sd, -; printf 'R,1,A,r1,1,2,y,p,n\n'; } >"$TMP/cols.csv"
refused "a million columns in the header" "cols.csv:1:" "$TMP/cols.csv"
refused "... and in lenient mode" "record has more than" "$TMP/cols.csv" --lenient
{ printf '%s\nR,1,A,r1,1,2,y,p,n' "$H"; head -c 1000000 /dev/zero | tr '\0' ,; printf '\n'; } >"$TMP/rowcols.csv"
refused "a million fields in a row" "rowcols.csv:2:" "$TMP/rowcols.csv"

# Invalid UTF-8, every kind, each located.
printf '%s\nR\xff,1,A,r1,1,2,y,p,n\nR,1,\xc0\xaf,r2,1,2,y,p,n\nR,1,\xed\xa0\x80,r3,1,2,y,p,n\nR,1,\xf4\x90\x80\x80,r4,1,2,y,p,n\nR,1,A\xe2\x82,r5,1,2,y,p,n\n' "$H" >"$TMP/utf8.csv"
refused "invalid byte" "utf8.csv:2:2: error: invalid UTF-8" "$TMP/utf8.csv"
expect_err "utf8.csv:3:5: error: invalid UTF-8 in field: overlong" "overlong encoding"
expect_err "utf8.csv:4:5: error: invalid UTF-8 in field: surrogate" "surrogate"
expect_err "utf8.csv:5:5: error: invalid UTF-8 in field: code point above" "above U+10FFFF"
expect_err "utf8.csv:6:" "truncated sequence"
# --lenient leaves out a row that is not text, and says so; the rest scores.
{ cat "$TMP/utf8.csv"; printf 'R,1,B,r6,1,2,y,p,n\n'; } >"$TMP/utf8-lenient.csv"
run ctm score --lenient -r "$R" "$TMP/utf8-lenient.csv"
expect_status 0 "invalid UTF-8 rows left out when lenient"

printf '%s\nR,1,A\0B,r1,1,2,y,p,n\n' "$H" >"$TMP/nul.csv"
refused "NUL byte in a cell" "nul.csv:2:6: error: NUL byte" "$TMP/nul.csv"
printf 'region,wa\0ve,partner,d\nR,1,A,1\n' >"$TMP/nulhdr.csv"
refused "NUL byte in the header" "nulhdr.csv:1:10: error: NUL byte" "$TMP/nulhdr.csv"

# Truncated files.
printf '%s\nR,1,A,r1,1,2,"y,p,n\n' "$H" >"$TMP/trunc.csv"
refused "unterminated quote" "trunc.csv:2:14: error: unterminated quoted field" "$TMP/trunc.csv"
printf 'region,wave,part' >"$TMP/trunc2.csv"
refused "file cut inside the header" "trunc2.csv:1:1: error: required column 'partner' is missing" "$TMP/trunc2.csv"
printf '%s\nR,1,A,r1,1,2,y,p,n\nR,1,B,r2,1' "$H" >"$TMP/trunc3.csv"
refused "file cut inside a row" "trunc3.csv:3:" "$TMP/trunc3.csv"

# Mixed line ends are read (a bad cell is still found at its physical line).
printf '%s\r\nR,1,A,r1,1,2,y,p,n\nR,1,B,r2,9,2,y,p,n\r\nR,1,C,r3,1,2,y,p,n\n' "$H" >"$TMP/mixed.csv"
refused "mixed CRLF/LF, bad cell on line 3" "mixed.csv:3:" "$TMP/mixed.csv"
printf '%s\r\nR,1,A,r1,1,2,y,p,n\nR,1,B,r2,3,2,y,p,n\r\n' "$H" >"$TMP/mixed-ok.csv"
run ctm score -r "$R" "$TMP/mixed-ok.csv"
expect_status 0 "mixed CRLF/LF that is valid scores"

# Duplicate headers.
printf 'region,wave,partner,d,d\nR,1,A,1,2\n' >"$TMP/duph.csv"
refused "duplicate item column" "duph.csv:1:" "$TMP/duph.csv"
expect_err "duplicate column 'd'" "duplicate item column named"
printf 'region,wave,partner, Partner ,d\nR,1,A,B,1\n' >"$TMP/dupreq.csv"
refused "duplicate key column (case, spaces)" "duplicate column 'partner'" "$TMP/dupreq.csv"

# A million rows with errors: capped, counted, and still bounded.
{ printf 'region,wave,partner,d\n'; yes 'R,1,A,9' | head -n 1000000; } >"$TMP/manyerr.csv"
refused "a million bad rows" "manyerr.csv:2:7: error: '9' is not a level" "$TMP/manyerr.csv"
lines=$(grep -c ': error: ' <<<"$err")
if [ "$lines" -le 200 ]; then ok; else bad "a million bad rows: $lines errors printed, expected a cap"; fi
expect_err "1000000 errors in all" "a million bad rows: all counted"

# Every error of SPEC's list of response errors.
printf '%s\nR,1,A,r1,0,2,y,p,n\n' "$H" >"$TMP/badlevel.csv"
refused "invalid placement cell" "badlevel.csv:2:10: error: '0' is not a level" "$TMP/badlevel.csv"
printf '%s\nR,1,A,r1,1,2,maybe,p,n\n' "$H" >"$TMP/badoption.csv"
refused "unknown option value" "badoption.csv:2:14: error:" "$TMP/badoption.csv"
printf '%s\nR,1,A,r1,1,2,y,p,n\nR,1,B,r1,1,2,y,p,n\n' "$H" >"$TMP/duprespondent.csv"
refused "duplicate respondent" "duprespondent.csv:3:7: error: duplicate respondent 'r1'" "$TMP/duprespondent.csv"
printf '%s\nR,1,A,r1,1,2,y,p,n,extra\n' "$H" >"$TMP/morefields.csv"
refused "more fields than the header" "morefields.csv:2:" "$TMP/morefields.csv"
expect_err "row has 10 fields, the header has 9" "more fields message"
printf '%s\nR,1,A,r1,1,2,y\n' "$H" >"$TMP/fewerfields.csv"
refused "fewer fields than the header" "fewerfields.csv:2:" "$TMP/fewerfields.csv"
expect_err "row has 7 fields, the header has 9" "fewer fields message"
printf '%s\nR,1,A,r1,1,2,y,"p"x,n\n' "$H" >"$TMP/afterquote.csv"
refused "text after a closing quote" "afterquote.csv:2:" "$TMP/afterquote.csv"
printf '%s\n,1,A,r1,1,2,y,p,n\n' "$H" >"$TMP/noregion.csv"
refused "empty region" "noregion.csv:2:1: error: empty region" "$TMP/noregion.csv"
printf 'region,partner,d\nR,A,1\n' >"$TMP/nowave.csv"
refused "required column missing" "nowave.csv:1:1: error: required column 'wave' is missing" "$TMP/nowave.csv"
: >"$TMP/empty.csv"
refused "empty file" "empty.csv:1:1: error: the file is empty" "$TMP/empty.csv"
printf '%s\n' "$H" >"$TMP/headeronly.csv"
refused "header and no rows" "headeronly.csv:1:1: error: no answers" "$TMP/headeronly.csv"
printf '\xef\xbb\xbf' >"$TMP/bomonly.csv"
refused "a BOM and nothing else" "bomonly.csv:1:1: error:" "$TMP/bomonly.csv"

# Several files: the error names the file it is in.
refused "error in the second of two files" "badlevel.csv:2:10: error:" "$TMP/good.csv" "$TMP/badlevel.csv"

# validate RUBRIC RESPONSES reports the same, and writes nothing.
run ctm validate "$R" "$TMP/duprespondent.csv"
expect_status 1 "validate with responses"
expect_err "duprespondent.csv:3:7: error: duplicate respondent" "validate with responses: located"

# A failed run leaves an existing output as it was.
echo "previous results" >"$OUT/scores.csv"
run ctm score -r "$R" -o "$OUT/scores.csv" "$TMP/badlevel.csv"
expect_status 1 "failed run over an existing output"
if [ "$(cat "$OUT/scores.csv")" = "previous results" ]; then ok; else bad "failed run changed the existing output"; fi
expect_no_temporaries "$OUT" "failed run over an existing output"
rm -f "$OUT/scores.csv"

# ---------------------------------------------------------------- outputs
# Unwritable destinations: exit 3, nothing left behind.
run ctm score -r "$R" -o "$TMP/no/such/dir/scores.csv" "$TMP/good.csv"
expect_status 3 "output in a missing directory"
expect_err "cannot write" "output in a missing directory: message"

echo x >"$TMP/plainfile"
run ctm score -r "$R" -o "$TMP/plainfile/scores.csv" "$TMP/good.csv"
expect_status 3 "output under a regular file"

mkdir -p "$OUT/adir"
run ctm score -r "$R" -o "$OUT/adir" "$TMP/good.csv"
expect_status 3 "output path is a directory"
expect_no_temporaries "$OUT" "output path is a directory"
if [ -z "$(ls -A "$OUT/adir")" ]; then ok; else bad "output path is a directory: it was written into"; fi

run ctm score -r "$R" -o "$OUT/" "$TMP/good.csv"
expect_status 3 "output path ending in /"

if [ "$(id -u)" != 0 ]; then
  # Permissions mean nothing to root, so this one only runs as a user.
  mkdir -p "$TMP/ro"
  chmod 555 "$TMP/ro"
  run ctm score -r "$R" -o "$TMP/ro/scores.csv" "$TMP/good.csv"
  expect_status 3 "read-only directory"
  if [ -z "$(ls -A "$TMP/ro")" ]; then ok; else bad "read-only directory: something was left"; fi
  chmod 755 "$TMP/ro"
fi

if [ -w /dev/full ] && [ -z "${CTM_VALGRIND:-}" ]; then
  # A full disk: stdout is /dev/full, so the write fails; exit 3.
  run bash -c '"$0" score -r "$1" "$2" >/dev/full' "$CONTINUUM" "$R" "$TMP/good.csv"
  expect_status 3 "standard output on a full device"
fi

# No region or wave name reaches outside the directory of reports: path
# separators, dot-dot and control characters become '-'.
printf 'region,wave,partner,respondent,d,e,q1,q2,q3\n../../escape,/etc/x,A,r1,1,2,y,p,n\n../../escape,/etc/x,B,r2,3,2,n,y,y\n"..",".",C,r3,2,2,y,y,y\n"a\nb/..",../w,D,r4,2,2,y,y,y\n.hidden,1,E,r5,1,1,y,y,y\n' >"$TMP/names.csv"
mkdir -p "$TMP/reports/in"
run ctm report -r "$R" -o "$TMP/reports/in" "$TMP/names.csv"
expect_status 0 "reports for hostile region names"
outside=$(find "$TMP/reports" -mindepth 1 -not -path "$TMP/reports/in" -not -path "$TMP/reports/in/*" | head -n 3)
if [ -z "$outside" ]; then ok; else bad "a report was written outside its directory: $outside"; fi
n_inside=$(find "$TMP/reports/in" -mindepth 1 -maxdepth 1 -name '*.pdf' | wc -l)
if [ "$n_inside" -eq 4 ]; then ok; else bad "reports for hostile names: $n_inside files, expected 4"; fi
# ('..' inside a name is harmless without a '/'; a leading '.' would hide it.)
if find "$TMP/reports/in" -mindepth 1 -maxdepth 1 -name '.*' | grep -q .; then
  bad "a report name is hidden: $(ls -A "$TMP/reports/in")"
else ok; fi
[ -e /etc/x ] && bad "a report reached /etc"

# An output that is an input is refused, and the input is untouched.
cp "$TMP/good.csv" "$TMP/in.csv"
before=$(cksum <"$TMP/in.csv")
run ctm score -r "$R" -o "$TMP/in.csv" "$TMP/in.csv"
expect_status 2 "output = responses"
expect_err "it is one of the inputs" "output = responses: message"
run ctm score -r "$R" -o "$TMP/./in.csv" "$TMP/in.csv"
expect_status 2 "output = responses by another path"
ln -sf "$TMP/in.csv" "$TMP/link.csv"
run ctm score -r "$R" -o "$TMP/link.csv" "$TMP/in.csv"
expect_status 2 "output = responses through a symlink"
cp "$R" "$TMP/r.xml"
run ctm score -r "$TMP/r.xml" -o "$TMP/r.xml" "$TMP/in.csv"
expect_status 2 "output = rubric"
if [ "$before" = "$(cksum <"$TMP/in.csv")" ] && cmp -s "$R" "$TMP/r.xml"; then ok
else bad "an input was changed by a refused run"; fi
expect_no_temporaries "$TMP" "refused outputs"

# ---- --map and --targets: duplicates, unknown names, empty files, with their line
EXR="$RUBRICS/service-coordination.xml"
EXD="$EXAMPLES/service-coordination-survey.csv"
printf 'header,id\nYour organization,partner\nyour organization,region\n' >"$TMP/map-twice.csv"
run ctm score -r "$EXR" --map "$TMP/map-twice.csv" "$EXD"
expect_status 1 "a header mapped twice"
expect_err "map-twice.csv:3:1: error: header 'your organization' is mapped twice (first on line 2)" "map duplicate located"
printf 'header,id\n' >"$TMP/map-empty.csv"
run ctm score -r "$EXR" --map "$TMP/map-empty.csv" "$EXD"
expect_status 0 "a map with a header only still scores"
expect_err "map-empty.csv:1:1: warning: the map file has a header but no rows" "empty map warned"
printf 'dimension,target\n' >"$TMP/targets-empty.csv"
run ctm score -r "$EXR" --targets "$TMP/targets-empty.csv" "$EXD"
expect_status 1 "a targets file with a header only"
expect_err "targets-empty.csv:1:1: error: the targets file has a header but no rows" "empty targets located"
printf 'dimension,target,region\nplanning,5,Nowhere\n' >"$TMP/targets-region.csv"
run ctm score -r "$EXR" --targets "$TMP/targets-region.csv" "$EXD"
expect_status 0 "a target for an unknown region still scores"
expect_err "targets-region.csv:2:1: warning: the target for region 'Nowhere' matches no region" "unknown target region warned"

# ---- a batch goes on past a group it cannot write, and says which were not written
mkdir -p "$TMP/batch/Ōtautahi_2023-03.pdf"
run ctm report -r "$EXR" "$EXD" -o "$TMP/batch"
expect_status 3 "a batch with one group that cannot be written"
expect_err "wrote 11 of 12 reports to $TMP/batch; not written: Ōtautahi_2023-03.pdf" "the batch says which"
if [ "$(find "$TMP/batch" -maxdepth 1 -type f -name '*.pdf' | wc -l)" -eq 11 ]; then ok
else bad "the other 11 reports were not all written"; fi

# ---- a --font file (and the bold face beside it) is an input, never an output
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$TMP/Face.ttf" 2>/dev/null &&
cp /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf "$TMP/Face-Bold.ttf" 2>/dev/null
if [ -s "$TMP/Face.ttf" ] && [ -s "$TMP/Face-Bold.ttf" ]; then
  for target in Face.ttf Face-Bold.ttf; do
    cp "$TMP/$target" "$TMP/$target.before"
    run ctm report -r "$EXR" "$EXD" --font "$TMP/Face.ttf" --group "region=Ōtautahi,wave=2023-03" -o "$TMP/$target"
    expect_status 2 "-o $target, the font or its bold face"
    expect_err "refusing to write '$TMP/$target': it is one of the inputs" "-o $target refused"
    if cmp -s "$TMP/$target" "$TMP/$target.before"; then ok; else bad "$target was overwritten"; fi
  done
else
  skip "fonts-dejavu-core not installed: the --font input check"
fi

# ---- compare and template: a prefix that names a directory would make hidden files
mkdir -p "$TMP/pfx"
for cmd in compare template; do
  if [ $cmd = compare ]; then run ctm compare -r "$EXR" "$EXD" -o "$TMP/pfx/"
  else run ctm template -r "$EXR" -o "$TMP/pfx"; fi
  expect_status 2 "$cmd -o DIR"
  expect_err "names a directory, so the outputs would be hidden files" "$cmd -o DIR said"
  if [ -z "$(ls -A "$TMP/pfx")" ]; then ok; else bad "$cmd -o DIR wrote $(ls -A "$TMP/pfx")"; fi
done

echo "largest peak RSS of a hostile input: ${max_rss_kb} KB (limit ${RSS_LIMIT_KB} KB)"
finish
