// `pnpm fuzz`: every fuzz target under test/fuzz/targets, FUZZ_RUNS inputs each (default 10000).
// FUZZ_TARGET=reply limits the run to targets whose name contains it; FUZZ_SEED replays a run.
// Long runs: FUZZ_RUNS=2000000 pnpm fuzz (about 10-20 minutes a target on 2 cores).
import { drive } from '../test/fuzz/drive.js';
import { targets } from '../test/fuzz/targets/index.js';

const runs = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const filter = process.env['FUZZ_TARGET'] ?? '';
const seed =
  process.env['FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['FUZZ_SEED']);

let total = 0;
const started = performance.now();
for (const target of targets.filter((candidate) => candidate.name.includes(filter))) {
  const begin = performance.now();
  drive(target, runs, seed);
  total += runs;
  const seconds = (performance.now() - begin) / 1000;
  console.log(`${target.name}: ${runs} inputs, no failure, ${seconds.toFixed(1)} s (seed ${seed})`);
}
console.log(`fuzz: ${total} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
