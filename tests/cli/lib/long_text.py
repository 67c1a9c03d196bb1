#!/usr/bin/env python3
"""Writes the rubrics and responses of tests/cli/text.sh into DIR: valid
UTF-8 texts longer than any fixed buffer the renderer ever had, in several
scripts, where a report, a comparison and a questionnaire print them.
  long_text.py DIR
    text.xml, text.csv  levels, three dimensions, diagnostic questions; two
                        regions and two waves, the second wave higher (so
                        the comparison has significant changes to list)
    inv.xml, inv.csv    an inventory: factors, bands, rated statements
    NAME.txt            each text below, for the checks
"""
import os
import sys

out = sys.argv[1]
# 47 Cyrillic letters: twice as many bytes as the 94 that cut "PDF:
# measuring text: invalid UTF-8 at byte 94"
level = ("Взаимодействие" * 4)[:47]
question = "Насколько партнёры делятся данными и планами — " * 25  # 2,000+ bytes
dim_word = "Ж" * 300 + " совместное планирование"  # one word of 600 bytes
dim_words = ("Жизнеспособность партнёрства " * 20).strip()  # 1,100 bytes of words
band = ("Развивающееся" * 4)[:47]
rtl = "التخطيط المشترك עבודה משותפת"  # Arabic and Hebrew
comb = "e\u0301\u0302\u0303 a\u0308\u0308 Z\u0335\u0336"  # combining marks
region = "Ж" * 300
region2 = rtl + " " + comb
wave1, wave2 = "Ж" * 300, "ש" * 150 + " 2"
partner = ("Партнёр" * 29)[:200]  # 200 letters, then the partner's number
assert len(level) == 47 and len(band) == 47 and len(partner) == 200
assert len(question.encode()) > 1023 and len(dim_word.encode()) > 510
assert len(dim_words.encode()) > 510

text_xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<rubric xmlns="urn:continuum:rubric:1" id="text-test" version="1.0" xml:lang="ru">
  <title>{question}</title>
  <source>{rtl} {comb}</source>
  <levels>
    <level value="1" id="alone"><name>{level}</name></level>
    <level value="2" id="together"><name>{rtl}</name></level>
    <level value="3" id="one"><name>{comb}</name></level>
  </levels>
  <scales>
    <scale id="yn">
      <option code="yes" score="1">{level}</option>
      <option code="no" score="0">{rtl}</option>
    </scale>
  </scales>
  <dimensions>
    <dimension id="plan">
      <name>{dim_word}</name>
      <prompt>{question} ?</prompt>
      <descriptor level="1">{question}</descriptor>
      <descriptor level="2">{rtl}</descriptor>
      <descriptor level="3">{comb}</descriptor>
    </dimension>
    <dimension id="fund">
      <name>{dim_words}</name>
      <prompt>{rtl}</prompt>
      <descriptor level="1">{dim_word}</descriptor>
      <descriptor level="3">{dim_words}</descriptor>
    </dimension>
    <dimension id="third">
      <name>{rtl} {comb}</name>
      <prompt>{rtl} {comb} ?</prompt>
      <descriptor level="1">{rtl}</descriptor>
      <descriptor level="2">{comb}</descriptor>
    </dimension>
  </dimensions>
  <questions>
    <question id="t1" level="1" scale="yn">{question}</question>
    <question id="t2" level="2" scale="yn">{rtl} {comb}</question>
    <question id="t3" level="3" scale="yn">{dim_word} ?</question>
  </questions>
  <scoring attainment="0.75" target="3" aggregate="partner" min-n="5"/>
</rubric>
"""
rows = []
for r in (region, region2):
    for w, lo in ((wave1, 1), (wave2, 2)):
        for p in range(1, 7):
            role = "manager" if p % 2 else rtl
            a, b = lo + (p % 3 == 0), lo + (p % 4 == 0)
            t2 = "yes" if lo == 2 else "no"
            rows.append(f"{r},{w},{partner}{p},{role},{a},{b},{b},yes,{t2},no")
text_csv = "region,wave,partner,role,plan,fund,third,t1,t2,t3\n" + "\n".join(rows) + "\n"

inv_xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<rubric xmlns="urn:continuum:rubric:1" id="inventory-test" version="1.0" xml:lang="ru">
  <title>{dim_words}</title>
  <source>{question}</source>
  <scales>
    <scale id="agree5">
      <option code="1" value="1" score="0">{level}</option>
      <option code="2" value="2" score="0.25">{rtl}</option>
      <option code="3" value="3" score="0.5">{comb}</option>
      <option code="4" value="4" score="0.75">Согласен</option>
      <option code="5" value="5" score="1">{partner}</option>
      <option code="9" missing="true">{rtl} ?</option>
    </scale>
  </scales>
  <questions>
    <question id="s1" scale="agree5">{question}</question>
    <question id="s2" scale="agree5">{rtl} {comb}</question>
    <question id="s3" scale="agree5">{dim_word} ?</question>
    <question id="s4" scale="agree5">{dim_words} ?</question>
  </questions>
  <factors>
    <factor id="f1">
      <name>{dim_word}</name>
      <description>{question}</description>
      <item question="s1"/>
      <item question="s2" reverse="true"/>
    </factor>
    <factor id="f2">
      <name>{dim_words}</name>
      <description>{rtl} {comb}</description>
      <item question="s3"/>
    </factor>
    <factor id="f3">
      <name>{rtl} {comb}</name>
      <description>{dim_word}</description>
      <item question="s4"/>
    </factor>
  </factors>
  <bands>
    <band id="low" min="1">{band}</band>
    <band id="mid" min="3">{rtl} {comb}</band>
    <band id="high" min="4">{dim_word}</band>
  </bands>
  <scoring aggregate="partner" min-n="5"/>
</rubric>
"""
rows = []
for r in (region, region2):
    for w, lo in ((wave1, 1), (wave2, 3)):
        for p in range(1, 7):
            s4 = 9 if p == 1 else lo
            rows.append(f"{r},{w},{partner}{p},R{p},{lo + p % 2},{lo + p % 3},{lo + 1},{s4}")
inv_csv = "region,wave,partner,respondent,s1,s2,s3,s4\n" + "\n".join(rows) + "\n"

files = {"text.xml": text_xml, "text.csv": text_csv, "inv.xml": inv_xml, "inv.csv": inv_csv}
for name, value in dict(level=level, question=question, dim_word=dim_word,
                        dim_words=dim_words, band=band, rtl=rtl, comb=comb, region=region,
                        region2=region2, wave1=wave1, wave2=wave2,
                        partner=partner).items():
    files[name + ".txt"] = value
for name, content in files.items():
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(content)
