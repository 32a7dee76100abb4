/** Stable codes of {@link ReplyError}. */
export type ReplyErrorCode =
  /** A reply line does not start with a three-digit code followed by a space or hyphen. */
  | 'ERR_MALFORMED_REPLY'
  /** The stream or input ended inside a multi-line reply. */
  | 'ERR_UNCLOSED_REPLY'
  /** `parseReply` was given no complete reply at all. */
  | 'ERR_INCOMPLETE_REPLY'
  /** `parseReply` found bytes after the end of the first reply. */
  | 'ERR_TRAILING_DATA'
  /** A multi-line reply has more lines than `maxReplyLines`. */
  | 'ERR_TOO_MANY_LINES'
  /** A line passed `maxLineLength` (raised by `@ftpwire/lines`, the cause). */
  | 'ERR_LINE_TOO_LONG'
  /** A code outside what the caller may send or the RFCs define. */
  | 'ERR_INVALID_CODE'
  /** Reply text to format holds CR, LF or NUL, or no line at all. */
  | 'ERR_INVALID_TEXT'
  /** An option value that cannot work (a limit below 1, ...). */
  | 'ERR_INVALID_OPTION';

/**
 * The one error class of `@ftpwire/reply`.
 *
 * @example
 * ```ts
 * try { parseReply('hello\r\n') } catch (error) {
 *   if (error instanceof ReplyError) console.log(error.code, error.offset); // ERR_MALFORMED_REPLY 0
 * }
 * ```
 */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';
  /**
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset byte offset in the stream where it applies; for `formatReply`'s refusals, the
   *   character offset inside the offending line
   * @param options the underlying error, if any, as `cause`
   */
  constructor(
    readonly code: ReplyErrorCode,
    message: string,
    readonly offset: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
