#!/usr/bin/env bash
# continuum report: one PDF per group, edge-case groups, names, exits, bytes.
# The PDFs are read back with poppler-utils (pdftotext, pdfinfo, pdffonts) and
# qpdf; without them those checks are skipped, the rest still runs.
source "$(dirname "$0")/lib/common.bash"
DATA="$CTM_TEST_DATA/report"
EX_RUBRIC="$RUBRICS/service-coordination.xml"
EX_DATA="$EXAMPLES/service-coordination-survey.csv"
POPPLER=0; have pdftotext && have pdfinfo && have pdffonts && POPPLER=1
[ "$POPPLER" = 1 ] || skip "poppler-utils not installed: the PDFs' text, fonts and metadata"
have qpdf || skip "qpdf not installed: the PDFs' outlines"
text_of() { pdftotext "$1" - 2>/dev/null; }
expect_text() { # pdf fixed-text label
  [ "$POPPLER" = 1 ] || return 0 # counted once, as skipped, above
  if text_of "$1" | tr -s ' \n' ' ' | grep -qF -- "$2"; then ok; else bad "$3: '$2' not in $1"; fi
}

# ---- the example: one report per group --------------------------------------
run ctm report -r "$EX_RUBRIC" "$EX_DATA" -o "$TMP/out"
expect_status 0 "report of the example"
expect_err "wrote 12 reports to $TMP/out" "summary line"
[ -z "$out" ] && ok || bad "report prints nothing on stdout"
expect_no_temporaries "$TMP/out" "example"
n=$(ls "$TMP/out"/*.pdf | wc -l)
[ "$n" -eq 12 ] && ok || bad "12 reports expected, got $n"
PDF="$TMP/out/Ōtautahi_2023-03.pdf"
expect_file "$PDF" "UTF-8 letters kept in the file name"
expect_file "$TMP/out/Zürich-Nord_2024-09.pdf" "space becomes -"

if [ "$POPPLER" = 1 ]; then
  expect_text "$PDF" "Ōtautahi" "region with a macron"
  expect_text "$PDF" "Service Coordination Continuum" "rubric title"
  for s in "Summary" "Dimensions in detail" "Gap analysis" "Diagnostic questions" \
           "Partners" "Method and data quality" "Top priorities" "Views by role"; do
    expect_text "$PDF" "$s" "section $s"
  done
  # the numbers are score's: stage, M and a dimension mean
  csv=$(ctm score -r "$EX_RUBRIC" "$EX_DATA")
  stage=$(grep '^Ōtautahi,2023-03,stage,' <<<"$csv")
  S=$(cut -d, -f12 <<<"$stage"); M=$(printf '%.2f' "$(cut -d, -f6 <<<"$stage")")
  mean=$(printf '%.2f' "$(grep '^Ōtautahi,2023-03,dimension,planning,' <<<"$csv" | cut -d, -f6)")
  expect_text "$PDF" "Maturity index M = $M" "M as score computes it"
  expect_text "$PDF" "Stage $S (" "stage as score computes it"
  expect_text "$PDF" "Mean $mean" "planning mean as score computes it"
  info=$(pdfinfo "$PDF" 2>/dev/null)
  grep -q "^Title:.*Ōtautahi, 2023-03" <<<"$info" && ok || bad "PDF title names region and wave"
  grep -q "^Subject:.*service-coordination" <<<"$info" && ok || bad "PDF subject names the rubric"
  grep -q "^Keywords:.*Ōtautahi" <<<"$info" && ok || bad "PDF keywords"
  grep -q "^Page size:.*A4" <<<"$info" && ok || bad "A4 by default"
  pages=$(awk '/^Pages:/ {print $2}' <<<"$info")
  [ "$pages" -ge 7 ] && [ "$pages" -le 20 ] && ok || bad "page count $pages"
  fonts=$(pdffonts "$PDF" 2>/dev/null)
  [ "$(grep -c 'yes yes' <<<"$fonts")" -ge 2 ] && ok || bad "two embedded subset fonts: $fonts"
  grep -q "DejaVuSansLean-Bold" <<<"$fonts" && ok || bad "bold face embedded"
  # the lean default subset (reports/fonts) covers the example: no full face
  grep -qE '\+DejaVuSans(-Bold)?,' <<<"$fonts" && bad "full DejaVu embedded for Latin text: $fonts" || ok
fi
if have qpdf; then
  outline=$(qpdf --json --json-key=outlines "$PDF" 2>/dev/null)
  for s in "Cover" "Summary" "Dimensions in detail" "Gap analysis" "Diagnostic questions" \
           "Partners" "Method and data quality"; do
    grep -qF "\"title\": \"$s\"" <<<"$outline" && ok || bad "bookmark $s"
  done
  grep -qF '"title": "Service planning"' <<<"$outline" && ok || bad "nested bookmark"
fi

# ---- fonts: text the lean subset lacks is drawn with the full DejaVu Sans -------
# Cyrillic is in the subset; Armenian is only in the full face; CJK is in
# neither (it prints as missing glyphs, as before, and the report is written).
for case in "cyrillic:Новосибирск" "armenian:Երևան" "cjk:東京都"; do
  name=${case%%:*} region=${case#*:}
  sed "s/^Ōtautahi,/$region,/" "$EX_DATA" >"$TMP/$name.csv"
  run ctm report -r "$EX_RUBRIC" "$TMP/$name.csv" --group "region=$region,wave=2023-03" \
    -o "$TMP/$name.pdf"
  expect_status 0 "$name region name"
  expect_file "$TMP/$name.pdf" "$name report"
  [ "$POPPLER" = 1 ] || continue
  fonts=$(pdffonts "$TMP/$name.pdf" 2>/dev/null)
  case $name in
    cyrillic)
      expect_text "$TMP/$name.pdf" "$region" "Cyrillic region name"
      grep -q "DejaVuSansLean," <<<"$fonts" && ok || bad "Cyrillic in the lean face: $fonts"
      grep -qE '\+DejaVuSans(-Bold)?,' <<<"$fonts" && bad "full face for Cyrillic: $fonts" || ok ;;
    armenian)
      expect_text "$TMP/$name.pdf" "$region" "Armenian region name"
      grep -q '+DejaVuSans,' <<<"$fonts" && ok || bad "Armenian falls back to the full face: $fonts"
      grep -q '+DejaVuSans-Bold,' <<<"$fonts" && ok || bad "and to the full bold face: $fonts"
      grep -q "DejaVuSansLean," <<<"$fonts" && ok || bad "the rest stays in the lean face: $fonts" ;;
    cjk)
      grep -q '+DejaVuSans,' <<<"$fonts" && ok || bad "CJK tries the full face: $fonts" ;;
  esac
done

# ---- reproducible bytes, --group, --paper ------------------------------------
run ctm report -r "$EX_RUBRIC" "$EX_DATA" -o "$TMP/again"
cmp -s "$PDF" "$TMP/again/Ōtautahi_2023-03.pdf" && ok || bad "two runs give different bytes"
run ctm report -r "$EX_RUBRIC" "$EX_DATA" --group "region=Ōtautahi,wave=2023-03" -o "$TMP/one.pdf"
expect_status 0 "--group"
cmp -s "$PDF" "$TMP/one.pdf" && ok || bad "--group gives the same bytes as the directory run"
SOURCE_DATE_EPOCH=1700000000 run ctm report -r "$EX_RUBRIC" "$EX_DATA" \
  --group "region=Ōtautahi,wave=2023-03" -o "$TMP/dated.pdf"
if [ "$POPPLER" = 1 ]; then
  pdfinfo "$TMP/dated.pdf" 2>/dev/null | grep -q "^CreationDate:.*2023" && ok || bad "SOURCE_DATE_EPOCH date"
  pdfinfo "$PDF" 2>/dev/null | grep -q "^CreationDate:" && bad "date without SOURCE_DATE_EPOCH" || ok
fi
run ctm report -r "$EX_RUBRIC" "$EX_DATA" --paper letter --group "region=Zürich Nord,wave=2023-10" \
  -o "$TMP/letter.pdf"
expect_status 0 "--paper letter"
[ "$POPPLER" = 0 ] || { pdfinfo "$TMP/letter.pdf" 2>/dev/null | grep -q "^Page size:.*letter" && ok || bad "letter paper"; }

run ctm report -r "$EX_RUBRIC" "$EX_DATA" --group "region=Nowhere,wave=2023-03" -o "$TMP/none.pdf"
expect_status 1 "unknown group"
expect_err "nothing written" "unknown group message"
expect_no_file "$TMP/none.pdf" "no file for an unknown group"
run ctm report -r "$EX_RUBRIC" "$EX_DATA" --group "Ōtautahi" -o "$TMP/bad.pdf"
expect_status 2 "malformed --group"
run ctm report -r "$EX_RUBRIC" "$EX_DATA" --paper a3 -o "$TMP/x"
expect_status 2 "bad --paper"
run ctm report -r "$EX_RUBRIC" "$EX_DATA"
expect_status 2 "no -o"
run ctm report -r "$EX_RUBRIC" "$EX_DATA" --group "region=Ōtautahi,wave=2023-03" -o "$EX_DATA"
expect_status 2 "refuses to overwrite an input"
run ctm report --help
expect_status 0 "--help"
expect_out "--group region=R,wave=W" "help names --group"

# ---- unwritable output: exit 3, nothing left behind ---------------------------
mkdir -p "$TMP/ro"
chmod 555 "$TMP/ro"
if [ ! -w "$TMP/ro" ]; then  # root can write anyway: skip
  run ctm report -r "$EX_RUBRIC" "$EX_DATA" -o "$TMP/ro/sub"
  expect_status 3 "cannot create the directory"
  expect_no_file "$TMP/ro/sub" "no directory left"
  run ctm report -r "$EX_RUBRIC" "$EX_DATA" -o "$TMP/ro"
  expect_status 3 "unwritable directory"
  [ -z "$(ls -A "$TMP/ro")" ] && ok || bad "files left in an unwritable directory"
fi
chmod 755 "$TMP/ro"
: >"$TMP/afile"
run ctm report -r "$EX_RUBRIC" "$EX_DATA" -o "$TMP/afile"
expect_status 3 "output is a file, not a directory"
run ctm report -r "$EX_RUBRIC" "$EX_DATA" --group "region=Ōtautahi,wave=2023-03" \
  -o "$TMP/missing-dir/one.pdf"
expect_status 3 "--group into a missing directory"
expect_no_file "$TMP/missing-dir" "nothing created"

# ---- edge cases: 30 partners with 60-character names, 12 dimensions, 9 levels,
# one partner, no diagnostic answers, hostile region names --------------------
# --show-partners: the partners' long names are drawn (one respondent each)
run ctm report -r "$DATA/wide.xml" --show-partners "$DATA/wide.csv" -o "$TMP/wide"
expect_status 0 "edge-case report"
expect_err "wrote 5 reports" "five edge-case groups"
ls "$TMP/wide" | grep -q / && bad "a name with a slash" || ok
expect_file "$TMP/wide/-.-evil_2024-11.pdf" "../evil stays inside the directory"
expect_file "$TMP/wide/a-b_2024-11.pdf" "a/b stays inside the directory"
[ "$(find "$TMP" -maxdepth 1 -name '*evil*' | wc -l)" -eq 0 ] && ok || bad "escaped the directory"
# Names that sanitise alike get -2, -3 in group order (natural order: "a b" <
# "a-b" < "a/b"), and a suffixed name already taken by a real group is skipped.
{ head -1 "$EX_DATA"
  rows=$(grep '^Ōtautahi,2023-03,' "$EX_DATA" | head -3 | cut -d, -f3-)
  for g in "a b,2023-03" "a-b,2023-03" "a-b,2023-03-2" "a/b,2023-03"; do
    sed "s|^|$g,|" <<<"$rows"
  done; } > "$TMP/clash.csv"
run ctm report -r "$EX_RUBRIC" "$TMP/clash.csv" -o "$TMP/clash"
expect_status 0 "colliding names"
for f in a-b_2023-03.pdf a-b_2023-03-2.pdf a-b_2023-03-2-2.pdf a-b_2023-03-3.pdf; do
  expect_file "$TMP/clash/$f" "colliding names: $f"
done
[ "$(ls "$TMP/clash" | wc -l)" -eq 4 ] && ok || bad "colliding names: $(ls "$TMP/clash")"
expect_text "$TMP/clash/a-b_2023-03-3.pdf" "a/b" "the third a-b is the region a/b"
# Privacy by default: partners with fewer than min-n respondents are counted,
# not shown; --show-partners says so on the method page.
run ctm report -r "$EX_RUBRIC" --group "region=Ōtautahi,wave=2023-03" -o "$TMP/private.pdf" "$EX_DATA"
expect_status 0 "a private report"
expect_text "$TMP/private.pdf" "with fewer than 5 respondents are not shown one by one" \
  "partners of fewer than min-n respondents are counted"
if ! pdftotext "$TMP/private.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "Community Health Service"; then ok
else bad "a partner of fewer than min-n respondents is named in a private report"; fi
expect_text "$TMP/private.pdf" "those with at least min-n respondents; the others are only counted" \
  "the method page says who is shown"
run ctm report -r "$EX_RUBRIC" --show-partners --group "region=Ōtautahi,wave=2023-03" \
  -o "$TMP/open.pdf" "$EX_DATA"
expect_text "$TMP/open.pdf" "every one, also those with fewer than min-n respondents (--show-partners)" \
  "--show-partners is said on the method page"
first_partner=$(awk -F, '$1 == "Ōtautahi" && $2 == "2023-03" {print $3; exit}' "$EX_DATA")
if pdftotext "$TMP/open.pdf" - 2>/dev/null | tr '\n' ' ' | grep -qF "$first_partner"; then ok
else bad "--show-partners: the partner '$first_partner' is not in the heat map"; fi
run ctm score -r "$EX_RUBRIC" --format json "$EX_DATA"
if python3 -c 'import json,sys
d = json.load(sys.stdin)
assert all(g["divergent_partners"] == [] for g in d["groups"]), "a divergent partner of few respondents shown"
assert any(g["partners_not_shown"] > 0 for g in d["groups"])' <<<"$out"; then ok
else bad "score --format json shows partners of fewer than min-n respondents"; fi
run ctm score -r "$EX_RUBRIC" --show-partners --format json "$EX_DATA"
if python3 -c 'import json,sys
d = json.load(sys.stdin)
assert any(g["divergent_partners"] for g in d["groups"])
assert all(g["partners_not_shown"] == 0 for g in d["groups"])' <<<"$out"; then ok
else bad "score --show-partners --format json does not show every partner"; fi

# A group of fewer than min-n respondents carries a caution; others do not.
printf 'region,wave,partner,planning,q1\nN,1,A,3,yes\nN,1,B,4,no\n' >"$TMP/few.csv"
run ctm report -r "$EX_RUBRIC" --group "region=N,wave=1" -o "$TMP/few.pdf" "$TMP/few.csv"
expect_text "$TMP/few.pdf" "Only 2 people answered in this group, fewer than 5" "a small group's caution"
if ! pdftotext "$TMP/private.pdf" - 2>/dev/null | grep -qF "Few respondents"; then ok
else bad "a group of 19 respondents has the small-group caution"; fi

BIG="$TMP/wide/Aotearoa-Whānau-Ora-Collective---Ōtautahi_2024-11.pdf"
expect_file "$BIG" "the 30-partner group"
expect_text "$BIG" "Te Rūnanga o Ngāi Tahu Whānau Services and Family Support 30" "a 60-character name, whole"
expect_text "$BIG" "Outcome measurement and shared accountability frameworks" "a long dimension name"
expect_text "$BIG" "suppressed (n < 4)" "a suppressed role"
expect_text "$BIG" "Low agreement: partners do not see this the same way" "low agreement warning"
SOLO="$TMP/wide/Solo_2024-11.pdf"
expect_text "$SOLO" "Only one partner answered" "one partner explained"
expect_text "$SOLO" "Standard deviation —" "no sd for one partner"
QUIET="$TMP/wide/Quiet_2024-11.pdf"
expect_text "$QUIET" "No diagnostic answers" "no diagnostic answers said"
expect_text "$QUIET" "no level attained yet" "stage 0 without answers"
run ctm report -r "$DATA/three.xml" "$DATA/three.csv" -o "$TMP/three"
expect_status 0 "3-level rubric"
expect_text "$TMP/three/Zürich-Nord_3.pdf" "Inconsistent attainment" "inconsistency explained"
expect_text "$TMP/three/Zürich-Nord_3.pdf" "A radar profile needs at least three dimensions" "no radar for 2 dimensions"

# ---- instruments without a stage: an inventory of rated statements (factors,
# bands, no levels) and a rubric of dimensions without diagnostic questions --
expect_no_text() { # pdf fixed-text label
  [ "$POPPLER" = 1 ] || return 0 # counted once, as skipped, above
  if text_of "$1" | tr -s ' \n' ' ' | grep -qF -- "$2"; then bad "$3: '$2' in $1"; else ok; fi
}
cat >"$TMP/health.csv" <<'CSV'
region,wave,partner,need1,need2,need3,purpose1,purpose2,purpose3,purpose4,commitment1,commitment2,commitment3,commitment4,trust1,trust2,trust3,trust4,arrangements1,arrangements2,arrangements3,arrangements4,learning1,learning2,learning3
North,2024,Council,4,5,4,4,5,5,2,2,5,4,9,5,2,1,4,3,2,1,5,9,9,1
North,2024,Council,5,4,4,9,9,5,9,2,5,1,5,1,1,1,2,2,5,1,4,3,4,5
North,2024,Health service,2,5,2,9,3,4,1,9,1,4,9,3,4,5,1,9,3,3,2,5,3,1
North,2024,Health service,1,5,1,4,1,3,4,1,1,9,1,2,2,1,4,4,9,4,4,1,5,9
North,2024,Housing,2,9,3,3,1,3,3,1,4,1,2,2,9,1,1,1,4,4,2,9,5,2
CSV
HEALTH="$TMP/health.pdf"
run ctm report -r "$RUBRICS/partnership-health-check.xml" "$TMP/health.csv" \
  --group "region=North,wave=2024" -o "$HEALTH"
expect_status 0 "report of an inventory of statements"
expect_file "$HEALTH" "inventory report"
for s in "1. Recognise and accept the need for partnership" \
         "2. Develop clarity and realism of purpose" "3. Ensure commitment and ownership" \
         "4. Develop and maintain trust" "5. Create clear and robust partnership arrangements" \
         "6. Monitor, measure and learn"; do
  expect_text "$HEALTH" "$s" "factor $s"
done
for s in "Needs attention" "Developing" "Strength"; do
  expect_text "$HEALTH" "$s" "band $s"
done
expect_text "$HEALTH" "Where the 6 factors stand" "the factor profile heads the cover"
expect_text "$HEALTH" "Partners are unclear about what the partnership is for. (reversed)" \
  "a reversed statement marked"
for s in "Stage on the continuum" "Maturity index" "Stage target" "Dimensions in detail" \
         "Gap analysis" "Diagnostic questions" "Placements side by side" "θ"; do
  expect_no_text "$HEALTH" "$s" "no stage or placements in an inventory"
done
# a statement's mean rating as score computes the unit values: need1 is
# rated 4 and 5 (Council), 2 and 1 (Health service), 2 (Housing): (4.5 + 1.5 + 2) / 3
expect_text "$HEALTH" "Partners recognise and accept the need for partnership. 3 2.67" \
  "a statement's n and mean rating"
mean=$(printf '%.2f' "$(ctm score -r "$RUBRICS/partnership-health-check.xml" "$TMP/health.csv" |
  grep '^North,2024,factor,need,' | cut -d, -f6)")
expect_text "$HEALTH" "Mean $mean (scale 1 to 5)" "factor mean as score computes it"

cat >"$TMP/principles.csv" <<'CSV'
region,wave,partner,need,purpose,commitment,trust,arrangements,learning
North,2024,Council,2,3,1,3,1,2
North,2024,Council,3,2,1,2,2,1
North,2024,Health service,1,2,3,2,1,1
North,2024,Housing,1,2,3,3,3,1
North,2024,Housing,1,1,1,2,2,1
CSV
PRINC="$TMP/principles.pdf"
run ctm report -r "$RUBRICS/partnership-principles.xml" "$TMP/principles.csv" \
  --group "region=North,wave=2024" -o "$PRINC"
expect_status 0 "report of a rubric without diagnostic questions"
expect_file "$PRINC" "report without questions"
expect_text "$PRINC" "Where the 6 dimensions stand" "the placement profile heads the cover"
expect_text "$PRINC" "Dimensions in detail" "dimensions still detailed"
for s in "no level attained" "No diagnostic question was answered" "Stage on the continuum" \
         "Maturity index" "Questions that block the next stage" "Perception and evidence" \
         "Attainment threshold"; do
  expect_no_text "$PRINC" "$s" "no stage without diagnostic questions"
done
finish
