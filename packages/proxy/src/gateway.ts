import { createServer, type Server, type Socket } from 'node:net';
import { normalizeAddress } from '@ftpwire/address';
import { AddressRanges } from './address-ranges.js';
import type { ClientOrigin } from './client-origin.js';
import { logDescriptorBudget } from './descriptor-log.js';
import { ProxyError } from './errors.js';
import { formatEndpoint, proxyEvent } from './log.js';
import { MetricsServer } from './metrics-server.js';
import {
  type Endpoint,
  type ProxyOptions,
  type ResolvedProxyOptions,
  resolveProxyOptions,
} from './options.js';
import { PortPool } from './port-pool.js';
import { readProxyHeader } from './proxy-header-io.js';
import { ProxyMetrics } from './proxy-metrics.js';
import { LOCAL } from './replies.js';
import { ControlSession, type SessionContext } from './session.js';
import { type TlsReload, TlsState } from './tls-reload.js';
import { UpstreamPool } from './upstream-pool.js';
import { probeUpstream } from './upstream-prelude.js';
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
  /** The TLS material new sessions get; replaced by {@link reloadTls}, running sessions keep theirs. */
  readonly #tls: TlsState;
  /** What new sessions share; a reload makes a new one, so running sessions keep their own. */
  #context: SessionContext;
  readonly #server: Server;
  readonly #sessions = new Set<ControlSession>();
  /** Sessions open per client address (normalized), for `maxPerIp`. */
  readonly #perAddress = new Map<string, number>();
  readonly #metrics: ProxyMetrics;
  #metricsServer: MetricsServer | undefined;
  #nextId = 1;
  /** Connections from trusted peers whose PROXY header is still being read. */
  #pendingHeaders = 0;
  #stopped: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #draining: Promise<void> | undefined;

  /** Checks the options (throws `ERR_INVALID_OPTION`) and loads the TLS identity. */
  constructor(options: ProxyOptions) {
    const resolved = resolveProxyOptions(options);
    this.#metrics = new ProxyMetrics(() => this.stats());
    this.#tls = new TlsState(resolved, this.#metrics);
    this.#context = {
      options: resolved,
      passivePool: new PortPool(resolved.passivePorts, resolved.bufferSize),
      activePool: new PortPool(undefined, resolved.bufferSize),
      clientContext: this.#tls.clientContext,
      upstreamTls: this.#tls.upstreamTls,
      verbs: new VerbPolicy(resolved.allowVerbs),
      metrics: this.#metrics,
      upstreams: new UpstreamPool(resolved.upstreams, resolved.balance, {
        interval: resolved.healthInterval,
        probe: (endpoint) =>
          probeUpstream(endpoint, {
            connectTimeout: resolved.connectTimeout,
            maxLineLength: resolved.maxLineLength,
            // As sessions reach it: implicit TLS only when the server's leg follows the client's.
            implicitTls: resolved.implicitTls && resolved.upstreamTls.mode === 'match-client',
            upstreamTls: () => this.#context.upstreamTls,
            proxyProtocol: resolved.upstreamProxyProtocol,
          }),
        changed: (upstream, healthy, reason) => {
          if (healthy) this.#metrics.upstream(upstream.name, true);
          proxyEvent(
            this.options.log,
            healthy
              ? `upstream ${upstream.name} greets again: back in`
              : `upstream ${upstream.name} taken out (${reason}), probed every ${resolved.healthInterval} ms`,
            {
              event: healthy ? 'upstream_up' : 'upstream_down',
              level: healthy ? 'info' : 'warn',
              fields: { upstream: upstream.name, reason: reason ?? null },
            },
          );
        },
      }),
      proxyProtocolFrom:
        resolved.proxyProtocolFrom.length > 0
          ? AddressRanges.parse(resolved.proxyProtocolFrom)
          : undefined,
    };
    this.#server = createServer(
      { pauseOnConnect: true, highWaterMark: resolved.bufferSize },
      (socket) => this.#accept(socket),
    );
    this.#server.on('error', (error) =>
      proxyEvent(this.options.log, `listener error: ${error.message}`, {
        event: 'listener_error',
        level: 'error',
        fields: { error: error.message },
      }),
    );
  }

  /**
   * The options with every default applied, as the proxy runs with them (after a
   * {@link reloadTls}, with the TLS material new sessions get).
   */
  get options(): ResolvedProxyOptions {
    return this.#context.options;
  }

  /** Starts listening; resolves with the address bound (the port, when 0 was asked for). */
  listen(): Promise<Endpoint> {
    const { host, port } = this.options.listen;
    return new Promise<Endpoint>((resolve, reject) => {
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
        const listen = formatEndpoint(address.host, address.port);
        const upstream = o.upstreams.map((u) => formatEndpoint(u.host, u.port)).join(', ');
        const balance = o.upstreams.length > 1 ? ` (${o.balance})` : '';
        const trusted =
          o.proxyProtocolFrom.length > 0
            ? `, PROXY headers from ${o.proxyProtocolFrom.join(',')}`
            : '';
        const passive =
          o.passiveMode === 'relay'
            ? ` on ${o.passivePorts ? `ports ${o.passivePorts.min}-${o.passivePorts.max}` : 'any free port'}`
            : '';
        const tls = o.tls ? (o.implicitTls ? 'implicit TLS' : 'explicit TLS (AUTH TLS)') : 'no TLS';
        const mode = o.upstreamTls.mode;
        // The legs' policies are named when they are not the defaults (the line stays as it was).
        const legs = `${mode === 'match-client' ? '' : `, upstream TLS ${mode}`}${
          o.upstreamData === 'client' ? '' : `, upstream data ${o.upstreamData}`
        }`;
        const serverTls = mode === 'on' || (mode === 'match-client' && o.tls !== undefined);
        proxyEvent(
          o.log,
          `listening on ${listen}, upstream ${upstream}${balance}${trusted}, public host ${o.publicHost}, passive ${o.passiveMode}${passive}, active ${o.activeMode}, ${tls}${legs}${
            serverTls && !o.upstreamTls.verify ? ', server certificate NOT verified' : ''
          }`,
          {
            event: 'listening',
            fields: {
              listen,
              upstream,
              public_host: o.publicHost,
              passive_mode: o.passiveMode,
              passive_ports: o.passivePorts ? `${o.passivePorts.min}-${o.passivePorts.max}` : null,
              active_mode: o.activeMode,
              tls: o.tls ? (o.implicitTls ? 'implicit' : 'explicit') : 'none',
              verify_upstream: o.upstreamTls.verify,
              upstream_tls: mode,
              upstream_data: o.upstreamData,
              balance: o.balance,
              proxy_protocol_from:
                o.proxyProtocolFrom.length > 0 ? o.proxyProtocolFrom.join(',') : null,
            },
          },
        );
        logDescriptorBudget(o);
        resolve(address);
      });
    }).then((address) => this.#listenMetrics().then(() => address));
  }

  /** Serves `/metrics` and `/healthz` when `options.metrics` names where. */
  async #listenMetrics(): Promise<void> {
    const where = this.options.metrics;
    if (where === undefined || this.#metricsServer) return;
    const server = new MetricsServer({
      expose: () => this.metricsText(),
      unhealthy: () => (this.#closing ? 'closing' : this.#draining ? 'draining' : undefined),
    });
    try {
      const bound = await server.listen(where);
      this.#metricsServer = server;
      const address = formatEndpoint(bound.host, bound.port);
      proxyEvent(this.options.log, `metrics on http://${address}/metrics`, {
        event: 'metrics_listening',
        fields: { address },
      });
    } catch (error) {
      // The FTP listener is up: close it, so that a failed start holds nothing.
      await this.#stopListening();
      throw error;
    }
  }

  /**
   * Every metric of the proxy in the Prometheus text exposition format (version 0.0.4): what
   * `/metrics` serves with `options.metrics`, for a program that serves or pushes it itself.
   * The README lists every metric.
   *
   * @example
   * ```ts
   * import { FtpProxy } from '@ftpwire/proxy';
   *
   * const proxy = new FtpProxy({
   *   listen: { host: '127.0.0.1', port: 0 },
   *   upstream: { host: '127.0.0.1', port: 2121 },
   * });
   * const text = proxy.metricsText();
   * text.includes('# TYPE ftpwire_proxy_sessions_total counter\n'); // => true
   * text.includes('\nftpwire_proxy_sessions_total 0\n'); // => true
   * ```
   */
  metricsText(): string {
    return this.#metrics.registry.expose();
  }

  /** Where `/metrics` is served, once it is (with `options.metrics`). */
  metricsAddress(): Endpoint | undefined {
    return this.#metricsServer?.address();
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
      const stopped = this.#stopListening();
      const sessions = [...this.#sessions];
      for (const session of sessions) session.shutdown();
      await Promise.all([stopped, ...sessions.map((session) => session.done)]);
      await this.#metricsServer?.close();
      this.#context.upstreams.close();
      proxyEvent(this.options.log, 'closed', { event: 'closed' });
    })();
    return this.#closing;
  }

  /**
   * Shuts down gently: stops accepting clients, lets every command under way finish (a
   * transfer, up to its final reply and the last byte relayed) and then ends each session with
   * `421`; sessions with nothing under way get the `421` at once, and a command sent meanwhile
   * is answered by it. After `drainTimeout` whatever is left is closed as {@link close} does.
   * `/healthz` answers `503 draining` meanwhile, so a load balancer sends new clients elsewhere.
   *
   * @example
   * ```ts
   * import { FtpProxy } from '@ftpwire/proxy';
   *
   * const proxy = new FtpProxy({
   *   listen: { host: '127.0.0.1', port: 0 },
   *   upstream: { host: '127.0.0.1', port: 2121 },
   *   drainTimeout: 30_000, // the CLI's --drain-timeout, its default
   * });
   * await proxy.listen();
   * // What the CLI does on SIGTERM (SIGINT calls close() instead):
   * await proxy.drain();
   * proxy.stats().sessions; // => 0
   * ```
   */
  drain(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#draining ??= (async () => {
      this.#metrics.draining.labels().set(1);
      const sessions = [...this.#sessions];
      const timeout = this.options.drainTimeout;
      proxyEvent(
        this.options.log,
        `draining: ${sessions.length} session(s), for at most ${timeout} ms`,
        { event: 'drain', fields: { sessions: sessions.length, timeout_ms: timeout } },
      );
      void this.#stopListening();
      for (const session of sessions) session.drain();
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        Promise.all(sessions.map((session) => session.done)).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeout);
        }),
      ]);
      clearTimeout(timer);
      if (late) {
        proxyEvent(
          this.options.log,
          `drain timeout: closing ${this.#sessions.size} session(s) still open`,
          { event: 'drain_timeout', level: 'warn', fields: { sessions: this.#sessions.size } },
        );
      }
      await this.close();
    })();
    return this.#draining;
  }

  /**
   * Replaces the TLS certificate and key shown to clients, and the CAs trusted for the server,
   * for sessions that start from now on; running sessions keep what they started with (their
   * data connections resume their own TLS sessions). `load` is called at once; if it throws, or
   * what it gives does not load, the proxy keeps what it had, logs why (`tls_reload`, level
   * `error`) and throws that error. What the CLI does on SIGHUP, with the files re-read.
   *
   * @example
   * ```ts
   * import { FtpProxy, ProxyError } from '@ftpwire/proxy';
   *
   * const proxy = new FtpProxy({
   *   listen: { host: '127.0.0.1', port: 0 },
   *   upstream: { host: '127.0.0.1', port: 2121 },
   * });
   * // A proxy started without a certificate has none to replace.
   * try {
   *   proxy.reloadTls(() => ({ tls: { cert: 'not a certificate', key: 'not a key' } }));
   * } catch (error) {
   *   (error as ProxyError).code; // => 'ERR_INVALID_OPTION'
   * }
   * proxy.options.tls; // => undefined
   * ```
   */
  reloadTls(load: () => TlsReload): void {
    const next = this.#tls.reload(load, this.#context.options, this.options.log);
    this.#context = {
      ...this.#context,
      options: next,
      clientContext: this.#tls.clientContext,
      upstreamTls: this.#tls.upstreamTls,
    };
  }

  /**
   * Closes the listener once; resolves when every connection it accepted is closed too (the
   * server's 'close' event fires once only, so a second `server.close` would wait for ever).
   */
  #stopListening(): Promise<void> {
    this.#stopped ??= new Promise<void>((resolve) => this.#server.close(() => resolve()));
    return this.#stopped;
  }

  #accept(socket: Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {});
    if (this.#draining) {
      this.#refuse(socket, LOCAL.shutdown, 'draining', 'the proxy is draining');
      return;
    }
    const options = this.options;
    let address: string;
    try {
      address = normalizeAddress(socket.remoteAddress ?? '');
    } catch {
      // A socket that closed before it was accepted has no address left to read.
      socket.destroy();
      return;
    }
    if (this.#sessions.size + this.#pendingHeaders >= options.maxSessions) {
      this.#refuse(socket, LOCAL.tooMany, 'max_sessions', `${options.maxSessions} sessions open`);
      return;
    }
    const own: ClientOrigin = {
      address,
      port: socket.remotePort ?? 0,
      destination: { host: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      via: undefined,
    };
    if (!this.#context.proxyProtocolFrom?.includes(address)) {
      this.#admit(socket, own);
      return;
    }
    // A trusted balancer: its PROXY header says who the client is, before any FTP byte (§2).
    this.#pendingHeaders++;
    readProxyHeader(socket, options.connectTimeout).then(
      (header) => {
        this.#pendingHeaders--;
        if (this.#closing || this.#draining) {
          socket.destroy();
          return;
        }
        const source = header.source;
        this.#admit(
          socket,
          source && header.destination
            ? {
                address: normalizeAddress(source.host),
                port: source.port,
                destination: header.destination,
                via: address,
              }
            : { ...own, via: address },
        );
      },
      (error: ProxyError) => {
        this.#pendingHeaders--;
        this.#metrics.sessionsRefused.labels('proxy_header').inc();
        const peer = formatEndpoint(socket.remoteAddress, socket.remotePort);
        proxyEvent(
          this.options.log,
          `refused ${peer}: ${error.message}`,
          {
            event: 'refused',
            level: 'warn',
            fields: { reason: 'proxy_header', detail: error.message },
          },
          peer,
        );
        // §2.1: "abort the connection": no FTP byte, not even a 421.
        socket.destroy();
      },
    );
  }

  /** Starts a session for `origin`, the client's real address, within the per-address limit. */
  #admit(socket: Socket, origin: ClientOrigin): void {
    const options = this.options;
    const address = origin.address;
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (fromAddress >= options.maxPerIp) {
      this.#refuse(
        socket,
        LOCAL.tooManyFromYou,
        'max_per_ip',
        `${options.maxPerIp} sessions open from ${address}`,
      );
      return;
    }
    this.#perAddress.set(address, fromAddress + 1);
    this.#metrics.sessionsTotal.inc();
    const session = new ControlSession(this.#context, socket, this.#nextId++, origin);
    this.#sessions.add(session);
    session.done.then(() => {
      this.#sessions.delete(session);
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left === 0) this.#perAddress.delete(address);
      else this.#perAddress.set(address, left);
    });
    void session.start();
  }

  /** `reason`: the metrics label, open to new causes (`max_sessions`, `max_per_ip`, `draining`). */
  #refuse(socket: Socket, reply: Uint8Array, reason: string, why: string): void {
    this.#metrics.sessionsRefused.labels(reason).inc();
    const peer = formatEndpoint(socket.remoteAddress, socket.remotePort);
    proxyEvent(
      this.options.log,
      `refused ${peer}: ${why}`,
      { event: 'refused', level: 'warn', fields: { reason, detail: why } },
      peer,
    );
    // RFC 959 §5.4: 421 is the reply for a service that cannot take the connection now.
    if (!this.options.implicitTls) socket.end(reply);
    else socket.destroy();
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
