import type { ListDialect, ListEntry, ListEntryType } from './entry.js';
import { rawNameOf } from './text.js';

/**
 * A LIST entry. Every field but `modified` is an own property; `modified` is a getter that
 * builds its `Date` on first read and keeps it: `new Date` is a call into the runtime that cost
 * as much as a fifth of a DOS line, and a client listing a directory often reads only names
 * and types. `toJSON` writes the same object a plain entry would, `modified` included. A copy
 * that takes own properties only (`structuredClone`, `{ ...entry }`, `Object.keys`) has no
 * `modified`; `entry.toJSON()` gives a plain object that has it.
 */
class ParsedListEntry implements ListEntry {
  readonly dialect: ListDialect;
  readonly name: string;
  readonly rawName: Uint8Array | undefined;
  readonly type: ListEntryType;
  readonly size: number | undefined;
  readonly link: string | undefined;
  readonly permissions: string | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
  readonly line: string;
  /** Milliseconds since 1970, NaN when the line has no time. */
  readonly #time: number;
  #modified: Date | undefined = undefined;

  constructor(
    dialect: ListDialect,
    name: string,
    rawName: Uint8Array | undefined,
    type: ListEntryType,
    size: number | undefined,
    time: number,
    link: string | undefined,
    permissions: string | undefined,
    owner: string | undefined,
    group: string | undefined,
    line: string,
  ) {
    this.dialect = dialect;
    this.name = name;
    this.rawName = rawName;
    this.type = type;
    this.size = size;
    this.link = link;
    this.permissions = permissions;
    this.owner = owner;
    this.group = group;
    this.line = line;
    this.#time = time;
  }

  get modified(): Date | undefined {
    if (this.#modified === undefined && !Number.isNaN(this.#time)) {
      this.#modified = new Date(this.#time);
    }
    return this.#modified;
  }

  /** The entry as a plain object, in `ListEntry`'s field order, `modified` included. */
  toJSON(): ListEntry {
    return {
      dialect: this.dialect,
      name: this.name,
      rawName: this.rawName,
      type: this.type,
      size: this.size,
      modified: this.modified,
      link: this.link,
      permissions: this.permissions,
      owner: this.owner,
      group: this.group,
      line: this.line,
    };
  }
}

/**
 * The entry for the name `line[nameStart, nameEnd)`. The fields come as arguments, not as an
 * object, since an object per line (and spreading it) cost more than parsing the line.
 * `modified` is NaN when the line has none.
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
  return new ParsedListEntry(
    dialect,
    line.slice(nameStart, nameEnd),
    raw === undefined ? undefined : rawNameOf(raw, line, 0, line.length, nameStart, nameEnd),
    type,
    size,
    modified,
    link,
    permissions,
    owner,
    group,
    line,
  );
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
