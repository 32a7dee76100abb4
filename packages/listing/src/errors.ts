/**
 * Stable codes of {@link ListingError}: match on these, never on messages.
 *
 * @example
 * ```ts
 * import { ListingError, type ListingErrorCode, parseFacts } from '@ftpwire/listing';
 *
 * // Codes that mean "this line is broken", as against "the listing was cut short".
 * const brokenLine = new Set<ListingErrorCode>(['ERR_MALFORMED_FACTS', 'ERR_INVALID_FACT']);
 * try {
 *   parseFacts('type=file;size=12kB; notes.txt');
 * } catch (error) {
 *   if (!(error instanceof ListingError)) throw error;
 *   brokenLine.has(error.code); // => true
 * }
 * ```
 */
export type ListingErrorCode =
  /**
   * An MLSx line that is not `facts SP pathname` (RFC 3659 §7.2): no space ends the fact list,
   * a fact has no `=` or an empty name, a fact is given twice, or the pathname is empty.
   */
  | 'ERR_MALFORMED_FACTS'
  /**
   * A standard fact whose value does not read as its RFC 3659 type (a `size` that is not
   * decimal, a `modify` that is no time-val, ...); or, for `formatFacts`, a fact that cannot
   * be written (a name or value holding a space, `;`, `=` in a name, CR, LF or NUL).
   */
  | 'ERR_INVALID_FACT'
  /** A pathname to format that is empty or holds CR, LF or NUL. */
  | 'ERR_INVALID_NAME'
  /** A reply to MLST that is not `250-`, one ` entry` line and the closing `250` line. */
  | 'ERR_INVALID_MLST_REPLY'
  /** A reply given as an object whose code is not the one expected (250 for MLST). */
  | 'ERR_UNEXPECTED_REPLY_CODE'
  /** A one-shot parser was given more than one line. */
  | 'ERR_TRAILING_DATA'
  /** A line passed `maxLineLength` (raised by `@ftpwire/lines`, the cause). */
  | 'ERR_LINE_TOO_LONG'
  /** An option value that cannot work (a limit below 1, an unknown dialect, an invalid date). */
  | 'ERR_INVALID_OPTION';

/**
 * The one error class of `@ftpwire/listing`: a stable `code` and the `offset` where the
 * problem lies: a character offset in the line (or reply text) given to a one-shot parser, a
 * byte offset in the stream for `ListingParser`. A parser that threw stays failed.
 *
 * @example
 * ```ts
 * import { ListingError, parseFacts } from '@ftpwire/listing';
 *
 * try {
 *   parseFacts('type=file;size=12kB; notes.txt');
 * } catch (error) {
 *   if (!(error instanceof ListingError)) throw error;
 *   error.code; // => 'ERR_INVALID_FACT'
 *   error.offset; // => 17
 * }
 * ```
 */
export class ListingError extends Error {
  /** `'ListingError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'ListingError';
  /**
   * Errors are made by the parsers and `formatFacts`; a subclass or a test may make its own.
   *
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset where it applies: a character offset in a one-shot parser's input, a byte
   *   offset in the stream for `ListingParser`
   * @param options the underlying error, if any, as `cause`
   */
  constructor(
    readonly code: ListingErrorCode,
    message: string,
    readonly offset: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** At most 40 characters of `text[start, end)`, JSON-quoted, for an error message. */
export function quoteText(text: string, start: number, end: number): string {
  const limit = Math.min(end, start + 40);
  return `${JSON.stringify(text.slice(start, limit))}${end > limit ? '...' : ''}`;
}
