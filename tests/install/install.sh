#!/usr/bin/env bash
# The install tree, used as someone without the sources would use it:
#  1. `cmake --install` of this build into a temporary prefix: the layout;
#  2. the installed tool validates a shipped rubric by path and by name, with
#     the source and build trees hidden (a private mount namespace) when the
#     system allows one;
#  3. examples/embed built out of tree against the prefix with pkg-config
#     (shared and --static) and with find_package (shared and static): each
#     program prints what the in-tree build prints and writes the same PDF;
#  4. the prefix moved elsewhere still works (the .pc file and the CMake
#     package find their prefix from where they lie).
# Environment from ctest: CMAKE, CC, CTM_SRC, CTM_BUILD, CTM_EMBED (the
# in-tree example), CTM_SANITIZE (1 in an ASan+UBSan build), CONTINUUM.
source "$(dirname "$0")/../cli/lib/common.bash"
source "$(dirname "$0")/lib.bash"
: "${CMAKE:?run through ctest}" "${CC:?run through ctest}" "${CTM_BUILD:?run through ctest}"
: "${CTM_EMBED:?run through ctest}"
unset PKG_CONFIG_PATH CFLAGS LDFLAGS CMAKE_PREFIX_PATH
PREFIX="$TMP/prefix"

# In an ASan+UBSan build the library needs the sanitizer runtimes, which only
# a program linked with the same flags loads (first, as ASan requires).
SAN=""
if [ "${CTM_SANITIZE:-0}" = 1 ]; then
  SAN="-fsanitize=address,undefined"
  echo "ASan+UBSan build: the example is built with $SAN too"
fi

# ---- 1. install and layout
if "$CMAKE" --install "$CTM_BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1; then ok; else
  bad "cmake --install failed:"; cat "$TMP/install.log" >&2; finish; exit; fi

pcs=("$PREFIX"/lib*/pkgconfig/continuum.pc)
if [ "${#pcs[@]}" -eq 1 ] && [ -f "${pcs[0]}" ]; then ok; else bad "continuum.pc: found ${pcs[*]}"; fi
LIBDIR=$(dirname "$(dirname "${pcs[0]}")")

expect_installed() { # path-under-prefix...
  for f in "$@"; do
    if [ -f "$PREFIX/$f" ]; then ok; else bad "not installed: $f"; fi
  done
}
[ -x "$PREFIX/bin/continuum" ] && ok || bad "bin/continuum missing or not executable"
expect_installed "${LIBDIR#"$PREFIX"/}"/{libcontinuum.so,libcontinuum.a}
# While 0.x, the soname carries the full version: every 0.x release may
# break the ABI.
so_version=$(sed -n 's/^#define CTM_VERSION_STRING "\(.*\)"$/\1/p' "$PREFIX/include/continuum/version.h")
expect_installed "${LIBDIR#"$PREFIX"/}/libcontinuum.so.$so_version"
if [[ $so_version == 0.* ]]; then
  soname=$(objdump -p "$LIBDIR/libcontinuum.so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
  [ "$soname" = "libcontinuum.so.$so_version" ] && ok || bad "soname '$soname', expected libcontinuum.so.$so_version"
fi
expect_installed include/continuum.h include/continuum/version.h
for h in "$CTM_SRC"/include/continuum/*.h; do
  expect_installed "include/continuum/${h##*/}"
done
for r in "$CTM_SRC"/rubrics/*.xml "$CTM_SRC"/rubrics/continuum-rubric.xsd; do
  expect_installed "share/continuum/rubrics/${r##*/}"
done
expect_installed share/man/man1/continuum.1
for f in continuumConfig.cmake continuumConfigVersion.cmake continuumTargets.cmake FindHaru.cmake; do
  expect_installed "${LIBDIR#"$PREFIX"/}/cmake/continuum/$f"
done
if compgen -G "$PREFIX/include/continuum/*.in" >/dev/null; then bad "a header template was installed"; else ok; fi
# Relocatable: nothing installed for builders names the trees it came from.
if grep -rlF -e "$CTM_SRC" -e "$CTM_BUILD" "$LIBDIR/pkgconfig" "$LIBDIR/cmake" "$PREFIX/include"; then
  bad "the files above name the source or build tree"
else ok; fi

# ---- 2. the installed tool, source and build trees out of reach
cp "$EXAMPLES/service-coordination-survey.csv" "$TMP/survey.csv"
INSTALLED_RUBRIC="$PREFIX/share/continuum/rubrics/service-coordination.xml"
# hidden CMD...: runs CMD in $TMP with the source and build trees covered by
# empty file systems, when a private mount namespace is allowed; else as is.
HIDE=()
for d in "$CTM_BUILD" "$CTM_SRC"; do # the build tree first: it may lie inside the source tree
  case "$TMP/" in "$d"/*) ;; *) HIDE+=("$d") ;; esac
done
hidden() {
  (cd "$TMP" && unshare --mount --map-root-user sh -c '
    n=$1; shift
    while [ "$n" -gt 0 ]; do mount -t tmpfs none "$1" || exit 97; shift; n=$((n - 1)); done
    exec "$@"' sh "${#HIDE[@]}" "${HIDE[@]}" "$@")
}
if hidden test ! -e "$CTM_SRC/rubrics" 2>/dev/null; then
  echo "source and build trees hidden for the installed tool's runs"
else
  echo "no private mount namespace here: the installed tool runs with the trees in place"
  hidden() { (cd "$TMP" && "$@"); }
fi
installed() { hidden "$PREFIX/bin/continuum" "$@"; }

run installed --version
expect_status 0 "installed --version"
version=$(sed -n 's/^#define CTM_VERSION_STRING "\(.*\)"$/\1/p' "$PREFIX/include/continuum/version.h")
[ -n "$version" ] && [ "$out" == "continuum $version" ] && ok ||
  bad "--version says '$out', version.h '$version'"
run env PKG_CONFIG_PATH="$LIBDIR/pkgconfig" pkg-config --modversion continuum
[ "$out" == "$version" ] && ok || bad "pkg-config --modversion '$out', version.h '$version'"
run env PKG_CONFIG_PATH="$LIBDIR/pkgconfig" pkg-config --variable=rubricsdir continuum
[ -f "$out/service-coordination.xml" ] && ok || bad "pkg-config rubricsdir '$out' lacks the rubrics"

run installed validate "$INSTALLED_RUBRIC"
expect_status 0 "installed validate by path"
expect_out "valid rubric 'service-coordination'" "installed validate by path"
# By name: looked up beside the tool (../share/continuum/rubrics) first. A
# name that exists only there shows that this, not a built-in path, found it.
cp "$INSTALLED_RUBRIC" "$PREFIX/share/continuum/rubrics/ctm-install-test.xml"
run installed validate ctm-install-test
expect_status 0 "installed validate, rubric found beside the tool"
expect_out "valid rubric 'service-coordination'" "installed validate, rubric found beside the tool"
rm -f "$PREFIX/share/continuum/rubrics/ctm-install-test.xml"
run installed validate service-coordination survey.csv
expect_status 0 "installed validate by name with responses"
expect_out "survey.csv: 324 rows, 12 groups, valid" "installed validate by name with responses"
run installed score -r service-coordination survey.csv
expect_status 0 "installed score by rubric name"
[ "$(grep -c ',stage,overall,' <<<"$out")" -eq 12 ] && ok || bad "installed score: not 12 stage rows"

# the lean report font, installed, is found beside the tool: the PDF names it
expect_installed share/continuum/fonts/DejaVuSansLean.ttf share/continuum/fonts/DejaVuSansLean-Bold.ttf
run installed report -r service-coordination survey.csv --group region=Ōtautahi,wave=2023-03 -o "$TMP/installed.pdf"
expect_status 0 "installed report"
grep -aq "DejaVuSansLean" "$TMP/installed.pdf" && ok || bad "installed report: not drawn in the lean font"

# ---- 3. the example, out of tree against the prefix
mkdir "$TMP/embed"
cp "$EXAMPLES"/embed/{embed.c,Makefile,CMakeLists.txt} "$TMP/embed/"
WARN="-Wall -Wextra -Wpedantic -Werror"
# run_embed DIR PROGRAM [env...]: the program on the survey, report.pdf in DIR.
run_embed() {
  local dir=$1 prog=$2
  shift 2
  (cd "$dir" && env "$@" "$prog" "$INSTALLED_RUBRIC" "$TMP/survey.csv" report.pdf) \
    >"$dir/stdout" 2>"$dir/stderr"
}
mkdir "$TMP/ref"
run_embed "$TMP/ref" "$CTM_EMBED"
[ -s "$TMP/ref/stdout" ] && ok || bad "the in-tree example printed nothing: $(cat "$TMP/ref/stderr")"
expect_pdf "$TMP/ref/report.pdf" "in-tree example"

same_as_in_tree() { # dir label
  if diff -u "$TMP/ref/stdout" "$1/stdout"; then ok; else bad "$2: output differs from the in-tree build's"; fi
  if [ -s "$1/stderr" ]; then bad "$2: stderr: $(head -c 400 "$1/stderr")"; else ok; fi
  expect_pdf "$1/report.pdf" "$2"
  cmp -s "$TMP/ref/report.pdf" "$1/report.pdf" && ok || bad "$2: the PDF differs from the in-tree build's"
}
needs_shared_lib() { readelf -d "$1" | grep -q 'NEEDED.*libcontinuum\.so'; }

# pkg-config, through the example's Makefile.
for variant in embed embed-static; do
  d="$TMP/pc-$variant"
  cp -r "$TMP/embed" "$d"
  if make -C "$d" "$variant" PKG_CONFIG_PATH="$LIBDIR/pkgconfig" CC="$CC" \
       CFLAGS="-O1 -g $WARN $SAN" LDFLAGS="$SAN" >"$d/build.log" 2>&1; then
    ok
    if [ "$variant" = embed ]; then
      needs_shared_lib "$d/embed" && ok || bad "pkg-config build: not linked to libcontinuum.so"
      run_embed "$d" ./embed LD_LIBRARY_PATH="$LIBDIR"
    else
      needs_shared_lib "$d/embed-static" && bad "pkg-config --static build needs libcontinuum.so" || ok
      run_embed "$d" ./embed-static
    fi
    same_as_in_tree "$d" "pkg-config $variant"
  else
    bad "make $variant against the prefix failed:"; cat "$d/build.log" >&2
  fi
done

# CMake, find_package(continuum) with the prefix in CMAKE_PREFIX_PATH.
for static in OFF ON; do
  d="$TMP/cmake-static-$static"
  if "$CMAKE" -S "$TMP/embed" -B "$d" -DCMAKE_PREFIX_PATH="$PREFIX" -DEMBED_STATIC="$static" \
       -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$WARN $SAN" \
       -DCMAKE_EXE_LINKER_FLAGS="$SAN" >"$d.log" 2>&1 &&
     "$CMAKE" --build "$d" >>"$d.log" 2>&1; then
    ok
    found=$(sed -n 's/^continuum_DIR:PATH=//p' "$d/CMakeCache.txt")
    [ "$found" == "${LIBDIR}/cmake/continuum" ] && ok || bad "find_package found continuum in '$found'"
    grep -qF "rubrics: $PREFIX/share/continuum/rubrics" "$d.log" && ok ||
      bad "continuum_RUBRICS_DIR is not the prefix's: $(grep -F 'rubrics:' "$d.log")"
    if [ "$static" = OFF ]; then
      needs_shared_lib "$d/embed" && ok || bad "find_package build: not linked to libcontinuum.so"
    else
      needs_shared_lib "$d/embed" && bad "find_package static build needs libcontinuum.so" || ok
    fi
    # No LD_LIBRARY_PATH: CMake records the library's directory (RUNPATH).
    run_embed "$d" ./embed
    same_as_in_tree "$d" "find_package EMBED_STATIC=$static"
  else
    bad "the CMake build against the prefix failed:"; cat "$d.log" >&2
  fi
done

# ---- 4. the prefix moved elsewhere
MOVED="$TMP/moved/somewhere"
mkdir -p "$TMP/moved" && mv "$PREFIX" "$MOVED"
PREFIX="$MOVED"
LIBDIR="$MOVED/${LIBDIR#"$TMP/prefix/"}"
INSTALLED_RUBRIC="$PREFIX/share/continuum/rubrics/service-coordination.xml"
run installed validate service-coordination
expect_status 0 "moved prefix: validate by name"
run env PKG_CONFIG_PATH="$LIBDIR/pkgconfig" pkg-config --cflags continuum
[[ "$out" == "-I$MOVED/"* ]] && ok || bad "moved prefix: pkg-config --cflags gives '$out'"
d="$TMP/pc-moved"
cp -r "$TMP/embed" "$d"
if make -C "$d" embed PKG_CONFIG_PATH="$LIBDIR/pkgconfig" CC="$CC" CFLAGS="-O1 $WARN $SAN" \
     LDFLAGS="$SAN" >"$d/build.log" 2>&1; then
  ok
  run_embed "$d" ./embed LD_LIBRARY_PATH="$LIBDIR"
  same_as_in_tree "$d" "moved prefix, pkg-config"
  # a program outside the prefix finds the lean font beside libcontinuum.so
  mkdir -p "$TMP/hidden-run"
  (cd "$TMP/hidden-run" && hidden env LD_LIBRARY_PATH="$LIBDIR" "$d/embed" "$INSTALLED_RUBRIC" \
    "$TMP/survey.csv" "$TMP/hidden-run/report.pdf") >/dev/null 2>&1
  grep -aq "DejaVuSansLean" "$TMP/hidden-run/report.pdf" && ok ||
    bad "moved prefix: the embedding program's report is not in the lean font"
else
  bad "make against the moved prefix failed:"; cat "$d/build.log" >&2
fi
d="$TMP/cmake-moved"
if "$CMAKE" -S "$TMP/embed" -B "$d" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_C_COMPILER="$CC" \
     -DCMAKE_C_FLAGS="$WARN $SAN" -DCMAKE_EXE_LINKER_FLAGS="$SAN" >"$d.log" 2>&1 &&
   "$CMAKE" --build "$d" >>"$d.log" 2>&1; then
  ok
  run_embed "$d" ./embed
  same_as_in_tree "$d" "moved prefix, find_package"
else
  bad "the CMake build against the moved prefix failed:"; cat "$d.log" >&2
fi

finish
