#!/bin/bash
# Instructions per pass of one workload, counted by callgrind: repeatable where wall clock is not
# (the shared 2-core machines swing 2x). Runs the workload for 4 and for 12 passes and prints the
# difference over 8, so start-up, corpus generation and compilation cancel out; V8 compiles on
# the main thread (--no-concurrent-recompilation) so that when code is optimised does not vary.
# About 3-4 minutes a count.
#
#   pnpm build && bench/instructions.sh nat-reply-64k                 # this checkout
#   bench/instructions.sh reply-segments /work/main/packages          # another build of the packages
#
# Workloads: reply-segments, reply-64k, nat-reply-64k, nat-reply-1460, nat-core-64k, nat-core-1460,
# list-unix, list-dos, mlsd-facts (one pass: the 10,000-entry listing of bench/listing-corpus.ts),
# basic-ftp-unix, basic-ftp-dos, basic-ftp-mlsd.
set -euo pipefail
workload=${1:?workload}
packages=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
count() {
  INSTRUCTIONS_PASSES=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node --no-concurrent-recompilation --single-threaded-gc --import tsx \
    "$here/instructions-workload.ts" "$workload" $packages 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
few=$(count 4)
many=$(count 12)
echo "$workload ${packages:-this checkout}: $(((many - few) / 8)) instructions a pass"
