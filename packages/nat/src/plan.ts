import type { Emit } from './state.js';

/**
 * What one chunk lets out, in order. `steps` holds only small integers: a pair `from, to`
 * keeps that range of the chunk as it came; a negative entry puts out `inserts[k]`, new bytes,
 * as `-1 - 2k` (an array of its own) or `-2 - 2k` (an array the rewriter keeps using, emitted
 * as a copy). Ranges are recorded rather than cut as views because a view costs about as much
 * as copying a hundred bytes, and a chunk of PASV-heavy replies holds hundreds of ranges.
 *
 * Numbers and arrays are kept apart so that each list keeps one element kind for good: one
 * mixed list started out holding only integers, turned generic at the first insert, and the
 * optimised code that had assumed integers was thrown away, at a different moment in each
 * process; 64 KiB chunks ran at one of two speeds from one process to the next.
 */
export class Plan {
  readonly steps: number[] = [];
  readonly inserts: Uint8Array[] = [];

  /** Keeps `chunk[from, to)` as it came; joins a range that ends where this one starts. */
  keep(from: number, to: number): void {
    if (to <= from) return;
    const steps = this.steps;
    const last = steps.length - 1;
    if (last > 0 && steps[last] === from && steps[last - 1]! >= 0) {
      steps[last] = to;
      return;
    }
    steps.push(from, to);
  }

  /** Puts `bytes` out; `shared` when the caller keeps using them (they go out copied). */
  insert(bytes: Uint8Array, shared: boolean): void {
    const index = this.inserts.length;
    this.inserts.push(bytes);
    this.steps.push(shared ? -2 - 2 * index : -1 - 2 * index);
  }

  get empty(): boolean {
    return this.steps.length === 0;
  }

  clear(): void {
    this.steps.length = 0;
    this.inserts.length = 0;
  }
}

/** Emits a plan as views of the chunk and the new arrays, then empties it. */
export function emitPlan(plan: Plan, chunk: Uint8Array, emit: Emit): void {
  const { steps, inserts } = plan;
  const count = steps.length;
  let k = 0;
  try {
    while (k < count) {
      const entry = steps[k]!;
      if (entry < 0) {
        k++;
        const bytes = inserts[(-1 - entry) >> 1]!;
        emit((-1 - entry) & 1 ? bytes.slice() : bytes);
      } else {
        const to = steps[k + 1]!;
        k += 2;
        emit(entry === 0 && to === chunk.length ? chunk : chunk.subarray(entry, to));
      }
    }
  } finally {
    plan.clear();
  }
}

/**
 * Delivers a plan as one array and empties it: the chunk itself when the plan keeps it all;
 * else the chunk copied once into a new array, each kept range moved to its place within it
 * (`copyWithin`, no view), and the new bytes written in.
 */
export function deliverJoined(plan: Plan, chunk: Uint8Array, deliver: Emit): void {
  const { steps, inserts } = plan;
  const count = steps.length;
  if (count === 0) return;
  let out: Uint8Array;
  try {
    if (count === 2 && steps[0] === 0 && steps[1] === chunk.length) {
      out = chunk;
    } else if (count === 1 && steps[0] === -1) {
      out = inserts[0]!;
    } else {
      out = assemble(plan, chunk);
    }
  } finally {
    plan.clear();
  }
  deliver(out);
}

function assemble(plan: Plan, chunk: Uint8Array): Uint8Array {
  const { steps, inserts } = plan;
  const count = steps.length;
  let total = 0;
  for (let k = 0; k < count; ) {
    const entry = steps[k]!;
    if (entry < 0) {
      total += inserts[(-1 - entry) >> 1]!.length;
      k++;
    } else {
      total += steps[k + 1]! - entry;
      k += 2;
    }
  }
  const out = new Uint8Array(Math.max(total, chunk.length));
  out.set(chunk);
  // Every range lands where it belongs without overwriting one not yet moved: ranges moving
  // left go first, in order; then ranges moving right, last first. Destinations never
  // overlap, and sources and destinations keep their order.
  let at = 0;
  for (let k = 0; k < count; ) {
    const entry = steps[k]!;
    if (entry < 0) {
      at += inserts[(-1 - entry) >> 1]!.length;
      k++;
    } else {
      const to = steps[k + 1]!;
      if (at < entry) out.copyWithin(at, entry, to);
      at += to - entry;
      k += 2;
    }
  }
  for (let k = count; k > 0; ) {
    const entry = steps[k - 1]!;
    if (entry < 0) {
      const bytes = inserts[(-1 - entry) >> 1]!;
      at -= bytes.length;
      out.set(bytes, at);
      k--;
    } else {
      const from = steps[k - 2]!;
      at -= entry - from;
      if (at > from) out.copyWithin(at, from, entry);
      k -= 2;
    }
  }
  return total === out.length ? out : out.subarray(0, total);
}
