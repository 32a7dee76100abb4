/**
 * Whether the proxy speaks TLS to the server, whatever the client does on its own leg
 * (`UpstreamTlsOptions.mode`, `--upstream-tls`).
 * - `match-client`: the server's leg follows the client's. A client's AUTH TLS, PBSZ and PROT go
 *   to the server, and its TLS is terminated on both sides; `implicitTls` is TLS from the first
 *   byte on both legs.
 * - `off`: the server's leg is plain FTP. The proxy answers AUTH TLS, PBSZ and PROT itself,
 *   terminates the client's TLS on control and data connections, and never sends them to the
 *   server: FTPS in front of a server that has none.
 * - `on`: the server's leg is TLS whatever the client does. Once the server has greeted, the
 *   proxy sends AUTH TLS itself, then PBSZ 0 and PROT P, before any command of the client, and
 *   the client never sees those exchanges; the client's own AUTH, PBSZ and PROT are answered by
 *   the proxy for its leg alone. A server that refuses AUTH TLS ends the session with 421 (never
 *   a fall back to clear text); one that refuses PROT P keeps its data connections clear.
 *
 * Data connections are protected per leg: toward the client when the client asked (PROT P, or
 * AUTH SSL); toward the server as the client asked with `match-client`, always with `on` (when
 * the server accepted PROT P), never with `off`. The server's certificate is verified the same
 * way on control and data connections (`UpstreamTlsOptions.verify`, `ca`).
 *
 * @example
 * ```ts
 * import { FtpProxy, type UpstreamTlsMode } from '@ftpwire/proxy';
 *
 * // FTPS for clients in front of a server that only speaks plain FTP.
 * const mode: UpstreamTlsMode = 'off';
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   upstreamTls: { mode },
 * });
 * proxy.options.upstreamTls.mode; // => 'off'
 * ```
 */
export type UpstreamTlsMode = 'match-client' | 'on' | 'off';

/**
 * How the proxy opens data connections toward the server, whatever the client used
 * (`upstreamData`, `--upstream-data`). The client always gets the answer to what it sent (a 227
 * to its PASV, a 229 to its EPSV, a 200 to its PORT or EPRT), in order.
 * - `client`: as the client did: PASV for PASV, EPSV for EPSV, PORT or EPRT (naming the proxy)
 *   for PORT or EPRT.
 * - `passive`: the server never connects out. A client's PORT becomes PASV and its EPRT EPSV;
 *   the proxy connects to the server's passive port and to the client's active port (on the
 *   client's own address, port 1024 or above, as for any PORT) when the transfer command goes
 *   to the server. For an active-mode client in front of a server behind NAT, or one with
 *   `port_enable=NO`.
 * - `epsv`: as `passive`, and EPSV even for a client's PASV: for a server reached over IPv6,
 *   where a 227 cannot answer (RFC 2428 §3), or one that answers EPSV only. The client still
 *   gets a 227 naming the proxy.
 *
 * @example
 * ```ts
 * import { FtpProxy, type UpstreamDataPolicy } from '@ftpwire/proxy';
 *
 * // Active-mode clients in front of a server that cannot connect out.
 * const upstreamData: UpstreamDataPolicy = 'passive';
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   upstreamData,
 * });
 * proxy.options.upstreamData; // => 'passive'
 * ```
 */
export type UpstreamDataPolicy = 'client' | 'passive' | 'epsv';

/** The data command the proxy sends the server for a client's PASV, EPSV, PORT or EPRT. */
export type UpstreamDataVerb = 'PASV' | 'EPSV' | 'PORT' | 'EPRT';

/**
 * What goes to the server for a client's data command under `policy`. EPSV ALL is not asked
 * here: it names no data connection and goes as the client sent it.
 */
export function upstreamDataVerb(
  clientVerb: UpstreamDataVerb,
  policy: UpstreamDataPolicy,
): UpstreamDataVerb {
  if (policy === 'epsv') return 'EPSV';
  if (policy === 'passive') {
    if (clientVerb === 'PORT') return 'PASV';
    if (clientVerb === 'EPRT') return 'EPSV';
  }
  return clientVerb;
}
