/**
 * fast-check generators and small reference implementations for the address property tests.
 * The references are written differently from the package (strings and regular expressions
 * over bounded test input) so that a law checked against them is not the code checking itself.
 */
import fc from 'fast-check';

export const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 300);

export const byte = fc.integer({ min: 0, max: 255 });
/** Data ports: 0 is never one (every decoder refuses it, see the port-0 tests). */
export const port = fc.integer({ min: 1, max: 65535 });
export const ipv4 = fc.tuple(byte, byte, byte, byte).map((bytes) => bytes.join('.'));

/** 16 bytes with many zero groups, so `::` compression has runs to choose from. */
export const ipv6Bytes = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => {
    const bytes = new Uint8Array(16);
    groups.forEach((group, i) => {
      bytes[i * 2] = group >>> 8;
      bytes[i * 2 + 1] = group & 255;
    });
    return bytes;
  });

const groupsOf = (bytes: Uint8Array): number[] =>
  Array.from({ length: 8 }, (_, i) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);

/** RFC 5952 text written the obvious way: regex for the longest run of zero groups. */
export function referenceCanonicalIPv6(bytes: Uint8Array): string {
  const groups = groupsOf(bytes);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  const full = `:${groups.map((g) => g.toString(16)).join(':')}:`;
  // The longest run of ":0" groups, two or more; JS regex takes the first among equals.
  let best = '';
  for (const match of full.matchAll(/(?::0)+(?=:)/g)) {
    if (match[0].length > best.length) best = match[0];
  }
  if (best.length < 4) return full.slice(1, -1);
  const at = full.indexOf(`${best}:`);
  const text = `${full.slice(0, at)}::${full.slice(at + best.length + 1)}`;
  return text.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '');
}

/**
 * Any RFC 4291 §2.2 text of `bytes`: each group in random case and zero padding, any one run
 * of zero groups (even a single group, even not the longest) compressed or none, and the last
 * 32 bits as a dotted quad or not.
 */
export function ipv6Text(bytes: Uint8Array): fc.Arbitrary<string> {
  const groups = groupsOf(bytes);
  return fc
    .record({
      pads: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
      upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      dotted: fc.boolean(),
      compress: fc.nat(),
    })
    .map(({ pads, upper, dotted, compress }) => {
      const last = dotted ? 6 : 8;
      const texts = groups.slice(0, last).map((g, i) => {
        const hex = g.toString(16).padStart(Math.min(4, g.toString(16).length + pads[i]!), '0');
        return upper[i] ? hex.toUpperCase() : hex;
      });
      const tail = dotted ? [`${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`] : [];
      // Every run [from, to) of zero groups within the hex part is a candidate for "::".
      const runs: [number, number][] = [[-1, -1]];
      for (let from = 0; from < last; from++) {
        for (let to = from + 1; to <= last && groups[to - 1] === 0; to++) runs.push([from, to]);
      }
      const [from, to] = runs[compress % runs.length]!;
      if (from < 0) return [...texts, ...tail].join(':');
      const left = texts.slice(0, from).join(':');
      const right = [...texts.slice(to), ...tail].join(':');
      return `${left}::${right}`;
    });
}

/** A decimal number in text with 0-2 extra leading zeros (for fields that allow them). */
export const padded = (value: number): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max: 2 }).map((zeros) => `${'0'.repeat(zeros)}${value}`);

/** Printable ASCII delimiters 33-126 (RFC 2428 §2). */
export const delimiter = fc.integer({ min: 33, max: 126 }).map((unit) => String.fromCharCode(unit));

/** Strings biased towards the grammar of the address forms, and any string at all. */
export function grammarText(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((parts) => parts.join('')),
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
}
