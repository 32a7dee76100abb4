/**
 * Quotes `bytes[start, end)` for an error message: at most 40 bytes, then `...`, with
 * anything but printable ASCII (and `"` and `\\`) escaped as `\\xNN`, so a message never
 * carries a whole hostile line or raw control bytes into a log. The ftpwire packages quote
 * peer text with it; use it for your own messages about what a peer sent.
 *
 * @example
 * ```ts
 * import { quoteBytes } from '@ftpwire/lines';
 *
 * const line = new TextEncoder().encode('22 x\r');
 * quoteBytes(line, 0, line.length); // => '"22 x\\x0d"'
 * quoteBytes(new Uint8Array(100).fill(0x41), 0, 100); // => `"${'A'.repeat(40)}..."`
 * ```
 */
export function quoteBytes(bytes: Uint8Array, start: number, end: number): string {
  const limit = Math.min(end, start + 40);
  let text = '';
  for (let i = start; i < limit; i++) {
    const byte = bytes[i]!;
    text +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${text}${end > limit ? '...' : ''}"`;
}
