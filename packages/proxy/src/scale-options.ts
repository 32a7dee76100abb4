import { AddressRanges } from './address-ranges.js';
import { ProxyError } from './errors.js';
import type { Endpoint } from './options.js';

/**
 * How a new session's server is chosen among several upstreams (only healthy ones count; a
 * running session is never moved).
 * - `round-robin`: each in turn.
 * - `least-sessions`: the one this proxy has the fewest sessions open with (the first on a tie).
 * - `by-user`: the USER name decides, by a stable hash (rendezvous hashing), so a user always
 *   reaches the same server, from every proxy instance and across restarts, and moves only when
 *   that server is down. The proxy greets the client itself and holds its USER until it has
 *   chosen and connected (see the README for the commands answered before USER).
 *
 * @example
 * ```ts
 * import { type BalanceMode, FtpProxy } from '@ftpwire/proxy';
 *
 * // Home directories live on one server per user: route each user to theirs.
 * const balance: BalanceMode = 'by-user';
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: [
 *     { host: '10.0.1.121', port: 21 },
 *     { host: '10.0.1.122', port: 21 },
 *   ],
 *   balance,
 * });
 * proxy.options.upstreams.length; // => 2
 * proxy.options.balance; // => 'by-user'
 * ```
 */
export type BalanceMode = 'round-robin' | 'least-sessions' | 'by-user';

/**
 * The PROXY protocol version the proxy sends its upstream server first on each control
 * connection, carrying the client's real address: `v1` (text) or `v2` (binary). Servers that read
 * it: ProFTPD with mod_proxy_protocol (`ProxyProtocolVersion haproxyV1` or `haproxyV2`; it needs
 * `AllowForeignAddress on`, since data connections then come from the proxy, not the client it
 * was told of) and anything behind HAProxy's `accept-proxy`. vsftpd 3.0.3 and Pure-FTPd 1.0.50 read
 * none: they would take the header for a command. Health probes send a header of the proxy's own
 * (`LOCAL`, `UNKNOWN`); data connections to the server carry none.
 *
 * @example
 * ```ts
 * import { FtpProxy, type UpstreamProxyProtocol } from '@ftpwire/proxy';
 *
 * const upstreamProxyProtocol: UpstreamProxyProtocol = 'v2';
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   upstreamProxyProtocol,
 * });
 * proxy.options.upstreamProxyProtocol; // => 'v2'
 * ```
 */
export type UpstreamProxyProtocol = 'v1' | 'v2';

export const DEFAULT_HEALTH_INTERVAL = 5000;

/** The options of scaling out, checked; part of `ResolvedProxyOptions`. */
export interface ResolvedScaleOptions {
  readonly upstreams: readonly Endpoint[];
  readonly balance: BalanceMode;
  readonly healthInterval: number;
  /** Normalized CIDR texts; empty for none. */
  readonly proxyProtocolFrom: readonly string[];
  readonly upstreamProxyProtocol: UpstreamProxyProtocol | undefined;
}

/** What of `ProxyOptions` the checks below read. */
export interface ScaleOptions {
  readonly upstream: Endpoint | readonly Endpoint[];
  readonly balance?: BalanceMode;
  readonly healthInterval?: number;
  readonly proxyProtocolFrom?: readonly string[];
  readonly upstreamProxyProtocol?: UpstreamProxyProtocol;
}

function invalid(message: string): ProxyError {
  return new ProxyError('ERR_INVALID_OPTION', message);
}

/**
 * Checks the options of scaling out. `checkEndpoint` is options.ts's own check of one upstream,
 * passed in so that both files keep one rule.
 */
export function resolveScaleOptions(
  options: ScaleOptions,
  checkEndpoint: (name: string, endpoint: Endpoint | undefined) => Endpoint,
  checkTimeout: (name: string, value: number | undefined, fallback: number) => number,
): ResolvedScaleOptions {
  const given = options.upstream;
  const list: readonly (Endpoint | undefined)[] = Array.isArray(given)
    ? given
    : [given as Endpoint | undefined];
  if (list.length === 0) throw invalid('upstream needs at least one server');
  const upstreams = list.map((endpoint, index) =>
    checkEndpoint(list.length > 1 ? `upstream ${index + 1}` : 'upstream', endpoint),
  );
  const keys = new Set<string>();
  for (const { host, port } of upstreams) {
    const key = `${host.toLowerCase()}:${port}`;
    if (keys.has(key)) throw invalid(`upstream ${host}:${port} is given twice`);
    keys.add(key);
  }
  const balance = options.balance ?? 'round-robin';
  if (balance !== 'round-robin' && balance !== 'least-sessions' && balance !== 'by-user') {
    throw invalid(`balance must be round-robin, least-sessions or by-user, got ${String(balance)}`);
  }
  const protocol = options.upstreamProxyProtocol;
  if (protocol !== undefined && protocol !== 'v1' && protocol !== 'v2') {
    throw invalid(`upstreamProxyProtocol must be v1 or v2, got ${String(protocol)}`);
  }
  const from = options.proxyProtocolFrom;
  if (from !== undefined && !Array.isArray(from)) {
    throw invalid('proxyProtocolFrom is a list of address ranges');
  }
  return {
    upstreams,
    balance,
    healthInterval: checkTimeout('healthInterval', options.healthInterval, DEFAULT_HEALTH_INTERVAL),
    proxyProtocolFrom: from === undefined ? [] : AddressRanges.parse(from).texts,
    upstreamProxyProtocol: protocol,
  };
}
