const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** One character per byte, so string offsets are byte offsets (for the address parsers). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/** A line for people (events): UTF-8, with undecodable bytes as U+FFFD. */
export function lineText(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end));
}

/** ASCII text to bytes (addresses and verbs are ASCII). */
export function asciiBytes(text: string, into: Uint8Array, at: number): void {
  for (let i = 0; i < text.length; i++) into[at + i] = text.charCodeAt(i);
}

/** Length of `bytes[start, end)` without a final LF or CR LF. */
export function contentEnd(bytes: Uint8Array, start: number, end: number): number {
  let stop = end;
  if (stop > start && bytes[stop - 1] === 0x0a) stop--;
  if (stop > start && bytes[stop - 1] === 0x0d) stop--;
  return stop;
}

/** The text of line `bytes[start, stop)` once `bytes[from, to)` is replaced by `replacement`. */
export function replacedText(
  bytes: Uint8Array,
  start: number,
  stop: number,
  from: number,
  to: number,
  replacement: Uint8Array,
): string {
  const out = new Uint8Array(from - start + replacement.length + Math.max(0, stop - to));
  out.set(bytes.subarray(start, from), 0);
  out.set(replacement, from - start);
  if (to < stop) out.set(bytes.subarray(to, stop), from - start + replacement.length);
  return utf8.decode(out);
}

/** ASCII text as bytes. */
export function asciiArray(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  asciiBytes(text, out, 0);
  return out;
}
