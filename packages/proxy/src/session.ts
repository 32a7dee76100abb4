import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { ChannelRequest } from './channel-handle.js';
import { ControlSide } from './control-side.js';
import { connectTcp, DataChannel, type DataChannelContext } from './data-channel.js';
import type { DataRelay } from './data-relay.js';
import { ProxyError } from './errors.js';
import { formatEndpoint, SessionLog } from './log.js';
import type { ResolvedProxyOptions } from './options.js';
import type { PooledListener, PortPool } from './port-pool.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import { LOCAL } from './replies.js';
import { SessionCore, type SessionEffects, type TlsLegs, toProxyError } from './session-core.js';
import { acceptTls, connectTls, type UpstreamTlsParameters } from './tls.js';
import type { VerbPolicy } from './verbs.js';

/** What every session shares with its gateway. */
export interface SessionContext {
  readonly options: ResolvedProxyOptions;
  /** Ports for relayed passive connections (`passivePorts`). */
  readonly passivePool: PortPool;
  /** Any free port, for the listeners active mode opens toward the server. */
  readonly activePool: PortPool;
  readonly clientContext: SecureContext | undefined;
  readonly upstreamTls: UpstreamTlsParameters;
  readonly verbs: VerbPolicy;
  /** The proxy's metrics, which every session counts into. */
  readonly metrics: ProxyMetrics;
}

/**
 * One client's session: the sockets, TLS, timers and data channels around a
 * {@link SessionCore}, which makes every protocol decision. Client bytes go to the core as they
 * come (the core asks for reading to stop while it holds unjudged input); what the core writes
 * goes out with backpressure in both directions.
 */
export class ControlSession {
  readonly id: number;
  /** Resolves once every socket and listener of the session is closed. */
  readonly done: Promise<void>;
  readonly #context: SessionContext;
  readonly #options: ResolvedProxyOptions;
  readonly #log: SessionLog;
  readonly #client: ControlSide;
  #upstream: ControlSide | undefined;
  readonly #core: SessionCore;
  #tlsSession: Buffer | undefined;
  readonly #channels = new Set<DataChannel>();
  readonly #relays = new Set<DataRelay>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;
  #upgrading = false;
  #finished = false;
  #error: ProxyError | undefined;
  #openSockets = 0;
  #resolveDone!: () => void;
  readonly #started = Date.now();
  readonly #clientEndpoint: string;
  /** The server's `host:port` as configured: the label of its health in the metrics. */
  readonly #upstreamEndpoint: string;
  readonly #metrics: ProxyMetrics;
  #greeted = false;
  readonly #channelContext: DataChannelContext;

  /** `clientAddress`: the client's real address (the socket's peer unless a load balancer says otherwise). */
  constructor(context: SessionContext, client: Socket, id: number, clientAddress: string) {
    this.id = id;
    this.#context = context;
    const options = context.options;
    this.#options = options;
    this.#clientEndpoint = formatEndpoint(client.remoteAddress, client.remotePort);
    this.#upstreamEndpoint = formatEndpoint(options.upstream.host, options.upstream.port);
    this.#metrics = context.metrics;
    this.#log = new SessionLog(options.log, id, this.#clientEndpoint, this.#upstreamEndpoint);
    this.#client = new ControlSide(client, {
      data: (chunk) => this.#fromClient(chunk),
      gone: (error) => this.#gone('client', error),
      drained: () => {
        this.#upstream?.hold('client-full', false);
        this.#core.clientDrained();
      },
    });
    this.#client.hold('starting', true);
    this.#core = new SessionCore(
      {
        passiveMode: options.passiveMode,
        activeMode: options.activeMode,
        publicHost: options.publicHost,
        tls: context.clientContext !== undefined,
        implicitTls: options.implicitTls,
        upstreamTls: options.upstreamTls.mode,
        upstreamData: options.upstreamData,
        clientAddress,
        maxLineLength: options.maxLineLength,
        maxPendingCommands: options.maxPendingCommands,
        verbs: context.verbs,
        observer: context.metrics.observer,
      },
      this.#effects,
    );
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    this.#channelContext = {
      connectTimeout: options.connectTimeout,
      dataTimeout: options.dataTimeout,
      idleTimeout: options.idleTimeout,
      bufferSize: options.bufferSize,
      clientContext: context.clientContext,
      upstreamTls: context.upstreamTls,
      clientControl: () => this.#client.socket,
      upstreamControl: () => this.#upstream!.socket,
      dataProtection: () => this.#core.dataProtection,
      upstreamSession: () => this.#tlsSession,
      serverTlsFirst: undefined,
      metrics: context.metrics,
      log: (line, detail) => this.#log.line(line, detail),
      relayStarted: (relay) => {
        this.#relays.add(relay);
      },
      relayEnded: (relay) => {
        this.#relays.delete(relay);
        this.#touch();
      },
    };
    this.#track(client);
  }

  /** Open data channels (listeners and relays), for accounting. */
  get dataChannels(): number {
    return this.#channels.size;
  }

  /** Connects to the server and starts relaying. Never rejects: failures close the session. */
  async start(): Promise<void> {
    const options = this.#options;
    this.#log.line(`open from ${this.#clientEndpoint}`, { event: 'session_open' });
    this.#touch();
    this.#timer('login', options.loginTimeout, () => {
      if (this.#core.loggedIn) return;
      this.#log.line(`not logged in within ${options.loginTimeout} ms`, {
        event: 'login_timeout',
        level: 'warn',
        fields: { timeout_ms: options.loginTimeout },
      });
      this.#core.closeWith(
        LOCAL.login,
        new ProxyError('ERR_IDLE_TIMEOUT', `not logged in within ${options.loginTimeout} ms`),
      );
    });
    // What was under way when a failure came: the client's handshake, or reaching the server.
    let reaching = false;
    try {
      if (options.implicitTls) {
        const raw = this.#client.detach();
        const secure = await this.#handshake('client', 'control', () =>
          acceptTls(raw, this.#context.clientContext!, options.connectTimeout),
        );
        this.#track(secure);
        this.#client.replace(secure);
      }
      if (this.#closed) return;
      reaching = true;
      let upstream = await connectTcp(
        options.upstream.host,
        options.upstream.port,
        undefined,
        options.connectTimeout,
        options.bufferSize,
      );
      this.#track(upstream);
      if (this.#closed) {
        upstream.destroy();
        return;
      }
      // Implicit TLS toward the server only when its leg follows the client's (`upstreamTls`).
      const implicitUpstream = options.implicitTls && options.upstreamTls.mode === 'match-client';
      if (implicitUpstream) upstream = await this.#connectUpstreamTls(upstream);
      if (this.#closed) {
        upstream.destroy();
        return;
      }
      this.#upstream = new ControlSide(upstream, {
        data: (chunk) => this.#fromServer(chunk),
        gone: (error) => this.#gone('server', error),
        drained: () => this.#core.serverDrained(),
      });
      reaching = false;
      const local = formatEndpoint(upstream.localAddress, upstream.localPort);
      const remote = formatEndpoint(upstream.remoteAddress, upstream.remotePort);
      this.#log.line(`upstream ${local} -> ${remote}${implicitUpstream ? ' (implicit TLS)' : ''}`, {
        event: 'upstream_connected',
        fields: { local, remote, implicit_tls: implicitUpstream },
      });
      // A server that accepts and never greets holds the client as long as it likes otherwise.
      this.#timer('greeting', options.connectTimeout, () => {
        this.#metrics.upstream(this.#upstreamEndpoint, false, 'ERR_CONNECT_TIMEOUT');
        this.#log.line(`the server did not greet within ${options.connectTimeout} ms`, {
          event: 'greeting_timeout',
          level: 'warn',
          fields: { timeout_ms: options.connectTimeout },
        });
        this.#core.closeWith(
          LOCAL.serverSilent,
          new ProxyError('ERR_CONNECT_TIMEOUT', `no greeting within ${options.connectTimeout} ms`),
        );
      });
      if (!options.implicitTls) this.#client.attach();
      this.#upstream.attach();
      this.#client.hold('starting', false);
    } catch (error) {
      const failure = toProxyError(error);
      if (reaching) this.#metrics.upstream(this.#upstreamEndpoint, false, failure.code);
      this.#log.line(`cannot start: ${failure.message}`, {
        event: 'start_failed',
        level: 'warn',
        fields: { code: failure.code, error: failure.message },
      });
      // Tell the client why, in its own protocol, unless its implicit TLS handshake is what failed.
      if (!options.implicitTls || this.#client.socket instanceof TLSSocket) {
        this.#core.closeWith(LOCAL.unreachable, failure);
      } else {
        this.close(failure);
      }
    }
  }

  /** Ends the session: every socket and listener is closed. Idempotent. */
  close(error?: ProxyError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    // An orderly end lets transfers in flight finish (a client reads all data before it
    // quits, but the proxy may still hold the tail of it); an error ends them too.
    for (const channel of [...this.#channels]) if (error || channel.waiting) channel.close();
    const client = this.#client.socket;
    const upstream = this.#upstream?.socket;
    if (error) {
      // Let a 421 written just before reach the client, but do not wait on a peer that stalls.
      client.end();
      setImmediate(() => client.destroy());
      upstream?.destroy();
    } else {
      client.end();
      upstream?.end();
      // A peer that never closes its side is not waited for.
      setTimeout(() => {
        client.destroy();
        upstream?.destroy();
      }, 1000).unref();
    }
    this.#maybeFinish();
  }

  /**
   * The proxy is draining: commands under way (a transfer) finish, then the session ends with a
   * 421; nothing new starts. {@link shutdown} still cuts it short.
   */
  drain(): void {
    this.#core.drain();
  }

  /** Ends the session with a 421 to the client (the gateway shutting down). */
  shutdown(): void {
    const error = new ProxyError('ERR_PEER_CLOSED', 'the proxy is shutting down');
    this.#core.closeWith(LOCAL.shutdown, error);
    this.close(error);
  }

  // --- what the core asks for ----------------------------------------------------------------

  readonly #effects: SessionEffects = {
    toServer: (bytes) => this.#upstream?.write(bytes) ?? true,
    toClient: (bytes) => {
      const ok = this.#client.write(bytes);
      // Replies the client does not read would pile up: the server is not read meanwhile.
      if (!ok) this.#upstream?.hold('client-full', true);
      return ok;
    },
    holdClient: (held) => this.#client.hold('core', held),
    openChannel: (request) => {
      this.#openChannel(request).then(
        (channel) => this.#core.channelOpened(channel),
        (error: unknown) => this.#core.channelFailed(toProxyError(error)),
      );
    },
    abortTransfers: () => {
      for (const channel of [...this.#channels]) channel.close();
    },
    startTls: (legs) => this.#startTls(legs),
    activity: () => {
      this.#touch();
      if (this.#core.loggedIn) this.#clearTimer('login');
    },
    log: (line, detail) => this.#log.line(line, detail),
    end: (error) => this.close(error),
  };

  // --- sockets -------------------------------------------------------------------------------

  /** Counts the session's sockets so that `done` resolves only when all are closed. */
  #track(socket: Socket): void {
    this.#openSockets++;
    socket.on('error', () => {});
    socket.once('close', () => {
      this.#openSockets--;
      this.#maybeFinish();
    });
  }

  #maybeFinish(): void {
    if (!this.#closed || this.#finished || this.#openSockets > 0 || this.#channels.size > 0) return;
    this.#finished = true;
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(1);
    const error = this.#error;
    const reason = error ? ` (${error.code}: ${error.message})` : '';
    this.#metrics.sessionsClosed.labels(error?.code ?? 'ok').inc();
    this.#log.line(`close after ${seconds} s${reason}`, {
      event: 'session_close',
      level: error ? 'warn' : 'info',
      fields: {
        seconds: Number(seconds),
        code: error?.code ?? null,
        error: error?.message ?? null,
      },
    });
    this.#resolveDone();
  }

  /** A side ended, closed or broke its control connection: the session ends with it. */
  #gone(side: 'client' | 'server', error: Error | undefined): void {
    if (this.#closed) return;
    if (side === 'server') {
      // RFC 959: the client hears 421 (and 426 for a transfer in flight) rather than a bare close.
      this.#core.serverLost(
        new ProxyError(
          'ERR_PEER_CLOSED',
          `server control connection ${error ? `failed: ${error.message}` : 'closed'}`,
        ),
      );
      return;
    }
    this.close(
      error && new ProxyError('ERR_PEER_CLOSED', `client control connection: ${error.message}`),
    );
  }

  #fromClient(chunk: Buffer): void {
    if (this.#closed) return;
    this.#metrics.controlBytes.to_server[this.#core.secure ? 'tls' : 'clear'].value += chunk.length;
    this.#core.pushClient(chunk);
    // A line must end in time: bytes dripping in without a line end do not keep a session.
    if (this.#core.midLine) {
      if (!this.#timers.has('line')) {
        const limit = this.#options.lineTimeout;
        this.#timer('line', limit, () =>
          this.#core.closeWith(
            LOCAL.slowLine,
            new ProxyError('ERR_IDLE_TIMEOUT', `a command line took longer than ${limit} ms`),
          ),
        );
      }
    } else {
      this.#clearTimer('line');
    }
  }

  #fromServer(chunk: Buffer): void {
    if (this.#closed) return;
    // Counted by the protection of the leg they came on (`upstreamTls` may set it apart).
    this.#metrics.controlBytes.to_client[this.#core.serverSecure ? 'tls' : 'clear'].value +=
      chunk.length;
    if (!this.#greeted) {
      this.#greeted = true;
      this.#clearTimer('greeting');
      this.#metrics.upstream(this.#upstreamEndpoint, true);
    }
    this.#client.batch(() => this.#core.pushServer(chunk));
  }

  #timer(name: string, ms: number, fire: () => void): void {
    clearTimeout(this.#timers.get(name));
    this.#timers.set(
      name,
      setTimeout(() => {
        this.#timers.delete(name);
        if (!this.#closed) fire();
      }, ms),
    );
  }

  #clearTimer(name: string): void {
    clearTimeout(this.#timers.get(name));
    this.#timers.delete(name);
  }

  /** The idle timeout counts whole commands, replies and data moving, never stray bytes. */
  #touch(): void {
    if (this.#closed) return;
    this.#timer('idle', this.#options.idleTimeout, this.#onIdle);
  }

  readonly #onIdle = (): void => {
    // A TLS handshake under way has its own limit (connectTimeout).
    if (this.#relays.size > 0 || this.#upgrading) {
      // A transfer is running: the control connection is quiet by design (RFC 959 §5.4).
      this.#touch();
      return;
    }
    this.#core.closeWith(
      LOCAL.idle,
      new ProxyError('ERR_IDLE_TIMEOUT', `nothing moved for ${this.#options.idleTimeout} ms`),
    );
  };

  // --- data channels -------------------------------------------------------------------------

  /**
   * Listens for one data connection, from the client (passive) or the server (active); or, for
   * active-passive, makes a channel that will dial both.
   */
  async #openChannel(request: ChannelRequest): Promise<DataChannel> {
    // RFC 959 §4.1.2: a newer PASV or PORT replaces a data channel nobody connected to.
    for (const channel of this.#channels) if (channel.waiting) channel.close();
    if (request.mode === 'active-passive') {
      return this.#keepChannel(
        new DataChannel(
          request.mode,
          undefined,
          this.#upstream!.socket.localAddress!,
          this.#channelContext,
          this.#channelClosed,
          request.clientPort,
        ),
      );
    }
    const passive = request.mode === 'passive';
    const pool = passive ? this.#context.passivePool : this.#context.activePool;
    // The client reaches the proxy where its control connection did; the server reaches it
    // where the upstream control connection comes from.
    const host = (
      passive ? this.#client.socket.localAddress : this.#upstream!.socket.localAddress
    )!;
    let channel: DataChannel | undefined;
    let listener: PooledListener;
    try {
      listener = await pool.listen(
        host,
        (socket) => {
          if (channel) channel.accept(socket);
          else socket.destroy();
        },
        (error) =>
          this.#log.line(`${request.mode} listener: ${error.message}`, {
            event: 'data_error',
            level: 'warn',
            fields: { mode: request.mode, error: error.message },
          }),
      );
    } catch (error) {
      this.#metrics.dataFailed.labels(request.mode, 'no_port').inc();
      throw error;
    }
    channel = new DataChannel(
      request.mode,
      listener,
      host,
      this.#channelContext,
      this.#channelClosed,
    );
    if (request.mode === 'active') channel.setTarget(request.clientPort);
    return this.#keepChannel(channel);
  }

  readonly #channelClosed = (closed: DataChannel): void => {
    this.#channels.delete(closed);
    this.#maybeFinish();
  };

  #keepChannel(channel: DataChannel): DataChannel {
    if (this.#closed) {
      channel.close();
      throw new ProxyError('ERR_PEER_CLOSED', 'the session ended');
    }
    this.#channels.add(channel);
    return channel;
  }

  // --- TLS -----------------------------------------------------------------------------------

  /**
   * After a 234: the control connections of `legs` start TLS where the clear text stopped
   * (RFC 4217 §4); the other leg's stays as it is (`upstreamTls` on or off). While only the
   * client's changes, the server is not read: its replies wait for the client's TLS.
   */
  #startTls(legs: TlsLegs): void {
    const clientRaw = legs === 'server' ? undefined : this.#client.detach();
    const upstreamRaw = legs === 'client' ? undefined : this.#upstream!.detach();
    if (legs === 'client') this.#upstream?.hold('client-tls', true);
    this.#upgrading = true;
    const timeout = this.#options.connectTimeout;
    // The client's handshake first, then the server's: a client that fails costs the server
    // nothing, and servers that start TLS only once the 234 has left their socket (ftp-srv
    // 4.6.3 wraps it after the write callback) are not sent a ClientHello they would read as
    // a command.
    const clientDone: Promise<TLSSocket | undefined> = clientRaw
      ? this.#handshake('client', 'control', () =>
          acceptTls(clientRaw, this.#context.clientContext!, timeout),
        )
      : Promise.resolve(undefined);
    clientDone
      .then(
        async (client) =>
          [client, upstreamRaw ? await this.#connectUpstreamTls(upstreamRaw) : undefined] as const,
      )
      .then(
        ([client, upstream]) => {
          this.#upgrading = false;
          this.#upstream?.hold('client-tls', false);
          if (this.#closed) {
            client?.destroy();
            upstream?.destroy();
            return;
          }
          if (client) this.#track(client);
          const fields: Record<string, string | null> = {};
          const parts: string[] = [];
          for (const [peer, socket] of [
            ['client', client],
            ['server', upstream],
          ] as const) {
            if (socket === undefined) continue;
            fields[`${peer}_protocol`] = socket.getProtocol();
            fields[`${peer}_cipher`] = socket.getCipher().name;
            parts.push(`${peer} ${socket.getProtocol()} ${socket.getCipher().name}`);
          }
          this.#log.line(`tls ${parts.join(', ')}`, { event: 'tls', fields });
          if (client) this.#client.replace(client);
          if (upstream) this.#upstream!.replace(upstream);
          this.#core.tlsReady();
        },
        (error: unknown) => {
          this.#upgrading = false;
          this.close(toProxyError(error));
        },
      );
  }

  /** A TLS handshake, counted in the metrics when it fails. */
  async #handshake(
    peer: 'client' | 'server',
    channel: 'control' | 'data',
    start: () => Promise<TLSSocket>,
  ): Promise<TLSSocket> {
    try {
      return await start();
    } catch (error) {
      this.#metrics.tlsFailed.labels(peer, channel).inc();
      throw error;
    }
  }

  async #connectUpstreamTls(raw: Socket): Promise<TLSSocket> {
    const tls = await this.#handshake('server', 'control', () =>
      connectTls(raw, this.#context.upstreamTls, this.#options.connectTimeout),
    );
    this.#track(tls);
    // TLS 1.3 delivers tickets after the handshake; the latest is offered on data connections.
    const session = tls.getSession();
    if (session) this.#tlsSession = session;
    tls.on('session', (ticket: Buffer) => {
      this.#tlsSession = ticket;
    });
    return tls;
  }
}
