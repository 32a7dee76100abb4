/** Stable codes of {@link LineError}. */
export type LineErrorCode = 'ERR_LINE_TOO_LONG' | 'ERR_INVALID_OPTION';

/**
 * The one error class of `@ftpwire/lines`.
 *
 * @example
 * ```ts
 * try { splitter.push(chunk) } catch (error) {
 *   if (error instanceof LineError && error.code === 'ERR_LINE_TOO_LONG') socket.destroy();
 * }
 * ```
 */
export class LineError extends Error {
  override readonly name = 'LineError';
  /**
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
