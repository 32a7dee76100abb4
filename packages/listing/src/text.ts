import { isLosslessDecoding } from '@ftpwire/lines';
import { ListingError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * One line as the parsers read it: `text[0, end)`, its line end dropped, and the received
 * bytes (line end dropped too) when decoding them as UTF-8 lost something.
 */
export interface LineText {
  readonly text: string;
  readonly end: number;
  readonly raw: Uint8Array | undefined;
}

/**
 * A one-shot parser's input: one line, its final CRLF (or LF) optional; a line feed before the
 * end is `ERR_TRAILING_DATA`, at the byte (or character) offset where it stands.
 */
export function readLine(line: string | Uint8Array): LineText {
  if (typeof line === 'string') {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === LF) {
      end -= end > 1 && line.charCodeAt(end - 2) === CR ? 2 : 1;
    }
    const lf = line.indexOf('\n');
    if (lf !== -1 && lf < end) throw trailing(lf);
    return { text: line, end, raw: undefined };
  }
  let end = line.length;
  if (end > 0 && line[end - 1] === LF) end -= end > 1 && line[end - 2] === CR ? 2 : 1;
  const lf = line.indexOf(LF);
  if (lf !== -1 && lf < end) throw trailing(lf);
  const bytes = line.subarray(0, end);
  const text = lenientDecoder.decode(bytes);
  return { text, end: text.length, raw: isLosslessDecoding(text, bytes) ? undefined : bytes };
}

function trailing(offset: number): ListingError {
  return new ListingError(
    'ERR_TRAILING_DATA',
    `expected one line, got a line feed at offset ${offset} before the end`,
    offset,
  );
}

/**
 * UTF-8 length of `text[start, index)`: the byte offset of `index` in the line, exact when the
 * line was valid UTF-8 (a U+FFFD that replaced one invalid byte counts three).
 */
export function utf8Length(text: string, start: number, index: number): number {
  let bytes = 0;
  for (let i = start; i < index; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < index) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Where `text[index]` stands in `raw`, the bytes `text[start, ...)` was decoded from, given
 * that it is the ASCII character `delimiter` (or `index` is the line's end, `end`). The decoder
 * never merges an ASCII byte into a replacement character, so the n-th `delimiter` of the text
 * is the n-th such byte of the bytes, whatever U+FFFD stands for around it.
 */
function byteIndex(
  raw: Uint8Array,
  text: string,
  start: number,
  end: number,
  index: number,
): number {
  if (index >= end) return raw.length;
  const delimiter = text.charCodeAt(index);
  let count = 0;
  for (let i = start; i < index; i++) if (text.charCodeAt(i) === delimiter) count++;
  let at = -1;
  for (let seen = 0; seen <= count; seen++) at = raw.indexOf(delimiter, at + 1);
  return at;
}

/**
 * The bytes of the name `text[from, to)` when they are not valid UTF-8: `from - 1` must hold an
 * ASCII delimiter (the space or tab before the name) and `to` one too or be `end`.
 */
export function rawNameOf(
  raw: Uint8Array | undefined,
  text: string,
  start: number,
  end: number,
  from: number,
  to: number,
): Uint8Array | undefined {
  if (raw === undefined) return undefined;
  const name = raw.subarray(
    byteIndex(raw, text, start, end, from - 1) + 1,
    byteIndex(raw, text, start, end, to),
  );
  return isLosslessDecoding(text.slice(from, to), name) ? undefined : name.slice();
}

/** Whether `unit` is an ASCII digit. */
export function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

/** `text` with ASCII letters lower-cased and nothing else changed, in any locale. */
export function foldAscii(text: string): string {
  let ascii = true;
  for (let i = 0; ascii && i < text.length; i++) ascii = text.charCodeAt(i) < 0x80;
  // On ASCII, the native toLowerCase is exactly this and far cheaper than a loop.
  if (ascii) return text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out += String.fromCharCode(unit >= 0x41 && unit <= 0x5a ? unit | 0x20 : unit);
  }
  return out;
}
