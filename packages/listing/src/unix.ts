import { fullDate, monthAt, recentDate } from './dates.js';
import type { ListEntry, ListEntryType } from './entry.js';
import { decimalAt, listEntry, skipSpaces, skipWord, twoDigitsAt } from './list-entry.js';
import { isDigit } from './text.js';

const SPACE = 0x20;
const COMMA = 0x2c;
const COLON = 0x3a;
const ZERO = 0x30;
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
 * `text[at, at + 9)` as `ls -l` permission letters, `r` or `-`, `w` or `-`, then an execute
 * letter that may also carry set-id, sticky or mandatory-locking (`s S t T l L`): a number
 * below 2^15 that tells the nine apart, or -1 when they are not permission letters.
 */
function permissionsKey(text: string, at: number): number {
  let key = 0;
  for (let k = 0; k < 9; k += 3) {
    const read = text.charCodeAt(at + k);
    const write = text.charCodeAt(at + k + 1);
    if ((read !== 0x72 && read !== 0x2d) || (write !== 0x77 && write !== 0x2d)) return -1;
    let execute: number;
    switch (text.charCodeAt(at + k + 2)) {
      case 0x2d: // -
        execute = 0;
        break;
      case 0x78: // x
        execute = 1;
        break;
      case 0x73: // s
        execute = 2;
        break;
      case 0x53: // S
        execute = 3;
        break;
      case 0x74: // t
        execute = 4;
        break;
      case 0x54: // T
        execute = 5;
        break;
      case 0x6c: // l
        execute = 6;
        break;
      case 0x4c: // L
        execute = 7;
        break;
      default:
        return -1;
    }
    key = (key << 5) | (read === 0x72 ? 16 : 0) | (write === 0x77 ? 8 : 0) | execute;
  }
  return key;
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
 *
 * Most lines have one group word, a size, and a date in `ls`'s fixed shape: those are read
 * straight, each character once (`readCommonTail`); any other line takes the general walk
 * (`readColumns`), which gives the same entry for the lines the straight reading accepts.
 * `straight: false` skips the straight reading, for the tests that hold the two to that.
 */
export function readUnixLine(
  text: string,
  raw: Uint8Array | undefined,
  now: number,
  straight = true,
): ListEntry | undefined {
  const end = text.length;
  let i = 0;
  // `ls -i` and `ls -s` put an inode number and a block count, right-aligned, before the mode.
  // Most lines begin with the mode: no search for a number's end then.
  let first = text.charCodeAt(0);
  if (first === SPACE || isDigit(first)) {
    for (let column = 0; column < 2; column++) {
      const number = skipSpaces(text, i, end);
      if (!isDigit(text.charCodeAt(number))) break;
      const after = skipWord(text, number, end);
      if (decimalAt(text, number, after) < 0) break;
      i = after;
    }
    i = skipSpaces(text, i, end);
    first = text.charCodeAt(i);
  }
  if (end - i < 11) return undefined;
  const type = typeOf(first);
  const key = type === undefined ? -1 : permissionsKey(text, i + 1);
  if (key === -1) return undefined;
  const permissionsStart = i + 1;
  i += 10;
  // `+` an ACL (GNU ls, ProFTPD on a file system with ACLs), `@` extended attributes (macOS),
  // `.` an SELinux context (GNU ls).
  const marker = text.charCodeAt(i);
  if (marker === 0x2b || marker === 0x40 || marker === 0x2e) i++;
  const linksStart = i;
  while (text.charCodeAt(i) === SPACE) i++;
  if (i === linksStart) return undefined;
  const digitsStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  // Past 15 digits the count may exceed 2^53, which decimalAt refuses.
  if (
    i === digitsStart ||
    text.charCodeAt(i) !== SPACE ||
    (i - digitsStart > 15 && decimalAt(text, digitsStart, i) < 0)
  ) {
    return undefined;
  }
  while (text.charCodeAt(i) === SPACE) i++;
  const ownerStart = i;
  const ownerEnd = skipWord(text, ownerStart, end);
  if (ownerEnd === ownerStart) return undefined;
  // Block and character devices give `major, minor` in place of a size: the general walk.
  const device = first === 0x62 || first === 0x63;
  const permissions = permissionsOf(text, permissionsStart, key);
  return (
    (device || !straight
      ? undefined
      : readCommonTail(text, raw, now, type!, permissions, ownerStart, ownerEnd)) ??
    readColumns(text, raw, now, type!, device, permissions, ownerStart, ownerEnd)
  );
}

/**
 * `group size Mon dd hh:mm name` or `group size Mon dd  yyyy name` after the owner, with one
 * space before the month, the day as `dd`, `0d` or ` d`, the hour as `hh`: `ls`'s columns.
 * Reads each character once and returns the entry, or undefined when the line has another
 * shape or its date does not exist; `readColumns` then reads it. Where it returns an entry,
 * that walk would have returned the same: the group is the first word after the owner, which
 * the walk never takes for a month, the size the second, all digits, and the month the third.
 */
function readCommonTail(
  text: string,
  raw: Uint8Array | undefined,
  now: number,
  type: ListEntryType,
  permissions: string,
  ownerStart: number,
  ownerEnd: number,
): ListEntry | undefined {
  let i = ownerEnd;
  while (text.charCodeAt(i) === SPACE) i++;
  const groupStart = i;
  const groupEnd = skipWord(text, groupStart, text.length);
  if (groupEnd === groupStart) return undefined;
  i = groupEnd;
  while (text.charCodeAt(i) === SPACE) i++;
  const sizeStart = i;
  let size = 0;
  for (let digit = text.charCodeAt(i) - ZERO; digit >= 0 && digit <= 9; ) {
    size = size * 10 + digit;
    digit = text.charCodeAt(++i) - ZERO;
  }
  // Up to 15 digits: always below 2^53, as decimalAt requires.
  if (i === sizeStart || i - sizeStart > 15 || text.charCodeAt(i) !== SPACE) return undefined;
  const month = monthAt(text, i + 1);
  if (month === -1 || text.charCodeAt(i + 4) !== SPACE) return undefined;
  i += 5;
  const tens = text.charCodeAt(i);
  const ones = text.charCodeAt(i + 1) - ZERO;
  let day = ones;
  if (tens !== SPACE) {
    const digit = tens - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    day += digit * 10;
  }
  if (ones < 0 || ones > 9 || day < 1 || day > 31 || text.charCodeAt(i + 2) !== SPACE) {
    return undefined;
  }
  i += 3;
  let time: number;
  if (text.charCodeAt(i + 2) === COLON) {
    const hour = twoDigitsAt(text, i);
    const minute = twoDigitsAt(text, i + 3);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    time = recentDate(month, day, hour, minute, now);
  } else if (text.charCodeAt(i) === SPACE) {
    const century = twoDigitsAt(text, i + 1);
    const year = twoDigitsAt(text, i + 3);
    if (century < 0 || year < 0) return undefined;
    time = fullDate(century * 100 + year, month, day, 0, 0);
  } else {
    return undefined;
  }
  i += 5;
  // One space, then a name of at least one character.
  if (Number.isNaN(time) || text.charCodeAt(i) !== SPACE || i + 1 >= text.length) {
    return undefined;
  }
  return unixEntry(
    text,
    raw,
    type,
    permissions,
    ownerStart,
    ownerEnd,
    groupStart,
    groupEnd,
    size,
    time,
    i + 1,
  );
}

/**
 * The general walk over the words after the owner; `size` and `before` are the two words
 * before the current one. Returns the entry at the first month name that a valid date, a size
 * column and a name follow, or undefined.
 */
function readColumns(
  text: string,
  raw: Uint8Array | undefined,
  now: number,
  type: ListEntryType,
  device: boolean,
  permissions: string,
  ownerStart: number,
  ownerEnd: number,
): ListEntry | undefined {
  const end = text.length;
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
        const groupEnd = groupStart < column ? trimEnd(text, column) : -1;
        return unixEntry(
          text,
          raw,
          type,
          permissions,
          ownerStart,
          ownerEnd,
          groupStart,
          groupEnd,
          sizeValue,
          dateTime,
          space + 1,
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

/**
 * The last permission strings read, by a hash of their `permissionsKey`: a listing uses a
 * handful, and a slice per line (a copy, at nine characters) cost more than the lookup.
 */
const permissionKeys = new Int32Array(64).fill(-1);
const permissionStrings: string[] = new Array<string>(64).fill('');

/** `text[at, at + 9)`, whose `permissionsKey` is `key`. */
function permissionsOf(text: string, at: number, key: number): string {
  const slot = (key ^ (key >> 6) ^ (key >> 11)) & 63;
  if (permissionKeys[slot] === key) return permissionStrings[slot]!;
  const permissions = text.slice(at, at + 9);
  permissionKeys[slot] = key;
  permissionStrings[slot] = permissions;
  return permissions;
}

/** The entry of a Unix line whose name begins at `nameStart`; `groupEnd` is -1 without a group. */
function unixEntry(
  text: string,
  raw: Uint8Array | undefined,
  type: ListEntryType,
  permissions: string,
  ownerStart: number,
  ownerEnd: number,
  groupStart: number,
  groupEnd: number,
  size: number | undefined,
  time: number,
  nameStart: number,
): ListEntry {
  const end = text.length;
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
    size,
    time,
    link,
    permissions,
    text.slice(ownerStart, ownerEnd),
    groupEnd === -1 ? undefined : text.slice(groupStart, groupEnd),
  );
}
