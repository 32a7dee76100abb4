import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import {
  connect as connectTlsSocket,
  createSecureContext,
  type SecureContext,
  TLSSocket,
} from 'node:tls';
import { ProxyError } from './errors.js';
import type { Endpoint, ResolvedProxyOptions, TlsIdentity } from './options.js';

/**
 * The context the proxy presents to clients, shared by every control and data connection so
 * that a client can resume its control session on a data connection (RFC 4217 §10.2 lets
 * servers require it; clients such as curl offer it), which works only when both handshakes
 * use the same session ticket keys.
 */
export function createClientContext(identity: TlsIdentity): SecureContext {
  try {
    return createSecureContext({
      cert: pem(identity.cert),
      key: pem(identity.key),
      minVersion: 'TLSv1.2',
    });
  } catch (error) {
    throw new ProxyError(
      'ERR_INVALID_OPTION',
      `the TLS certificate or key does not load: ${(error as Error).message}`,
    );
  }
}

function pem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

function withTimeout<T extends Socket>(
  socket: T,
  event: 'secure' | 'secureConnect',
  timeout: number,
  what: string,
): Promise<T> {
  // Whoever owns the socket later listens for its errors; until then (and after a failed
  // handshake) an error must not go unheard, which would end the process.
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      const error = new ProxyError('ERR_CONNECT_TIMEOUT', `${what} took longer than ${timeout} ms`);
      // Destroyed without an error: nobody listens for one any more, and an unheard
      // 'error' would end the process.
      socket.destroy();
      reject(error);
    }, timeout);
    const onDone = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(
        error instanceof ProxyError
          ? error
          : new ProxyError('ERR_TLS', `${what} failed: ${error.message}`),
      );
    };
    const onClose = () => {
      cleanup();
      reject(new ProxyError('ERR_PEER_CLOSED', `${what} failed: the peer closed the connection`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off(event, onDone);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    socket.once(event, onDone);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

/**
 * Takes the server role of a TLS handshake on `socket`, a connection from a client. Resolves
 * with the TLS socket once the handshake is done. Reading from `socket` must have stopped:
 * whatever it buffered is handed to TLS as the start of the handshake.
 */
export function acceptTls(
  socket: Socket,
  context: SecureContext,
  timeout: number,
): Promise<TLSSocket> {
  const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
  return withTimeout(secure, 'secure', timeout, 'the TLS handshake with the client');
}

/** What the proxy needs to open TLS toward the server. */
export interface UpstreamTlsParameters {
  readonly upstream: Endpoint;
  readonly verify: boolean;
  readonly ca?: string | Uint8Array;
  readonly servername?: string;
  /** A session of the control connection to resume, for servers that require reuse on data connections. */
  readonly session?: Buffer | undefined;
}

/**
 * Checks that `ca` holds PEM certificates and nothing else, so that a wrong file fails when the
 * proxy starts rather than every AUTH TLS session later (Node accepts garbage in `ca` silently
 * and then verifies nothing against it).
 */
export function checkCertificateAuthorities(ca: string | Uint8Array): void {
  const text = typeof ca === 'string' ? ca : Buffer.from(ca).toString('latin1');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  const rest = text.replace(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g, '');
  if (blocks.length === 0 || rest.trim() !== '') {
    throw new ProxyError(
      'ERR_INVALID_OPTION',
      blocks.length === 0
        ? 'the upstream CA holds no PEM certificate'
        : 'the upstream CA holds something else besides PEM certificates',
    );
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new ProxyError(
        'ERR_INVALID_OPTION',
        `certificate ${index + 1} of the upstream CA does not parse: ${(error as Error).message}`,
      );
    }
  }
}

export function upstreamTlsParameters(options: ResolvedProxyOptions): UpstreamTlsParameters {
  const { verify, ca, servername } = options.upstreamTls;
  if (ca !== undefined) checkCertificateAuthorities(ca);
  return {
    upstream: options.upstream,
    verify,
    ...(ca === undefined ? {} : { ca }),
    ...(servername === undefined ? {} : { servername }),
  };
}

/**
 * Takes the client role of a TLS handshake on `socket`, a connection to the server. Unless
 * `verify` is false the server's certificate must chain to a trusted CA and name the upstream
 * host (an IP address must appear among its subjectAltName IP entries, RFC 6125 §6.4.4 does not
 * let a CN stand for an address).
 */
export function connectTls(
  socket: Socket,
  parameters: UpstreamTlsParameters,
  timeout: number,
): Promise<TLSSocket> {
  const { upstream, verify, ca, servername, session } = parameters;
  const name = servername ?? (isIP(upstream.host) === 0 ? upstream.host : undefined);
  const secure = connectTlsSocket({
    socket,
    host: upstream.host,
    // RFC 6066 §3: SNI carries host names only, never addresses.
    ...(name === undefined ? {} : { servername: name }),
    rejectUnauthorized: verify,
    ...(ca === undefined ? {} : { ca: pem(ca) }),
    ...(session === undefined ? {} : { session }),
    minVersion: 'TLSv1.2',
  });
  return withTimeout(secure, 'secureConnect', timeout, 'the TLS handshake with the server');
}
