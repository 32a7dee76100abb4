/**
 * The shape every fuzz target has: one function from bytes to nothing, throwing only its
 * package's error class for input it refuses, and a plain `LawError` when one of its laws breaks.
 * That is also the shape a coverage-guided fuzzer such as @jazzer.js calls (`fuzz(data)`); it does
 * not run on Debian 12's glibc, so `scripts/fuzz.ts` drives these targets with fast-check instead.
 */
export interface FuzzTarget {
  readonly name: string;
  /** The one error class the code under test may throw on any input. */
  readonly errorClass: abstract new (
    ...args: never[]
  ) => Error;
  /** Real-world inputs to start from (fixtures of the tests). */
  readonly seeds: readonly Uint8Array[];
  /** Byte strings that make structured inputs likelier than random bytes alone. */
  readonly tokens: readonly string[];
  run(data: Uint8Array): void;
}

/** A law of the package was broken: never an acceptable outcome, unlike the package's own error. */
export class LawError extends Error {
  override readonly name = 'LawError';
}

export function assertLaw(holds: boolean, message: string): void {
  if (!holds) throw new LawError(message);
}

/** Splits `data` into chunks whose sizes are drawn from the data itself, so a run is reproducible. */
export function chunksOf(data: Uint8Array): Uint8Array[] {
  const size = 1 + ((data[0] ?? 0) % 13);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
  return chunks;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Records what a consumer produced until it threw its own error class, as comparable text. */
export function outcome(
  errorClass: FuzzTarget['errorClass'],
  produce: (record: (item: string) => void) => void,
): string[] {
  const record: string[] = [];
  try {
    produce((item) => record.push(item));
  } catch (error) {
    if (!(error instanceof errorClass)) throw error;
    const { code, offset } = error as Error & { code: string; offset: number };
    record.push(`error ${code} at ${offset}`);
  }
  return record;
}

export function sameOutcome(a: string[], b: string[], what: string): void {
  assertLaw(
    a.length === b.length && a.every((item, index) => item === b[index]),
    `${what}: ${JSON.stringify(a).slice(0, 300)} != ${JSON.stringify(b).slice(0, 300)}`,
  );
}
