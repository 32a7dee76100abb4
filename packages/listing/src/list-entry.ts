import type { ListDialect, ListEntry, ListEntryType } from './entry.js';
import { rawNameOf } from './text.js';

/**
 * The entry for the name `line[nameStart, nameEnd)`. Every entry is built here, in one object
 * literal with the same fields in the same order, so that all share one shape; the fields come
 * as arguments, not as an object, since an object per line (and spreading it) cost more than
 * parsing the line. `modified` is NaN when the line has none.
 */
export function listEntry(
  dialect: ListDialect,
  line: string,
  raw: Uint8Array | undefined,
  nameStart: number,
  nameEnd: number,
  type: ListEntryType,
  size: number | undefined,
  modified: number,
  link: string | undefined,
  permissions: string | undefined,
  owner: string | undefined,
  group: string | undefined,
): ListEntry {
  return {
    dialect,
    name: line.slice(nameStart, nameEnd),
    rawName:
      raw === undefined ? undefined : rawNameOf(raw, line, 0, line.length, nameStart, nameEnd),
    type,
    size,
    modified: Number.isNaN(modified) ? undefined : new Date(modified),
    link,
    permissions,
    owner,
    group,
    line,
  };
}

/** `text[from, to)` as a decimal number, or -1 when it is empty, not all digits, or past 2^53. */
export function decimalAt(text: string, from: number, to: number): number {
  if (from === to) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value > Number.MAX_SAFE_INTEGER ? -1 : value;
}

/** Index of the first character at or after `from` that is not a space. */
export function skipSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === 0x20) i++;
  return i;
}

/**
 * Index of the first space at or after `from`, or `end`, the end of `text`: the runtime's
 * search, which reads a word several times faster than a loop. `text` must end at `end` (the
 * line parsers read a line cut out of its listing), or the search could run on past it.
 */
export function skipWord(text: string, from: number, end: number): number {
  const space = text.indexOf(' ', from);
  return space === -1 ? end : space;
}

/** Exactly two digits at `at` as a number, or -1 (also past the end, where charCodeAt gives NaN). */
export function twoDigitsAt(text: string, at: number): number {
  // Read inline rather than through a one-digit helper: the line readers call this several
  // times a line, and V8's inlining budget ran out before the helper's last call sites.
  const tens = text.charCodeAt(at) - 0x30;
  const ones = text.charCodeAt(at + 1) - 0x30;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}
