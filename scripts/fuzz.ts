// `pnpm fuzz`: every fuzz target under test/fuzz/targets, FUZZ_RUNS inputs each (default 10000),
// in FUZZ_JOBS worker processes (default: one per core). Each target's runs are cut into batches
// of FUZZ_BATCH inputs (default 100000), each with its own seed: FUZZ_SEED (default from the
// clock) plus the batch's number. FUZZ_TARGET=reply limits the run to targets whose name
// contains it. A failure prints the command that replays its batch alone.
// Long runs: FUZZ_RUNS=2500000 pnpm fuzz (see test/fuzz/README.md for times).
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { drive } from '../test/fuzz/drive.js';
import { targets } from '../test/fuzz/targets/index.js';

interface Task {
  readonly target: string;
  readonly runs: number;
  readonly seed: number;
}

/** A batch whose worker is silent this long is reported as a hang (FUZZ_HANG_SECONDS). */
const HANG_SECONDS = Number(process.env['FUZZ_HANG_SECONDS'] ?? 900);

type Result =
  | { readonly kind: 'done'; readonly task: Task; readonly seconds: number }
  | { readonly kind: 'failed'; readonly task: Task; readonly message: string };

function runTask(task: Task): Result {
  const target = targets.find((candidate) => candidate.name === task.target)!;
  const started = performance.now();
  try {
    drive(target, task.runs, task.seed);
  } catch (error) {
    return {
      kind: 'failed',
      task,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  return { kind: 'done', task, seconds: (performance.now() - started) / 1000 };
}

if (process.env['FUZZ_WORKER'] === '1') {
  // A worker: run each task the parent sends, answer with its result.
  process.on('message', (task: Task) => process.send!(runTask(task)));
} else {
  await main();
}

async function main(): Promise<void> {
  const runs = Number(process.env['FUZZ_RUNS'] ?? 10_000);
  const batch = Number(process.env['FUZZ_BATCH'] ?? 100_000);
  const filter = process.env['FUZZ_TARGET'] ?? '';
  const jobs = Number(process.env['FUZZ_JOBS'] ?? availableParallelism());
  const base =
    process.env['FUZZ_SEED'] === undefined
      ? Date.now() % 2 ** 31
      : Number(process.env['FUZZ_SEED']);
  const chosen = targets.filter((candidate) => candidate.name.includes(filter));
  if (chosen.length === 0) throw new Error(`no fuzz target matches ${JSON.stringify(filter)}`);

  const tasks: Task[] = [];
  for (const target of chosen) {
    for (let done = 0; done < runs; done += batch) {
      const seed = (base + tasks.length) % 2 ** 31;
      tasks.push({ target: target.name, runs: Math.min(batch, runs - done), seed });
    }
  }
  console.log(
    `fuzz: ${chosen.length} targets x ${runs} inputs in ${tasks.length} batches, ${jobs} jobs, seed ${base}`,
  );

  const totals = new Map<string, { inputs: number; seconds: number; seeds: number[] }>();
  const failures: Result[] = [];
  const started = performance.now();
  const report = (result: Result): void => {
    const { task } = result;
    if (result.kind === 'failed') {
      failures.push(result);
      console.log(`${task.target}: FAILED in batch seed ${task.seed}\n${result.message}`);
      console.log(
        `replay: FUZZ_TARGET='${task.target}' FUZZ_SEED=${task.seed} FUZZ_RUNS=${task.runs} FUZZ_JOBS=1 pnpm fuzz`,
      );
      return;
    }
    const total = totals.get(task.target) ?? { inputs: 0, seconds: 0, seeds: [] };
    total.inputs += task.runs;
    total.seconds += result.seconds;
    total.seeds.push(task.seed);
    totals.set(task.target, total);
    console.log(
      `${task.target}: ${task.runs} inputs, no failure, ${result.seconds.toFixed(1)} s (seed ${task.seed})`,
    );
  };

  if (jobs <= 1 || tasks.length === 1) {
    for (const task of tasks) report(runTask(task));
  } else {
    await runInWorkers(tasks, Math.min(jobs, tasks.length), report);
  }

  const wall = (performance.now() - started) / 1000;
  let inputs = 0;
  for (const [name, total] of totals) {
    inputs += total.inputs;
    console.log(
      `  ${name}: ${total.inputs} inputs, ${total.seconds.toFixed(1)} s of worker time, ${Math.round(total.inputs / total.seconds)}/s, seeds ${total.seeds.join(',')}`,
    );
  }
  console.log(
    `fuzz: ${inputs} inputs without failure, ${failures.length} failed batches, ${wall.toFixed(1)} s`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

/** Hands tasks to `jobs` forked copies of this script, one task at a time each. */
function runInWorkers(
  tasks: readonly Task[],
  jobs: number,
  report: (result: Result) => void,
): Promise<void> {
  const queue = [...tasks];
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    let running = 0;
    // A loop that never ends cannot be stopped from inside its own process: the parent
    // reports a batch that takes far longer than its inputs should as a hang, with its seed.
    const watchdogs = new Map<ChildProcess, NodeJS.Timeout>();
    const next = (worker: ChildProcess): void => {
      clearTimeout(watchdogs.get(worker));
      const task = queue.shift();
      if (task === undefined) {
        worker.disconnect();
        return;
      }
      watchdogs.set(
        worker,
        setTimeout(() => {
          report({ kind: 'failed', task, message: `no answer after ${HANG_SECONDS} s: a hang` });
          worker.kill();
        }, HANG_SECONDS * 1000),
      );
      worker.send(task);
    };
    for (let i = 0; i < jobs; i++) {
      // process.execArgv carries tsx's loader and the @ftpwire/source condition.
      const worker = fork(script, [], {
        execArgv: process.execArgv,
        env: { ...process.env, FUZZ_WORKER: '1' },
      });
      running++;
      worker.on('message', (result: Result) => {
        report(result);
        next(worker);
      });
      worker.on('exit', (code) => {
        clearTimeout(watchdogs.get(worker));
        running--;
        if (code !== 0 && code !== null) reject(new Error(`a fuzz worker exited with ${code}`));
        if (running === 0) resolve();
      });
      next(worker);
    }
  });
}
