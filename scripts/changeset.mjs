#!/usr/bin/env node
// Runs @changesets/cli on Node 20. Its own bin calls module.enableCompileCache(), which Node
// only has from 22.1, before it loads the CLI; the CLI itself runs on Node 20 (checked with
// status, version and publish --help). Arguments are passed through: `node scripts/changeset.mjs add`.
await import('@changesets/cli');
