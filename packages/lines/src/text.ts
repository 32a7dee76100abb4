const encoder = new TextEncoder();
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** U+FFFD, what the lenient decoder puts where bytes are not UTF-8. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/**
 * The chunk decoded as a whole, bytes that are not UTF-8 (a character cut at either end
 * included) replaced by U+FFFD. One decode per chunk costs far less than one per line.
 */
export function decodeChunk(chunk: Uint8Array): string {
  return lenientDecoder.decode(chunk);
}

/**
 * True when `text`, the lenient decoding of `bytes`, lost nothing. A U+FFFD may be an encoded
 * U+FFFD as well as invalid bytes: re-encoding tells them apart, without the exception a fatal
 * decoder would throw (and pay a stack trace for) on every line a peer sends in another charset.
 */
export function isLosslessDecoding(text: string, bytes: Uint8Array): boolean {
  return !text.includes(REPLACEMENT_CHARACTER) || sameBytes(encoder.encode(text), bytes);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
