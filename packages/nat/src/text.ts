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

/** `bytes[start, from)` + `middle` + `bytes[to, end)` as a new array. */
export function splice(
  bytes: Uint8Array,
  start: number,
  from: number,
  to: number,
  end: number,
  middle: string,
): Uint8Array {
  const out = new Uint8Array(from - start + middle.length + end - to);
  out.set(bytes.subarray(start, from), 0);
  asciiBytes(middle, out, from - start);
  out.set(bytes.subarray(to, end), from - start + middle.length);
  return out;
}
