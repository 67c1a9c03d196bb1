#!/usr/bin/env bash
# Help, version, usage errors, validate on the shipped rubrics.
source "$(dirname "$0")/lib/common.bash"

run ctm --version
expect_status 0 "--version"
expect_out "continuum 0." "--version prints the version"

run ctm --help
expect_status 0 "--help"
expect_out "validate RUBRIC" "--help lists validate"

run ctm
expect_status 2 "no command is a usage error"

run ctm frobnicate
expect_status 2 "unknown command"
expect_err "unknown command 'frobnicate'" "unknown command message"

run ctm validate --bogus x
expect_status 2 "unknown option"

run ctm validate
expect_status 2 "validate without a rubric"

for f in "$RUBRICS"/*.xml; do
  run ctm validate "$f"
  expect_status 0 "validate $(basename "$f")"
  expect_out "valid rubric" "validate $(basename "$f") says valid"
done

cat >"$TMP/broken.xml" <<'XML'
<?xml version="1.0"?>
<rubric xmlns="urn:continuum:rubric:1" id="b" version="1">
  <title>B</title><source>S</source>
  <levels>
    <level value="1" id="a"><name>A</name></level>
    <level value="2" id="b"><name>B</name></level>
  </levels>
  <dimensions>
    <dimension id="partner"><name>P</name><prompt>P?</prompt></dimension>
  </dimensions>
  <scoring target="3"/>
</rubric>
XML
run ctm validate "$TMP/broken.xml"
expect_status 1 "broken rubric"
expect_err "broken.xml:9: error: dimension id 'partner' is a reserved column name" "reserved id located"
expect_err "broken.xml:11: error: target 3 is not a level of this rubric (1..2)" "target located"

run ctm validate "$TMP/missing.xml"
expect_status 1 "missing rubric"
expect_err "cannot read the rubric" "missing rubric message"

finish
