#!/usr/bin/env bash
# Valid text of any length renders (issue 20): long multi-byte names, levels,
# questions, regions, waves and partners, right-to-left scripts and combining
# marks through report, compare and template. Each must exit 0, print the
# texts (wrapped; or shortened with "…" only where a label must be short,
# the whole text then being elsewhere in the document), keep every word on
# its page and draw no word over another. The data: tests/cli/lib/long_text.py.
source "$(dirname "$0")/lib/common.bash"
LIB=$(cd "$(dirname "$0")/lib" && pwd)
have pdftotext || { skip "poppler-utils not installed: the PDFs' text and layout"; finish; exit $?; }
python3 "$LIB/long_text.py" "$TMP" || { bad "long_text.py failed"; finish; exit 1; }
cd "$TMP" || exit 1

# texts PDF NAME...: the PDF prints each named text (NAME.txt) whole. White
# space is left out of the comparison (lines wrap, a long word breaks between
# letters), and so are bidirectional controls; pdftotext gives right-to-left
# words in display order, so such a word may also read reversed.
texts() {
  local pdf=$1; shift
  local missing
  missing=$(pdftotext "$pdf" - 2>/dev/null | python3 -c '
import re, sys
flat = lambda s: re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", s)
page = flat(sys.stdin.read())
for name in sys.argv[1:]:
    text = open(name + ".txt", encoding="utf-8").read()
    if re.search(r"[\u0590-\u06ff]", text):
        ok = all(flat(w) in page or flat(w)[::-1] in page for w in text.split())
    else:
        ok = flat(text) in page
    if not ok:
        print(name)' "$@")
  if [ -z "$missing" ]; then ok; else bad "$pdf lacks: $(echo $missing)"; fi
}
layout() { # PDF...: every word on its page, none over another
  local faults
  if faults=$(python3 "$LIB/pdf_layout.py" "$@"); then ok; else bad "layout: $(head -5 <<<"$faults")"; fi
}

# ---- a rubric with levels, dimensions and diagnostic questions ---------------
# --show-partners: the partner's name is among the texts drawn (a partner of
# one respondent is otherwise only counted)
run ctm report -r text.xml --show-partners text.csv -o rep
expect_status 0 "report of long texts"
expect_err "wrote 4 reports" "every group's report"
[ -z "$(grep -i error <<<"$err")" ] && ok || bad "report says: ${err:0:400}"
# the file name keeps 100 bytes of each: 50 Ж
ZH50=$(printf 'Ж%.0s' {1..50})
REP="rep/${ZH50}_$ZH50.pdf"
expect_file "$REP" "the report of the region and wave of 300 Ж"
texts "$REP" level question dim_word dim_words rtl comb region wave1 partner
layout rep/*.pdf

run ctm compare -r text.xml text.csv -o cmp
expect_status 0 "compare of long texts"
expect_file cmp.pdf "the comparison"
grep -q ',yes$' cmp.csv && ok || bad "the comparison lists no significant change: the test data changed"
texts cmp.pdf question dim_word dim_words rtl comb region region2 wave1 wave2
layout cmp.pdf

run ctm template -r text.xml -o tpl
expect_status 0 "template of long texts"
texts tpl.pdf level question dim_word dim_words rtl comb
layout tpl.pdf

# ---- an inventory: factors, bands and rated statements ----------------------
run ctm report -r inv.xml inv.csv -o inv
expect_status 0 "report of an inventory of long texts"
expect_err "wrote 4 reports" "every group's inventory report"
INV="inv/${ZH50}_$ZH50.pdf"
texts "$INV" band question dim_word dim_words rtl comb region wave1
layout inv/*.pdf

run ctm compare -r inv.xml inv.csv -o icmp
expect_status 0 "compare of an inventory of long texts"
texts icmp.pdf dim_word dim_words rtl comb region wave1 wave2
layout icmp.pdf

run ctm template -r inv.xml -o itpl
expect_status 0 "template of an inventory of long texts"
# every option of the scale whole: what a respondent ticks is never cut
texts itpl.pdf level question dim_word dim_words rtl comb partner
layout itpl.pdf

finish
