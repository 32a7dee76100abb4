import type { ListEntry } from './entry.js';
import { decimalAt, listEntry } from './list-entry.js';

const PLUS = 0x2b;
const TAB = 0x09;
const COMMA = 0x2c;
const PERMISSION_LETTERS = 'rwxrwxrwx';

/** The low nine bits of an octal mode in `ls -l` letters: `644` is `rw-r--r--`. */
function permissionLetters(mode: number): string {
  let letters = '';
  for (let bit = 8; bit >= 0; bit--) {
    letters += mode & (1 << bit) ? PERMISSION_LETTERS[8 - bit] : '-';
  }
  return letters;
}

/** `text[from, to)` as octal digits, or -1. */
function octalAt(text: string, from: number, to: number): number {
  if (from === to || to - from > 8) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 7) return -1;
    value = value * 8 + digit;
  }
  return value;
}

/**
 * One line of EPLF (https://cr.yp.to/ftp/list/eplf.html): `+`, facts separated by commas, a
 * tab, the name. `/` marks a directory, `r` a file that can be retrieved, `s` the size, `m`
 * the modification time in seconds since 1970 (UTC), `up` the permissions in octal; other
 * facts (`i`, the identifier) are skipped, as the format asks.
 */
export function readEplfLine(text: string, raw: Uint8Array | undefined): ListEntry | undefined {
  const start = 0;
  const end = text.length;
  if (text.charCodeAt(start) !== PLUS) return undefined;
  let directory = false;
  let retrievable = false;
  let size: number | undefined;
  let modified = Number.NaN;
  let permissions: string | undefined;
  let fact = start + 1;
  let i = fact;
  for (; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit !== COMMA && unit !== TAB) continue;
    switch (text.charCodeAt(fact)) {
      case 0x2f: // '/'
        directory = true;
        break;
      case 0x72: // 'r'
        retrievable = true;
        break;
      case 0x73: // 's'
        size = decimalAt(text, fact + 1, i);
        if (size < 0) return undefined;
        break;
      case 0x6d: {
        // 'm'
        const seconds = decimalAt(text, fact + 1, i);
        if (seconds < 0 || seconds > 8.64e12) return undefined;
        modified = seconds * 1000;
        break;
      }
      case 0x75: // 'u', of which EPLF defines `up`
        if (text.charCodeAt(fact + 1) === 0x70) {
          const mode = octalAt(text, fact + 2, i);
          if (mode < 0) return undefined;
          permissions = permissionLetters(mode);
        }
        break;
    }
    if (unit === TAB) break;
    fact = i + 1;
  }
  if (i + 1 >= end) return undefined;
  const type = directory ? 'directory' : retrievable ? 'file' : 'other';
  return listEntry(
    'eplf',
    text,
    raw,
    i + 1,
    end,
    type,
    size,
    modified,
    undefined,
    permissions,
    undefined,
    undefined,
  );
}
