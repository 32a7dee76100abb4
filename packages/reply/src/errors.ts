/**
 * Stable codes of {@link ReplyError}: match on these, never on messages.
 *
 * @example
 * ```ts
 * import { parseReply, ReplyError, type ReplyErrorCode } from '@ftpwire/reply';
 *
 * // Codes that mean "this peer is not an FTP server", not "a reply was cut short".
 * const notFtp = new Set<ReplyErrorCode>(['ERR_MALFORMED_REPLY', 'ERR_LINE_TOO_LONG']);
 * try {
 *   parseReply('HTTP/1.1 400 Bad Request\r\n');
 * } catch (error) {
 *   if (!(error instanceof ReplyError)) throw error;
 *   notFtp.has(error.code); // => true
 * }
 * ```
 */
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
  /**
   * Reply text to format holds CR, LF or NUL, or no line at all; or a path, feature name or
   * feature parameter to format that the reply could not carry.
   */
  | 'ERR_INVALID_TEXT'
  /** An option value that cannot work (a limit below 1, ...). */
  | 'ERR_INVALID_OPTION'
  /**
   * An RFC 3659 time-val that is malformed or names a date that does not exist (month 13,
   * February 30, second 61), or a `Date` that a time-val cannot express.
   */
  | 'ERR_INVALID_TIME_VAL'
  /** A reply whose code is not the one the meaning parser reads (a 550 given to `parseSizeReply`). */
  | 'ERR_UNEXPECTED_REPLY_CODE'
  /** A 257 reply without a well-formed quoted name on its first line (RFC 959 Appendix II). */
  | 'ERR_INVALID_PATHNAME_REPLY'
  /** A 213 reply to SIZE without a decimal size after the code (RFC 3659 §4). */
  | 'ERR_INVALID_SIZE_REPLY'
  /** A size past `Number.MAX_SAFE_INTEGER`, which a JavaScript number would round. */
  | 'ERR_SIZE_TOO_LARGE';

/**
 * The one error class of `@ftpwire/reply`: a stable `code` and the byte `offset` in the
 * stream where the problem lies. A parser that threw stays failed: a stream cut inside a
 * reply cannot be resynchronised safely.
 *
 * @example
 * ```ts
 * import { parseReply, ReplyError } from '@ftpwire/reply';
 *
 * try {
 *   parseReply('211-Features:\r\n SIZE\r\n');
 * } catch (error) {
 *   if (!(error instanceof ReplyError)) throw error;
 *   error.code; // => 'ERR_UNCLOSED_REPLY'
 *   error.offset; // => 22
 * }
 * ```
 */
export class ReplyError extends Error {
  /** `'ReplyError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'ReplyError';
  /**
   * Errors are made by the parsers and `formatReply`; a subclass or a test may make its own.
   *
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset byte offset in the stream where it applies; for the meaning parsers
   *   (`parsePathnameReply`, ...), the character offset in the reply's lines joined with CRLF;
   *   for `parseTimeVal`, in its text; for the formatters' refusals, the character offset inside
   *   the offending argument
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
