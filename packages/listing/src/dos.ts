import { fullDate, fullYear } from './dates.js';
import type { ListEntry } from './entry.js';
import { decimalAt, listEntry, twoDigitsAt } from './list-entry.js';
import { isDigit } from './text.js';

const SPACE = 0x20;
const ZERO = 0x30;
const CASE_BIT = 0x20;
/**
 * IIS writes `<DIR>` left-aligned in a column and pads it with 10 spaces (the name column
 * then lines up with a file's, after its right-aligned size and one space): spaces past
 * those 10 belong to the name.
 */
const DIR_PADDING = 10;

/** Whether `text[at, at + 5)` is `<DIR>` in any ASCII case. */
function isDirAt(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 0x3c &&
    (text.charCodeAt(at + 1) | CASE_BIT) === 0x64 &&
    (text.charCodeAt(at + 2) | CASE_BIT) === 0x69 &&
    (text.charCodeAt(at + 3) | CASE_BIT) === 0x72 &&
    text.charCodeAt(at + 4) === 0x3e
  );
}

/**
 * One line of the MS-DOS style listing, IIS's default (and Windows CE's with a 24-hour clock):
 *
 *     MM-DD-YY  hh:mmAM       <DIR>          name
 *     MM-DD-YYYY  hh:mm               143712 name
 *
 * Two-digit years read as POSIX `%y` does (69-99 are 19xx). After a size comes one space and
 * the name; after `<DIR>`, IIS's padding of up to 10 spaces. The fields are read in place, digit
 * by digit, in one pass: an IIS line is mostly fixed columns, and a call per field (or a slice
 * to compare `<DIR>`) cost more than the reading.
 */
export function readDosLine(text: string, raw: Uint8Array | undefined): ListEntry | undefined {
  const end = text.length;
  const month = twoDigitsAt(text, 0);
  const separator = text.charCodeAt(2);
  if (month < 0 || (separator !== 0x2d && separator !== 0x2f)) return undefined;
  const day = twoDigitsAt(text, 3);
  if (day < 0 || text.charCodeAt(5) !== separator) return undefined;
  let year = twoDigitsAt(text, 6);
  let i = 8;
  if (year < 0) return undefined;
  const century = twoDigitsAt(text, 8);
  if (century >= 0) {
    year = year * 100 + century;
    i = 10;
  } else if (isDigit(text.charCodeAt(8))) {
    return undefined;
  } else {
    year = fullYear(year);
  }
  if (isDigit(text.charCodeAt(i))) return undefined;

  // hh:mm, hh:mmAM or hh:mmPM, the hour of one or two digits.
  let timeStart = i;
  while (text.charCodeAt(timeStart) === SPACE) timeStart++;
  if (timeStart === i) return undefined;
  let hour = text.charCodeAt(timeStart) - ZERO;
  if (hour < 0 || hour > 9) return undefined;
  i = timeStart + 1;
  const second = text.charCodeAt(i) - ZERO;
  if (second >= 0 && second <= 9) {
    hour = hour * 10 + second;
    i++;
  }
  if (text.charCodeAt(i) !== 0x3a) return undefined;
  const minute = twoDigitsAt(text, i + 1);
  i += 3;
  if (minute < 0 || minute > 59 || isDigit(text.charCodeAt(i))) return undefined;
  const half = text.charCodeAt(i) | CASE_BIT;
  if ((half === 0x61 || half === 0x70) && (text.charCodeAt(i + 1) | CASE_BIT) === 0x6d) {
    // 12-hour clock: 12:xxAM is just after midnight, 12:xxPM just after noon.
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 0x70 ? 12 : 0);
    i += 2;
  } else if (hour > 23) {
    return undefined;
  }
  const date = fullDate(year, month - 1, day, hour, minute);
  let column = i;
  while (text.charCodeAt(column) === SPACE) column++;
  if (Number.isNaN(date) || column === i) return undefined;

  let nameStart: number;
  let size: number | undefined;
  if (isDirAt(text, column) && text.charCodeAt(column + 5) === SPACE) {
    nameStart = column + 5;
    const padEnd = nameStart + DIR_PADDING;
    while (nameStart < padEnd && text.charCodeAt(nameStart) === SPACE) nameStart++;
  } else {
    // The size, read as its digits go by; past 15 digits it may exceed 2^53 (decimalAt's test).
    let columnEnd = column;
    size = 0;
    for (let digit = text.charCodeAt(column) - ZERO; digit >= 0 && digit <= 9; ) {
      size = size * 10 + digit;
      digit = text.charCodeAt(++columnEnd) - ZERO;
    }
    if (
      columnEnd === column ||
      text.charCodeAt(columnEnd) !== SPACE ||
      (columnEnd - column > 15 && decimalAt(text, column, columnEnd) < 0)
    ) {
      return undefined;
    }
    nameStart = columnEnd + 1;
  }
  if (nameStart >= end) return undefined;
  return listEntry(
    'dos',
    text,
    raw,
    nameStart,
    end,
    size === undefined ? 'directory' : 'file',
    size,
    date,
    undefined,
    undefined,
    undefined,
    undefined,
  );
}
