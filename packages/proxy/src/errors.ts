/** Stable codes of {@link ProxyError}. */
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
  | 'ERR_PEER_CLOSED';

/**
 * The one error class of `@ftpwire/proxy`.
 *
 * @example
 * ```ts
 * try { parseProxyArguments(process.argv.slice(2)) } catch (error) {
 *   if (error instanceof ProxyError && error.code === 'ERR_INVALID_OPTION') usage(error.message);
 * }
 * ```
 */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  /**
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
