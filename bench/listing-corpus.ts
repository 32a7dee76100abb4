/**
 * Seeded directory listings for the listing benchmarks: 10,000 entries each as vsftpd and
 * ProFTPD write `ls -l` (numeric and named owners, dates within six months and older, names
 * with spaces and UTF-8, directories and links), as IIS writes its MS-DOS style, and as
 * ProFTPD and Pure-FTPd write MLSD. Every entry's truth (name, type, size, link target, time)
 * is kept while generating, so each contender can be checked against it at load, outside
 * timing; and the contenders themselves, shared with bench/listing-interleaved.ts.
 */
import { ListingParser, parseFacts, parseListLine } from '@ftpwire/listing';
import { FileType } from 'basic-ftp/dist/FileInfo.js';
import { parseList } from 'basic-ftp/dist/parseList.js';
import { mulberry32 } from '../test/fixtures/random.js';

export const ENTRIES = 10_000;
/** When the listings were "received": dates their year-less lines. */
export const NOW = new Date('2026-11-27T12:00:00Z');

export interface Truth {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'link';
  readonly size: number;
  readonly link?: string;
  /** For MLSD: the modification time, to the second. */
  readonly modify?: number;
}

export interface Listing {
  /** The listing as text with CRLF line ends (what basic-ftp is handed, decoded before timing). */
  readonly text: string;
  readonly bytes: Uint8Array;
  /** The same bytes in 64 KiB chunks, as a socket delivers them. */
  readonly chunks: readonly Uint8Array[];
  readonly truths: readonly Truth[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WORDS = [
  'report',
  'backup',
  'index',
  'photo',
  'notes',
  'release',
  'data',
  'invoice',
  'log',
  'draft',
  'config',
  'archive',
];
const EXTENSIONS = ['.txt', '.tar.gz', '.pdf', '.jpg', '.iso', '.csv', '.html', ''];
const OWNERS = ['0', '1000', '33', 'ftp', 'anna', 'www-data', 'root'];
const pad = (value: number, width: number, fill = '0') => String(value).padStart(width, fill);

function generator(seed: number) {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const name = (index: number): string => {
    const roll = random();
    const base = `${pick(WORDS)}${roll < 0.1 ? ' ' : '-'}${index}`;
    // About 3% of names are UTF-8 (RFC 2640), as in the reply corpus.
    const accent = roll > 0.97 ? (roll > 0.985 ? '-日本' : '-café') : '';
    return `${base}${accent}${pick(EXTENSIONS)}`;
  };
  // Sizes spread over many orders of magnitude, up to a few GB.
  const size = () => Math.floor(10 ** (random() * 9.7));
  return { random, pick, name, size };
}

function listingOf(lines: readonly string[], truths: readonly Truth[]): Listing {
  const text = `${lines.join('\r\n')}\r\n`;
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 65_536) chunks.push(bytes.subarray(at, at + 65_536));
  // Text as a socket delivers it: decoded from bytes into one flat string (not a rope).
  return { text: new TextDecoder().decode(bytes), bytes, chunks, truths };
}

/** `ls -l` lines as vsftpd (numeric ids, zero-padded day) and ProFTPD (names) write them. */
function unixListing(): Listing {
  const { random, pick, name, size } = generator(0x4c495354); // "LIST"
  const lines: string[] = [];
  const truths: Truth[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const roll = random();
    const type = roll < 0.15 ? 'directory' : roll < 0.2 ? 'link' : 'file';
    const entryName = name(i);
    const target = type === 'link' ? `../${pick(WORDS)}/${name(i + 1)}` : undefined;
    const bytes = type === 'directory' ? 4096 : type === 'link' ? target!.length : size();
    const recent = random() < 0.6;
    const date = new Date(
      NOW.getTime() - Math.floor(random() * (recent ? 170 : 4000) * 86_400_000),
    );
    const vsftpd = random() < 0.5;
    const day = vsftpd ? pad(date.getUTCDate(), 2) : pad(date.getUTCDate(), 2, ' ');
    const when = recent
      ? `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}`
      : ` ${date.getUTCFullYear()}`;
    const mode =
      type === 'directory' ? 'drwxr-xr-x' : type === 'link' ? 'lrwxrwxrwx' : '-rw-r--r--';
    const owner = vsftpd ? pick(['0', '1000', '33']) : pick(OWNERS);
    const links = type === 'directory' ? 2 + Math.floor(random() * 20) : 1;
    const column = vsftpd
      ? `${mode}    ${links} ${owner.padEnd(8)} ${owner.padEnd(8)} ${String(bytes).padStart(12)}`
      : `${mode}   ${links} ${owner.padEnd(8)} ${owner.padEnd(8)} ${String(bytes).padStart(8)}`;
    lines.push(
      `${column} ${MONTHS[date.getUTCMonth()]} ${day} ${when} ${entryName}${target ? ` -> ${target}` : ''}`,
    );
    truths.push({ name: entryName, type, size: bytes, ...(target ? { link: target } : {}) });
  }
  return listingOf(lines, truths);
}

/** IIS's MS-DOS style: `MM-DD-YY  hh:mmAM       <DIR>          name`. */
function dosListing(): Listing {
  const { random, name, size } = generator(0x49495320); // "IIS "
  const lines: string[] = [];
  const truths: Truth[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const directory = random() < 0.15;
    const entryName = name(i);
    const bytes = directory ? 0 : size();
    const date = new Date(NOW.getTime() - Math.floor(random() * 4000 * 86_400_000));
    const hour = date.getUTCHours();
    const clock = `${pad(((hour + 11) % 12) + 1, 2)}:${pad(date.getUTCMinutes(), 2)}${hour < 12 ? 'AM' : 'PM'}`;
    const day = `${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}-${pad(date.getUTCFullYear() % 100, 2)}`;
    lines.push(
      `${day}  ${clock}${directory ? '       <DIR>         ' : String(bytes).padStart(21)} ${entryName}`,
    );
    truths.push({ name: entryName, type: directory ? 'directory' : 'file', size: bytes });
  }
  return listingOf(lines, truths);
}

/** MLSD as ProFTPD writes it (facts sorted, UNIX.* names) and as Pure-FTPd does. */
function mlsdListing(): Listing {
  const { random, name, size } = generator(0x4d4c5344); // "MLSD"
  const lines: string[] = [];
  const truths: Truth[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const directory = random() < 0.15;
    const entryName = name(i);
    const bytes = directory ? 4096 : size();
    const modify = Math.floor((NOW.getTime() - random() * 4000 * 86_400_000) / 1000) * 1000;
    const date = new Date(modify);
    const timeVal = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}${pad(date.getUTCHours(), 2)}${pad(date.getUTCMinutes(), 2)}${pad(date.getUTCSeconds(), 2)}`;
    const unique = `FD00U${((i * 2654435761) % 0xffffff).toString(16).toUpperCase()}`;
    const mode = directory ? '0755' : '0644';
    lines.push(
      random() < 0.5
        ? `modify=${timeVal};perm=${directory ? 'flcdmpe' : 'adfrw'};${directory ? '' : `size=${bytes};`}type=${directory ? 'dir' : 'file'};unique=${unique};UNIX.group=0;UNIX.groupname=root;UNIX.mode=${mode};UNIX.owner=0;UNIX.ownername=root; ${entryName}`
        : `type=${directory ? 'dir' : 'file'};${directory ? 'sizd' : 'size'}=${bytes};modify=${timeVal};UNIX.mode=${mode};unique=${unique.toLowerCase()}; ${entryName}`,
    );
    truths.push({
      name: entryName,
      type: directory ? 'directory' : 'file',
      size: directory ? 0 : bytes,
      modify,
    });
  }
  return listingOf(lines, truths);
}

export const unix = unixListing();
export const dos = dosListing();
export const mlsd = mlsdListing();

// ---- Contenders. Each returns a checksum of what it read (name length, size, type; for MLSD
// also the time), so that nothing is dead code, and the same checksum from every contender
// that read the listing right.

const TYPE_CODES: Record<string, number> = { file: 1, directory: 2, dir: 2, link: 3, symlink: 3 };
const BASIC_TYPES: Record<number, number> = {
  [FileType.File]: 1,
  [FileType.Directory]: 2,
  [FileType.SymbolicLink]: 3,
};

/** ftpwire's parseListLine on each line of the text, cut in the loop. */
export function ftpwireListLines(text: string): number {
  const options = { now: NOW };
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    const entry = parseListLine(text.slice(start, end), options);
    if (entry !== undefined) sum += entry.name.length + (entry.size ?? 0) + TYPE_CODES[entry.type]!;
    start = lf + 1;
  }
  return sum;
}

/** ftpwire's parseFacts on each line of an MLSD text. */
export function ftpwireFactLines(text: string): number {
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    const entry = parseFacts(text.slice(start, end));
    sum +=
      entry.name.length +
      (entry.size ?? 0) +
      TYPE_CODES[entry.type!]! +
      (entry.modify?.getTime() ?? 0) / 1e9;
    start = lf + 1;
  }
  return sum;
}

/**
 * Another build's parseListLine, in a loop of its own: V8 keeps type feedback per function
 * literal, and one loop shared by two builds would see two callees and two entry shapes, so
 * that adding a baseline could change ftpwire's own figures.
 */
export function baselineListLines(text: string, parse: typeof parseListLine): number {
  const options = { now: NOW };
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    const entry = parse(text.slice(start, end), options);
    if (entry !== undefined) sum += entry.name.length + (entry.size ?? 0) + TYPE_CODES[entry.type]!;
    start = lf + 1;
  }
  return sum;
}

/** Another build's parseFacts, in a loop of its own (see `baselineListLines`). */
export function baselineFactLines(text: string, parse: typeof parseFacts): number {
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    const entry = parse(text.slice(start, end));
    sum +=
      entry.name.length +
      (entry.size ?? 0) +
      TYPE_CODES[entry.type!]! +
      (entry.modify?.getTime() ?? 0) / 1e9;
    start = lf + 1;
  }
  return sum;
}

/** ftpwire's ListingParser on the bytes as a socket delivers them (its decoding timed too). */
export function ftpwireStream(chunks: readonly Uint8Array[], dialect?: 'mlsd'): number {
  let sum = 0;
  const parser = new ListingParser({
    now: NOW,
    ...(dialect ? { dialect } : {}),
    onEntry: (entry) => {
      sum += entry.name.length + (entry.size ?? 0) + TYPE_CODES[entry.type!]!;
      if ('modify' in entry) sum += (entry.modify?.getTime() ?? 0) / 1e9;
    },
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return sum;
}

/** basic-ftp's parseList on the text (decoded before timing, as its client decodes it first). */
export function basicFtpList(text: string, withTime = false): number {
  let sum = 0;
  for (const file of parseList(text)) {
    sum += file.name.length + file.size + BASIC_TYPES[file.type]!;
    if (withTime) sum += (file.modifiedAt?.getTime() ?? 0) / 1e9;
  }
  return sum;
}

/**
 * Throws unless a contender read every entry as its truth says: a parser that is wrong must not
 * post a fast number. basic-ftp gives a directory the size the line shows, or 0.
 *
 * ftpwire's entries are checked as they come, none kept: 10,000 entries held in an array made
 * V8 pretenure the allocation site of every entry for the rest of the process (they survived
 * the scavenges), so that in the timed passes, which keep none, each entry went to old space
 * and the one-shot parsers' rounds ran at two speeds (DOS 8.7 or 16-20 ms; with
 * `--no-allocation-site-pretenuring` 8.2 ms in every round), while another build of the same
 * code, loaded after this check, did not.
 */
export function checkTruth(what: string, listing: Listing): void {
  const theirs = parseList(listing.text);
  let i = 0;
  const parser = new ListingParser({
    now: NOW,
    onEntry: (a) => {
      const truth = listing.truths[i];
      const ourTime = 'modify' in a ? a.modify?.getTime() : undefined;
      const wrong =
        truth === undefined ||
        a.name !== truth.name ||
        TYPE_CODES[a.type!] !== TYPE_CODES[truth.type] ||
        (truth.type !== 'directory' && (a.size ?? 0) !== truth.size) ||
        a.link !== truth.link ||
        ourTime !== truth.modify;
      if (wrong) throw new Error(`${what}: ftpwire misread entry ${i}: ${JSON.stringify(a)}`);
      i++;
    },
  });
  parser.push(listing.bytes);
  parser.end();
  if (i !== listing.truths.length || theirs.length !== listing.truths.length) {
    throw new Error(`${what}: ${i} and ${theirs.length} entries, ${listing.truths.length} made`);
  }
  listing.truths.forEach((truth, k) => {
    const b = theirs[k]!;
    const theirWrong =
      b.name !== truth.name ||
      BASIC_TYPES[b.type] !== TYPE_CODES[truth.type] ||
      (truth.type !== 'directory' && b.size !== truth.size) ||
      b.link !== truth.link ||
      (truth.modify !== undefined && b.modifiedAt?.getTime() !== truth.modify);
    if (theirWrong) throw new Error(`${what}: basic-ftp misread entry ${k}: ${JSON.stringify(b)}`);
  });
}
