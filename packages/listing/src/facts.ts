import { parseTimeVal, ReplyError } from '@ftpwire/reply';
import { fullDate } from './dates.js';
import type { MlsxEntry, MlsxType } from './entry.js';
import { ListingError, quoteText } from './errors.js';
import { foldAscii, rawNameOf, readLine } from './text.js';

const SPACE = 0x20;
const EQUALS = 0x3d;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const CASE_BIT = 0x20;
const ZERO = 0x30;

/**
 * An entry as the parser fills it: every field present from the start, so that all entries
 * share one shape (V8 keeps property access on them monomorphic).
 */
class ParsedMlsxEntry implements MlsxEntry {
  name = '';
  rawName: Uint8Array | undefined = undefined;
  readonly facts = new Map<string, string>();
  type: MlsxType | undefined = undefined;
  link: string | undefined = undefined;
  size: number | undefined = undefined;
  sizd: number | undefined = undefined;
  modify: Date | undefined = undefined;
  create: Date | undefined = undefined;
  perm: string | undefined = undefined;
  unique: string | undefined = undefined;
  lang: string | undefined = undefined;
  mediaType: string | undefined = undefined;
  charset: string | undefined = undefined;
  unixMode: number | undefined = undefined;
  unixOwner: string | undefined = undefined;
  unixGroup: string | undefined = undefined;
  unixOwnerName: string | undefined = undefined;
  unixGroupName: string | undefined = undefined;
  unixUid: number | undefined = undefined;
  unixGid: number | undefined = undefined;

  /** The facts as a plain object, so that `JSON.stringify` shows them (a Map prints `{}`). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) out[key] = value instanceof Map ? Object.fromEntries(value) : value;
    }
    return out;
  }
}

function invalidFact(
  text: string,
  name: string,
  valueStart: number,
  valueEnd: number,
  at: number,
  expected: string,
): ListingError {
  return new ListingError(
    'ERR_INVALID_FACT',
    `expected ${expected} in the ${name} fact, got ${quoteText(text, valueStart, valueEnd)}`,
    at,
  );
}

/** `text[from, to)` as a non-negative integer in `radix` (10 or 8), exactly, or throws. */
function readNumber(text: string, name: string, from: number, to: number, radix: number): number {
  const expected = radix === 8 ? 'octal digits' : 'decimal digits';
  if (from === to) throw invalidFact(text, name, from, to, from, expected);
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit >= radix) throw invalidFact(text, name, from, to, i, expected);
    value = value * radix + digit;
    // Past 2^53 a number is no longer exact: refused rather than rounded.
    if (value > Number.MAX_SAFE_INTEGER) {
      throw invalidFact(text, name, from, to, i, `a number up to 2^53 - 1`);
    }
  }
  return value;
}

/**
 * The time-val `text[from, to)` in milliseconds when it is the plain `YYYYMMDDHHMMSS` that
 * servers send, its fields in range; else NaN, and `parseTimeVal` reads it (fractions, a leap
 * second, and the errors with their offsets). Read here, without a slice and `Date.UTC`, which
 * cost as much as the rest of the fact.
 */
function plainTimeVal(text: string, from: number, to: number): number {
  if (to - from !== 14) return Number.NaN;
  const fields = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 7; i++) {
    const tens = text.charCodeAt(from + 2 * i) - ZERO;
    const ones = text.charCodeAt(from + 2 * i + 1) - ZERO;
    if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return Number.NaN;
    fields[i] = tens * 10 + ones;
  }
  const year = fields[0]! * 100 + fields[1]!;
  const hour = fields[4]!;
  const minute = fields[5]!;
  const second = fields[6]!;
  if (year < 1000 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return fullDate(year, fields[2]! - 1, fields[3]!, hour, minute) + second * 1000;
}

function readTime(text: string, name: string, from: number, to: number): Date {
  const time = plainTimeVal(text, from, to);
  if (!Number.isNaN(time)) return new Date(time);
  try {
    return parseTimeVal(text.slice(from, to));
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
    throw new ListingError(
      'ERR_INVALID_FACT',
      `expected a time-val YYYYMMDDHHMMSS[.sss] in the ${name} fact: ${error.message}`,
      from + error.offset,
      { cause: error },
    );
  }
}

/** Whether `text[from, to)` equals the lower-case ASCII `word`, ignoring ASCII case. */
function equalsIgnoringCase(text: string, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    const unit = text.charCodeAt(from + i);
    const folded = unit >= UPPER_A && unit <= UPPER_Z ? unit | CASE_BIT : unit;
    if (folded !== word.charCodeAt(i)) return false;
  }
  return true;
}

const OS_UNIX_SLINK = 'os.unix=slink';

/** Sets `type` (and `link`) from the value `text[from, to)` (RFC 3659 §7.5.1). */
function readType(entry: ParsedMlsxEntry, text: string, from: number, to: number): void {
  for (const standard of ['file', 'dir', 'cdir', 'pdir'] as const) {
    if (equalsIgnoringCase(text, from, to, standard)) {
      entry.type = standard;
      return;
    }
  }
  if (equalsIgnoringCase(text, from, to, 'os.unix=symlink')) {
    entry.type = 'symlink';
    return;
  }
  // RFC 3659 §7.7.4's own example writes `OS.unix=slink:/foobar`; its erratum 1500 says
  // `OS.unix=symlink`. Servers send both, so both are links.
  const prefix = Math.min(to, from + OS_UNIX_SLINK.length);
  if (equalsIgnoringCase(text, from, prefix, OS_UNIX_SLINK)) {
    if (prefix === to) {
      entry.type = 'symlink';
      return;
    }
    if (text.charCodeAt(prefix) === 0x3a) {
      entry.type = 'symlink';
      if (prefix + 1 < to) entry.link = text.slice(prefix + 1, to);
      return;
    }
  }
  entry.type = 'other';
}

/** The fact names with a typed view, lower-cased. */
const KNOWN_FACTS = [
  'type',
  'size',
  'sizd',
  'perm',
  'lang',
  'modify',
  'create',
  'unique',
  'charset',
  'media-type',
  'unix.mode',
  'unix.uid',
  'unix.gid',
  'unix.owner',
  'unix.group',
  'unix.ownername',
  'unix.groupname',
] as const;

/**
 * How servers spell each known name, with the name it stands for: as written here, capitalized
 * as RFC 3659's examples (`Type`, `Size`, `Modify`), upper-cased, and with `UNIX.` as ProFTPD
 * and Pure-FTPd write it.
 */
const SPELLINGS = new Map<string, string>();
for (const name of KNOWN_FACTS) {
  const capitalized = name[0]!.toUpperCase() + name.slice(1);
  const unix = name.startsWith('unix.') ? `UNIX.${name.slice(5)}` : name;
  for (const spelling of [name, capitalized, unix, name.toUpperCase()])
    SPELLINGS.set(spelling, name);
}

/**
 * The fact name `text[from, to)` folded, as a known name's constant string where it is one:
 * looked up in its usual spellings (the runtime hashes the slice faster than a loop could read
 * it), else folded and looked up again. The constant's hash is computed once, so the facts Map
 * pays no more for it; ten fresh, folded names per line cost more than the rest of the line.
 */
function factName(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  const known = SPELLINGS.get(raw);
  if (known !== undefined) return known;
  const folded = foldAscii(raw);
  return SPELLINGS.get(folded) ?? folded;
}

/**
 * Records the fact `line[from, equals)=line[equals + 1, to)` and its typed view; `equals` may
 * be -1 or past `to` when the fact has no `=`. Offsets in errors count from the line's start.
 */
function addFact(
  entry: ParsedMlsxEntry,
  text: string,
  from: number,
  equals: number,
  to: number,
): void {
  if (equals === -1 || equals <= from || equals > to) {
    throw new ListingError(
      'ERR_MALFORMED_FACTS',
      `expected a fact "name=value", got ${quoteText(text, from, to)}`,
      from,
    );
  }
  // RFC 3659 §7.1: fact names are case-insensitive; only ASCII letters are folded, so a
  // name means the same on every runtime and in every locale.
  const name = factName(text, from, equals);
  const { facts } = entry;
  const before = facts.size;
  const valueFrom = equals + 1;
  const value = text.slice(valueFrom, to);
  facts.set(name, value);
  if (facts.size === before) {
    throw new ListingError(
      'ERR_MALFORMED_FACTS',
      `the fact ${JSON.stringify(name)} is given twice`,
      from,
    );
  }
  switch (name) {
    case 'type':
      readType(entry, text, valueFrom, to);
      break;
    case 'size':
      entry.size = readNumber(text, name, valueFrom, to, 10);
      break;
    case 'sizd':
      entry.sizd = readNumber(text, name, valueFrom, to, 10);
      break;
    case 'modify':
      entry.modify = readTime(text, name, valueFrom, to);
      break;
    case 'create':
      entry.create = readTime(text, name, valueFrom, to);
      break;
    case 'perm':
      entry.perm = value;
      break;
    case 'unique':
      entry.unique = value;
      break;
    case 'lang':
      entry.lang = value;
      break;
    case 'media-type':
      entry.mediaType = value;
      break;
    case 'charset':
      entry.charset = value;
      break;
    case 'unix.mode':
      entry.unixMode = readNumber(text, name, valueFrom, to, 8);
      break;
    case 'unix.owner':
      entry.unixOwner = value;
      break;
    case 'unix.group':
      entry.unixGroup = value;
      break;
    case 'unix.ownername':
      entry.unixOwnerName = value;
      break;
    case 'unix.groupname':
      entry.unixGroupName = value;
      break;
    case 'unix.uid':
      entry.unixUid = readNumber(text, name, valueFrom, to, 10);
      break;
    case 'unix.gid':
      entry.unixGid = readNumber(text, name, valueFrom, to, 10);
      break;
  }
}

const SLINK_FACT = 'type=os.unix=slink:';

/**
 * Index of the space that ends the facts of `line`, or -1. RFC 3659 §7.2:
 * `entry = [facts] SP pathname`, and no fact holds a space, so the first space ends the facts.
 * One exception is read as meant: Pure-FTPd 1.0.50 writes a link's target into its type fact
 * as it is, spaces and all (`type=OS.unix=slink:no such file;size=12;...; dangling`), so a
 * space inside a `type=OS.unix=slink:` value does not end the facts. Every line the RFC allows
 * reads the same either way.
 */
function factsEnd(line: string): number {
  let space = line.indexOf(' ');
  while (space !== -1) {
    const factStart = line.lastIndexOf(';', space) + 1;
    const prefixEnd = factStart + SLINK_FACT.length;
    if (prefixEnd > space || !equalsIgnoringCase(line, factStart, prefixEnd, SLINK_FACT)) break;
    const semicolon = line.indexOf(';', space);
    space = semicolon === -1 ? -1 : line.indexOf(' ', semicolon);
  }
  return space;
}

/**
 * Reads the MLSx entry `text[start, end)` (no line end): its facts, up to the space that ends
 * them, then the pathname, taken whole, `;`, `=` and spaces included. The line is cut out of
 * `text` first (a slice shares the characters), so that every search is the runtime's own
 * `indexOf` and none can run past the line: reading a fact with two searches costs a fraction
 * of reading it a character at a time. Errors carry offsets from `start`, in characters.
 */
export function readFacts(
  text: string,
  start: number,
  end: number,
  raw: Uint8Array | undefined,
): MlsxEntry {
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  const boundary = factsEnd(line);
  if (boundary === -1) {
    throw new ListingError(
      'ERR_MALFORMED_FACTS',
      `expected "facts pathname" with a space ending the facts, got ${quoteText(line, 0, line.length)}`,
      line.length,
    );
  }
  const entry = new ParsedMlsxEntry();
  for (let from = 0; from < boundary; ) {
    let semicolon = line.indexOf(';', from);
    // FileZilla Server 0.9 ends its fact list `perm= name` when asked for perm: the last fact
    // without its ";". Read, since where the facts end is not in doubt.
    if (semicolon === -1 || semicolon > boundary) semicolon = boundary;
    addFact(entry, line, from, line.indexOf('=', from), semicolon);
    from = semicolon + 1;
  }
  if (boundary + 1 === line.length) {
    throw new ListingError(
      'ERR_MALFORMED_FACTS',
      'expected a pathname after the facts',
      line.length,
    );
  }
  entry.name = line.slice(boundary + 1);
  if (raw !== undefined)
    entry.rawName = rawNameOf(raw, line, 0, line.length, boundary + 1, line.length);
  return entry;
}

/**
 * Parses one MLSD line, or the entry of an MLST reply without its leading space (RFC 3659
 * §7.2): `fact=value;...; pathname`. Fact names are lower-cased; the pathname is everything
 * after the first space, so a name holding `;`, `=` or spaces, or starting with a space, comes
 * out whole. Two servers' deviations are read as meant: FileZilla Server 0.9's last fact
 * without its `;` (`perm= name`), and Pure-FTPd's link target with spaces in
 * `type=OS.unix=slink:` (a space there does not end the facts). Takes text, or the line's
 * bytes so that a name that is not UTF-8 keeps its bytes in `rawName`. A final CRLF (or LF)
 * is optional.
 *
 * Throws `ListingError` `ERR_MALFORMED_FACTS` for a line that is not `facts SP pathname`, a
 * fact without `=`, a fact given twice or an empty pathname, and `ERR_INVALID_FACT` for a
 * standard fact whose value does not read as its type (`size=12kB`, `modify=2024-02-29`).
 *
 * @example
 * ```ts
 * import { parseFacts } from '@ftpwire/listing';
 *
 * const entry = parseFacts('Type=file;Size=44242;Modify=19990217230400; character sets; 2024');
 * entry.name; // => 'character sets; 2024'
 * entry.type; // => 'file'
 * entry.size; // => 44242
 * [...entry.facts.keys()]; // => ['type', 'size', 'modify']
 * parseFacts('type=dir;modify=20240229134501;  leading spaces').name; // => ' leading spaces'
 * parseFacts('type=file;size=1;size=2; twice'); // throws ListingError ERR_MALFORMED_FACTS
 * parseFacts('type=file;modify=20230229000000; feb30'); // throws ListingError ERR_INVALID_FACT at offset 23
 * ```
 */
export function parseFacts(line: string | Uint8Array): MlsxEntry {
  const { text, end, raw } = readLine(line);
  return readFacts(text, 0, end, raw);
}

/**
 * Whether `text[start, end)` opens like an MLSx entry: its first word holds `name=`. No LIST
 * format has `=` in its first word (a mode, a date, EPLF's `+` facts).
 */
export function looksLikeFacts(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit === SPACE) return false;
    if (unit === EQUALS) return i > start;
  }
  return false;
}
