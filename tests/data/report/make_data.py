#!/usr/bin/env python3
"""Writes the edge-case inputs of the report tests (tests/cli/report.sh).

    python3 make_data.py      # from this directory; the outputs are committed

- wide.xml: 9 levels, 12 dimensions with long names and long descriptors,
  questions on some levels only (level 7 has none).
- wide.csv: for wide.xml, region "Aotearoa Whānau Ora Collective — Ōtautahi"
  with 30 partners whose names are 60 characters long, 1 to 3 respondents
  each, roles (one small role to be suppressed); region "Solo" with a single
  partner; region "Quiet" with no diagnostic answers at all; regions
  "../evil" and "a/b" whose names must not leave the output directory.
- three.xml / three.csv: a 3-level rubric with 2 dimensions (no radar) and a
  group where a higher level is attained above an unattained one.
"""
import random

rnd = random.Random(7)

LEVEL_NAMES = ["Isolation", "Awareness", "Contact", "Communication", "Cooperation",
               "Coordination", "Collaboration", "Convergence", "Integration"]
DIM_NAMES = [
    "Shared planning of programs and services across agencies",
    "Leadership commitment and governance of the partnership",
    "Joint service delivery",
    "Information sharing and data systems",
    "Pooled funding",
    "Referral pathways",
    "Workforce development and cross-training of frontline staff",
    "Client and community voice in decisions",
    "Co-location",
    "Outcome measurement and shared accountability frameworks",
    "Cultural safety",
    "Sustainability",
]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wide_rubric():
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rubric xmlns="urn:continuum:rubric:1" id="wide-test" version="2.1" xml:lang="en">',
           '  <title>Wide Test Continuum of Integrated Community Services for Families</title>',
           '  <source>Written for the continuum report tests: nine levels, twelve dimensions, '
           'long descriptors.</source>',
           '  <levels>']
    for i, n in enumerate(LEVEL_NAMES, 1):
        out.append(f'    <level value="{i}" id="l{i}"><name>{n}</name></level>')
    out += ['  </levels>', '  <scales>', '    <scale id="ypn">',
            '      <option code="yes" score="1">Yes</option>',
            '      <option code="partly" score="0.5">Partly</option>',
            '      <option code="no" score="0">No</option>',
            '      <option code="dk" missing="true">Don\'t know</option>',
            '    </scale>', '  </scales>', '  <dimensions>']
    for d, name in enumerate(DIM_NAMES, 1):
        out.append(f'    <dimension id="d{d}">')
        out.append(f'      <name>{esc(name)}</name>')
        out.append(f'      <prompt>Which statement best describes {esc(name.lower())}?</prompt>')
        for lv in range(1, 10):
            if d == 5 and lv == 6:
                continue  # a level without a descriptor
            text = (f"At level {lv} ({LEVEL_NAMES[lv - 1]}), agencies in the partnership "
                    f"approach {name.lower()} in a way that is described here at deliberate "
                    f"length, so that the descriptor wraps over several lines in a narrow "
                    f"column and tests that nothing overflows its cell or the page; the "
                    f"partners recognise the practice and the evidence that supports it.")
            out.append(f'      <descriptor level="{lv}">{esc(text)}</descriptor>')
        out.append('    </dimension>')
    out += ['  </dimensions>', '  <questions>']
    q = 0
    for lv in range(1, 10):
        if lv == 7:
            continue
        for k in range(2 if lv in (2, 5) else 1):
            q += 1
            out.append(f'    <question id="q{q}" level="{lv}" scale="ypn">Do the partners, '
                       f'as a matter of routine and with evidence to show for it, practise '
                       f'what level {lv} asks of them (item {k + 1})?</question>')
    out += ['  </questions>', '  <scoring attainment="0.7" target="7" aggregate="partner" min-n="4"/>',
            '</rubric>', '']
    return "\n".join(out), q


def partner_name(i):
    base = f"Te Rūnanga o Ngāi Tahu Whānau Services and Family Support {i:02d}"
    return (base + " Trust Board Incorporated")[:60]


def wide_csv(nq):
    cols = ["region", "wave", "partner", "respondent", "role"] + \
        [f"d{d}" for d in range(1, 13)] + [f"q{k}" for k in range(1, nq + 1)]
    rows = [",".join(cols)]
    rid = 0

    def row(region, wave, partner, role, dims, qs):
        nonlocal rid
        rid += 1
        cells = [region, wave, partner, f"R{rid:05d}", role] + dims + qs
        return ",".join('"' + c.replace('"', '""') + '"' if ("," in c or '"' in c) else c
                        for c in cells)

    def answers(level_ok):
        return [rnd.choice(["yes", "yes", "partly"]) if level_ok(k) else
                rnd.choice(["no", "partly", "no", "dk"]) for k in range(1, nq + 1)]

    big = "Aotearoa Whānau Ora Collective — Ōtautahi"
    for p in range(1, 31):
        centre = 3 + (p % 5)
        for r in range(1 + p % 3):
            role = "governance" if p == 30 and r == 0 else ("manager" if r == 0 else "frontline")
            dims = [str(min(9, max(1, centre + rnd.choice([-1, 0, 0, 1]) + (d % 3) - 1)))
                    if not (d == 12 and p % 7 == 0) else "" for d in range(1, 13)]
            rows.append(row(big, "2024-11", partner_name(p), role, dims,
                            answers(lambda k: k <= 5)))
    rows.append(row("Solo", "2024-11", "Kaikōura Community Health Trust", "manager",
                    [str(2 + d % 4) for d in range(12)], answers(lambda k: k <= 3)))
    rows.append(row("Solo", "2024-11", "Kaikōura Community Health Trust", "frontline",
                    [str(3 + d % 3) for d in range(12)], answers(lambda k: k <= 3)))
    for p in range(1, 5):
        rows.append(row("Quiet", "2024-11", f"Quiet partner {p}", "manager",
                        [str(3 + (p + d) % 3) for d in range(12)], [""] * nq))
    for region in ("../evil", "a/b"):
        for p in range(1, 3):
            rows.append(row(region, "2024/11", f"Partner {p}", "manager",
                            [str(4 + (p + d) % 2) for d in range(12)], answers(lambda k: k <= 4)))
    return "\n".join(rows) + "\n"


def three():
    rub = """<?xml version="1.0" encoding="UTF-8"?>
<rubric xmlns="urn:continuum:rubric:1" id="three-test" version="1.0" xml:lang="en">
  <title>Three Step Test Continuum</title>
  <source>Written for the continuum report tests.</source>
  <levels>
    <level value="1" id="alone"><name>Alone</name></level>
    <level value="2" id="together"><name>Together</name></level>
    <level value="3" id="one"><name>As one system</name></level>
  </levels>
  <scales>
    <scale id="yn">
      <option code="yes" score="1">Yes</option>
      <option code="no" score="0">No</option>
    </scale>
  </scales>
  <dimensions>
    <dimension id="plan">
      <name>Planning</name>
      <prompt>How do you plan?</prompt>
      <descriptor level="1">Each plans alone.</descriptor>
      <descriptor level="2">Plans are shared.</descriptor>
      <descriptor level="3">One plan for all.</descriptor>
    </dimension>
    <dimension id="fund">
      <name>Funding</name>
      <prompt>How are services funded?</prompt>
      <descriptor level="1">Separate budgets.</descriptor>
      <descriptor level="3">One pooled budget.</descriptor>
    </dimension>
  </dimensions>
  <questions>
    <question id="t1" level="1" scale="yn">Do you know the other services?</question>
    <question id="t2" level="2" scale="yn">Do you share plans?</question>
    <question id="t3" level="3" scale="yn">Do you pool budgets?</question>
  </questions>
  <scoring attainment="0.75" target="3" aggregate="partner" min-n="5"/>
</rubric>
"""
    rows = ["region,wave,partner,role,plan,fund,t1,t2,t3"]
    for p in range(1, 7):
        rows.append(f"Zürich Nord,3,Partner {p},manager,{1 + p % 2},{1 + p % 3},yes,no,yes")
    return rub, "\n".join(rows) + "\n"


if __name__ == "__main__":
    rub, nq = wide_rubric()
    open("wide.xml", "w", encoding="utf-8").write(rub)
    open("wide.csv", "w", encoding="utf-8").write(wide_csv(nq))
    r3, c3 = three()
    open("three.xml", "w", encoding="utf-8").write(r3)
    open("three.csv", "w", encoding="utf-8").write(c3)
