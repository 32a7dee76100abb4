#!/usr/bin/env bash
# Makes a fresh machine ready: pnpm at the version package.json pins, then the locked dependencies.
# Sourced by scripts/run.sh and .ci/run so that a new user and CI set up the same way.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pinned="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$pinned" ]; then
  echo "setup: installing pnpm $pinned"
  # corepack cannot verify pnpm's signatures against this registry, so npm installs it.
  if ! npm install --global --allow-scripts=pnpm "pnpm@$pinned" >/dev/null 2>&1; then
    # No write access to the global prefix: keep pnpm inside the checkout instead.
    npm install --global --prefix "$root/.tools" --allow-scripts=pnpm "pnpm@$pinned" >/dev/null
    export PATH="$root/.tools/bin:$PATH"
  fi
fi
echo "setup: pnpm $(pnpm --version), installing dependencies"
pnpm install --frozen-lockfile --reporter=silent
