/** Stable codes of {@link NatError}. */
export type NatErrorCode =
  /** A line the session must read whole (a 227, PORT, EPRT, ...) is longer than `maxLineLength`. */
  | 'ERR_LINE_TOO_LONG'
  /** A PORT or EPRT command names a port below 1024 (RFC 2577 §3: a bounce at a well-known service). */
  | 'ERR_PORT_REFUSED'
  /** A PORT or EPRT command names a host other than the client's, and `bounce` is `'refuse'` (RFC 2577). */
  | 'ERR_BOUNCE_REFUSED'
  /**
   * Bytes after an AUTH command before its reply, or server bytes after the 234 reply before
   * the client began the TLS handshake: plaintext injected ahead of the handshake (the
   * STARTTLS injection class, Postfix CVE-2011-0411, curl CVE-2021-22947).
   */
  | 'ERR_DATA_AFTER_AUTH'
  /** More commands await a reply than `maxPendingCommands`. */
  | 'ERR_TOO_MANY_PENDING_COMMANDS'
  /** A host or port map gave something that cannot be advertised (an IPv6 host in a 227, port 70000). */
  | 'ERR_INVALID_MAPPING'
  /** An option value that cannot work (a `publicHost` that is not IPv4, a limit below 1, ...). */
  | 'ERR_INVALID_OPTION';

/**
 * The one error class of `@ftpwire/nat`.
 *
 * @example
 * ```ts
 * try { rewriter.push(chunk, emit) } catch (error) {
 *   if (error instanceof NatError && error.code === 'ERR_PORT_REFUSED') socket.destroy();
 * }
 * ```
 */
export class NatError extends Error {
  override readonly name = 'NatError';
  /**
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset byte offset in the direction's input stream where the error applies
   * @param options the underlying error, if any, as `cause`
   */
  constructor(
    readonly code: NatErrorCode,
    message: string,
    readonly offset: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
