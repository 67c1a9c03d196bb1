#!/usr/bin/env bash
# continuum compare end to end: the three outputs, their content, the PDF's
# text and pages, exit codes, nothing written on error.
# Data: tests/data/compare/survey.csv (bench/gen_responses.py, service-coordination,
# 4 regions x 3 waves, seed 3) plus Kāpiti in wave 2023 only.
source "$(dirname "$0")/lib/common.bash"

RUBRIC="$RUBRICS/service-coordination.xml"
DATA="$CTM_TEST_DATA/compare/survey.csv"
OUT="$TMP/out"

run ctm compare --help
expect_status 0 "--help"
expect_out "PREFIX-regions.csv" "--help names the outputs"

run ctm compare -r "$RUBRIC" "$DATA" -o "$OUT"
expect_status 0 "compare"
expect_file "$OUT.csv" "PREFIX.csv"
expect_file "$OUT-regions.csv" "PREFIX-regions.csv"
expect_file "$OUT.pdf" "PREFIX.pdf"
expect_no_temporaries "$TMP" "after compare"

# Tables: headers, row counts, order.
if [ "$(head -1 "$OUT.csv")" = "region,id,from_wave,to_wave,n_from,n_to,from,to,delta,p,significant" ]; then ok
else bad "PREFIX.csv header: $(head -1 "$OUT.csv")"; fi
if [ "$(head -1 "$OUT-regions.csv")" = "wave,id,regions,units,icc1,icc2" ]; then ok
else bad "PREFIX-regions.csv header: $(head -1 "$OUT-regions.csv")"; fi
# 4 regions x 2 wave pairs x (stage + 6 dimensions); Kāpiti (one wave) has none.
rows=$(($(wc -l <"$OUT.csv") - 1))
if [ "$rows" -eq 56 ]; then ok; else bad "PREFIX.csv has $rows rows, expected 56"; fi
if grep -q "^Kāpiti," "$OUT.csv"; then bad "a one-wave region has rows"; else ok; fi
# 3 waves x 6 dimensions
rows=$(($(wc -l <"$OUT-regions.csv") - 1))
if [ "$rows" -eq 18 ]; then ok; else bad "PREFIX-regions.csv has $rows rows, expected 18"; fi
# Kāpiti counts among the regions of 2023 only.
if awk -F, '$1 == "2023" && $3 != 5 { exit 1 } $1 != "wave" && $1 != "2023" && $3 != 4 { exit 1 }' \
  "$OUT-regions.csv"; then ok; else bad "regions per wave: $(cat "$OUT-regions.csv")"; fi
first=$(sed -n 2p "$OUT.csv")
case "$first" in
  "Señora del Valle,stage,2021,2022,"*) ok ;;
  *) bad "first row: $first" ;;
esac
# Every row: stage rows have no p, dimension rows a yes/no exactly when p is there.
if awk -F, 'NR > 1 && $2 == "stage" && ($10 != "" || $11 != "") { exit 1 }
  NR > 1 && $2 != "stage" && (($10 == "") != ($11 == "")) { exit 1 }' "$OUT.csv"; then ok
else bad "p and significant disagree"; fi

if have pdftotext && have pdfinfo; then
# The PDF: text with diacritics, a significant Δ as the table prints it, pages.
text=$(pdftotext "$OUT.pdf" - 2>/dev/null)
for name in "Ōtautahi" "Zürich Nord" "Señora del Valle" "Kāpiti"; do
  if grep -qF "$name" <<<"$text"; then ok; else bad "PDF lacks region '$name'"; fi
done
for heading in "Stage and maturity by region and wave" "Trends by region" "Significant changes" \
  "Ranking of regions by maturity" "Variance between regions (ICC)" "Method"; do
  if grep -qF "$heading" <<<"$text"; then ok; else bad "PDF lacks section '$heading'"; fi
done
sig=$(awk -F, '$11 == "yes" { print; exit }' "$OUT.csv")
if [ -n "$sig" ]; then
  delta=$(cut -d, -f9 <<<"$sig")
  shown=$(LC_ALL=C printf "%+.2f" "$delta" | sed 's/^-/−/')
  if grep -qF -- "$shown" <<<"$text"; then ok; else bad "PDF lacks Δ $shown of: $sig"; fi
  p=$(cut -d, -f10 <<<"$sig")
  if grep -qF -- "$p" <<<"$text"; then ok; else bad "PDF lacks p $p of: $sig"; fi
else
  bad "no significant change in the test data"
fi
tests=$(awk -F, 'NR > 1 && $10 != ""' "$OUT.csv" | wc -l)
if grep -qF "This comparison made $tests tests" <<<"$text"; then ok
else bad "PDF does not count $tests tests"; fi
pages=$(pdfinfo "$OUT.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
if [ "${pages:-0}" -ge 4 ]; then ok; else bad "PDF has ${pages:-no} pages"; fi
if grep -qF "Page $pages of $pages" <<<"$text"; then ok; else bad "no 'Page $pages of $pages'"; fi
if pdfinfo "$OUT.pdf" 2>/dev/null | grep -q "^Title:.*Comparison of regions over time"; then ok
else bad "PDF title"; fi
else
  skip "poppler-utils not installed: the PDF's text, pages and title"
fi

# Same inputs, same bytes.
run ctm compare -r "$RUBRIC" "$DATA" -o "$TMP/again"
expect_status 0 "second run"
for s in .csv -regions.csv .pdf; do
  if cmp -s "$OUT$s" "$TMP/again$s"; then ok; else bad "$s differs between runs"; fi
done

# Usage errors: nothing written.
run ctm compare -r "$RUBRIC" "$DATA"
expect_status 2 "no -o"
expect_err "output prefix is required" "no -o message"
run ctm compare -r "$RUBRIC" --bogus "$DATA" -o "$TMP/u"
expect_status 2 "unknown option"
run ctm compare -r "$RUBRIC" -o "$TMP/u"
expect_status 2 "no responses"
expect_no_file "$TMP/u.csv" "nothing written on usage error"

# An output that would overwrite an input.
cp "$DATA" "$TMP/in.csv"
run ctm compare -r "$RUBRIC" "$TMP/in.csv" -o "$TMP/in"
expect_status 2 "output is an input"
expect_err "it is one of the inputs" "output is an input message"
if cmp -s "$DATA" "$TMP/in.csv"; then ok; else bad "input was changed"; fi
expect_no_file "$TMP/in.pdf" "nothing written when refusing"

# Invalid input: exit 1, nothing written.
printf 'region,wave,partner,planning\nX,1,p,9\n' >"$TMP/invalid.csv"
run ctm compare -r "$RUBRIC" "$TMP/invalid.csv" -o "$TMP/bad"
expect_status 1 "invalid responses"
expect_err "invalid.csv:2:" "invalid cell located"
expect_no_file "$TMP/bad.csv" "nothing written on invalid input"
expect_no_file "$TMP/bad.pdf" "no PDF on invalid input"

# Cannot write: exit 3 and nothing left.
run ctm compare -r "$RUBRIC" "$DATA" -o "$TMP/no/such/dir/out"
expect_status 3 "unwritable prefix"
expect_err "cannot write" "unwritable prefix message"
expect_no_file "$TMP/no" "nothing created for an unwritable prefix"
# PREFIX.csv is a directory: the PDF is written first, then taken back.
mkdir -p "$TMP/w" "$TMP/w/out.csv"
run ctm compare -r "$RUBRIC" "$DATA" -o "$TMP/w/out"
expect_status 3 "PREFIX.csv is a directory"
expect_no_file "$TMP/w/out.pdf" "no PDF left when a table fails"
expect_no_file "$TMP/w/out-regions.csv" "no regions table left when a table fails"
expect_no_temporaries "$TMP/w" "after a failed write"

finish
