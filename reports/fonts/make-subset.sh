#!/bin/sh
# reports/fonts/make-subset.sh — regenerates the lean default fonts of the
# reports, DejaVuSansLean.ttf and DejaVuSansLean-Bold.ttf, and LICENSE, from
# the system's DejaVu Sans (Debian: fonts-dejavu-core) with fontTools'
# pyftsubset (Debian: python3-fonttools; `pyftsubset` itself is in the
# fonttools package, `python3 -m fontTools.subset` is the same program).
#
#   reports/fonts/make-subset.sh [SRCDIR]     SRCDIR: where DejaVuSans.ttf is
#
# The outputs are committed: building continuum needs neither fontTools nor
# this script. Why a subset at all: libharu builds a UTF-8 to glyph map for
# all 64K BMP code points per font and per document, each a linear search over
# the font's cmap segments, and copies the whole cmap, hmtx, loca, post and
# name tables into every PDF; the full DejaVu Sans (6 000 glyphs, 740 KB) made
# that 80 % of the time of a report (bench/PROFILE.md, Reports).
#
# Coverage: Basic Latin, Latin-1, Latin Extended-A/B, spacing modifiers,
# combining marks, Greek, Cyrillic (and its supplement), Latin Extended
# Additional, general punctuation, super/subscripts (the reports draw ₁ ₂),
# currency (€), letterlike symbols, number forms, arrows, mathematical
# operators, geometric shapes, the check marks and crosses U+2713-2717, and
# U+FFFD. Every character the renderer's own texts use is in these ranges
# (grep reports/*.c for non-ASCII literals and \u escapes when adding text).
# Text with a code point outside the lean font (a CJK or Armenian region name,
# say) is drawn with the full system DejaVu Sans instead: reports/draw.c.
#
# Choices, measured on the 40 reports of bench/run.sh (10 regions x 4 waves,
# `continuum report --jobs 1`, Release build, 2-core machine, user CPU):
# - Hinting DROPPED (--no-hinting): with the TrueType instructions kept the
#   40 reports took 0.47 s and 3.9 MB, without them 0.44 s and 3.3 MB (every
#   embedded font subset is ~8 KB smaller: instructions in glyf plus the cvt,
#   fpgm and prep tables, which libharu then writes empty). PDF viewers
#   scale outlines themselves; print ignores hinting.
# - Layout tables (GSUB, GPOS, GDEF, kern) and MATH dropped: libharu does no
#   shaping and never reads them; without them the glyph closure does not pull
#   in ligatures and alternates either.
# - Glyph names dropped (post format 3, pyftsubset's default): libharu copies
#   the post table into every PDF (60 KB of names in the full font).
# - The PostScript name (name ID 6) becomes DejaVuSansLean[-Bold], so that
#   `pdffonts` tells the lean face from the full system one; the family stays
#   "DejaVu Sans". (DejaVu's licence forbids only "Bitstream" and "Vera" in
#   the names of modified fonts.)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${1:-/usr/share/fonts/truetype/dejavu}
PY=${PYTHON:-/usr/bin/python3}

UNICODES="U+0020-007E,U+00A0-00FF,U+0100-024F,U+02B0-02FF,U+0300-036F,\
U+0370-03FF,U+0400-052F,U+1E00-1EFF,U+2000-206F,U+2070-209F,U+20A0-20CF,\
U+2100-214F,U+2150-218F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+2713-2717,U+FFFD"

if command -v pyftsubset >/dev/null 2>&1; then
  SUBSET="pyftsubset"
else
  SUBSET="$PY -m fontTools.subset"
fi

for face in "" -Bold; do
  in=$SRC/DejaVuSans$face.ttf
  out=$HERE/DejaVuSansLean$face.ttf
  [ -r "$in" ] || { echo "make-subset.sh: cannot read $in (apt-get install fonts-dejavu-core)" >&2; exit 1; }
  $SUBSET "$in" --unicodes="$UNICODES" --no-hinting --layout-features='' \
    --drop-tables+=GSUB,GPOS,GDEF,kern,MATH,FFTM --output-file="$out"
  "$PY" - "$out" "DejaVuSansLean$face" <<'EOF'
import sys
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables import ttProgram
path, psname = sys.argv[1], sys.argv[2]
f = TTFont(path)
f["name"].setName(psname, 6, 3, 1, 0x409)
f["name"].setName(psname, 6, 1, 0, 0)
# A one-instruction 'prep' (SVTCA[y], harmless). libharu 2.3.0 writes the
# tables it embeds in a fixed order ending with prep and then seeks to each
# one's start: a missing (empty) prep starts at the very end of the data,
# and when that length is a multiple of its 4096-byte blocks the seek fails
# ("libharu 0x1033" while saving) -- one document in about a thousand,
# depending on the glyphs it uses (found by tests/api/test_unicode.c).
prep = newTable("prep")
prep.program = ttProgram.Program()
prep.program.fromBytecode(b"\x00")
f["prep"] = prep
f.save(path)
EOF
  echo "wrote $out ($(wc -c <"$out") bytes)"
done

# The licence: the font's section of Debian's copyright file (Bitstream Vera
# licence; DejaVu's changes are in the public domain).
{
  echo "DejaVuSansLean.ttf and DejaVuSansLean-Bold.ttf are subsets of DejaVu Sans and"
  echo "DejaVu Sans Bold (https://dejavu-fonts.github.io/), made by make-subset.sh."
  echo
  sed -n '/^Files: \*/,/^Files: debian/p' /usr/share/doc/fonts-dejavu-core/copyright | sed '$d'
} >"$HERE/LICENSE"
echo "wrote $HERE/LICENSE"
