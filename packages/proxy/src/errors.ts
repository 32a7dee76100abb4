/**
 * Stable codes of {@link ProxyError}: match on these, never on messages.
 *
 * @example
 * ```ts
 * import { FtpProxy, ProxyError, type ProxyErrorCode } from '@ftpwire/proxy';
 *
 * // Exit statuses for a supervisor: restarting cannot fix a configuration error.
 * const exitStatus = (code: ProxyErrorCode) => (code === 'ERR_INVALID_OPTION' ? 2 : 1);
 * try {
 *   // Listening on every interface, the proxy cannot guess the address to advertise.
 *   new FtpProxy({
 *     listen: { host: '0.0.0.0', port: 2100 },
 *     upstream: { host: '10.0.1.121', port: 21 },
 *   });
 * } catch (error) {
 *   if (!(error instanceof ProxyError)) throw error;
 *   exitStatus(error.code); // => 2
 * }
 * ```
 */
export type ProxyErrorCode =
  /** A command-line argument or option value is missing, unknown or malformed. */
  | 'ERR_INVALID_OPTION'
  /** Every port of the passive range is in use. */
  | 'ERR_PORT_POOL_EXHAUSTED'
  /** The upstream server (or, in active mode, the client) could not be reached. */
  | 'ERR_CONNECT_FAILED'
  /** A connection or TLS handshake took longer than `connectTimeout`. */
  | 'ERR_CONNECT_TIMEOUT'
  /** Neither side sent anything for `idleTimeout`. */
  | 'ERR_IDLE_TIMEOUT'
  /** A control line grew past `maxLineLength` without a line end. */
  | 'ERR_LINE_TOO_LONG'
  /** A TLS handshake failed, or the upstream certificate did not verify. */
  | 'ERR_TLS'
  /** A peer broke the FTP protocol in a way the proxy cannot relay. */
  | 'ERR_PROTOCOL'
  /** A peer closed or reset its connection while the proxy still relayed for it. */
  | 'ERR_PEER_CLOSED'
  /**
   * A PROXY protocol header was malformed, truncated, missing where required, or sent by a peer
   * not trusted to send one (`proxyProtocolFrom`).
   */
  | 'ERR_PROXY_HEADER'
  /** No upstream server is healthy (every one refused or timed out, and none greets again yet). */
  | 'ERR_NO_UPSTREAM';

/**
 * The one error class of `@ftpwire/proxy`: a stable `code`, and an `offset` (the byte in
 * the control stream, or the index of the offending command-line argument).
 *
 * @example
 * ```ts
 * import { parseProxyArguments, ProxyError } from '@ftpwire/proxy';
 *
 * try {
 *   parseProxyArguments(['--upstream', '10.0.1.121:21', '--passive-ports', '40099-40000']);
 * } catch (error) {
 *   if (!(error instanceof ProxyError)) throw error;
 *   error.code; // => 'ERR_INVALID_OPTION'
 *   error.offset; // => 3
 *   error.message; // => '--passive-ports expects MIN-MAX with MIN <= MAX, got "40099-40000"'
 * }
 * ```
 */
export class ProxyError extends Error {
  /** `'ProxyError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'ProxyError';
  /**
   * Errors are made by the proxy; a subclass or a test may make its own.
   *
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset byte offset in the control stream where the error applies, or the index of
   *   the offending command-line argument; -1 when neither applies
   */
  constructor(
    readonly code: ProxyErrorCode,
    message: string,
    readonly offset: number = -1,
  ) {
    super(message);
  }
}

/** Quotes at most `limit` characters of peer or user text for an error message, escaped. */
export function quote(text: string, limit = 40): string {
  const shown = text.length > limit ? `${text.slice(0, limit)}...` : text;
  return JSON.stringify(shown);
}
