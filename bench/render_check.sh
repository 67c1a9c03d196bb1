#!/bin/bash
# bench/render_check.sh BEFORE AFTER [DATA]: do two continuum binaries draw the same pages?
#
# Both write the same set of PDFs (every group of the example survey on A4,
# on Letter with --show-partners, with a user's --font; the partnership
# health check; compare; two templates; a Cyrillic, an Armenian (fallback
# face) and a CJK (missing glyphs) region; the 40-group benchmark of
# bench/run.sh), then every page is rendered with pdftoppm -r 100 and its
# text taken with pdftotext, and the two sets are compared byte for byte.
# The PDFs themselves may differ. Exit 0 when every page and text is the same.
#   DATA: where the 40-group survey is (default /tmp/continuum-bench/report-40.csv,
#   made by bench/run.sh); skipped when absent.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=$1 AFTER=$2 DATA=${3:-/tmp/continuum-bench/report-40.csv}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/render-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

render() { # BIN OUT
  local BIN=$1 OUT=$2 R=$ROOT/rubrics/service-coordination.xml EX=$ROOT/examples/service-coordination-survey.csv
  mkdir -p "$OUT/pdf"
  export SOURCE_DATE_EPOCH=1700000000
  "$BIN" report -r "$R" "$EX" -o "$OUT/pdf/sc" 2>/dev/null
  "$BIN" report -r "$R" "$EX" --paper letter --show-partners -o "$OUT/pdf/sc-letter" 2>/dev/null
  "$BIN" report -r "$R" "$EX" --font /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf -o "$OUT/pdf/sc-serif" 2>/dev/null
  "$BIN" report -r "$ROOT/rubrics/partnership-health-check.xml" "$ROOT/examples/partnership-health-check-survey.csv" -o "$OUT/pdf/phc" 2>/dev/null
  "$BIN" compare -r "$R" "$EX" -o "$OUT/pdf/cmp" 2>/dev/null
  "$BIN" template -r "$R" -o "$OUT/pdf/tpl" 2>/dev/null
  "$BIN" template -r "$ROOT/rubrics/partnership-health-check.xml" -o "$OUT/pdf/tpl-phc" 2>/dev/null
  for case in "cyrillic:Новосибирск" "armenian:Երևան" "cjk:東京都"; do
    local name=${case%%:*} region=${case#*:}
    sed "s/^Ōtautahi,/$region,/" "$EX" >"$OUT/$name.csv"
    "$BIN" report -r "$R" "$OUT/$name.csv" --group "region=$region,wave=2023-03" -o "$OUT/pdf/$name.pdf" 2>/dev/null
  done
  [ -f "$DATA" ] && "$BIN" report -r "$R" "$DATA" -o "$OUT/pdf/b40" 2>/dev/null
  find "$OUT/pdf" -name '*.pdf' | sort | while read -r f; do
    local key; key=$(echo "${f#$OUT/pdf/}" | tr '/' '_')
    mkdir -p "$OUT/png/$key"
    pdftoppm -png -r 100 "$f" "$OUT/png/$key/p" 2>/dev/null
    pdftotext "$f" "$OUT/png/$key/text.txt" 2>/dev/null
  done
}
render "$BEFORE" "$WORK/a"
render "$AFTER" "$WORK/b"
if ! diff <(cd "$WORK/a/png" && find . -type f | sort) <(cd "$WORK/b/png" && find . -type f | sort) >/dev/null; then
  echo "different pages or files"; exit 1
fi
n=0 total=0
while read -r f; do
  total=$((total + 1))
  cmp -s "$WORK/a/png/$f" "$WORK/b/png/$f" || { echo "DIFF $f"; n=$((n + 1)); }
done < <(cd "$WORK/a/png" && find . -type f | sort)
echo "$(find "$WORK/a/pdf" -name '*.pdf' | wc -l) PDFs, $total page images and texts, $n differ"
[ "$n" = 0 ]
