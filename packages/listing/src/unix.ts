import { fullDate, monthAt, recentDate } from './dates.js';
import type { ListEntry, ListEntryType } from './entry.js';
import { decimalAt, listEntry, skipSpaces, skipWord } from './list-entry.js';
import { isDigit } from './text.js';

const SPACE = 0x20;
const COMMA = 0x2c;
const COLON = 0x3a;
const LINK_ARROW = ' -> ';

/** `ls -l`'s first letter: what the entry is, or undefined for a letter no server sends. */
function typeOf(letter: number): ListEntryType | undefined {
  switch (letter) {
    case 0x2d: // '-'
      return 'file';
    case 0x64: // 'd'
      return 'directory';
    case 0x6c: // 'l'
      return 'link';
    case 0x62: // 'b' block device
    case 0x63: // 'c' character device
    case 0x70: // 'p' FIFO
    case 0x73: // 's' socket
    case 0x44: // 'D' Solaris door
      return 'other';
    default:
      return undefined;
  }
}

/**
 * Whether `text[at, at + 9)` are `ls -l` permission letters: `r` or `-`, `w` or `-`, then an
 * execute letter that may also carry set-id, sticky or mandatory-locking (`s S t T l L`).
 */
function isPermissions(text: string, at: number): boolean {
  for (let k = 0; k < 9; k += 3) {
    const read = text.charCodeAt(at + k);
    const write = text.charCodeAt(at + k + 1);
    const execute = text.charCodeAt(at + k + 2);
    if (read !== 0x72 && read !== 0x2d) return false;
    if (write !== 0x77 && write !== 0x2d) return false;
    // x - s S t T l L
    if (
      execute !== 0x78 &&
      execute !== 0x2d &&
      execute !== 0x73 &&
      execute !== 0x53 &&
      execute !== 0x74 &&
      execute !== 0x54 &&
      execute !== 0x6c &&
      execute !== 0x4c
    ) {
      return false;
    }
  }
  return true;
}

/** Digits `text[from, to)` as a number if there are 1 or 2 of them, else -1. */
function oneOrTwoDigits(text: string, from: number, to: number): number {
  return to - from === 1 || to - from === 2 ? decimalAt(text, from, to) : -1;
}

function digitsEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The time `readDate` read. A second result beside its return value, kept in the module rather
 * than in an object per line: the line parsers run once per entry of listings of millions.
 */
let dateTime = Number.NaN;

/**
 * Reads `dd hh:mm` or `dd yyyy` from `at` (just after the month name, `month`), then the one
 * space before the name: returns the index of that space and leaves the time in `dateTime`,
 * or returns -1 unless all of it is there and the date exists.
 */
function readDate(text: string, at: number, end: number, month: number, now: number): number {
  const dayStart = skipSpaces(text, at, end);
  if (dayStart === at) return -1;
  let i = digitsEnd(text, dayStart, end);
  const day = oneOrTwoDigits(text, dayStart, i);
  if (day < 1 || day > 31 || i === end || text.charCodeAt(i) !== SPACE) return -1;
  const fieldStart = skipSpaces(text, i, end);
  i = digitsEnd(text, fieldStart, end);
  let time = Number.NaN;
  if (i < end && text.charCodeAt(i) === COLON) {
    const hour = oneOrTwoDigits(text, fieldStart, i);
    const minuteStart = i + 1;
    i = digitsEnd(text, minuteStart, end);
    const minute = i - minuteStart === 2 ? decimalAt(text, minuteStart, i) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return -1;
    time = recentDate(month, day, hour, minute, now);
  } else if (i - fieldStart === 4) {
    time = fullDate(decimalAt(text, fieldStart, i), month, day, 0, 0);
  }
  // One space, then a name of at least one character: ls pads the date, never the name.
  if (Number.isNaN(time) || i + 1 >= end || text.charCodeAt(i) !== SPACE) return -1;
  dateTime = time;
  return i;
}

/** The size `sizeColumn` read (undefined for a device), beside its return value. */
let sizeValue: number | undefined;

/**
 * The size column, given the word before the month and the word before that: a number, or,
 * for a block or character `device`, its `major, minor` (`1,   3` or `1,3`), which is no size.
 * Returns where the column begins (so that the group ends before it) and leaves the size in
 * `sizeValue`, or returns -1.
 */
function sizeColumn(
  text: string,
  sizeStart: number,
  sizeEnd: number,
  beforeStart: number,
  beforeEnd: number,
  device: boolean,
): number {
  const size = decimalAt(text, sizeStart, sizeEnd);
  if (size >= 0) {
    // `major,` then `minor`: the word before ends in a comma.
    if (
      device &&
      beforeStart !== -1 &&
      text.charCodeAt(beforeEnd - 1) === COMMA &&
      decimalAt(text, beforeStart, beforeEnd - 1) >= 0
    ) {
      sizeValue = undefined;
      return beforeStart;
    }
    sizeValue = size;
    return sizeStart;
  }
  if (!device) return -1;
  // Searched within the word only: a search to the line's end for every candidate month
  // would make a line of many dates cost quadratic time.
  let comma = sizeStart;
  while (comma < sizeEnd && text.charCodeAt(comma) !== COMMA) comma++;
  if (
    comma > sizeStart &&
    comma < sizeEnd - 1 &&
    decimalAt(text, sizeStart, comma) >= 0 &&
    decimalAt(text, comma + 1, sizeEnd) >= 0
  ) {
    sizeValue = undefined;
    return sizeStart;
  }
  return -1;
}

/** Index just after the last non-space character before `to`. */
function trimEnd(text: string, to: number): number {
  let i = to;
  while (i > 0 && text.charCodeAt(i - 1) === SPACE) i--;
  return i;
}

/**
 * Index of `needle` in `text[from, to)`, or -1. Not `indexOf`: the text may run on past the
 * line (the stream parser hands out ranges of a larger string), and a search that did too would
 * cost time in what follows on every line.
 */
function indexWithin(text: string, needle: string, from: number, to: number): number {
  const first = needle.charCodeAt(0);
  for (let i = from; i + needle.length <= to; i++) {
    if (text.charCodeAt(i) === first && text.startsWith(needle, i)) return i;
  }
  return -1;
}

/**
 * One line of `ls -l` as vsftpd, ProFTPD, Pure-FTPd and FileZilla Server send it:
 *
 *     [inode] [blocks] type+permissions[+@.] links owner [group] size Mon dd hh:mm|yyyy name
 *
 * The owner is the first word after the link count; the size is the number just before the
 * first month name that a valid date and a name follow, so a group with spaces (`Domain
 * Users`) is read whole and a missing group is noticed. Device files give `major, minor` in
 * place of the size. Exactly one space precedes the name, so its own leading and inner spaces
 * are kept; a link's ` -> target` is split off at the first arrow.
 */
export function readUnixLine(
  text: string,
  raw: Uint8Array | undefined,
  now: number,
): ListEntry | undefined {
  const end = text.length;
  let i = 0;
  // `ls -i` and `ls -s` put an inode number and a block count, right-aligned, before the mode.
  for (let column = 0; column < 2; column++) {
    const number = skipSpaces(text, i, end);
    // Most lines begin with the mode: no search for the word's end then.
    if (!isDigit(text.charCodeAt(number))) break;
    const after = skipWord(text, number, end);
    if (after === number || decimalAt(text, number, after) < 0) break;
    i = after;
  }
  i = skipSpaces(text, i, end);
  if (end - i < 11) return undefined;
  const letter = text.charCodeAt(i);
  const type = typeOf(letter);
  if (type === undefined || !isPermissions(text, i + 1)) return undefined;
  // Block and character devices give `major, minor` in place of a size.
  const device = letter === 0x62 || letter === 0x63;
  const permissionsStart = i + 1;
  i += 10;
  // `+` an ACL (GNU ls, ProFTPD on a file system with ACLs), `@` extended attributes (macOS),
  // `.` an SELinux context (GNU ls).
  const marker = text.charCodeAt(i);
  if (marker === 0x2b || marker === 0x40 || marker === 0x2e) i++;
  const linksStart = skipSpaces(text, i, end);
  const linksEnd = skipWord(text, linksStart, end);
  if (linksStart === i || decimalAt(text, linksStart, linksEnd) < 0) return undefined;
  const ownerStart = skipSpaces(text, linksEnd, end);
  const ownerEnd = skipWord(text, ownerStart, end);
  if (ownerStart === linksEnd || ownerEnd === ownerStart) return undefined;

  // Walk the words after the owner; `size` and `before` are the two words before the current.
  let sizeStart = -1;
  let sizeEnd = -1;
  let beforeStart = -1;
  let beforeEnd = -1;
  let word = skipSpaces(text, ownerEnd, end);
  while (word < end) {
    const wordEnd = skipWord(text, word, end);
    const month = wordEnd - word === 3 && sizeStart !== -1 ? monthAt(text, word) : -1;
    if (month !== -1) {
      const space = readDate(text, wordEnd, end, month, now);
      const column =
        space === -1 ? -1 : sizeColumn(text, sizeStart, sizeEnd, beforeStart, beforeEnd, device);
      if (column !== -1) {
        const groupStart = ownerEnd === column ? column : skipSpaces(text, ownerEnd, column);
        const nameStart = space + 1;
        let nameEnd = end;
        let link: string | undefined;
        if (type === 'link') {
          const arrow = indexWithin(text, LINK_ARROW, nameStart, end);
          if (arrow !== -1) {
            nameEnd = arrow;
            link = text.slice(arrow + LINK_ARROW.length, end);
          }
        }
        return listEntry(
          'unix',
          text,
          raw,
          nameStart,
          nameEnd,
          type,
          sizeValue,
          dateTime,
          link,
          text.slice(permissionsStart, permissionsStart + 9),
          text.slice(ownerStart, ownerEnd),
          groupStart < column ? text.slice(groupStart, trimEnd(text, column)) : undefined,
        );
      }
    }
    beforeStart = sizeStart;
    beforeEnd = sizeEnd;
    sizeStart = word;
    sizeEnd = wordEnd;
    word = skipSpaces(text, wordEnd, end);
  }
  return undefined;
}
