/**
 * Stable codes of {@link CommandError}: match on these, never on messages.
 *
 * @example
 * ```ts
 * import { type CommandErrorCode, CommandParser } from '@ftpwire/command';
 *
 * // What a server answers for a line it cannot take (RFC 959 §4.2: 500, syntax error).
 * const answers: Partial<Record<CommandErrorCode, string>> = {
 *   ERR_MALFORMED_COMMAND: '500 Syntax error, command unrecognized.\r\n',
 * };
 * const sent: string[] = [];
 * const parser = new CommandParser({
 *   onMalformedLine: (error) => sent.push(answers[error.code] ?? '421 Closing.\r\n'),
 * });
 * const input = new TextEncoder().encode('USER anna\r\n\u0001\r\nPASS secret\r\n');
 * parser.push(input).map((command) => command.verb); // => ['USER', 'PASS']
 * sent; // => ['500 Syntax error, command unrecognized.\r\n']
 * ```
 */
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
 * The one error class of `@ftpwire/command`: a stable `code` and the `offset` where the
 * problem lies (a byte offset in a stream, a character offset in text to format).
 *
 * @example
 * ```ts
 * import { CommandError, formatCommand } from '@ftpwire/command';
 *
 * try {
 *   formatCommand('RETR', 'a\r\nDELE b'); // a file name that would send a second command
 * } catch (error) {
 *   if (!(error instanceof CommandError)) throw error;
 *   error.code; // => 'ERR_INVALID_ARGUMENT'
 *   error.offset; // => 1
 * }
 * ```
 */
export class CommandError extends Error {
  /** `'CommandError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'CommandError';
  /**
   * Errors are made by the parsers and `formatCommand`; a subclass or a test may make its own.
   *
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
