/**
 * Stable codes of {@link NatError}: match on these, never on messages.
 *
 * @example
 * ```ts
 * import { NatError, type NatErrorCode, NatRewriter } from '@ftpwire/nat';
 *
 * // Refusals that mean a hostile client: close the session and log the address.
 * const hostile = new Set<NatErrorCode>([
 *   'ERR_PORT_REFUSED',
 *   'ERR_BOUNCE_REFUSED',
 *   'ERR_DATA_AFTER_AUTH',
 * ]);
 * const nat = new NatRewriter({ clientAddress: '198.51.100.7', bounce: 'refuse' });
 * try {
 *   // An FTP bounce (RFC 2577): the data connection aimed at another host.
 *   nat.commands.push(new TextEncoder().encode('PORT 203,0,113,9,195,80\r\n'), () => {});
 * } catch (error) {
 *   if (!(error instanceof NatError)) throw error;
 *   error.code; // => 'ERR_BOUNCE_REFUSED'
 *   hostile.has(error.code); // => true
 * }
 * ```
 */
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
 * The one error class of `@ftpwire/nat`: a stable `code` and the byte `offset` in the
 * direction's stream. A direction that threw keeps throwing the same error: the stream can
 * no longer be relayed safely, so close the connection.
 *
 * @example
 * ```ts
 * import { NatError, NatRewriter } from '@ftpwire/nat';
 *
 * const nat = new NatRewriter({ clientAddress: '192.168.1.20', clientPublicHost: '198.51.100.7' });
 * const port25 = new TextEncoder().encode('PORT 192,168,1,20,0,25\r\n');
 * try {
 *   // RFC 2577 §3: a data port below 1024 aims at a service such as SMTP.
 *   nat.commands.push(port25, () => {});
 * } catch (error) {
 *   if (!(error instanceof NatError)) throw error;
 *   error.code; // => 'ERR_PORT_REFUSED'
 *   error.offset; // => 0
 * }
 * // The direction stays failed: the stream can no longer be relayed safely.
 * nat.commands.push(port25, () => {}); // throws NatError ERR_PORT_REFUSED
 * ```
 */
export class NatError extends Error {
  /** `'NatError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'NatError';
  /**
   * Errors are made by the sessions; a subclass or a test may make its own.
   *
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
