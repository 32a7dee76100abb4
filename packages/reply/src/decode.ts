const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The chunk as a string when every byte is ASCII, else `null`. Valid UTF-8 has one UTF-16
 * unit per byte only when it is all ASCII, so equal lengths prove string offsets equal byte
 * offsets and lines can be sliced out of one decode per chunk.
 */
export function decodeAsciiChunk(chunk: Uint8Array): string | null {
  try {
    const text = strictDecoder.decode(chunk);
    return text.length === chunk.length ? text : null;
  } catch {
    return null;
  }
}

/** Decodes one line as UTF-8; `lossless` is false when some bytes became U+FFFD. */
export function decodeLine(bytes: Uint8Array): { text: string; lossless: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), lossless: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), lossless: false };
  }
}
