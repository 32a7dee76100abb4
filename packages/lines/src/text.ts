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
 *
 * @example
 * ```ts
 * import { isLosslessDecoding } from '@ftpwire/lines';
 *
 * const decoder = new TextDecoder(); // lenient: bytes that are not UTF-8 become U+FFFD
 * const latin1 = Uint8Array.of(0x63, 0x61, 0x66, 0xe9); // "café" in ISO-8859-1
 * // Not lossless: keep the received bytes beside the text.
 * isLosslessDecoding(decoder.decode(latin1), latin1); // => false
 * // An encoded U+FFFD is text like any other.
 * const utf8 = new TextEncoder().encode('caf\u00e9 \ufffd');
 * isLosslessDecoding(decoder.decode(utf8), utf8); // => true
 * ```
 */
export function isLosslessDecoding(text: string, bytes: Uint8Array): boolean {
  return !text.includes(REPLACEMENT_CHARACTER) || sameBytes(encoder.encode(text), bytes);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
