const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
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

/** Decodes one line as UTF-8; `lossless` is false when some bytes became U+FFFD. */
export function decodeLine(bytes: Uint8Array): { text: string; lossless: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), lossless: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), lossless: false };
  }
}
