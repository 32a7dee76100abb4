import { isIP } from 'node:net';
import { ProxyError } from './errors.js';

/** A TCP endpoint: an IPv4 or IPv6 address (or a host name, for `upstream`) and a port. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** An inclusive range of TCP ports. */
export interface PortRange {
  readonly min: number;
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
 */
export type PassiveMode = 'relay' | 'rewrite';

/**
 * What the proxy does with PORT and EPRT (active mode).
 * - `relay`: it listens on the upstream side, sends the server its own address instead, and
 *   connects to the client when the server connects. The client may only name its own address
 *   (RFC 2577: anything else is an FTP bounce) and is answered 501 otherwise.
 * - `refuse`: it answers 502 without asking the server, so the client falls back to passive.
 */
export type ActiveMode = 'relay' | 'refuse';

/** The certificate and key the proxy presents to clients (PEM). */
export interface TlsIdentity {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
}

/** How the proxy checks the server's certificate. */
export interface UpstreamTlsOptions {
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

/** A line of the proxy's log; see {@link ProxyOptions.log}. */
export type ProxyLogger = (line: string) => void;

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
   * Implicit FTPS (the port 990 convention): TLS from the first byte, toward the client and
   * toward the server. Needs `tls`. Default false.
   */
  readonly implicitTls?: boolean;
  /** How the server's certificate is checked. Default: verified against Node's CAs. */
  readonly upstreamTls?: UpstreamTlsOptions;
  /** Longest a TCP connect or TLS handshake may take, in ms. Default 10000. */
  readonly connectTimeout?: number;
  /**
   * Longest a session may stay silent, in ms: no control byte either way and no data moving.
   * Default 300000 (5 minutes, vsftpd's `idle_session_timeout`). Data connections that move
   * nothing for this long are closed as well.
   */
  readonly idleTimeout?: number;
  /** Longest control line, in bytes, terminator excluded. Default 8192, as CPython's ftplib. */
  readonly maxLineLength?: number;
  /**
   * Most sessions at once; a client beyond it gets `421` and is closed. Default 256, which
   * keeps the worst case of file descriptors (four per session while a transfer runs, plus a
   * passive listener) well under the usual limit of 1024.
   */
  readonly maxSessions?: number;
  /**
   * Bytes buffered per direction of each connection before the proxy stops reading from the
   * sender (backpressure). Default 65536: large enough to keep a loopback or LAN transfer
   * running at full speed, small enough that 256 sessions stay under 100 MiB.
   */
  readonly bufferSize?: number;
  /** Receives one line per session event and per rewrite. Default none. */
  readonly log?: ProxyLogger;
}

/** {@link ProxyOptions} with every default applied and every value checked. */
export interface ResolvedProxyOptions {
  readonly listen: Endpoint;
  readonly upstream: Endpoint;
  readonly publicHost: string;
  readonly passiveMode: PassiveMode;
  readonly passivePorts: PortRange | undefined;
  readonly activeMode: ActiveMode;
  readonly tls: TlsIdentity | undefined;
  readonly implicitTls: boolean;
  readonly upstreamTls: Required<Pick<UpstreamTlsOptions, 'verify'>> &
    Pick<UpstreamTlsOptions, 'ca' | 'servername'>;
  readonly connectTimeout: number;
  readonly idleTimeout: number;
  readonly maxLineLength: number;
  readonly maxSessions: number;
  readonly bufferSize: number;
  readonly log: ProxyLogger | undefined;
}

export const DEFAULT_CONNECT_TIMEOUT = 10_000;
export const DEFAULT_IDLE_TIMEOUT = 300_000;
export const DEFAULT_MAX_LINE_LENGTH = 8192;
export const DEFAULT_MAX_SESSIONS = 256;
export const DEFAULT_BUFFER_SIZE = 65_536;

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

/** Checks `options` and fills in the defaults; throws `ERR_INVALID_OPTION` on the first problem. */
export function resolveProxyOptions(options: ProxyOptions): ResolvedProxyOptions {
  const listen = checkEndpoint('listen', options.listen, true);
  if (isIP(listen.host) === 0)
    throw invalid(`listen host must be an IP address, got ${listen.host}`);
  const upstream = checkEndpoint('upstream', options.upstream, false);
  const publicHost = options.publicHost ?? (isIP(listen.host) === 4 ? listen.host : undefined);
  if (publicHost === undefined || publicHost === '0.0.0.0') {
    throw invalid('publicHost is needed when the listen host is not a specific IPv4 address');
  }
  // 227 replies carry exactly four decimal bytes (RFC 959 §4.1.2), so only IPv4 fits.
  if (isIP(publicHost) !== 4)
    throw invalid(`publicHost must be an IPv4 address, got ${publicHost}`);
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
      verify: upstreamTls.verify ?? true,
      ...(upstreamTls.ca === undefined ? {} : { ca: upstreamTls.ca }),
      ...(upstreamTls.servername === undefined ? {} : { servername: upstreamTls.servername }),
    },
    connectTimeout: checkPositive(
      'connectTimeout',
      options.connectTimeout,
      DEFAULT_CONNECT_TIMEOUT,
    ),
    idleTimeout: checkPositive('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT),
    maxLineLength: checkPositive('maxLineLength', options.maxLineLength, DEFAULT_MAX_LINE_LENGTH),
    maxSessions: checkPositive('maxSessions', options.maxSessions, DEFAULT_MAX_SESSIONS),
    bufferSize: checkPositive('bufferSize', options.bufferSize, DEFAULT_BUFFER_SIZE),
    log: options.log,
  };
}
