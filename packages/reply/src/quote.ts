import { quoteBytes } from '@ftpwire/lines';

const encoder = new TextEncoder();

/**
 * Quotes `text[start, end)` for an error message as `@ftpwire/lines`' `quoteBytes` does (at
 * most 40 bytes, then `...`, escaped): the meaning parsers read decoded text, not bytes.
 */
export function quoteText(text: string, start = 0, end: number = text.length): string {
  const from = Math.max(0, start);
  const to = Math.min(end, text.length);
  // 41 characters are enough to tell quoteBytes whether to print "...".
  const bytes = encoder.encode(text.slice(from, Math.min(to, from + 41)));
  return quoteBytes(bytes, 0, bytes.length);
}
