# Helpers of tests/install/*.sh, after tests/cli/lib/common.bash (ok, bad).

# A complete PDF: "%PDF-" first, "%%EOF" last (an end of line may follow).
expect_pdf() { # path label
  if [ ! -s "$1" ]; then
    bad "$2: $1 missing or empty"
  elif [ "$(head -c 5 "$1")" != "%PDF-" ]; then
    bad "$2: $1 does not start with %PDF-"
  elif [ "$(tail -c 7 "$1" | tr -d '\r\n' | tail -c 5)" != "%%EOF" ]; then
    bad "$2: $1 does not end with %%EOF"
  else
    ok
  fi
}
