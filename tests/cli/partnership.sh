#!/usr/bin/env bash
# The partnership's report (issue 19): --organization, --title, --date,
# --logo, --notes and --omit on report and compare, their refusals, and the
# change since the region's previous survey in the report and in score's JSON,
# checked against compare's own rows.
source "$(dirname "$0")/lib/common.bash"
DATA="$CTM_TEST_DATA/report"
R="$RUBRICS/service-coordination.xml"
D="$EXAMPLES/service-coordination-survey.csv"
have pdftotext && have pdfinfo && have pdfimages || { skip "poppler-utils not installed"; finish; exit $?; }
text_of() { pdftotext "$1" - 2>/dev/null | tr -s ' \n' ' '; }
expect_text() { # pdf fixed-text label
  if text_of "$1" | grep -qF -- "$2"; then ok; else bad "$3: '$2' not in $1"; fi
}
expect_no_text() { # pdf fixed-text label
  if text_of "$1" | grep -qF -- "$2"; then bad "$3: '$2' in $1"; else ok; fi
}

# ---- a logo, notes --------------------------------------------------------------
python3 - "$TMP/logo.png" <<'PY'
import struct, sys, zlib
w, h = 120, 40
raw = b''.join(b'\0' + b''.join(bytes([20, 90, 160, 255 if (x // 8 + y // 8) % 2 else 60])
                                for x in range(w)) for y in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
                              + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
printf 'We read this report together\nin March.\n\n\nSecond paragraph: Māori partners joined.\n' >"$TMP/notes.txt"

G="region=Señora del Valle,wave=2023-10"
run ctm report -r "$R" "$D" --group "$G" -o "$TMP/id.pdf" --organization "Valle Services Network" \
  --title "Partnership readiness 2023" --date 2024-02-29 --logo "$TMP/logo.png" --notes "$TMP/notes.txt"
expect_status 0 "report with the partnership's options"
expect_text "$TMP/id.pdf" "Valle Services Network" "organization on the cover"
expect_text "$TMP/id.pdf" "Partnership readiness 2023" "title"
expect_text "$TMP/id.pdf" "Report of 29 February 2024" "the date in words (a leap day)"
expect_text "$TMP/id.pdf" "Facilitator's summary" "the notes' heading"
expect_text "$TMP/id.pdf" "We read this report together in March." "lines of a paragraph joined"
expect_text "$TMP/id.pdf" "Second paragraph: Māori partners joined." "second paragraph"
expect_text "$TMP/id.pdf" "Valle Services Network · Partnership readiness 2023 · Señora del Valle" \
  "running header"
grep -q "^Author: *Valle Services Network" <<<"$(pdfinfo "$TMP/id.pdf" 2>/dev/null)" && ok ||
  bad "the organization is the PDF's author"
grep -q "^Title: *Partnership readiness 2023: Señora del Valle" <<<"$(pdfinfo "$TMP/id.pdf" 2>/dev/null)" \
  && ok || bad "the title is the PDF's title"
imgs=$(pdfimages -list "$TMP/id.pdf" 2>/dev/null)
grep -qE '^ +1 +[0-9]+ image +120 +40 +rgb' <<<"$imgs" && ok || bad "the PNG logo drawn on page 1: $imgs"
grep -qE 'smask +120 +40 +gray' <<<"$imgs" && ok || bad "its transparency kept as a soft mask: $imgs"
# the facilitator's summary comes right after the cover
p2=$(pdftotext -f 2 -l 2 "$TMP/id.pdf" - 2>/dev/null)
grep -q "Facilitator's summary" <<<"$p2" && ok || bad "notes on page 2"

run ctm report -r "$R" "$D" --group "$G" -o "$TMP/jpg.pdf" --logo "$DATA/logo.jpg"
expect_status 0 "a JPEG logo"
grep -qE ' image +240 +120 +rgb +3 +8 +jpeg' <<<"$(pdfimages -list "$TMP/jpg.pdf" 2>/dev/null)" && ok ||
  bad "the JPEG embedded as it is: $(pdfimages -list "$TMP/jpg.pdf" 2>&1)"
expect_no_text "$TMP/jpg.pdf" "Facilitator's summary" "no notes, no summary page"
expect_text "$TMP/jpg.pdf" "Readiness report · Señora del Valle" "default title in the header"

# ---- --omit ------------------------------------------------------------------------
run ctm report -r "$R" "$D" --group "$G" -o "$TMP/o1.pdf" --omit "roles, method"
expect_status 0 "--omit roles, method"
expect_no_text "$TMP/o1.pdf" "Views by role" "roles left out"
expect_no_text "$TMP/o1.pdf" "Method and data quality" "method left out"
expect_text "$TMP/o1.pdf" "Placements side by side" "partners kept"
expect_no_text "$TMP/o1.pdf" "how every number was computed" "the cover does not promise the method"
run ctm report -r "$R" "$D" --group "$G" -o "$TMP/o2.pdf" --omit partners,questions
expect_status 0 "--omit partners,questions"
expect_no_text "$TMP/o2.pdf" "Placements side by side" "heat map left out"
expect_no_text "$TMP/o2.pdf" "Divergent partners" "divergent partners left out"
expect_text "$TMP/o2.pdf" "Views by role" "roles kept"
expect_no_text "$TMP/o2.pdf" "the diagnostic questions," "the cover does not list the questions"
expect_no_text "$TMP/o2.pdf" "Attainment by level" "questions part left out"

# ---- refusals: usage errors name the allowed values; nothing is written --------------
for bad_date in 2023-02-29 2024-13-01 24-01-01 2024-1-01 ""; do
  run ctm report -r "$R" "$D" --group "$G" -o "$TMP/no.pdf" --date "$bad_date"
  expect_status 2 "--date '$bad_date'"
  expect_err "--date is a day written YYYY-MM-DD" "date message"
done
run ctm report -r "$R" "$D" --group "$G" -o "$TMP/no.pdf" --omit partners,cover
expect_status 2 "--omit cover"
expect_err "partners, roles, questions, comments or method; 'cover' is not one" "allowed sections"
run ctm compare -r "$R" "$D" -o "$TMP/no" --omit partners
expect_status 2 "compare --omit partners"
expect_err "method; 'partners' is not one" "compare's one section"
head -c 70 "$TMP/logo.png" >"$TMP/cut.png"
head -c 1500 "$DATA/logo.jpg" >"$TMP/cut.jpg"
for f in cut.png cut.jpg; do
  run ctm report -r "$R" "$D" -o "$TMP/dir-$f" --logo "$TMP/$f"
  expect_status 1 "damaged $f"
  expect_err "$TMP/$f: error: the image cannot be read" "damaged $f said once, before any report"
  [ "$(grep -c 'cannot be read' <<<"$err")" = 1 ] && ok || bad "one error for $f: $err"
  expect_no_file "$TMP/dir-$f" "nothing written for $f"
done
run ctm report -r "$R" "$D" -o "$TMP/no" --logo "$TMP/notes.txt"
expect_status 1 "a text file as logo"
expect_err "notes.txt: error: not a PNG or JPEG image" "not an image"
run ctm report -r "$R" "$D" -o "$TMP/no" --logo "$TMP/absent.png"
expect_status 1 "a missing logo"
printf 'fine line\nbad \001 here\n\xff\xfe\n' >"$TMP/badnotes.txt"
run ctm report -r "$R" "$D" -o "$TMP/no" --notes "$TMP/badnotes.txt"
expect_status 1 "notes with a control character and bad UTF-8"
expect_err "badnotes.txt:2:5: error: control character U+0001" "control character at its place"
expect_err "badnotes.txt:3:1: error: invalid UTF-8 (byte 0xFF)" "bad UTF-8 at its place"
expect_err "badnotes.txt:3:2: error: invalid UTF-8 (byte 0xFE)" "every fault said"
printf ' \n\t\n' >"$TMP/empty.txt"
run ctm report -r "$R" "$D" -o "$TMP/no" --notes "$TMP/empty.txt"
expect_status 1 "blank notes"
expect_err "the notes are empty" "blank notes said"
expect_no_file "$TMP/no" "nothing written after refusals"
run ctm report -r "$R" "$D" --group "$G" -o "$TMP/notes.txt" --notes "$TMP/notes.txt"
expect_status 2 "the report may not overwrite the notes"

# ---- compare ---------------------------------------------------------------------------
run ctm compare -r "$R" "$D" -o "$TMP/cmp" --organization "Valle Services Network" --date 2026-12-03 \
  --logo "$DATA/logo.jpg" --notes "$TMP/notes.txt" --omit method --title "Three waves"
expect_status 0 "compare with the partnership's options"
expect_text "$TMP/cmp.pdf" "Valle Services Network" "compare: organization"
expect_text "$TMP/cmp.pdf" "Report of 3 December 2026" "compare: date"
expect_text "$TMP/cmp.pdf" "Three waves" "compare: title"
expect_text "$TMP/cmp.pdf" "Facilitator's summary" "compare: notes"
pdftotext "$TMP/cmp.pdf" - 2>/dev/null | grep -qx "Method" && bad "compare: method left out" || ok

# ---- change since the previous survey: score's JSON and the report, as compare -------------
run ctm compare -r "$R" "$D" -o "$TMP/c"
expect_status 0 "compare"
run ctm score -r "$R" "$D" --format json
expect_status 0 "score json"
cat >"$TMP/check.py" <<'PY'
import csv, json, sys
rows = {(r['region'], r['to_wave'], r['id']): r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))}
d = json.loads(sys.stdin.read())
seen = 0
def num(x): return '' if x is None else '%.4f' % x
for g in d['groups']:
    c = g['change']
    firsts = [k for k in rows if k[0] == g['region'] and k[1] == g['wave']]
    if c is None:
        assert not firsts, (g['region'], g['wave'], 'has a previous wave')
        continue
    st = rows[(g['region'], g['wave'], 'stage')]
    assert st['from_wave'] == c['from_wave'], (st, c)
    assert num(c['stage']['from']) == st['from'] and num(c['stage']['to']) == st['to'], (st, c)
    for m in c['measures']:
        r = rows[(g['region'], g['wave'], m['id'])]
        for k in ('from', 'to', 'delta', 'p'):
            assert num(m[k]) == r[k], (k, m, r)
        assert str(m['n_from']) == r['n_from'] and str(m['n_to']) == r['n_to']
        assert {True: 'yes', False: 'no', None: ''}[m['significant']] == r['significant'], (m, r)
        seen += 1
assert seen == 8 * 6, seen
PY
if python3 "$TMP/check.py" "$TMP/c.csv" <<<"$out"; then ok; else bad "score's change rows are compare's"; fi
run ctm report -r "$R" "$D" -o "$TMP/all"
expect_status 0 "reports of every wave"
PDF="$TMP/all/Señora-del-Valle_2023-10.pdf"
expect_text "$PDF" "Change since wave 2023-03" "the change part"
expect_text "$PDF" "mean in wave 2023-03" "previous means on the summary chart"
expect_no_text "$TMP/all/Señora-del-Valle_2023-03.pdf" "Change since" "a first wave has no change part"
# the cover's previous stage and M, and each table row, are compare's numbers
stage=$(grep '^Señora del Valle,stage,2023-03,2023-10,' "$TMP/c.csv")
score_prev=$(ctm score -r "$R" "$D" | grep '^Señora del Valle,2023-03,stage,')
S=$(cut -d, -f12 <<<"$score_prev")
M=$(printf '%.2f' "$(cut -d, -f7 <<<"$stage")")
expect_text "$PDF" "In wave 2023-03, the region's previous survey: stage $S, M $M." "previous stage and M"
sig=0
while IFS=, read -r region id fw tw nf nt from to delta p s; do
  [ "$id" = stage ] && continue
  name=$(python3 -c '
import sys, xml.etree.ElementTree as E
for d in E.parse(sys.argv[1]).getroot().iter():
    if d.tag.endswith("dimension") and d.get("id") == sys.argv[2]:
        print([c for c in d if c.tag.endswith("name")][0].text.strip())' "$R" "$id")
  row=$(printf '%s %.2f %.2f %+.2f %s %s' "$name" "$from" "$to" "$delta" "$p" "$s")
  row=${row//-/−}
  expect_text "$PDF" "$row" "change row of $id"
  [ "$s" = yes ] && sig=$((sig + 1))
done < <(grep '^Señora del Valle,.*,2023-03,2023-10,' "$TMP/c.csv")
expect_text "$PDF" "$sig of the 6 changes that could be tested" "count of significant changes"
finish
