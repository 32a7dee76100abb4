import { createServer, type Server, type Socket } from 'node:net';
import { normalizeAddress } from '@ftpwire/address';
import { ProxyError } from './errors.js';
import { formatEndpoint } from './log.js';
import {
  type Endpoint,
  type ProxyOptions,
  type ResolvedProxyOptions,
  resolveProxyOptions,
} from './options.js';
import { PortPool } from './port-pool.js';
import { LOCAL } from './replies.js';
import { ControlSession, type SessionContext } from './session.js';
import { createClientContext, upstreamTlsParameters } from './tls.js';
import { VerbPolicy } from './verbs.js';

/**
 * Counts of what a running proxy holds, for monitoring and leak checks.
 *
 * @example
 * ```ts
 * import { FtpProxy, type ProxyStats } from '@ftpwire/proxy';
 *
 * // A leak check for tests: once closed, the proxy holds nothing.
 * const holdsNothing = (stats: ProxyStats) =>
 *   stats.sessions === 0 && stats.dataChannels === 0 && stats.passivePorts === 0;
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 * });
 * await proxy.listen();
 * await proxy.close();
 * holdsNothing(proxy.stats()); // => true
 * proxy.stats().sessionsTotal; // => 0
 * ```
 */
export interface ProxyStats {
  /** Sessions with a socket or listener still open. */
  readonly sessions: number;
  /** Data channels waiting for a connection or relaying one. */
  readonly dataChannels: number;
  /** Ports of the passive range in use. */
  readonly passivePorts: number;
  /** Sessions accepted since `listen()`. */
  readonly sessionsTotal: number;
}

/**
 * An FTP/FTPS application-level gateway: accepts clients, relays each to the upstream server
 * through a NAT session that advertises the proxy's public address, relays passive and active
 * data connections, and terminates TLS on both sides when given a certificate.
 *
 * @example
 * ```ts
 * import { FtpProxy } from '@ftpwire/proxy';
 *
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 }, // port 0: any free port, as in tests
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   publicHost: '127.0.0.3',
 *   passivePorts: { min: 40000, max: 40099 },
 *   log: (line) => console.log(line),
 * });
 * const { port } = await proxy.listen();
 * proxy.address(); // => { host: '127.0.0.1', port }
 * // ... clients connect to the port; the upstream is dialled per session.
 * await proxy.close();
 * ```
 */
export class FtpProxy {
  /** The options with every default applied, as the proxy runs with them. */
  readonly options: ResolvedProxyOptions;
  readonly #context: SessionContext;
  readonly #server: Server;
  readonly #sessions = new Set<ControlSession>();
  /** Sessions open per client address (normalized), for `maxPerIp`. */
  readonly #perAddress = new Map<string, number>();
  #nextId = 1;
  #closing: Promise<void> | undefined;

  /** Checks the options (throws `ERR_INVALID_OPTION`) and loads the TLS identity. */
  constructor(options: ProxyOptions) {
    this.options = resolveProxyOptions(options);
    const resolved = this.options;
    this.#context = {
      options: resolved,
      passivePool: new PortPool(resolved.passivePorts, resolved.bufferSize),
      activePool: new PortPool(undefined, resolved.bufferSize),
      clientContext: resolved.tls ? createClientContext(resolved.tls) : undefined,
      upstreamTls: upstreamTlsParameters(resolved),
      verbs: new VerbPolicy(resolved.allowVerbs),
    };
    this.#server = createServer(
      { pauseOnConnect: true, highWaterMark: resolved.bufferSize },
      (socket) => this.#accept(socket),
    );
    this.#server.on('error', (error) => resolved.log?.(`listener error: ${error.message}`));
  }

  /** Starts listening; resolves with the address bound (the port, when 0 was asked for). */
  listen(): Promise<Endpoint> {
    const { host, port } = this.options.listen;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          new ProxyError(
            'ERR_CONNECT_FAILED',
            `cannot listen on ${formatEndpoint(host, port)}: ${error.code ?? error.message}`,
          ),
        );
      };
      this.#server.once('error', onError);
      this.#server.listen({ host, port }, () => {
        this.#server.off('error', onError);
        const address = this.address()!;
        const o = this.options;
        o.log?.(
          `listening on ${formatEndpoint(address.host, address.port)}, upstream ${formatEndpoint(o.upstream.host, o.upstream.port)}, ` +
            `public host ${o.publicHost}, passive ${o.passiveMode}${
              o.passiveMode === 'relay'
                ? ` on ${o.passivePorts ? `ports ${o.passivePorts.min}-${o.passivePorts.max}` : 'any free port'}`
                : ''
            }, active ${o.activeMode}, ${
              o.tls ? (o.implicitTls ? 'implicit TLS' : 'explicit TLS (AUTH TLS)') : 'no TLS'
            }${o.tls && !o.upstreamTls.verify ? ', server certificate NOT verified' : ''}`,
        );
        resolve(address);
      });
    });
  }

  /** Where the proxy listens, once it does. */
  address(): Endpoint | undefined {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') return undefined;
    return { host: address.address, port: address.port };
  }

  /** What the proxy holds right now (see {@link ProxyStats}). */
  stats(): ProxyStats {
    let dataChannels = 0;
    for (const session of this.#sessions) dataChannels += session.dataChannels;
    return {
      sessions: this.#sessions.size,
      dataChannels,
      passivePorts: this.#context.passivePool.size,
      sessionsTotal: this.#nextId - 1,
    };
  }

  /**
   * Stops accepting clients and ends every session (their sockets are closed, transfers in
   * flight are cut). Resolves when everything the proxy opened is closed.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      const sessions = [...this.#sessions];
      for (const session of sessions) session.shutdown();
      await Promise.all([stopped, ...sessions.map((session) => session.done)]);
      this.options.log?.('closed');
    })();
    return this.#closing;
  }

  #accept(socket: Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {});
    const options = this.options;
    let address: string;
    try {
      address = normalizeAddress(socket.remoteAddress ?? '');
    } catch {
      // A socket that closed before it was accepted has no address left to read.
      socket.destroy();
      return;
    }
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (this.#sessions.size >= options.maxSessions) {
      this.#refuse(socket, LOCAL.tooMany, `${options.maxSessions} sessions open`);
      return;
    }
    if (fromAddress >= options.maxPerIp) {
      this.#refuse(
        socket,
        LOCAL.tooManyFromYou,
        `${options.maxPerIp} sessions open from ${address}`,
      );
      return;
    }
    this.#perAddress.set(address, fromAddress + 1);
    const session = new ControlSession(this.#context, socket, this.#nextId++, address);
    this.#sessions.add(session);
    session.done.then(() => {
      this.#sessions.delete(session);
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left === 0) this.#perAddress.delete(address);
      else this.#perAddress.set(address, left);
    });
    void session.start();
  }

  #refuse(socket: Socket, reply: Uint8Array, why: string): void {
    this.options.log?.(
      `refused ${formatEndpoint(socket.remoteAddress, socket.remotePort)}: ${why}`,
    );
    // RFC 959 §5.4: 421 is the reply for a service that cannot take the connection now.
    if (!this.options.implicitTls) socket.end(reply);
    else socket.destroy();
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
