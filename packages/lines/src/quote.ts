/**
 * Quotes at most a few dozen bytes of peer text for an error message, escaped, so a message
 * never carries a whole hostile line or raw control bytes into a log.
 *
 * @example
 * ```ts
 * quoteBytes(new TextEncoder().encode('22 x\r'), 0, 5); // '"22 x\\x0d"'
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
