import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type SecureContext, TLSSocket } from 'node:tls';
import { type HostPort, sameAddress } from '@ftpwire/address';
import type { AddressRanges } from './address-ranges.js';
import type { ChannelHandle } from './channel-handle.js';
import { DataRelay, resetSocket, SERVER_END_HOLD } from './data-relay.js';
import { ProxyError } from './errors.js';
import { formatEndpoint, type LogDetail } from './log.js';
import type { PooledListener } from './port-pool.js';
import { readProxyHeader } from './proxy-header-io.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import type { DataProtection } from './session-core.js';
import { connectForRelay } from './socket-reader.js';
import { acceptTls, connectTls, type UpstreamTlsParameters } from './tls.js';

/**
 * How long after a transfer command a server that has sent no preliminary reply is taken to be
 * waiting for its data TLS handshake (see `DataChannel`). vsftpd sends its 150 within a
 * millisecond of the command on loopback; ftp-srv sends none before the handshake.
 */
const SERVER_FIRST_DELAY = 200;

/** What a data channel needs from its session, read when the data connection arrives. */
export interface DataChannelContext {
  readonly connectTimeout: number;
  /** Longest a channel waits for its connection once armed. */
  readonly dataTimeout: number;
  readonly idleTimeout: number;
  /** High-water mark of the dialled data sockets, each direction. */
  readonly bufferSize: number;
  /** The proxy's context toward clients; undefined without `tls`. */
  readonly clientContext: SecureContext | undefined;
  /** Set by the session once it has chosen its server (several upstreams). */
  upstreamTls: UpstreamTlsParameters;
  /**
   * The client's real address (a PROXY header's source behind a load balancer): passive data
   * connections must come from it, active ones go to it.
   */
  readonly clientAddress: string;
  /** Peers trusted to send a PROXY header: their passive data connections begin with one. */
  readonly proxyProtocolFrom: AddressRanges | undefined;
  /** The session's control connections, for the addresses the data connections must match. */
  clientControl(): Socket;
  upstreamControl(): Socket;
  /** Which legs of a data connection set up now are protected (PROT P, RFC 4217 §9). */
  dataProtection(): DataProtection;
  /** The upstream control session to resume on data connections (vsftpd `require_ssl_reuse`). */
  upstreamSession(): Buffer | undefined;
  /**
   * What this session's server did before: true once it took a data handshake before its
   * preliminary reply (ftp-srv), false once it sent the reply first (vsftpd), undefined before
   * the first protected transfer. A server does the same every time.
   */
  serverTlsFirst: boolean | undefined;
  readonly metrics: ProxyMetrics;
  log(line: string, detail?: LogDetail): void;
  /** A data connection started relaying; the session counts it as activity. */
  relayStarted(relay: DataRelay): void;
  relayEnded(relay: DataRelay): void;
}

/**
 * Opens a TCP connection, failing with `ERR_CONNECT_TIMEOUT` after `timeout` ms. `dial` makes the
 * socket: `connectForRelay` for a data connection, so that the relay reads it below streams.
 */
export function connectTcp(
  host: string,
  port: number,
  localAddress: string | undefined,
  timeout: number,
  highWaterMark?: number,
  dial: (options: NetConnectOpts) => Socket = connect,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = dial({
      host,
      port,
      ...(localAddress ? { localAddress } : {}),
      ...(highWaterMark === undefined ? {} : { highWaterMark }),
    });
    socket.pause();
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(
        new ProxyError(
          'ERR_CONNECT_TIMEOUT',
          `connecting to ${formatEndpoint(host, port)} took longer than ${timeout} ms`,
        ),
      );
    }, timeout);
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(
        new ProxyError(
          'ERR_CONNECT_FAILED',
          `cannot connect to ${formatEndpoint(host, port)}: ${error.message}`,
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', onError);
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}

/**
 * One data connection in preparation: a listener the proxy opened for a PASV/EPSV (on the
 * client's side) or a PORT/EPRT (on the server's side), waiting for its one connection. When it
 * comes from the expected peer, the proxy connects to the other side, protects both with TLS
 * when PROT P is in force, and relays.
 *
 * - passive: the client connects to the listener; the proxy dials the server's data port on
 *   the address of the upstream control connection (whatever address the server advertised:
 *   the host a server names is not trusted, as curl and ftplib do not trust it).
 * - active: the server connects to the listener; the proxy dials the port the client named,
 *   on the client's own address.
 * - active-passive: no listener. The client named its port (PORT, EPRT) and the server its own
 *   (the PASV or EPSV the proxy sent instead, `upstreamData`); once the transfer command has
 *   gone to the server, the proxy dials both, from the addresses of the control connections.
 *
 * The client is the TLS client on data connections in every mode (RFC 4217 §7), so the proxy
 * is the TLS server toward the client and the TLS client toward the server. The client's
 * handshake comes first and the server's only once it succeeded: a client that fails it costs
 * the server a connection reset before TLS, which it reports as a failed transfer, never a
 * completed one.
 */
export class DataChannel implements ChannelHandle {
  readonly mode: 'passive' | 'active' | 'active-passive';
  readonly address: HostPort;
  readonly #listener: PooledListener | undefined;
  readonly #context: DataChannelContext;
  /** For passive and active-passive: the server's data port; for active: the client's. */
  #target: number | undefined;
  /** active-passive: the port the client listens on. */
  readonly #clientPort: number | undefined;
  /** active-passive: the server's port is known (armed) and the transfer command went out. */
  #armed = false;
  #commandSent = false;
  /** Set once a connection is accepted (or, active-passive, once the proxy dials both). */
  #accepted = false;
  #closed = false;
  #clientFailure: string | undefined;
  #clientUnreachable = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #sockets = new Set<Socket>();
  #relay: DataRelay | undefined;
  readonly #onClosed: (channel: DataChannel) => void;
  /** The transfer command got a preliminary reply: the server waits for the client's TLS. */
  #preliminary = false;
  /** The server takes its handshake first (no preliminary reply came in time). */
  #serverFirst = false;
  #serverFirstTimer: NodeJS.Timeout | undefined;
  readonly #serverFirstWaiters: (() => void)[] = [];
  /** What a failure of the data connection is counted as: the step under way. */
  #stage = 'connect';
  /** The transfer's final reply: true for a 2xx, false for a failure; undefined before it. */
  #complete: boolean | undefined;

  /**
   * `listener` for passive and active; none for active-passive, which is given `clientPort`
   * (its `address` and `port` then name no listener: port 0).
   */
  constructor(
    mode: 'passive' | 'active' | 'active-passive',
    listener: PooledListener | undefined,
    host: string,
    context: DataChannelContext,
    onClosed: (channel: DataChannel) => void,
    clientPort?: number,
  ) {
    this.mode = mode;
    this.#listener = listener;
    this.address = { host, port: listener?.port ?? 0 };
    this.#context = context;
    this.#onClosed = onClosed;
    this.#clientPort = clientPort;
  }

  /** The port the proxy listens on for this data connection (0 without a listener). */
  get port(): number {
    return this.#listener?.port ?? 0;
  }

  get open(): boolean {
    return !this.#closed;
  }

  get clientFailure(): string | undefined {
    return this.#clientFailure;
  }

  get clientUnreachable(): boolean {
    return this.#clientUnreachable;
  }

  /** True until a connection has been accepted: a newer PASV or PORT replaces such a channel. */
  get waiting(): boolean {
    return !this.#accepted && !this.#closed;
  }

  /** True while a data connection is being set up or relayed. */
  get busy(): boolean {
    return this.#accepted && !this.#closed;
  }

  setTarget(port: number): void {
    this.#target = port;
  }

  /**
   * Starts the wait for the connection: it must come within `dataTimeout` (active-passive: the
   * transfer command that has the proxy dial both sides).
   */
  arm(): void {
    if (this.#closed || this.#accepted || this.#timer !== undefined) return;
    this.#armed = true;
    if (this.#dialIfReady()) return;
    const timeout = this.#context.dataTimeout;
    this.#timer = setTimeout(() => {
      this.#context.metrics.dataFailed.labels(this.mode, 'timeout').inc();
      const what = this.#listener === undefined ? 'transfer command' : 'connection';
      this.#context.log(`data ${this.#name()}: no ${what} within ${timeout} ms`, {
        event: 'data_timeout',
        level: 'warn',
        fields: { mode: this.mode, port: this.port, timeout_ms: timeout },
      });
      this.close();
    }, timeout);
  }

  /**
   * Receives a connection to the listener. A passive one from a load balancer trusted to send a
   * PROXY header (HAProxy forwards the passive range with the same settings; curl's
   * `--haproxy-protocol` sends one on data connections too) is judged by the address its header
   * names, read first; one from anyone else by its own address.
   */
  accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => {});
    const peer = socket.remoteAddress ?? '';
    if (this.mode === 'passive' && this.#context.proxyProtocolFrom?.includes(peer)) {
      readProxyHeader(socket, this.#context.connectTimeout).then(
        (header) => this.#admit(socket, header.source?.host ?? peer, peer),
        (error: Error) => {
          this.#context.metrics.dataFailed.labels(this.mode, 'proxy_header').inc();
          this.#context.log(`data ${this.mode} port ${this.port}: ${error.message}`, {
            event: 'data_refused',
            level: 'warn',
            fields: {
              mode: this.mode,
              port: this.port,
              from: formatEndpoint(peer, socket.remotePort),
              error: error.message,
            },
          });
          socket.destroy();
          this.#sockets.delete(socket);
        },
      );
      return;
    }
    this.#admit(socket, peer, undefined);
  }

  /** `from`: the client's address as the connection or its PROXY header (`via` a balancer) says. */
  #admit(socket: Socket, from: string, via: string | undefined): void {
    const expected =
      this.mode === 'passive'
        ? this.#context.clientAddress
        : (this.#context.upstreamControl().remoteAddress ?? '');
    const fromExpected = safeSame(from, expected);
    if (this.#closed || this.#accepted || this.#target === undefined || !fromExpected) {
      const peer = `${formatEndpoint(from, socket.remotePort)}${via ? ` via ${via}` : ''}`;
      this.#context.metrics.dataFailed
        .labels(this.mode, fromExpected ? 'unexpected' : 'foreign_peer')
        .inc();
      this.#context.log(
        `data ${this.mode} port ${this.port}: refused a connection from ${peer}` +
          (this.#accepted ? ' (already connected)' : fromExpected ? '' : ` (not ${expected})`),
        {
          event: 'data_refused',
          level: 'warn',
          fields: { mode: this.mode, port: this.port, from: peer, expected },
        },
      );
      socket.destroy();
      this.#sockets.delete(socket);
      return;
    }
    this.#accepted = true;
    clearTimeout(this.#timer);
    // One connection per PASV/PORT: the port goes back to the pool at once.
    this.#listener?.release();
    this.#connect(socket).catch((error: unknown) => this.#failed(error));
  }

  /** How the log names this channel: by its listener, or (active-passive) the client's port. */
  #name(): string {
    return this.#listener === undefined
      ? `${this.mode} to client port ${this.#clientPort}`
      : `${this.mode} port ${this.port}`;
  }

  #failed(error: unknown): void {
    const message = (error as Error).message;
    this.#context.metrics.dataFailed.labels(this.mode, this.#stage).inc();
    this.#context.log(`data ${this.#name()}: ${message}`, {
      event: 'data_error',
      level: 'warn',
      fields: { mode: this.mode, port: this.port, stage: this.#stage, error: message },
    });
    this.close();
  }

  async #connect(accepted: Socket): Promise<void> {
    const context = this.#context;
    const arrived = performance.now();
    this.#stage = 'connect';
    const passive = this.mode === 'passive';
    const control = passive ? context.upstreamControl() : context.clientControl();
    // Active mode dials the client's real address, not a load balancer's.
    const host = passive ? control.remoteAddress! : context.clientAddress;
    // Dialled only now that the client connected: a connection to the server's data port that is
    // then closed unused can crash a server (ftp-srv 4.6.3 throws on a socket closed before its
    // handler reads the peer's address).
    const dialed = await connectTcp(
      host,
      this.#target!,
      control.localAddress,
      context.connectTimeout,
      context.bufferSize,
      connectForRelay,
    );
    this.#sockets.add(dialed);
    dialed.on('error', () => {});
    if (this.#closed) {
      dialed.destroy();
      return;
    }
    await this.#relayBetween(
      passive ? accepted : dialed,
      passive ? dialed : accepted,
      [accepted, dialed],
      formatEndpoint(accepted.localAddress, accepted.localPort),
      formatEndpoint(host, this.#target),
      arrived,
    );
  }

  /** active-passive: dials both sides once the server's port is known and the transfer is asked. */
  #dialIfReady(): boolean {
    if (
      this.mode !== 'active-passive' ||
      !this.#armed ||
      !this.#commandSent ||
      this.#accepted ||
      this.#closed
    ) {
      return false;
    }
    this.#accepted = true;
    clearTimeout(this.#timer);
    this.#dialBoth().catch((error: unknown) => this.#failed(error));
    return true;
  }

  /**
   * Connects to the server's passive port and to the client's active one at once. A client that
   * cannot be reached has the server's connection reset (its transfer fails, never completes)
   * and the transfer's reply replaced (`clientUnreachable`).
   */
  async #dialBoth(): Promise<void> {
    const context = this.#context;
    const arrived = performance.now();
    this.#stage = 'connect';
    const upstreamControl = context.upstreamControl();
    const clientControl = context.clientControl();
    // The client at its real address (a PROXY header's), not a load balancer's.
    const dial = (control: Socket, host: string, port: number) =>
      connectTcp(
        host,
        port,
        control.localAddress,
        context.connectTimeout,
        context.bufferSize,
        connectForRelay,
      ).then((socket) => {
        this.#sockets.add(socket);
        socket.on('error', () => {});
        return socket;
      });
    const [upstream, client] = await Promise.allSettled([
      dial(upstreamControl, upstreamControl.remoteAddress!, this.#target!),
      dial(clientControl, context.clientAddress, this.#clientPort!),
    ]);
    if (client.status === 'rejected') {
      this.#clientFailure = (client.reason as Error).message;
      this.#clientUnreachable = true;
      throw client.reason;
    }
    if (upstream.status === 'rejected') throw upstream.reason;
    if (this.#closed) return;
    await this.#relayBetween(
      client.value,
      upstream.value,
      [client.value, upstream.value],
      formatEndpoint(context.clientAddress, this.#clientPort),
      formatEndpoint(upstreamControl.remoteAddress, this.#target),
      arrived,
    );
  }

  /**
   * Protects each leg as its PROT says, then relays until either side ends. `raw`: the TCP
   * sockets, reset (never ended) when the relay is cut, so a cut transfer cannot look complete.
   */
  async #relayBetween(
    client: Socket,
    upstream: Socket,
    raw: readonly Socket[],
    local: string,
    remote: string,
    arrived: number,
  ): Promise<void> {
    const context = this.#context;
    const protection = context.dataProtection();
    if (protection.client || protection.server) {
      if (protection.client && context.clientContext === undefined) {
        throw new ProxyError('ERR_TLS', 'PROT P without a TLS identity');
      }
      [client, upstream] = await this.#protect(client, upstream, protection);
      if (this.#closed) return;
    }
    const metrics = context.metrics;
    // Bytes count by the protection of the leg they are written to.
    const relay = new DataRelay(client, upstream, {
      idleTimeout: context.idleTimeout,
      firstByteTimeout: context.dataTimeout,
      reset: () => {
        for (const socket of raw) resetSocket(socket);
      },
      counters: {
        toClient: metrics.dataBytes.to_client[protection.client ? 'tls' : 'clear'],
        toUpstream: metrics.dataBytes.to_server[protection.server ? 'tls' : 'clear'],
      },
      endHold: SERVER_END_HOLD,
      released: () =>
        context.log(
          `data ${this.#name()}: no final reply within ${SERVER_END_HOLD} ms of the server's end; passed on`,
          {
            event: 'data_end_released',
            level: 'warn',
            fields: { mode: this.mode, port: this.port, hold_ms: SERVER_END_HOLD },
          },
        ),
    });
    // The final reply may have come before the relay (an empty listing under PROT P: the
    // server is done while the client's handshake is still under way).
    if (this.#complete !== undefined) relay.settle(this.#complete);
    this.#relay = relay;
    this.#stage = 'interrupted';
    metrics.dataOpened.labels(this.mode).inc();
    metrics.dataSetup.labels(this.mode).observe((performance.now() - arrived) / 1000);
    context.relayStarted(relay);
    const reused = upstream instanceof TLSSocket ? upstream.isSessionReused() : null;
    const tls =
      protection.client && protection.server
        ? ' tls'
        : protection.client
          ? ' tls to client'
          : protection.server
            ? ' tls to server'
            : '';
    context.log(
      `data ${this.mode} ${local} <-> ${remote}${tls}${
        reused === null ? '' : reused ? ' (session reused)' : ' (new session)'
      }`,
      {
        event: 'data_open',
        fields: {
          mode: this.mode,
          local,
          remote,
          tls: protection.client || protection.server,
          tls_client: protection.client,
          tls_server: protection.server,
          session_reused: reused,
        },
      },
    );
    const result = await relay.done;
    context.relayEnded(relay);
    if (result.error) metrics.dataFailed.labels(this.mode, 'interrupted').inc();
    context.log(
      `data ${this.mode} done: ${result.toClient} bytes to client, ${result.toUpstream} to server${
        result.error ? ` (${result.error.code}: ${result.error.message})` : ''
      }`,
      {
        event: 'data_done',
        level: result.error ? 'warn' : 'info',
        fields: {
          mode: this.mode,
          to_client_bytes: result.toClient,
          to_server_bytes: result.toUpstream,
          code: result.error?.code ?? null,
          error: result.error?.message ?? null,
        },
      },
    );
    this.close();
  }

  /**
   * TLS on both data connections (PROT P), the client's handshake first where the server lets it.
   * A server that sends its 150 before its own handshake (vsftpd) waits for the proxy while the
   * client, having read the 150, starts its handshake: the server's starts only once the
   * client's succeeded, so a client that fails costs the server a reset before TLS, never a
   * completed transfer. A server that takes the handshake before its 150 (ftp-srv) would wait
   * forever for a client that waits for the 150 (ftplib): when the transfer command went out and
   * no preliminary reply came within {@link SERVER_FIRST_DELAY} ms, the server's handshake starts
   * without waiting, and a client that then fails has the server's connection reset.
   *
   * With one leg protected (`upstreamTls` on or off) only that leg's handshake is made, and the
   * other connection stays clear.
   */
  async #protect(
    client: Socket,
    upstream: Socket,
    protection: DataProtection,
  ): Promise<[Socket, Socket]> {
    const context = this.#context;
    let clientError: Error | undefined;
    let clientTls: TLSSocket | undefined;
    const clientDone = protection.client
      ? acceptTls(client, context.clientContext!, context.connectTimeout).then(
          (socket) => {
            clientTls = socket;
            this.#sockets.add(socket);
          },
          (error: Error) => {
            clientError = error;
          },
        )
      : Promise.resolve();
    this.#stage = 'tls_client';
    // Which handshake goes first matters only when there are two.
    if (protection.client && protection.server) {
      await Promise.race([clientDone, this.#serverMayGoFirst()]);
    }
    let upstreamTls: TLSSocket | undefined;
    if (protection.server && clientError === undefined && !this.#closed) {
      try {
        upstreamTls = await connectTls(
          upstream,
          { ...context.upstreamTls, session: context.upstreamSession() },
          context.connectTimeout,
        );
      } catch (error) {
        this.#stage = 'tls_server';
        context.metrics.tlsFailed.labels('server', 'data').inc();
        throw error;
      }
      this.#sockets.add(upstreamTls);
    }
    await clientDone;
    if (clientError === undefined && !this.#closed) {
      return [clientTls ?? client, upstreamTls ?? upstream];
    }
    if (clientError !== undefined) {
      this.#stage = 'tls_client';
      context.metrics.tlsFailed.labels('client', 'data').inc();
      this.#clientFailure = clientError.message;
      // A reset, not an orderly end: the server must not take the transfer for complete.
      upstream.resetAndDestroy();
      throw clientError;
    }
    throw new ProxyError('ERR_PEER_CLOSED', 'the data channel closed during its handshakes');
  }

  /** Resolves when the server should get its handshake without waiting for the client's. */
  #serverMayGoFirst(): Promise<void> {
    if (this.#serverFirst || this.#context.serverTlsFirst === true) return Promise.resolve();
    return new Promise((resolve) => this.#serverFirstWaiters.push(resolve));
  }

  commandSent(): void {
    if (this.#closed) return;
    this.#commandSent = true;
    this.#dialIfReady();
    if (this.#preliminary) return;
    this.#serverFirstTimer = setTimeout(() => {
      this.#serverFirst = true;
      // Remembered for the session's later transfers, so only the first one waits.
      if (this.#bothProtected()) this.#context.serverTlsFirst ??= true;
      for (const resolve of this.#serverFirstWaiters.splice(0)) resolve();
    }, SERVER_FIRST_DELAY);
  }

  /**
   * The transfer's final reply: a 2xx lets the server's end of a download reach the client; a
   * 4xx or 5xx aborts the data connection (a reset), since what the client got is not the file.
   */
  finalReply(code: number): void {
    if (this.#closed || this.#complete !== undefined) return;
    const complete = code >= 200 && code < 300;
    this.#complete = complete;
    if (!complete) {
      this.close();
      return;
    }
    this.#relay?.settle(true);
  }

  preliminaryReply(): void {
    this.#preliminary = true;
    clearTimeout(this.#serverFirstTimer);
    if (this.#bothProtected()) this.#context.serverTlsFirst ??= false;
  }

  /** The order of the two handshakes is learnt only from transfers that make both. */
  #bothProtected(): boolean {
    const protection = this.#context.dataProtection();
    return protection.client && protection.server;
  }

  /** Closes the listener, any connection and relay; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#serverFirstTimer);
    this.#listener?.release();
    this.#relay?.close();
    // Raw connections first, with a reset: a transfer cut here must not look complete.
    for (const socket of this.#sockets) resetSocket(socket);
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    this.#onClosed(this);
  }
}

function safeSame(a: string, b: string): boolean {
  try {
    return sameAddress(a, b);
  } catch {
    return false;
  }
}
