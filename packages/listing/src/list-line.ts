import { readDosLine } from './dos.js';
import type { ListDialect, ListEntry } from './entry.js';
import { readEplfLine } from './eplf.js';
import { ListingError } from './errors.js';
import { readLine } from './text.js';
import { readUnixLine } from './unix.js';

/**
 * How {@link parseListLine} reads a line. Both fields are optional.
 *
 * @example
 * ```ts
 * import { type ListLineOptions, parseListLine } from '@ftpwire/listing';
 *
 * // The moment the listing was received dates `Mon dd hh:mm` lines, which have no year.
 * const options: ListLineOptions = { now: new Date('2026-02-10T12:00:00Z'), dialect: 'unix' };
 * const line = '-rw-r--r--    1 0        0              12 Dec 30 18:01 notes.txt';
 * parseListLine(line, options)?.modified?.toISOString(); // => '2025-12-30T18:01:00.000Z'
 * parseListLine('12-30-25  06:01PM                   12 notes.txt', options); // => undefined
 * ```
 */
export interface ListLineOptions {
  /**
   * When the listing was received. `ls -l` gives `Mon dd hh:mm` without a year for dates in
   * the last six months: the year is the one that puts the date at or before `now` (give or
   * take a day for a server clock ahead of UTC). Default: the current time.
   */
  readonly now?: Date;
  /**
   * Read the line in this format only. Default: each in turn, EPLF (`+` first), DOS
   * (`MM-DD-YY` first), then Unix.
   */
  readonly dialect?: ListDialect;
}

const DIALECTS: readonly ListDialect[] = ['unix', 'dos', 'eplf'];

/** Validates the options shared by `parseListLine` and `ListingParser`. */
export function checkListOptions(options: ListLineOptions): {
  now: number;
  dialect: ListDialect | undefined;
} {
  const { now, dialect } = options;
  const time = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ListingError('ERR_INVALID_OPTION', `now must be a valid Date, got ${String(now)}`, 0);
  }
  if (dialect !== undefined && !DIALECTS.includes(dialect)) {
    throw new ListingError(
      'ERR_INVALID_OPTION',
      `dialect must be one of ${DIALECTS.join(', ')}, got ${JSON.stringify(dialect)}`,
      0,
    );
  }
  return { now: time, dialect };
}

/**
 * Reads the line `text[start, end)` in `dialect`, or in each dialect whose first character
 * fits it. The line is cut out first (a slice shares the characters): the dialects search it
 * with the runtime's `indexOf`, which must not run on past the line.
 */
export function readListLine(
  text: string,
  start: number,
  end: number,
  raw: Uint8Array | undefined,
  dialect: ListDialect | undefined,
  now: number,
): ListEntry | undefined {
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  // Tested first: a switch on an undefined dialect compared it with each name through the
  // runtime's generic equality, three calls a line.
  if (dialect !== undefined) {
    if (dialect === 'unix') return readUnixLine(line, raw, now);
    return dialect === 'dos' ? readDosLine(line, raw) : readEplfLine(line, raw);
  }
  const first = line.charCodeAt(0);
  if (first === 0x2b) return readEplfLine(line, raw);
  return (first >= 0x30 && first <= 0x39 && readDosLine(line, raw)) || readUnixLine(line, raw, now);
}

/**
 * Parses one line of a LIST answer: Unix `ls -l` (vsftpd, ProFTPD, Pure-FTPd, FileZilla
 * Server), MS-DOS style (IIS) or EPLF. Returns undefined for a line that is no entry in these
 * formats: `total 12`, an empty line, a server's note. Takes text, or the line's bytes so that
 * a name that is not UTF-8 keeps its bytes in `rawName`; a final CRLF (or LF) is optional, a
 * line feed before the end throws `ListingError` `ERR_TRAILING_DATA`.
 *
 * Unix dates without a year are placed at or before `options.now`; no listing says which
 * time zone its clock shows, so `modified` is that wall-clock time read as UTC.
 *
 * @example
 * ```ts
 * import { parseListLine } from '@ftpwire/listing';
 *
 * const now = new Date('2026-11-27T12:00:00Z');
 * const link = parseListLine('lrwxrwxrwx 1 ftp ftp 7 Jan 25  2024 latest -> v2.1.0', { now });
 * [link?.type, link?.name, link?.link]; // => ['link', 'latest', 'v2.1.0']
 * parseListLine('-rw-r--r-- 1 ftp ftp 7 Nov 26 23:59  leading space', { now })?.name;
 * // => ' leading space'
 * parseListLine('05-26-1995  10:57AM               143712 $LDR$')?.size; // => 143712
 * parseListLine('+i8388621.48594,m825718503,r,s280,\tdjb.html')?.modified?.toISOString();
 * // => '1996-03-01T22:15:03.000Z'
 * parseListLine('total 12'); // => undefined
 * parseListLine('a\nb'); // throws ListingError ERR_TRAILING_DATA
 * ```
 */
export function parseListLine(
  line: string | Uint8Array,
  options: ListLineOptions = {},
): ListEntry | undefined {
  const { now, dialect } = checkListOptions(options);
  const { text, end, raw } = readLine(line);
  return readListLine(text, 0, end, raw, dialect, now);
}
