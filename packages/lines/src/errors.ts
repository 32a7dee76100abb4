/**
 * Stable codes of {@link LineError}: match on these, never on messages, which may change.
 *
 * @example
 * ```ts
 * import { LineError, type LineErrorCode, LineSplitter } from '@ftpwire/lines';
 *
 * // A closed union, so a switch over it is checked for exhaustiveness.
 * function replyFor(code: LineErrorCode): string {
 *   switch (code) {
 *     case 'ERR_LINE_TOO_LONG':
 *       return '500 Command line too long.\r\n'; // RFC 959 §4.2: 500, unreadable command
 *     case 'ERR_INVALID_OPTION':
 *       throw new Error('the splitter was misconfigured');
 *   }
 * }
 * try {
 *   new LineSplitter({ maxLineLength: 512 }).push(new Uint8Array(600).fill(0x41));
 * } catch (error) {
 *   if (!(error instanceof LineError)) throw error;
 *   replyFor(error.code); // => '500 Command line too long.\r\n'
 * }
 * ```
 */
export type LineErrorCode = 'ERR_LINE_TOO_LONG' | 'ERR_INVALID_OPTION';

/**
 * The one error class of `@ftpwire/lines`: a stable `code` to branch on and the byte
 * `offset` in the stream where the problem lies, so a log line can point at it.
 *
 * @example
 * ```ts
 * import { LineError, LineSplitter } from '@ftpwire/lines';
 *
 * const splitter = new LineSplitter({ maxLineLength: 512 });
 * try {
 *   // A peer that never sends a line end gets an error, not an ever-growing buffer.
 *   splitter.push(new TextEncoder().encode(`USER ${'x'.repeat(600)}`));
 * } catch (error) {
 *   if (!(error instanceof LineError)) throw error;
 *   error.code; // => 'ERR_LINE_TOO_LONG'
 *   error.offset; // => 512
 * }
 * ```
 */
export class LineError extends Error {
  /** `'LineError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'LineError';
  /**
   * Errors are made by the splitter; a subclass or a test may make its own.
   *
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset byte offset in the stream where the error applies
   */
  constructor(
    readonly code: LineErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}
