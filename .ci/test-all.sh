#!/usr/bin/env bash
# Every test: set-up, a build with warnings as errors and its suite, then the
# same suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
jobs=$(nproc)

cmake -S . -B build-ci -DCONTINUUM_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build-ci -j"$jobs"

cmake -S . -B build-ci-asan -DCONTINUUM_WERROR=ON -DCONTINUUM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-ci-asan -j"$jobs"

echo "== suite under ASan+UBSan =="
(cd build-ci-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$jobs")

echo "== suite (warnings as errors) =="
(cd build-ci && ctest --output-on-failure -j"$jobs" -LE valgrind)

# A representative subset again with every run under valgrind: zero errors,
# zero bytes definitely lost (tests/CMakeLists.txt, label valgrind-ci: a few
# minutes). The whole suite under valgrind is `ctest -L valgrind` (about 10
# minutes of CPU), too long for every push.
echo "== CLI suites, hostile inputs and fuzz corpora under valgrind =="
(cd build-ci && ctest --output-on-failure -j"$jobs" -L valgrind-ci)
