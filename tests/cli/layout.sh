#!/usr/bin/env bash
# Layout that never breaks (issue 19, items 6 and 7), checked by geometry on
# real reports: every text box in the page's content area or in the running
# header's and footer's bands, no label over another, no dark line or marker
# over a text (the M marker over a level number), no heading at the foot of
# a page without its content, no page holding only a heading or an orphaned
# tail of a line or two, no table continued onto a page for fewer than three
# rows. How each is measured: tests/cli/lib/pdf_layout.py (pdftotext -bbox
# for the words, qpdf for the outline and the drawn lines).
#
# The PDFs: every region's report of the bundled example; a report of every
# shipped rubric (among them the 22 dimensions of
# service-coordination-readiness) with a survey made for it, partners shown;
# long names (tests/data/report/make_layout.py: 15 dimensions with names
# that wrap, a long level name next to the gap on the cover, a long region,
# long partners and roles); the wide rubric of report.sh (9 levels, 12
# dimensions); the comparison and the questionnaire of each of those
# rubrics. First the checker itself must fail on PDFs with one defect each
# (tests/data/report/bad_layout.py) and pass a clean one.
source "$(dirname "$0")/lib/common.bash"
LIB=$(cd "$(dirname "$0")/lib" && pwd)
DATA="$CTM_TEST_DATA/report"
have pdftotext || { skip "poppler-utils not installed: the PDFs' geometry"; finish; exit $?; }
have qpdf || { skip "qpdf not installed: the PDFs' outlines and lines"; finish; exit $?; }

# layout MARGIN PDF...: every check of pdf_layout.py passes
layout() {
  local margin=$1 faults; shift
  if faults=$(python3 "$LIB/pdf_layout.py" --margin "$margin" --flow --lines "$@" 2>&1); then
    ok
  else
    bad "layout: $(head -8 <<<"$faults")$( (($(wc -l <<<"$faults") > 8)) && echo " ...")"
  fi
}

# ---- the checker can fail -----------------------------------------------------
mkdir -p "$TMP/bad"
python3 "$DATA/bad_layout.py" "$TMP/bad" || bad "bad_layout.py failed"
if python3 "$LIB/pdf_layout.py" --margin 56 --flow --lines "$TMP/bad/good.pdf" >"$TMP/.good"; then
  ok
else
  bad "the checker rejects a clean PDF: $(head -3 "$TMP/.good")"
fi
for case in "margin:lies outside the content area" "footer:in the margin beside the header or footer" \
            "overlap:overlap" "line:a line crosses '4'" \
            "foot:heading 'Perception and evidence' at the foot of the page" \
            "lonely:the last page holds only 1 line" \
            "table:a table is continued onto the page for 2 row"; do
  name=${case%%:*} want=${case#*:}
  run python3 "$LIB/pdf_layout.py" --margin 56 --flow --lines "$TMP/bad/$name.pdf"
  if [ "$status" -eq 1 ] && grep -qF -- "$want" <<<"$out"; then
    ok
  else
    bad "the checker misses the defect of $name.pdf ('$want'): exit $status, said: ${out:0:300}"
  fi
done

# ---- the data -------------------------------------------------------------------
mkdir -p "$TMP/data"
python3 "$DATA/make_layout.py" "$TMP/data" "$RUBRICS"/*.xml || { bad "make_layout.py failed"; finish; exit 1; }

# ---- reports --------------------------------------------------------------------
run ctm report -r "$RUBRICS/service-coordination.xml" "$EXAMPLES/service-coordination-survey.csv" \
  -o "$TMP/example"
expect_status 0 "report of the example"
n=$(ls "$TMP/example"/*.pdf 2>/dev/null | wc -l)
[ "$n" -eq 12 ] && ok || bad "12 example reports expected, got $n"
layout 56 "$TMP/example"/*.pdf
run ctm compare -r "$RUBRICS/service-coordination.xml" "$EXAMPLES/service-coordination-survey.csv" \
  -o "$TMP/example-cmp"
expect_status 0 "comparison of the example"
layout 50 "$TMP/example-cmp.pdf"

for rubric in "$RUBRICS"/*.xml "$TMP/data/long.xml" "$DATA/wide.xml"; do
  name=$(basename "$rubric" .xml)
  csv="$TMP/data/$name.csv"
  [ "$name" = wide ] && csv="$DATA/wide.csv"
  mkdir -p "$TMP/rep-$name"
  run ctm report -r "$rubric" --show-partners "$csv" -o "$TMP/rep-$name"
  expect_status 0 "report of $name"
  layout 56 "$TMP/rep-$name"/*.pdf
  run ctm compare -r "$rubric" "$csv" -o "$TMP/cmp-$name"
  expect_status 0 "comparison of $name"
  run ctm template -r "$rubric" -o "$TMP/tpl-$name"
  expect_status 0 "questionnaire of $name"
  layout 50 "$TMP/cmp-$name.pdf" "$TMP/tpl-$name.pdf"
done

# the 22 dimensions are there (the rubric the issue found page 3 blank with)
dims=$(grep -c '<dimension ' "$RUBRICS/service-coordination-readiness.xml")
[ "$dims" -eq 22 ] && ok || bad "service-coordination-readiness has $dims dimensions, not 22"

finish
