#!/usr/bin/env python3
"""Writes the hostile-input cases of issue 20 into a directory, one folder each.

    make-cases.py OUT_DIR SOURCE_DIR

Every case folder holds its inputs, `cmd` (the continuum arguments, one per
line; @CASE@ is the case folder, @OUT@ an output folder made empty for the
run), optionally `setup` (lines `fifo NAME`, `file NAME MODE`, `dir NAME`,
`link NAME TARGET`:
made in @OUT@ before the run) and `expect` (what run.sh checks):
    status N            the exit status
    stderr TEXT         stderr holds TEXT (fixed string)
    stdout TEXT         stdout holds TEXT
    no-raw-escape       stderr holds no ESC byte (0x1b)
    exists PATH / absent PATH
    mode PATH OCTAL     the file's permission bits
    chardev PATH        PATH is still a character device
    symlink PATH        PATH is still a symbolic link
    contains PATH TEXT  the file PATH holds TEXT
    captured NAME TEXT  what was read from the FIFO NAME holds TEXT
    inside DIR          no word of a PDF in DIR reaches the page's last 20 pt
                        on the right or 10 pt at the bottom (pdftotext -bbox)
Nothing here is committed output: the cases are made at test time, from the
shipped rubrics, the lean font and the texts below, so the suite is its own
documentation of what each case is.
"""
import os
import struct
import sys

OUT, SRC = sys.argv[1], sys.argv[2]
RUBRIC = os.path.join(SRC, "rubrics", "service-coordination.xml")
EXAMPLE = os.path.join(SRC, "examples", "service-coordination-survey.csv")
FONT = os.path.join(SRC, "reports", "fonts", "DejaVuSansLean.ttf")


def case(name, cmd, expect, files=None, setup=None):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for fname, data in (files or {}).items():
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(os.path.join(d, fname), mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
            f.write(data)
    with open(os.path.join(d, "cmd"), "w", encoding="utf-8") as f:
        f.write("\n".join(cmd) + "\n")
    with open(os.path.join(d, "expect"), "w", encoding="utf-8") as f:
        f.write("\n".join(expect) + "\n")
    if setup:
        with open(os.path.join(d, "setup"), "w", encoding="utf-8") as f:
            f.write("\n".join(setup) + "\n")


rubric_text = open(RUBRIC, encoding="utf-8").read()
example_text = open(EXAMPLE, encoding="utf-8").read()
header = example_text.split("\n", 1)[0]
first_rows = [r for r in example_text.split("\n")[1:] if r.startswith("Ōtautahi,2023-03,")][:6]
score = ["score", "-r", RUBRIC, EXAMPLE]

# ---- 1. outputs: devices, FIFOs, standard output, modes, names, failures
case("out-dev-null", score + ["-o", "/dev/null"], ["status 0", "chardev /dev/null"])
# run.sh sends stdout to a regular file: /dev/stdout is then a link to it,
# which a rename would replace in /dev
case("out-dev-stdout", score + ["-o", "/dev/stdout"], ["status 0", "stdout region,wave,", "symlink /dev/stdout"])
case("out-symlink", score + ["-o", "@OUT@/link.csv"],
     ["status 0", "symlink @OUT@/link.csv", "contains @OUT@/target.csv region,wave,"],
     setup=["file target.csv 644", "link link.csv target.csv"])
case("out-dash", score + ["-o", "-"], ["status 0", "stdout region,wave,", "absent @OUT@/-"])
case("out-fifo", score + ["-o", "@OUT@/pipe"], ["status 0", "captured pipe region,wave,"],
     setup=["fifo pipe"])
case("out-mode-kept", score + ["-o", "@OUT@/kept.csv"], ["status 0", "mode @OUT@/kept.csv 600"],
     setup=["file kept.csv 600"])
case("out-full-disk", score + ["-o", "/dev/full"],
     ["status 3", "stderr /dev/full: error: cannot write the results: No space left on device"])
# a valid name of 254 bytes (the most a directory entry holds is 255): the
# temporary beside it must still fit
long_name = "é" * 100 + "x" * 50 + ".csv"
case("out-name-254", score + ["-o", "@OUT@/" + long_name],
     ["status 0", "exists @OUT@/" + long_name])
case("out-compare-dir-prefix", ["compare", "-r", RUBRIC, EXAMPLE, "-o", "@OUT@/"],
     ["status 2", "absent @OUT@/.csv", "absent @OUT@/.pdf"])
case("out-batch-goes-on", ["report", "-r", RUBRIC, EXAMPLE, "-o", "@OUT@"],
     ["status 3", "exists @OUT@/Zürich-Nord_2024-09.pdf", "stderr not written"],
     setup=["dir Ōtautahi_2023-03.pdf"])

# ---- 2. valid text of any length renders: report, compare and template
cyr = "Жизнеспособность" * 3  # 48 Cyrillic letters
long_q = ("Насколько партнёры делятся данными и планами — " * 30)[:700]  # > 1023 bytes
long_dim = "Ж" * 300 + " совместное планирование"
rtl = "التخطيط المشترك עבודה משותפת"
combining = "e\u0301\u0302\u0303 a\u0308\u0308 Z\u0335\u0336"
wave = "Ж" * 300
text_rubric = open(os.path.join(SRC, "tests", "data", "report", "three.xml"), encoding="utf-8").read()
text_rubric = (text_rubric.replace("<name>Alone</name>", "<name>" + cyr + "</name>")
               .replace("<name>Planning</name>", "<name>" + long_dim + "</name>")
               .replace("<name>Funding</name>", "<name>" + rtl + " " + combining + "</name>")
               .replace("Do you know the other services?", long_q)
               .replace("One pooled budget.", rtl * 8))
rows = []
for w in (wave, wave + " 2"):
    for p in range(1, 7):
        rows.append(f"{rtl} {combining},{w},{'Партнёр ' * 20}{p},manager,{1 + p % 3},{1 + (p + 1) % 3},yes,no,yes")
text_csv = "region,wave,partner,role,plan,fund,t1,t2,t3\n" + "\n".join(rows) + "\n"
files = {"text.xml": text_rubric, "text.csv": text_csv}
case("text-report", ["report", "-r", "@CASE@/text.xml", "@CASE@/text.csv", "-o", "@OUT@"],
     ["status 0", "stderr wrote 2 reports", "inside @OUT@"], files=files)
case("text-compare", ["compare", "-r", "@CASE@/text.xml", "@CASE@/text.csv", "-o", "@OUT@/cmp"],
     ["status 0", "exists @OUT@/cmp.pdf", "inside @OUT@"], files=files)
case("text-template", ["template", "-r", "@CASE@/text.xml", "-o", "@OUT@/survey"],
     ["status 0", "exists @OUT@/survey.pdf", "inside @OUT@"], files=files)

# ---- 3. fonts: spoilt files refused before libharu sees them; a font is an input
font = open(FONT, "rb").read()


def table(data, tag):
    n = struct.unpack(">H", data[4:6])[0]
    for i in range(n):
        e = 12 + 16 * i
        if data[e:e + 4] == tag:
            return struct.unpack(">II", data[e + 8:e + 16]), e
    raise KeyError(tag)


def patched(at, fmt, value):
    b = bytearray(font)
    struct.pack_into(fmt, b, at, value)
    return bytes(b)


(head, _), _ = table(font, b"head")
(hhea, _), _ = table(font, b"hhea")
(maxp, _), _ = table(font, b"maxp")
(_, _), post_entry = table(font, b"post")
glyphs = struct.unpack(">H", font[maxp + 4:maxp + 6])[0]
spoilt = {
    "font-units-per-em-0": patched(head + 18, ">H", 0),
    "font-metrics-above-glyphs": patched(hhea + 34, ">H", glyphs + 1),
    "font-table-outside-file": patched(post_entry + 12, ">I", 0x7FFFFFFF),
    "font-truncated": font[:len(font) // 3],
    "font-not-a-font": b"\x00\x01\x00\x00" + b"\xff" * 64,
}
for name, data in spoilt.items():
    case(name, ["report", "-r", RUBRIC, EXAMPLE, "-o", "@OUT@", "--font", "@CASE@/bad.ttf"],
         ["status 1", "stderr not a usable TrueType font", "absent @OUT@/Zürich-Nord_2024-09.pdf"],
         files={"bad.ttf": data})
case("font-is-an-input", ["report", "-r", RUBRIC, EXAMPLE, "--group", "region=Ōtautahi,wave=2023-03",
                          "--font", "@CASE@/f.ttf", "-o", "@CASE@/f.ttf"],
     ["status 2", "stderr it is one of the inputs"], files={"f.ttf": font})

# ---- 5. rubrics: limits, UTF-8 only, nothing after the root, items a record can hold
validate = ["validate", "@CASE@/r.xml"]
case("rubric-min-n-limit", validate, ["status 1", "stderr 1000000"],
     files={"r.xml": rubric_text.replace('min-n="5"', 'min-n="1000001"', 1)})
case("rubric-latin1-declared", validate, ["status 1", "stderr UTF-8"],
     files={"r.xml": rubric_text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("utf-8")})
case("rubric-utf16", validate, ["status 1", "stderr UTF-16"],
     files={"r.xml": rubric_text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).encode("utf-16")})
case("rubric-latin1-bytes", validate, ["status 1", "stderr UTF-8"],
     files={"r.xml": rubric_text.replace("Ō", "O").encode("utf-8").replace(b"<title>", b"<title>\xe9", 1)})
case("rubric-nul-after-root", validate, ["status 1", "stderr error"],
     files={"r.xml": rubric_text.encode("utf-8") + b"\x00<rubric/>"})
case("rubric-trailing-content", validate, ["status 1", "stderr error"],
     files={"r.xml": rubric_text + "<rubric/>\n"})
many = "".join(f'    <question id="m{i}" level="1" scale="yn">Item {i}?</question>\n' for i in range(10001))
case("rubric-too-many-items", validate, ["status 1", "stderr 10000"],
     files={"r.xml": text_rubric.replace("  <questions>\n", "  <questions>\n" + many, 1)})

# ---- 6. diagnostics print control characters escaped
esc_csv = header + "\n" + first_rows[0].replace(",coordinator,", ",co\x1b[31mordinator\x1b[0m,", 1) \
    .replace(",COORDINATION,", ",\x1b]0;pwned\x07,", 1) + "\n"
case("diag-escapes", ["score", "-r", RUBRIC, "@CASE@/esc.csv", "-o", "@OUT@/s.csv"],
     ["status 1", "stderr \\x1b", "no-raw-escape", "absent @OUT@/s.csv"], files={"esc.csv": esc_csv})

# ---- 7. --map and --targets: duplicates, unknown names, empty files
case("map-duplicate-header", score + ["--map", "@CASE@/map.csv", "-o", "@OUT@/s.csv"],
     ["status 1", "stderr map.csv:3", "absent @OUT@/s.csv"],
     files={"map.csv": "header,id\nPlan,planning\nPlan,leadership\n"})
case("map-empty", score + ["--map", "@CASE@/map.csv", "-o", "@OUT@/s.csv"],
     ["stderr map.csv"], files={"map.csv": "header,id\n"})
case("targets-header-only", score + ["--targets", "@CASE@/t.csv", "-o", "@OUT@/s.csv"],
     ["status 1", "stderr t.csv", "absent @OUT@/s.csv"], files={"t.csv": "dimension,target\n"})
case("targets-unknown-region", score + ["--targets", "@CASE@/t.csv", "-o", "@OUT@/s.csv"],
     ["status 0", "stderr t.csv:2"], files={"t.csv": "dimension,target,region\nplanning,4,Atlantis\n"})
