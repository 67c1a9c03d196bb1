#!/usr/bin/env bash
# The man page says what --help says: every command that `continuum --help`
# lists has an entry in COMMANDS, and every option that `continuum --help` or
# `continuum COMMAND --help` prints is named in the man page (the main ones
# under OPTIONS, a command's in that command's entry); no entry documents a
# command or an option the tool does not have. `continuum COMMAND --help`
# exits 0 for every command. MANPAGE may name another page (to check that the
# test fails when an option is left out).
source "$(dirname "$0")/lib/common.bash"

MANPAGE=${MANPAGE:-$CTM_SRC/man/continuum.1}
if [ ! -s "$MANPAGE" ]; then
  bad "no man page at $MANPAGE"
  finish
  exit
fi

# The man page's source with the escapes that can sit inside a word undone:
# \- is '-', font changes (\fB, \fI, \fR, \fP, \f(CW) and the zero-width \%, \&
# and \: vanish, \e is a backslash.
sed -e 's/\\f([A-Z][A-Z]//g' -e 's/\\f[BIRP]//g' -e 's/\\[%&:]//g' \
    -e 's/\\-/-/g' -e 's/\\e/\\/g' "$MANPAGE" >"$TMP/man.txt"

# options TEXT: the option names in a help text, one a line (-o, --output);
# "-Bold" (a file name's part) or "2024-03" are not options.
options() {
  grep -oE -- '(^|[[:space:],|([])--?[A-Za-z][A-Za-z0-9-]*' <<<"$1" |
    sed -E 's/^[^-]+//' | grep -E -- '^(-[A-Za-z]|--[a-z][a-z0-9-]*)$' | sort -u
}

# section FIRST-LINE-REGEX END-REGEX: the lines of man.txt from the first that
# matches FIRST-LINE-REGEX up to the next that matches END-REGEX.
section() {
  START=$1 END=$2 awk '
    !on && $0 ~ ENVIRON["START"] { on = 1; print; next }
    on && $0 ~ ENVIRON["END"] { exit }
    on { print }' "$TMP/man.txt"
}

# names TEXT OPTION: is OPTION in TEXT as a word of its own?
names() {
  grep -qE -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" <<<"$1"
}

run ctm --help
expect_status 0 "continuum --help"
main_help=$out
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$main_help" | awk 'NR > 1 && NF { print $1 }')
if [ -n "$commands" ]; then ok; else bad "no commands found in continuum --help"; fi

# The main options (those under "Options:") in OPTIONS; any other option the
# main help names (-r in "score -r RUBRIC") somewhere in the page.
main_section=$(section '^\.SH OPTIONS' '^\.SH ')
if [ -n "$main_section" ]; then ok; else bad "the man page has no OPTIONS section"; fi
main_options=$(sed -n '/^Options:/,/^$/p' <<<"$main_help")
if [ -n "$(options "$main_options")" ]; then ok; else bad "no options found in continuum --help"; fi
for opt in $(options "$main_options"); do
  if names "$main_section" "$opt"; then ok; else
    bad "'$opt' of continuum --help is not in the man page's OPTIONS"
  fi
done
for opt in $(options "$main_help"); do
  if names "$(cat "$TMP/man.txt")" "$opt"; then ok; else
    bad "'$opt' of continuum --help is not in the man page"
  fi
done

# Every command: its help, and its entry in COMMANDS (from the tag line
# `.BI "COMMAND ...` to the end of its options, `.RE`).
for cmd in $commands; do
  run ctm "$cmd" --help
  expect_status 0 "continuum $cmd --help"
  help=$out
  if grep -q "^Usage: continuum $cmd" <<<"$help"; then ok; else
    bad "continuum $cmd --help prints no usage line; got: ${help:0:200}"
  fi
  run ctm help "$cmd"
  if [ "$status" -eq 0 ] && [ "$out" = "$help" ]; then ok; else
    bad "continuum help $cmd differs from continuum $cmd --help (exit $status)"
  fi

  entry=$(section "^\\.BI \"$cmd[ \"]" '^\.RE')
  if [ -z "$entry" ]; then
    bad "command '$cmd' has no entry in the man page's COMMANDS"
    continue
  fi
  ok
  if grep -qE -- "^\\.B continuum $cmd( |\$)" "$TMP/man.txt"; then ok; else
    bad "command '$cmd' is not in the man page's SYNOPSIS"
  fi
  help_options=$(options "$help")
  for opt in $help_options; do
    if names "$entry" "$opt"; then ok; else
      bad "'$opt' of continuum $cmd --help is not in the man page's entry for $cmd"
    fi
  done
  # And the other way: what the entry names, the command has.
  for opt in $(options "$entry"); do
    if grep -qxF -- "$opt" <<<"$help_options"; then ok; else
      bad "the man page's entry for $cmd names '$opt', which continuum $cmd --help does not list"
    fi
  done
done

# No entry in COMMANDS for a command the tool does not have.
# (An entry's tag is a `.BI "COMMAND ...` line right after .TP or .TQ.)
for cmd in $(section '^\.SH COMMANDS' '^\.SH ' |
  awk '/^\.(TP|TQ)$/ { tag = 1; next } tag && match($0, /^\.BI "[a-z]+[ "]/) {
    print substr($0, 6, RLENGTH - 6) } { tag = 0 }' | sort -u); do
  if grep -qxF "$cmd" <<<"$commands"; then ok; else
    bad "the man page documents a command '$cmd' that continuum --help does not list"
  fi
done

# The version in the page's title line is the tool's.
run ctm --version
version=${out#continuum }
if grep -qE "^\\.TH CONTINUUM 1 .*\"continuum $version\"" "$TMP/man.txt"; then ok; else
  bad "the man page's .TH does not name continuum $version"
fi

# The page formats without a warning.
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$MANPAGE" 2>&1)
  if [ -z "$warnings" ]; then ok; else bad "groff warns: ${warnings:0:400}"; fi
fi

finish
