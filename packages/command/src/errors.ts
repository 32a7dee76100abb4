/** Stable codes of {@link CommandError}. */
export type CommandErrorCode =
  /** A line that is not `VERB` or `VERB argument` with an alphabetic verb (RFC 959 §5.3). */
  | 'ERR_MALFORMED_COMMAND'
  /** A verb to format that is not 3-4 ASCII letters (or, when allowed, holds a space or control byte). */
  | 'ERR_INVALID_VERB'
  /** An argument to format that holds CR, LF or NUL: it would end the line early (command injection). */
  | 'ERR_INVALID_ARGUMENT'
  /** `parseCommand` found bytes after the end of the line. */
  | 'ERR_TRAILING_DATA'
  /** A line passed `maxLineLength` (raised by `@ftpwire/lines`, the cause). */
  | 'ERR_LINE_TOO_LONG'
  /** An option value that cannot work (a limit below 1, ...). */
  | 'ERR_INVALID_OPTION';

/**
 * The one error class of `@ftpwire/command`.
 *
 * @example
 * ```ts
 * try { formatCommand('RETR', 'a\r\nDELE b') } catch (error) {
 *   if (error instanceof CommandError) console.log(error.code, error.offset); // ERR_INVALID_ARGUMENT 1
 * }
 * ```
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  /**
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset byte offset in the stream (or character offset in formatted text) where it applies
   * @param options the underlying error, if any, as `cause`
   */
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    readonly offset: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
