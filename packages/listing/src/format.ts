import type { MlsxEntry } from './entry.js';
import { ListingError, quoteText } from './errors.js';
import { readFacts } from './facts.js';
import { foldAscii } from './text.js';

/** Bytes no fact name may hold: the separators of RFC 3659 §7.2 and what ends a line. */
function forbiddenInName(unit: number): boolean {
  return unit === 0x3d || forbiddenInValue(unit);
}

/** A fact value is `*SCHAR` (RFC 3659 §7.2): never a space or `;`, nor what ends a line. */
function forbiddenInValue(unit: number): boolean {
  return unit === 0x20 || unit === 0x3b || unit === 0x0d || unit === 0x0a || unit === 0x00;
}

function invalidFact(line: string, at: number, what: string): ListingError {
  return new ListingError(
    'ERR_INVALID_FACT',
    `${what}, got ${quoteText(line, Math.max(0, at - 10), at + 10)} at character ${at}`,
    at,
  );
}

/**
 * Writes an MLSx entry as one line (RFC 3659 §7.2), without a line end: each fact as
 * `name=value;` in the map's order, a space, the pathname. Add CRLF for an MLSD data
 * connection; inside an MLST reply the line goes after a single space. Only `name` and `facts`
 * are read: the typed views are derived from the facts, which are the truth.
 *
 * Refuses (throws `ListingError`, returns nothing) a pathname that is empty or holds CR, LF
 * or NUL (`ERR_INVALID_NAME`: it would end the line and let a name forge entries), a fact name
 * that is empty or holds `=`, `;`, a space, CR, LF or NUL, a value with `;`, a space, CR, LF
 * or NUL, two facts whose names differ only in case, and a standard fact whose value
 * `parseFacts` would refuse (`ERR_INVALID_FACT`): whatever it writes, `parseFacts` reads back
 * to the same entry. Offsets are character offsets in the line it would have written.
 *
 * @example
 * ```ts
 * import { formatFacts, parseFacts } from '@ftpwire/listing';
 *
 * const facts = new Map([['type', 'file'], ['size', '12'], ['modify', '20240229134501']]);
 * const line = formatFacts({ name: 'notes; draft.txt', facts });
 * line; // => 'type=file;size=12;modify=20240229134501; notes; draft.txt'
 * parseFacts(line).name; // => 'notes; draft.txt'
 * formatFacts({ name: 'a\r\nb', facts }); // throws ListingError ERR_INVALID_NAME
 * formatFacts({ name: 'x', facts: new Map([['size', 'big']]) }); // throws ListingError ERR_INVALID_FACT
 * ```
 */
export function formatFacts(entry: Pick<MlsxEntry, 'name' | 'facts'>): string {
  let line = '';
  const seen = new Set<string>();
  for (const [name, value] of entry.facts) {
    const at = line.length;
    if (name === '') throw invalidFact(line, at, 'a fact name must not be empty');
    for (let i = 0; i < name.length; i++) {
      if (forbiddenInName(name.charCodeAt(i))) {
        throw invalidFact(
          line + name,
          at + i,
          'a fact name must not hold "=", ";", a space, CR, LF or NUL',
        );
      }
    }
    const folded = foldAscii(name);
    if (seen.has(folded)) throw invalidFact(line + name, at, 'a fact must not be given twice');
    seen.add(folded);
    const valueAt = at + name.length + 1;
    for (let i = 0; i < value.length; i++) {
      if (forbiddenInValue(value.charCodeAt(i))) {
        throw invalidFact(
          `${line}${name}=${value}`,
          valueAt + i,
          'a fact value must not hold ";", a space, CR, LF or NUL',
        );
      }
    }
    line += `${name}=${value};`;
  }
  const name = entry.name;
  const nameAt = line.length + 1;
  if (name === '') {
    throw new ListingError('ERR_INVALID_NAME', 'a pathname must not be empty', nameAt);
  }
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    if (unit === 0x0d || unit === 0x0a || unit === 0x00) {
      throw new ListingError(
        'ERR_INVALID_NAME',
        `a pathname must not hold CR, LF or NUL, got ${quoteText(name, Math.max(0, i - 10), i + 10)} around character ${i}`,
        nameAt + i,
      );
    }
  }
  line += ` ${name}`;
  // The typed facts (size, modify, unix.mode, ...) are checked by the parser itself, so what
  // this writes and what parseFacts accepts cannot drift apart.
  try {
    readFacts(line, 0, line.length, undefined);
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
    throw new ListingError('ERR_INVALID_FACT', error.message, error.offset, { cause: error });
  }
  return line;
}
