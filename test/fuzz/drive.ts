import fc from 'fast-check';
import type { FuzzTarget } from './target.js';

const encoder = new TextEncoder();
/** One input taking this long means a loop that is not linear: a hang, for our sizes. */
const SLOW_INPUT_MS = 2000;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Random bytes, token soup, and seeds with random edits: three ways to reach deep states. */
export function inputsFor(target: FuzzTarget): fc.Arbitrary<Uint8Array> {
  const tokens = target.tokens.map((token) =>
    Uint8Array.from(token, (char) => char.charCodeAt(0) & 0xff),
  );
  const bytes = fc.uint8Array({ maxLength: 512 });
  const soup = fc
    .array(fc.oneof(fc.constantFrom(...tokens), fc.uint8Array({ maxLength: 4 })), { maxLength: 96 })
    .map(concat);
  const edits = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.nat({ max: 2 })), {
    maxLength: 8,
  });
  const mutated = fc.tuple(fc.constantFrom(...target.seeds), edits).map(([seed, changes]) => {
    const out = Array.from(seed.subarray(0, 4096));
    for (const [position, value, kind] of changes) {
      const at = out.length === 0 ? 0 : position % out.length;
      if (kind === 0) out[at] = value;
      else if (kind === 1) out.splice(at, 0, value);
      else out.splice(at, 1);
    }
    return Uint8Array.from(out);
  });
  return target.seeds.length > 0 ? fc.oneof(bytes, soup, mutated) : fc.oneof(bytes, soup);
}

/** Runs `target` on `numRuns` generated inputs; throws the first failure with its input. */
export function drive(target: FuzzTarget, numRuns: number, seed?: number): void {
  for (const known of target.seeds) target.run(known);
  target.run(encoder.encode(''));
  fc.assert(
    fc.property(inputsFor(target), (data) => {
      const started = performance.now();
      try {
        target.run(data);
      } catch (error) {
        if (!(error instanceof target.errorClass)) throw error;
      }
      const took = performance.now() - started;
      if (took > SLOW_INPUT_MS)
        throw new Error(`one input of ${data.length} bytes took ${took} ms`);
    }),
    { numRuns, ...(seed === undefined ? {} : { seed }) },
  );
}
