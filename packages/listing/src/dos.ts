import { fullDate, fullYear } from './dates.js';
import type { ListEntry } from './entry.js';
import { decimalAt, listEntry, skipSpaces, skipWord } from './list-entry.js';
import { isDigit } from './text.js';

const SPACE = 0x20;
const CASE_BIT = 0x20;
const DIR = '<DIR>';
/**
 * IIS writes `<DIR>` left-aligned in a column and pads it with 10 spaces (the name column
 * then lines up with a file's, after its right-aligned size and one space): spaces past
 * those 10 belong to the name.
 */
const DIR_PADDING = 10;

/** Index after the digits from `from`. */
function digitsEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** The minutes since midnight `readTime` read, beside its return value (no object per line). */
let timeMinutes = 0;

/**
 * `hh:mm`, `hh:mmAM` or `hh:mmPM` from `from`: returns where it ends and leaves the minutes
 * since midnight in `timeMinutes`, or returns -1.
 */
function readTime(text: string, from: number, end: number): number {
  const hourEnd = digitsEnd(text, from, end);
  if (hourEnd - from < 1 || hourEnd - from > 2 || text.charCodeAt(hourEnd) !== 0x3a) return -1;
  const minuteEnd = digitsEnd(text, hourEnd + 1, end);
  if (minuteEnd - hourEnd !== 3) return -1;
  let hour = decimalAt(text, from, hourEnd);
  const minute = decimalAt(text, hourEnd + 1, minuteEnd);
  if (minute > 59) return -1;
  const half = text.charCodeAt(minuteEnd) | CASE_BIT;
  if ((half === 0x61 || half === 0x70) && (text.charCodeAt(minuteEnd + 1) | CASE_BIT) === 0x6d) {
    // 12-hour clock: 12:xxAM is just after midnight, 12:xxPM just after noon.
    if (hour < 1 || hour > 12) return -1;
    hour = (hour % 12) + (half === 0x70 ? 12 : 0);
    timeMinutes = hour * 60 + minute;
    return minuteEnd + 2;
  }
  if (hour > 23) return -1;
  timeMinutes = hour * 60 + minute;
  return minuteEnd;
}

/**
 * One line of the MS-DOS style listing, IIS's default (and Windows CE's with a 24-hour clock):
 *
 *     MM-DD-YY  hh:mmAM       <DIR>          name
 *     MM-DD-YYYY  hh:mm               143712 name
 *
 * Two-digit years read as POSIX `%y` does (69-99 are 19xx). After a size comes one space and
 * the name; after `<DIR>`, IIS's padding of up to 10 spaces.
 */
export function readDosLine(text: string, raw: Uint8Array | undefined): ListEntry | undefined {
  const start = 0;
  const end = text.length;
  const monthEnd = digitsEnd(text, start, end);
  const separator = text.charCodeAt(monthEnd);
  if (monthEnd - start !== 2 || (separator !== 0x2d && separator !== 0x2f)) return undefined;
  const dayEnd = digitsEnd(text, monthEnd + 1, end);
  if (dayEnd - monthEnd !== 3 || text.charCodeAt(dayEnd) !== separator) return undefined;
  const yearEnd = digitsEnd(text, dayEnd + 1, end);
  const yearDigits = yearEnd - dayEnd - 1;
  if (yearDigits !== 2 && yearDigits !== 4) return undefined;
  const year = decimalAt(text, dayEnd + 1, yearEnd);
  const timeStart = skipSpaces(text, yearEnd, end);
  if (timeStart === yearEnd) return undefined;
  const timeEnd = readTime(text, timeStart, end);
  if (timeEnd === -1) return undefined;
  const date = fullDate(
    yearDigits === 2 ? fullYear(year) : year,
    decimalAt(text, start, monthEnd) - 1,
    decimalAt(text, monthEnd + 1, dayEnd),
    Math.floor(timeMinutes / 60),
    timeMinutes % 60,
  );
  const column = skipSpaces(text, timeEnd, end);
  if (Number.isNaN(date) || column === timeEnd) return undefined;
  const columnEnd = skipWord(text, column, end);
  let nameStart: number;
  let size: number | undefined;
  if (isDir(text, column, columnEnd)) {
    const padded = skipSpaces(text, columnEnd, end);
    if (padded === columnEnd) return undefined;
    nameStart = Math.min(padded, columnEnd + DIR_PADDING);
  } else {
    size = decimalAt(text, column, columnEnd);
    if (size < 0 || text.charCodeAt(columnEnd) !== SPACE) return undefined;
    nameStart = columnEnd + 1;
  }
  if (nameStart >= end) return undefined;
  const type = size === undefined ? 'directory' : 'file';
  return listEntry(
    'dos',
    text,
    raw,
    nameStart,
    end,
    type,
    size,
    date,
    undefined,
    undefined,
    undefined,
    undefined,
  );
}

function isDir(text: string, from: number, to: number): boolean {
  return to - from === DIR.length && text.slice(from, to).toUpperCase() === DIR;
}
