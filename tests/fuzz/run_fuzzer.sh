#!/usr/bin/env bash
# Builds the client metadata fuzzer with clang (ASan + UBSan + libFuzzer) and runs it.
# Usage: tests/fuzz/run_fuzzer.sh <build-dir> <seconds>
# Exits non-zero if the build fails or the fuzzer finds a crash, leak or timeout; the
# reproducer is left in <build-dir>/artifacts/.
set -euo pipefail

if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <build-dir> <seconds>" >&2
  exit 2
fi
build_dir=$1
seconds=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

CC=clang CXX=clang++ cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE= >/dev/null
cmake --build "$build_dir" --target client_metadata_fuzz -j2

# New inputs go to the build directory; the seeds in the repository stay as they are.
work_corpus=$build_dir/corpus/client_metadata
artifacts=$build_dir/artifacts
mkdir -p "$work_corpus" "$artifacts"

status=0
"$build_dir/client_metadata_fuzz" \
  -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$work_corpus" "$here/corpus/client_metadata" || status=$?

if [[ $status -ne 0 ]]; then
  echo "fuzzer failed with status $status; reproducers:" >&2
  ls -l "$artifacts" >&2
fi
exit "$status"
