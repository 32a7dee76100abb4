import { isIP } from 'node:net';
import { classifyAddress } from '@ftpwire/address';
import { ProxyError } from './errors.js';
import type { UpstreamDataPolicy, UpstreamTlsMode } from './legs.js';
import type { ProxyLogEvent } from './log.js';

/**
 * A TCP endpoint: an IPv4 or IPv6 address (or a host name, for `upstream`) and a port.
 *
 * @example
 * ```ts
 * import { type Endpoint, FtpProxy } from '@ftpwire/proxy';
 *
 * // Upstream may be a name: it is resolved when a session dials it.
 * const upstream: Endpoint = { host: 'ftp.internal.example', port: 21 };
 * const proxy = new FtpProxy({ listen: { host: '127.0.0.1', port: 0 }, upstream });
 * const bound: Endpoint = await proxy.listen();
 * bound.host; // => '127.0.0.1'
 * await proxy.close();
 * ```
 */
export interface Endpoint {
  /** An IP address; for `upstream`, a host name too. */
  readonly host: string;
  /** A TCP port, 1-65535 (0 for `listen`: any free port). */
  readonly port: number;
}

/**
 * An inclusive range of TCP ports.
 *
 * @example
 * ```ts
 * import { FtpProxy, type PortRange } from '@ftpwire/proxy';
 *
 * // The ports the firewall forwards to the proxy for passive data connections.
 * const passivePorts: PortRange = { min: 40000, max: 40099 };
 * const listen = { host: '127.0.0.1', port: 0 };
 * const upstream = { host: '127.0.0.1', port: 2121 };
 * new FtpProxy({ listen, upstream, passivePorts }).options.passivePorts;
 * // => { min: 40000, max: 40099 }
 * new FtpProxy({ listen, upstream, passivePorts: { min: 40099, max: 40000 } });
 * // throws ProxyError ERR_INVALID_OPTION
 * ```
 */
export interface PortRange {
  /** The first port, 1-65535. */
  readonly min: number;
  /** The last port, at least `min`. */
  readonly max: number;
}

/**
 * How the proxy handles passive data connections (PASV, EPSV).
 * - `relay`: it listens on a port of `passivePorts`, advertises `publicHost` and that port, and
 *   relays each data connection to the server, terminating TLS on both sides when the data
 *   channel is protected. Works with FTPS and with servers that advertise any address.
 * - `rewrite`: it only rewrites the host of 227 replies to `publicHost` and keeps the port, for
 *   a deployment that forwards the server's passive range itself. The data connection then
 *   goes straight to the server, so with FTPS its TLS is the server's own and cannot resume the
 *   proxy's control session: servers that require session reuse (vsftpd's default) refuse it.
 *
 * @example
 * ```ts
 * import { FtpProxy, type PassiveMode } from '@ftpwire/proxy';
 *
 * // The NAT already forwards the server's passive range: only the 227 host needs rewriting.
 * const passiveMode: PassiveMode = 'rewrite';
 * const proxy = new FtpProxy({
 *   listen: { host: '193.21.1.121', port: 21 },
 *   upstream: { host: '10.0.1.121', port: 21 },
 *   passiveMode,
 * });
 * proxy.options.publicHost; // => '193.21.1.121'
 * proxy.options.passivePorts; // => undefined
 * ```
 */
export type PassiveMode = 'relay' | 'rewrite';

/**
 * What the proxy does with PORT and EPRT (active mode).
 * - `relay`: it listens on the upstream side, sends the server its own address instead, and
 *   connects to the client when the server connects. The client may only name its own address
 *   (RFC 2577: anything else is an FTP bounce) and is answered 501 otherwise.
 * - `refuse`: it answers 502 without asking the server, so the client falls back to passive.
 *
 * @example
 * ```ts
 * import { type ActiveMode, FtpProxy } from '@ftpwire/proxy';
 *
 * // Behind a firewall that lets no connection out to clients: passive only.
 * const activeMode: ActiveMode = 'refuse';
 * const listen = { host: '127.0.0.1', port: 0 };
 * const upstream = { host: '127.0.0.1', port: 2121 };
 * new FtpProxy({ listen, upstream, activeMode }).options.activeMode; // => 'refuse'
 * new FtpProxy({ listen, upstream }).options.activeMode; // => 'relay'
 * ```
 */
export type ActiveMode = 'relay' | 'refuse';

/**
 * The certificate and key the proxy presents to clients (PEM). They are loaded when the
 * proxy is made, so a bad pair fails at once rather than at the first client's AUTH TLS.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { FtpProxy, type TlsIdentity } from '@ftpwire/proxy';
 *
 * // Files as `openssl req -x509 -newkey rsa:2048 -nodes -keyout proxy.key -out proxy.crt` writes.
 * const fromFiles = (dir: string): TlsIdentity => ({
 *   cert: readFileSync(`${dir}/proxy.crt`),
 *   key: readFileSync(`${dir}/proxy.key`),
 * });
 * const broken: TlsIdentity = { cert: 'not a certificate', key: 'not a key' };
 * const listen = { host: '127.0.0.1', port: 0 };
 * new FtpProxy({ listen, upstream: { host: '127.0.0.1', port: 2121 }, tls: broken });
 * // throws ProxyError ERR_INVALID_OPTION
 * ```
 */
export interface TlsIdentity {
  /** The certificate chain, PEM: the proxy's certificate first. */
  readonly cert: string | Uint8Array;
  /** The private key of the certificate, PEM, unencrypted. */
  readonly key: string | Uint8Array;
}

/**
 * TLS toward the server: whether the proxy uses it whatever the client does (`mode`), and how
 * it checks the server's certificate, on control and data connections alike.
 *
 * @example
 * ```ts
 * import { FtpProxy, type UpstreamTlsOptions } from '@ftpwire/proxy';
 *
 * // A server reached by address whose certificate names its host name.
 * const upstreamTls: UpstreamTlsOptions = { servername: 'ftp.internal.example' };
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '10.0.1.121', port: 21 },
 *   upstreamTls,
 * });
 * proxy.options.upstreamTls;
 * // => { mode: 'match-client', verify: true, servername: 'ftp.internal.example' }
 * ```
 */
export interface UpstreamTlsOptions {
  /**
   * Whether the server's leg uses TLS: as the client's (`match-client`), always (`on`) or never
   * (`off`); see {@link UpstreamTlsMode}. Default `match-client`.
   */
  readonly mode?: UpstreamTlsMode;
  /**
   * Verify the server's certificate chain and that it names the upstream host. Default true:
   * a proxy that terminates TLS must not silently accept a man in the middle upstream.
   */
  readonly verify?: boolean;
  /** Certificate authorities to trust instead of Node's bundled ones (PEM). Default Node's. */
  readonly ca?: string | Uint8Array;
  /** Name to send as SNI and check the certificate against. Default the upstream host. */
  readonly servername?: string;
}

/**
 * Receives each event of the proxy's log twice over: as the text line (`session 3 rewrite ...`)
 * and as a structured {@link ProxyLogEvent} (its name, level, session, client, upstream and
 * fields). A logger that wants only text reads the first argument; see {@link ProxyOptions.log}.
 *
 * @example
 * ```ts
 * import { FtpProxy, type ProxyLogger } from '@ftpwire/proxy';
 *
 * const lines: string[] = [];
 * const log: ProxyLogger = (line) => lines.push(line);
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   log,
 * });
 * await proxy.listen();
 * await proxy.close();
 * lines[0]?.startsWith('listening on 127.0.0.1:'); // => true
 * lines.at(-1); // => 'closed'
 * ```
 */
export type ProxyLogger = (line: string, event: ProxyLogEvent) => void;

/**
 * What `FtpProxy` is made with: where to listen, the server to relay to, and how. Only
 * `listen` and `upstream` are required; every other option has a default suited to a
 * gateway in front of one server.
 *
 * @example
 * ```ts
 * import { FtpProxy, type ProxyOptions } from '@ftpwire/proxy';
 *
 * // A gateway on a host whose firewall forwards port 21 and ports 40000-40099 to it.
 * const options: ProxyOptions = {
 *   listen: { host: '0.0.0.0', port: 21 },
 *   upstream: { host: '10.0.1.121', port: 21 },
 *   publicHost: '193.21.1.121', // what clients reach the gateway at (227 carries IPv4)
 *   passivePorts: { min: 40000, max: 40099 },
 *   activeMode: 'refuse',
 *   idleTimeout: 600_000,
 *   maxSessions: 64,
 * };
 * // Made, the proxy has checked every option; nothing listens before listen().
 * const proxy = new FtpProxy(options);
 * proxy.options.passiveMode; // => 'relay'
 * ```
 */
export interface ProxyOptions {
  /** Where to listen for clients. Port 0 picks a free port (see `FtpProxy.address()`). */
  readonly listen: Endpoint;
  /** The FTP server to relay to. */
  readonly upstream: Endpoint;
  /**
   * The IPv4 address advertised to clients in 227 replies (227 carries only IPv4). Default the
   * listen host when it is an IPv4 address other than 0.0.0.0.
   */
  readonly publicHost?: string;
  /** See {@link PassiveMode}. Default `relay`. */
  readonly passiveMode?: PassiveMode;
  /**
   * Ports the proxy listens on for relayed passive data connections. Default any free port
   * the system picks; a deployment behind a firewall or NAT forwards a fixed range instead.
   */
  readonly passivePorts?: PortRange;
  /** See {@link ActiveMode}. Default `relay`. */
  readonly activeMode?: ActiveMode;
  /**
   * The proxy's certificate and key. With them the proxy accepts AUTH TLS (RFC 4217) and
   * terminates TLS on both sides; without them it answers AUTH with 502 so clients that may
   * fall back to plain FTP do. Default none.
   */
  readonly tls?: TlsIdentity;
  /**
   * Implicit FTPS (the port 990 convention): TLS from the first byte toward the client, and
   * toward the server too when `upstreamTls.mode` is `match-client` (with `on` the proxy sends
   * AUTH TLS to the server, with `off` it speaks plain FTP to it). Needs `tls`. Default false.
   */
  readonly implicitTls?: boolean;
  /**
   * Whether the server's leg uses TLS, and how the server's certificate is checked. Default: TLS
   * as the client asks (`match-client`), the certificate verified against Node's CAs.
   */
  readonly upstreamTls?: UpstreamTlsOptions;
  /**
   * How data connections toward the server are opened, whatever the client used; see
   * {@link UpstreamDataPolicy}. Default `client`.
   */
  readonly upstreamData?: UpstreamDataPolicy;
  /**
   * Longest a TCP connect or TLS handshake may take, and longest the server may take to greet,
   * in ms. Default 10000.
   */
  readonly connectTimeout?: number;
  /**
   * Longest a session may stay silent, in ms: no whole command or reply either way and no data
   * moving (bytes that never end a line do not count). Default 300000 (5 minutes, vsftpd's
   * `idle_session_timeout`). Data connections that move nothing for this long are closed too.
   */
  readonly idleTimeout?: number;
  /**
   * Longest a client may take to log in (a 230 or 232 answering USER, PASS or ACCT), in ms;
   * then it gets 421. Default 60000: unauthenticated sessions are what a flood is made of.
   */
  readonly loginTimeout?: number;
  /**
   * Longest a command line may take to arrive once begun, in ms; then the session gets 421.
   * Default 30000: a client sends a line in one write, and a peer dripping bytes without a line
   * end must not hold a session.
   */
  readonly lineTimeout?: number;
  /**
   * Longest a data channel waits for its connection after the 227, 229 or 200 that announced
   * it, in ms. Default 60000, vsftpd's `accept_timeout` and `connect_timeout`.
   */
  readonly dataTimeout?: number;
  /** Longest control line, in bytes, terminator excluded. Default 8192, as CPython's ftplib. */
  readonly maxLineLength?: number;
  /**
   * Most sessions at once; a client beyond it gets `421` and is closed. Default 256, which
   * keeps the worst case of file descriptors (four per session while a transfer runs, plus a
   * passive listener) well under the usual limit of 1024.
   */
  readonly maxSessions?: number;
  /**
   * Most sessions at once from one client address; beyond it a client gets `421`. Default 8
   * (pure-ftpd's `-C` does the same): one address cannot take every session.
   */
  readonly maxPerIp?: number;
  /**
   * Most commands a session holds unanswered, the proxy's own answers included; beyond it the
   * client is not read until replies go out. Default 1024.
   */
  readonly maxPendingCommands?: number;
  /**
   * Verbs to pass to the server besides the standard ones (RFC 959 and its extensions, and the
   * common CLNT, MFMT, HASH, XCRC, AVBL, ...). Any other verb is answered 502 by the proxy,
   * which cannot judge a command it does not know. Default none.
   */
  readonly allowVerbs?: readonly string[];
  /**
   * Bytes buffered per direction of each connection before the proxy stops reading from the
   * sender (backpressure). Default 65536: large enough to keep a loopback or LAN transfer
   * running at full speed, small enough that 256 sessions stay under 100 MiB.
   */
  readonly bufferSize?: number;
  /** Receives one event per session event and per rewrite, as text and structured. Default none. */
  readonly log?: ProxyLogger;
  /**
   * Where to serve `/metrics` (Prometheus text format) and `/healthz` over HTTP, from
   * `listen()` to `close()`. Default none: the metrics are still kept, for `metricsText()`.
   */
  readonly metrics?: Endpoint;
  /**
   * Longest `drain()` lets running transfers go on before closing what is left, in ms. Default
   * 30000: long enough for most transfers to end, short of the usual 90 s a supervisor waits.
   */
  readonly drainTimeout?: number;
}

/**
 * {@link ProxyOptions} with every default applied and every value checked: what
 * `FtpProxy.options` shows, to log or assert the configuration a proxy really runs with.
 * Each field means what the option of the same name does.
 *
 * @example
 * ```ts
 * import { FtpProxy, type ResolvedProxyOptions } from '@ftpwire/proxy';
 *
 * const resolved: ResolvedProxyOptions = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 2100 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 * }).options;
 * resolved.publicHost; // => '127.0.0.1'
 * resolved.idleTimeout; // => 300000
 * resolved.upstreamTls; // => { mode: 'match-client', verify: true }
 * resolved.upstreamData; // => 'client'
 * ```
 */
export interface ResolvedProxyOptions {
  /** Where the proxy listens. */
  readonly listen: Endpoint;
  /** The FTP server it relays to. */
  readonly upstream: Endpoint;
  /** The IPv4 address advertised in 227 replies. */
  readonly publicHost: string;
  /** How passive data connections are handled. */
  readonly passiveMode: PassiveMode;
  /** Ports for relayed passive data connections; undefined for any free port. */
  readonly passivePorts: PortRange | undefined;
  /** What PORT and EPRT get. */
  readonly activeMode: ActiveMode;
  /** The identity presented to clients; undefined when the proxy does no TLS. */
  readonly tls: TlsIdentity | undefined;
  /** TLS from the first byte toward the client (and the server, with `match-client`). */
  readonly implicitTls: boolean;
  /** TLS toward the server; `mode` and `verify` are always set. */
  readonly upstreamTls: Required<Pick<UpstreamTlsOptions, 'mode' | 'verify'>> &
    Pick<UpstreamTlsOptions, 'ca' | 'servername'>;
  /** How data connections toward the server are opened. */
  readonly upstreamData: UpstreamDataPolicy;
  /** Longest connect, TLS handshake or wait for the greeting, in ms. */
  readonly connectTimeout: number;
  /** Longest silence of a session or data connection, in ms. */
  readonly idleTimeout: number;
  /** Longest time to log in, in ms. */
  readonly loginTimeout: number;
  /** Longest time for a command line to arrive once begun, in ms. */
  readonly lineTimeout: number;
  /** Longest wait of a data channel for its connection, in ms. */
  readonly dataTimeout: number;
  /** Longest control line, in bytes. */
  readonly maxLineLength: number;
  /** Most sessions at once. */
  readonly maxSessions: number;
  /** Most sessions at once from one client address. */
  readonly maxPerIp: number;
  /** Most commands held unanswered per session. */
  readonly maxPendingCommands: number;
  /** Verbs passed besides the standard ones, upper-cased. */
  readonly allowVerbs: readonly string[];
  /** Bytes buffered per direction of a connection before backpressure. */
  readonly bufferSize: number;
  /** Where log lines go; undefined for none. */
  readonly log: ProxyLogger | undefined;
  /** Where `/metrics` and `/healthz` are served; undefined for nowhere. */
  readonly metrics: Endpoint | undefined;
  /** Longest a drain lets transfers run, in ms. */
  readonly drainTimeout: number;
}

export const DEFAULT_CONNECT_TIMEOUT = 10_000;
export const DEFAULT_IDLE_TIMEOUT = 300_000;
export const DEFAULT_LOGIN_TIMEOUT = 60_000;
export const DEFAULT_LINE_TIMEOUT = 30_000;
export const DEFAULT_DATA_TIMEOUT = 60_000;
export const DEFAULT_MAX_LINE_LENGTH = 8192;
export const DEFAULT_MAX_SESSIONS = 256;
export const DEFAULT_MAX_PER_IP = 8;
export const DEFAULT_MAX_PENDING_COMMANDS = 1024;
export const DEFAULT_BUFFER_SIZE = 65_536;
export const DEFAULT_DRAIN_TIMEOUT = 30_000;
/** Node's timers hold a signed 32-bit count of ms; a longer one fires after 1 ms instead. */
export const MAX_TIMEOUT: number = 2 ** 31 - 1;

function invalid(message: string): ProxyError {
  return new ProxyError('ERR_INVALID_OPTION', message);
}

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalid(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function checkTimeout(name: string, value: number | undefined, fallback: number): number {
  const ms = checkPositive(name, value, fallback);
  if (ms > MAX_TIMEOUT) {
    throw invalid(
      `${name} must be at most ${MAX_TIMEOUT} ms (what Node's timers can count), got ${ms}`,
    );
  }
  return ms;
}

function checkVerbs(verbs: readonly string[] | undefined): readonly string[] {
  if (verbs === undefined) return [];
  return verbs.map((verb) => {
    // The verbs @ftpwire/command parses: letters only.
    if (typeof verb !== 'string' || !/^[A-Za-z]{1,16}$/.test(verb)) {
      throw invalid(`allowVerbs entries must be 1-16 ASCII letters, got ${JSON.stringify(verb)}`);
    }
    return verb.toUpperCase();
  });
}

function checkPort(name: string, port: number, allowZero: boolean): void {
  if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) {
    throw invalid(`${name} port must be an integer ${allowZero ? 0 : 1}-65535, got ${port}`);
  }
}

function checkEndpoint(name: string, endpoint: Endpoint | undefined, allowZero: boolean): Endpoint {
  if (endpoint === undefined || typeof endpoint.host !== 'string' || endpoint.host === '') {
    throw invalid(`${name} needs a host and a port`);
  }
  checkPort(name, endpoint.port, allowZero);
  return { host: endpoint.host, port: endpoint.port };
}

function checkMetricsEndpoint(endpoint: Endpoint | undefined): Endpoint | undefined {
  if (endpoint === undefined) return undefined;
  const checked = checkEndpoint('metrics', endpoint, true);
  if (isIP(checked.host) === 0) {
    throw invalid(`metrics host must be an IP address, got ${checked.host}`);
  }
  return checked;
}

/**
 * The address clients are told to connect to: IPv4, since 227 replies carry exactly four
 * decimal bytes (RFC 959 §4.1.2), and one host, since a client dialling the unspecified,
 * broadcast or a multicast address reaches no proxy.
 */
export function checkPublicHost(host: string, name = 'publicHost'): void {
  if (isIP(host) !== 4)
    throw invalid(`${name} must be an IPv4 address, got ${JSON.stringify(host)}`);
  const kind = classifyAddress(host);
  if (kind === 'unspecified' || kind === 'multicast' || kind === 'reserved') {
    throw invalid(
      `${name} must be a unicast address clients can connect to, got ${host} (${kind})`,
    );
  }
}

/** Checks `options` and fills in the defaults; throws `ERR_INVALID_OPTION` on the first problem. */
export function resolveProxyOptions(options: ProxyOptions): ResolvedProxyOptions {
  const listen = checkEndpoint('listen', options.listen, true);
  if (isIP(listen.host) === 0)
    throw invalid(`listen host must be an IP address, got ${listen.host}`);
  const upstream = checkEndpoint('upstream', options.upstream, false);
  const publicHost = options.publicHost ?? (isIP(listen.host) === 4 ? listen.host : undefined);
  if (publicHost === undefined || (options.publicHost === undefined && listen.host === '0.0.0.0')) {
    throw invalid('publicHost is needed when the listen host is not a specific IPv4 address');
  }
  checkPublicHost(publicHost);
  const passiveMode = options.passiveMode ?? 'relay';
  if (passiveMode !== 'relay' && passiveMode !== 'rewrite') {
    throw invalid(`passiveMode must be relay or rewrite, got ${String(passiveMode)}`);
  }
  const passivePorts = options.passivePorts;
  if (passivePorts !== undefined) {
    if (passiveMode !== 'relay') throw invalid('passivePorts applies only to passiveMode relay');
    checkPort('passivePorts min', passivePorts.min, false);
    checkPort('passivePorts max', passivePorts.max, false);
    if (passivePorts.min > passivePorts.max) {
      throw invalid(`passivePorts min ${passivePorts.min} is above max ${passivePorts.max}`);
    }
  }
  const activeMode = options.activeMode ?? 'relay';
  if (activeMode !== 'relay' && activeMode !== 'refuse') {
    throw invalid(`activeMode must be relay or refuse, got ${String(activeMode)}`);
  }
  const implicitTls = options.implicitTls ?? false;
  if (implicitTls && options.tls === undefined)
    throw invalid('implicitTls needs tls (cert and key)');
  const upstreamTls = options.upstreamTls ?? {};
  const mode = options.upstreamTls?.mode ?? 'match-client';
  if (mode !== 'match-client' && mode !== 'on' && mode !== 'off') {
    throw invalid(`upstreamTls.mode must be match-client, on or off, got ${String(mode)}`);
  }
  const upstreamData = options.upstreamData ?? 'client';
  if (upstreamData !== 'client' && upstreamData !== 'passive' && upstreamData !== 'epsv') {
    throw invalid(`upstreamData must be client, passive or epsv, got ${String(upstreamData)}`);
  }
  return {
    listen,
    upstream,
    publicHost,
    passiveMode,
    passivePorts: passivePorts && { min: passivePorts.min, max: passivePorts.max },
    activeMode,
    tls: options.tls,
    implicitTls,
    upstreamTls: {
      mode,
      verify: upstreamTls.verify ?? true,
      ...(upstreamTls.ca === undefined ? {} : { ca: upstreamTls.ca }),
      ...(upstreamTls.servername === undefined ? {} : { servername: upstreamTls.servername }),
    },
    upstreamData,
    connectTimeout: checkTimeout('connectTimeout', options.connectTimeout, DEFAULT_CONNECT_TIMEOUT),
    idleTimeout: checkTimeout('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT),
    loginTimeout: checkTimeout('loginTimeout', options.loginTimeout, DEFAULT_LOGIN_TIMEOUT),
    lineTimeout: checkTimeout('lineTimeout', options.lineTimeout, DEFAULT_LINE_TIMEOUT),
    dataTimeout: checkTimeout('dataTimeout', options.dataTimeout, DEFAULT_DATA_TIMEOUT),
    maxLineLength: checkPositive('maxLineLength', options.maxLineLength, DEFAULT_MAX_LINE_LENGTH),
    maxSessions: checkPositive('maxSessions', options.maxSessions, DEFAULT_MAX_SESSIONS),
    maxPerIp: checkPositive('maxPerIp', options.maxPerIp, DEFAULT_MAX_PER_IP),
    maxPendingCommands: checkPositive(
      'maxPendingCommands',
      options.maxPendingCommands,
      DEFAULT_MAX_PENDING_COMMANDS,
    ),
    allowVerbs: checkVerbs(options.allowVerbs),
    bufferSize: checkPositive('bufferSize', options.bufferSize, DEFAULT_BUFFER_SIZE),
    log: options.log,
    metrics: checkMetricsEndpoint(options.metrics),
    drainTimeout: checkTimeout('drainTimeout', options.drainTimeout, DEFAULT_DRAIN_TIMEOUT),
  };
}
