import type { ListDialect, ListEntry, ListEntryType } from './entry.js';
import { rawNameOf } from './text.js';

/** The line a dialect reads: `text[start, end)`, and its bytes when they were not UTF-8. */
export interface ListLine {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly raw: Uint8Array | undefined;
}

/** What a dialect found in a line, besides where its name lies. */
export interface ListFields {
  readonly type: ListEntryType;
  readonly size: number | undefined;
  readonly modified: number | undefined;
  readonly link: string | undefined;
  readonly permissions: string | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
}

/**
 * The entry for the name `line.text[nameStart, nameEnd)`. Every entry is built here with the
 * same fields in the same order, so that all share one shape.
 */
export function listEntry(
  dialect: ListDialect,
  line: ListLine,
  nameStart: number,
  nameEnd: number,
  fields: ListFields,
): ListEntry {
  const { text, start, end, raw } = line;
  return {
    dialect,
    name: text.slice(nameStart, nameEnd),
    rawName: rawNameOf(raw, text, start, end, nameStart, nameEnd),
    type: fields.type,
    size: fields.size,
    modified: fields.modified === undefined ? undefined : new Date(fields.modified),
    link: fields.link,
    permissions: fields.permissions,
    owner: fields.owner,
    group: fields.group,
    line: text.slice(start, end),
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

/** Index of the first space at or after `from`, or `end`. */
export function skipWord(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) !== 0x20) i++;
  return i;
}
