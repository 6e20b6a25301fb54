#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) and runs each.
# Usage: tests/fuzz/run_fuzzer.sh <build-dir> <seconds-per-target> [target...]
# Targets default to all of them (client_metadata_fuzz json_request_fuzz certificate_fuzz
# jwt_assertion_fuzz). The seeds of
# target X_fuzz are tests/fuzz/corpus/X. Exits non-zero if the build fails or a fuzzer
# finds a crash, leak or timeout; reproducers are left in <build-dir>/artifacts/ (turn
# each into a regression seed in tests/fuzz/corpus/).
set -euo pipefail

if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <build-dir> <seconds-per-target> [target...]" >&2
  exit 2
fi
build_dir=$1
seconds=$2
shift 2
targets=("$@")
((${#targets[@]})) || targets=(client_metadata_fuzz json_request_fuzz certificate_fuzz jwt_assertion_fuzz)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

CC=clang CXX=clang++ cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE= >/dev/null
cmake --build "$build_dir" --target "${targets[@]}" -j2

artifacts=$build_dir/artifacts
mkdir -p "$artifacts"
status=0
for target in "${targets[@]}"; do
  name=${target%_fuzz}
  # New inputs go to the build directory; the seeds in the repository stay as they are.
  work_corpus=$build_dir/corpus/$name
  mkdir -p "$work_corpus"
  echo "== $target for ${seconds}s"
  "$build_dir/$target" \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
    "$work_corpus" "$here/corpus/$name" || status=$?
done

if [[ $status -ne 0 ]]; then
  echo "a fuzzer failed with status $status; reproducers:" >&2
  ls -l "$artifacts" >&2
fi
exit "$status"
