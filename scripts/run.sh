#!/usr/bin/env bash
# The README's one command for a fresh machine: set up, then run a package.json script
# (`bash scripts/run.sh demo`, `bash scripts/run.sh test`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec pnpm "$@"
