import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import {
  decodeExtendedAddress,
  decodeHostPort,
  encodeExtendedAddress,
  encodeHostPort,
  formatEpsvReply,
  parseEpsvReply,
  sameAddress,
} from '@ftpwire/address';
import { NatRewriter, type RewriteEvent, type SkipEvent } from '@ftpwire/nat';
import { type CommandLine, CommandReader } from './command-reader.js';
import { ControlSide } from './control-side.js';
import { connectTcp, DataChannel, type DataChannelContext } from './data-channel.js';
import type { DataRelay } from './data-relay.js';
import { ProxyError, quote } from './errors.js';
import { formatEndpoint, SessionLog } from './log.js';
import type { ResolvedProxyOptions } from './options.js';
import type { PortPool } from './port-pool.js';
import { ReplyTracker } from './reply-tracker.js';
import { acceptTls, connectTls, type UpstreamTlsParameters } from './tls.js';

/** What every session shares with its gateway. */
export interface SessionContext {
  readonly options: ResolvedProxyOptions;
  /** Ports for relayed passive connections (`passivePorts`). */
  readonly passivePool: PortPool;
  /** Any free port, for the listeners active mode opens toward the server. */
  readonly activePool: PortPool;
  readonly clientContext: SecureContext | undefined;
  readonly upstreamTls: UpstreamTlsParameters;
}

/** What a command awaiting its final reply asked for (RFC 959 §4.2: one final reply each, in order). */
type Pending =
  | { readonly kind: 'greeting' | 'other' }
  | { readonly kind: 'auth'; readonly protectsData: boolean }
  | { readonly kind: 'prot'; readonly level: string }
  | { readonly kind: 'pasv' | 'epsv'; readonly channel: DataChannel | undefined }
  | { readonly kind: 'active'; readonly channel: DataChannel }
  | { readonly kind: 'local'; readonly text: string };

/** Most commands awaiting a reply; bounds what a client that never reads can make the proxy keep. */
const MAX_PENDING = 1024;
const encoder = new TextEncoder();

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function lineText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return latin1(bytes.subarray(0, end));
}

/**
 * One client's session: its control connection relayed to the server through a
 * `NatRewriter` (which rewrites 227 replies to the public host and, in relay mode, to the
 * proxy's own passive port), the proxy's own reading of both directions for what the NAT
 * does not do (EPSV, PORT/EPRT, PROT, AUTH), TLS termination on AUTH, and the data channels.
 *
 * Client bytes go: client socket -> CommandReader (whole lines, judged one by one) ->
 * NatRewriter.commands -> server. Server bytes go: server socket -> NatRewriter.replies ->
 * ReplyTracker (reply boundaries, 229 rewrite, local replies in order) -> client.
 * The core is driven synchronously so that the proxy knows the exact byte where TLS starts.
 */
export class ControlRelay {
  readonly id: number;
  /** Resolves once every socket and listener of the session is closed. */
  readonly done: Promise<void>;
  readonly #context: SessionContext;
  readonly #options: ResolvedProxyOptions;
  readonly #log: SessionLog;
  readonly #client: ControlSide;
  #upstream: ControlSide | undefined;
  #nat: NatRewriter | undefined;
  readonly #reader: CommandReader;
  readonly #tracker: ReplyTracker;
  readonly #pending: Pending[] = [{ kind: 'greeting' }];
  readonly #lines: CommandLine[] = [];
  #linesBytes = 0;
  #busy = false;
  #secure = false;
  #upgrade: { protectsData: boolean } | undefined;
  #upgrading = false;
  #dataProtected = false;
  #tlsSession: Buffer | undefined;
  readonly #channels = new Set<DataChannel>();
  readonly #relays = new Set<DataRelay>();
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #finished = false;
  #error: ProxyError | undefined;
  #openSockets = 0;
  #resolveDone!: () => void;
  readonly #started = Date.now();
  readonly #clientEndpoint: string;
  readonly #channelContext: DataChannelContext;

  constructor(context: SessionContext, client: Socket, id: number) {
    this.id = id;
    this.#context = context;
    this.#options = context.options;
    this.#log = new SessionLog(context.options.log, id);
    this.#client = new ControlSide(client, {
      data: this.#onClientData,
      gone: (error) => this.#gone('client', error),
    });
    this.#client.hold('starting', true);
    this.#clientEndpoint = formatEndpoint(client.remoteAddress, client.remotePort);
    this.#reader = new CommandReader(this.#options.maxLineLength);
    this.#tracker = new ReplyTracker(this.#options.maxLineLength, {
      hold: (code) => this.#holdReply(code),
      rewrite: (line, code) => this.#rewriteReply(line, code),
      complete: (code) => this.#replyComplete(code),
    });
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    this.#channelContext = {
      connectTimeout: this.#options.connectTimeout,
      bufferSize: this.#options.bufferSize,
      idleTimeout: this.#options.idleTimeout,
      clientContext: context.clientContext,
      upstreamTls: context.upstreamTls,
      clientControl: () => this.#client.socket,
      upstreamControl: () => this.#upstream!.socket,
      dataProtected: () => this.#dataProtected,
      upstreamSession: () => this.#tlsSession,
      log: (line) => this.#log.line(line),
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
    this.#log.line(`open from ${this.#clientEndpoint}`);
    this.#touch();
    try {
      if (options.implicitTls) {
        const raw = this.#client.detach();
        const secure = await acceptTls(raw, this.#context.clientContext!, options.connectTimeout);
        this.#track(secure);
        this.#client.replace(secure);
        // Nothing is read from the client before the server's side is ready.
        this.#client.hold('starting', true);
        this.#secure = true;
      }
      if (this.#closed) return;
      let upstream = await connectTcp(
        options.upstream.host,
        options.upstream.port,
        undefined,
        options.connectTimeout,
      );
      this.#track(upstream);
      if (this.#closed) {
        upstream.destroy();
        return;
      }
      if (options.implicitTls) {
        upstream = await this.#connectUpstreamTls(upstream);
      }
      if (this.#closed) {
        upstream.destroy();
        return;
      }
      this.#upstream = new ControlSide(upstream, {
        data: this.#onUpstreamData,
        gone: (error) => this.#gone('server', error),
      });
      this.#nat = new NatRewriter({
        publicHost: options.publicHost,
        // The proxy advertises itself whatever the server names, public or not.
        rewriteHosts: 'all',
        ...(options.passiveMode === 'relay'
          ? { portMap: (port: number, host: string) => this.#mapPassivePort(port, host) }
          : {}),
        maxLineLength: options.maxLineLength,
        maxPendingCommands: MAX_PENDING,
        onRewrite: (event) => this.#logRewrite(event),
        onSkip: (event) => this.#logSkip(event),
      });
      this.#log.line(
        `upstream ${formatEndpoint(upstream.localAddress, upstream.localPort)} -> ${formatEndpoint(upstream.remoteAddress, upstream.remotePort)}${this.#secure ? ' (implicit TLS)' : ''}`,
      );
      if (!options.implicitTls) this.#client.attach();
      this.#upstream.attach();
      this.#client.hold('starting', false);
    } catch (error) {
      const failure = toProxyError(error);
      // Tell the client why, in its own protocol (RFC 959: 421 closes the session), unless
      // its implicit TLS handshake is what failed.
      if (!options.implicitTls || this.#secure) {
        this.#writeClient(
          encoder.encode('421 Service not available: the FTP server cannot be reached.\r\n'),
        );
      }
      this.close(failure);
    }
  }

  /** Ends the session: every socket and listener is closed. Idempotent. */
  close(error?: ProxyError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    clearTimeout(this.#idleTimer);
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
    const reason = this.#error ? ` (${this.#error.code}: ${this.#error.message})` : '';
    this.#log.line(`close after ${seconds} s${reason}`);
    this.#resolveDone();
  }

  /** A side ended, closed or broke its control connection: the session ends with it. */
  #gone(side: 'client' | 'server', error: Error | undefined): void {
    this.close(
      error && new ProxyError('ERR_PEER_CLOSED', `${side} control connection: ${error.message}`),
    );
  }

  #writeClient = (bytes: Uint8Array): void => {
    this.#client.write(bytes, this.#upstream);
  };

  #writeUpstream = (bytes: Uint8Array): void => {
    this.#upstream!.write(bytes, this.#client);
  };

  #touch(): void {
    if (this.#closed) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(this.#onIdle, this.#options.idleTimeout);
  }

  readonly #onIdle = (): void => {
    // A TLS handshake under way has its own limit (connectTimeout); a transfer keeps it alive.
    if (this.#relays.size > 0 || this.#upgrading) {
      // A transfer is running: the control connection is quiet by design (RFC 959 §5.4).
      this.#touch();
      return;
    }
    this.#writeClient(encoder.encode('421 Timeout: the session was idle too long.\r\n'));
    this.close(
      new ProxyError('ERR_IDLE_TIMEOUT', `nothing moved for ${this.#options.idleTimeout} ms`),
    );
  };

  // --- client to server ----------------------------------------------------------------------

  readonly #onClientData = (chunk: Buffer): void => {
    if (this.#closed) return;
    this.#touch();
    try {
      for (const line of this.#reader.push(chunk)) {
        this.#lines.push(line);
        this.#linesBytes += line.bytes.length;
      }
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#linesBytes > this.#options.bufferSize) this.#client.hold('queue', true);
    this.#drainLines();
  };

  #drainLines(): void {
    while (!this.#busy && !this.#closed && this.#lines.length > 0) {
      const line = this.#lines.shift()!;
      this.#linesBytes -= line.bytes.length;
      let result: Promise<void> | undefined;
      try {
        result = this.#command(line);
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (result) {
        this.#busy = true;
        result.then(
          () => {
            this.#busy = false;
            this.#drainLines();
          },
          (error: unknown) => this.#fail(error),
        );
        return;
      }
    }
    if (this.#linesBytes <= this.#options.bufferSize) this.#client.hold('queue', false);
  }

  /** Judges one command line: pass it on, answer it here, or prepare a data channel first. */
  #command(line: CommandLine): Promise<void> | undefined {
    const options = this.#options;
    switch (line.verb) {
      case 'PASV':
        if (options.passiveMode === 'relay') return this.#passive(line, 'pasv');
        this.#forward(line.bytes, { kind: 'pasv', channel: undefined });
        return undefined;
      case 'EPSV':
        // EPSV ALL (RFC 2428 §4) changes no address; with rewrite the server's port is forwarded.
        if (options.passiveMode === 'relay' && line.argument.trim().toUpperCase() !== 'ALL') {
          return this.#passive(line, 'epsv');
        }
        this.#forward(line.bytes, { kind: 'other' });
        return undefined;
      case 'PORT':
      case 'EPRT':
        if (options.activeMode === 'refuse') {
          this.#local('502 Active mode is disabled on this proxy; use PASV or EPSV.');
          return undefined;
        }
        return this.#active(line);
      case 'LPRT':
      case 'LPSV':
        // RFC 1639 addresses: nobody uses them and the proxy cannot relay them; EPSV does the job.
        this.#local('502 LPRT and LPSV are not supported by this proxy; use EPSV.');
        return undefined;
      case 'AUTH': {
        if (this.#context.clientContext === undefined) {
          this.#local('502 AUTH is not available: this proxy has no TLS certificate.');
          return undefined;
        }
        if (this.#secure) {
          this.#local('503 The control connection is already protected.');
          return undefined;
        }
        const mechanism = line.argument.trim().toUpperCase();
        // vsftpd and the pre-RFC 4217 drafts: AUTH SSL and TLS-P also protect the data channel.
        this.#forward(line.bytes, {
          kind: 'auth',
          protectsData: mechanism === 'SSL' || mechanism === 'TLS-P',
        });
        return undefined;
      }
      case 'PROT':
        this.#forward(line.bytes, { kind: 'prot', level: line.argument.trim().toUpperCase() });
        return undefined;
      case 'CCC':
        // RFC 4217 §6: the proxy would have to drop TLS on both sides at once; it keeps it.
        this.#local('534 CCC is refused: this proxy keeps the control connection protected.');
        return undefined;
      case 'REIN':
        // A reinitialized server forgets AUTH and PROT while the proxy's TLS stays: refuse.
        this.#local('502 REIN is not supported by this proxy.');
        return undefined;
      default:
        this.#forward(line.bytes, { kind: 'other' });
        return undefined;
    }
  }

  #forward(bytes: Uint8Array, pending: Pending): void {
    if (this.#pending.length >= MAX_PENDING) {
      throw new ProxyError('ERR_PROTOCOL', `more than ${MAX_PENDING} commands await a reply`);
    }
    this.#pending.push(pending);
    this.#upstream!.batch(() => this.#nat!.commands.push(bytes, this.#writeUpstream));
  }

  /** Answers a command here, in its turn among the replies still due from the server. */
  #local(text: string): void {
    const bytes = `${text}\r\n`;
    if (this.#pending.length === 0) {
      this.#writeClient(encoder.encode(bytes));
      this.#log.line(`answered here: ${text}`);
    } else {
      this.#pending.push({ kind: 'local', text });
    }
  }

  /** A newer PASV, EPSV, PORT or EPRT replaces a data channel nobody connected to (RFC 959 §4.1.2). */
  #closeWaitingChannels(): void {
    for (const channel of this.#channels) if (channel.waiting) channel.close();
  }

  /** Listens for one data connection, from the client (passive) or the server (active). */
  async #openChannel(mode: 'passive' | 'active'): Promise<DataChannel> {
    const passive = mode === 'passive';
    const pool = passive ? this.#context.passivePool : this.#context.activePool;
    // The client reaches the proxy where its control connection did; the server reaches it
    // where the upstream control connection comes from.
    const host = (
      passive ? this.#client.socket.localAddress : this.#upstream!.socket.localAddress
    )!;
    let channel: DataChannel | undefined;
    const listener = await pool.listen(
      host,
      (socket) => {
        if (channel) channel.accept(socket);
        else socket.destroy();
      },
      (error) => this.#log.line(`${mode} listener: ${error.message}`),
    );
    channel = new DataChannel(mode, listener, this.#channelContext, (closed) => {
      this.#channels.delete(closed);
      this.#maybeFinish();
    });
    this.#channels.add(channel);
    return channel;
  }

  async #passive(line: CommandLine, kind: 'pasv' | 'epsv'): Promise<void> {
    this.#closeWaitingChannels();
    // Listen before the server is even asked, so the reply is rewritten to a port that
    // accepts at once (the client connects as soon as it reads the reply).
    let channel: DataChannel;
    try {
      channel = await this.#openChannel('passive');
    } catch (error) {
      const failure = toProxyError(error);
      this.#log.line(`${line.verb}: ${failure.message}`);
      this.#local(`425 Cannot open a passive data port: ${failure.code}.`);
      return;
    }
    if (this.#closed) {
      channel.close();
      return;
    }
    // EPSV's argument names the client's network protocol, which need not be the server's.
    const bytes = kind === 'epsv' ? encoder.encode('EPSV\r\n') : line.bytes;
    this.#forward(bytes, { kind, channel });
  }

  async #active(line: CommandLine): Promise<void> {
    const clientHost = this.#client.socket.remoteAddress ?? '';
    let requested: { host: string; port: number };
    try {
      requested =
        line.verb === 'PORT'
          ? decodeHostPort(line.argument.trim())
          : decodeExtendedAddress(line.argument.trim());
    } catch {
      this.#local(`501 Cannot read the ${line.verb} address ${quote(line.argument)}.`);
      return;
    }
    if (requested.port < 1024) {
      // RFC 2577 §3: a data connection to a privileged port is refused, as @ftpwire/nat does,
      // even toward the client itself (the proxy would dial it from its own address).
      this.#log.line(
        `refused ${line.verb} to ${formatEndpoint(requested.host, requested.port)} (port below 1024)`,
      );
      this.#local(`501 ${line.verb} may not name a port below 1024.`);
      return;
    }
    if (!sameAddress(requested.host, clientHost)) {
      // RFC 2577 §3: a PORT naming another host is an FTP bounce.
      this.#log.line(
        `refused ${line.verb} to ${formatEndpoint(requested.host, requested.port)} (not the client)`,
      );
      this.#local(`501 ${line.verb} may only name the client's own address.`);
      return;
    }
    this.#closeWaitingChannels();
    const upstream = this.#upstream!.socket;
    let channel: DataChannel;
    try {
      channel = await this.#openChannel('active');
    } catch (error) {
      this.#local(`425 Cannot open a data port toward the server: ${toProxyError(error).code}.`);
      return;
    }
    if (this.#closed) {
      channel.close();
      return;
    }
    channel.target = requested.port;
    const own = { host: upstream.localAddress!, port: channel.port };
    // PORT carries IPv4 only; a server reached over IPv6 gets EPRT (RFC 2428 §2).
    const rewritten =
      upstream.remoteFamily === 'IPv4' || !own.host.includes(':')
        ? line.verb === 'PORT'
          ? `PORT ${encodeHostPort(own)}`
          : `EPRT ${encodeExtendedAddress(own)}`
        : `EPRT ${encodeExtendedAddress(own)}`;
    this.#log.line(
      `rewrite ${line.verb} ${formatEndpoint(requested.host, requested.port)} -> ${rewritten}`,
    );
    this.#forward(encoder.encode(`${rewritten}\r\n`), { kind: 'active', channel });
  }

  // --- server to client ----------------------------------------------------------------------

  readonly #onUpstreamData = (chunk: Buffer): void => {
    if (this.#closed) return;
    this.#touch();
    try {
      this.#client.batch(() => this.#nat!.replies.push(chunk, this.#fromNat));
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#upgrade) this.#startTls();
  };

  readonly #fromNat = (bytes: Uint8Array): void => {
    this.#tracker.push(bytes, this.#writeClient);
  };

  #head(): Pending | undefined {
    return this.#pending[0];
  }

  /** Called by the NAT for a 227 it rewrites (relay mode): the port becomes the proxy's. */
  #mapPassivePort(port: number, _host: string): number | undefined {
    const head = this.#head();
    if (head?.kind !== 'pasv' || head.channel === undefined || head.channel.target !== undefined) {
      return undefined;
    }
    head.channel.target = port;
    return head.channel.port;
  }

  #holdReply(code: number): boolean {
    const head = this.#head();
    return code === 229 && head?.kind === 'epsv' && head.channel !== undefined;
  }

  /** Rewrites the 229 answering an EPSV (relay mode) to the proxy's port. */
  #rewriteReply(line: Uint8Array, _code: number): Uint8Array {
    const head = this.#head();
    if (head?.kind !== 'epsv' || head.channel === undefined) return line;
    const text = lineText(line);
    let port: number;
    try {
      port = parseEpsvReply(text);
    } catch (error) {
      this.#log.line(`left ${quote(text)} alone: ${(error as Error).message}`);
      return line;
    }
    head.channel.target = port;
    const rewritten = formatEpsvReply(head.channel.port);
    this.#log.line(
      `rewrite 229 port ${port} -> ${head.channel.port}: ${quote(text, 80)} -> ${quote(rewritten.trimEnd(), 80)}`,
    );
    return encoder.encode(rewritten);
  }

  #replyComplete(code: number): void {
    // RFC 959 §4.2: 1yz replies are preliminary; RFC 2228's 6yz wrap replies the proxy cannot read.
    if (code < 200 || code >= 600) return;
    const head = this.#pending.shift();
    if (head !== undefined) this.#answered(head, code);
    while (this.#pending[0]?.kind === 'local') {
      const local = this.#pending.shift() as { kind: 'local'; text: string };
      this.#writeClient(encoder.encode(`${local.text}\r\n`));
      this.#log.line(`answered here: ${local.text}`);
    }
  }

  #answered(head: Pending, code: number): void {
    switch (head.kind) {
      case 'pasv':
      case 'epsv':
        if (head.channel === undefined) return;
        if ((code === 227 || code === 229) && head.channel.target !== undefined) {
          head.channel.arm(this.#options.idleTimeout);
        } else {
          head.channel.close();
        }
        return;
      case 'active':
        if (code >= 200 && code < 300) head.channel.arm(this.#options.idleTimeout);
        else head.channel.close();
        return;
      case 'prot':
        // RFC 4217 §9: C is clear, P private; S and E are refused by every server worth relaying.
        if (code >= 200 && code < 300) this.#dataProtected = head.level === 'P';
        return;
      case 'auth':
        if (code === 234) this.#upgrade = { protectsData: head.protectsData };
        return;
      default:
        return;
    }
  }

  /** After a 234 to AUTH: both sides start TLS where the clear text stopped (RFC 4217 §4). */
  #startTls(): void {
    const upgrade = this.#upgrade!;
    this.#upgrade = undefined;
    const nat = this.#nat!;
    if (nat.state !== 'secure') {
      this.#fail(
        new ProxyError('ERR_PROTOCOL', 'the NAT session did not see the 234 the proxy saw'),
      );
      return;
    }
    // Anything the client sent in clear after AUTH would be read as protected after the
    // handshake: the STARTTLS injection of CVE-2011-0411. The NAT refuses whole lines; a
    // partial line is refused here.
    if (this.#reader.pending > 0 || this.#lines.length > 0) {
      this.#fail(
        new ProxyError('ERR_PROTOCOL', 'the client sent clear text after AUTH before its reply'),
      );
      return;
    }
    this.#upgrading = true;
    const clientRaw = this.#client.detach();
    const upstreamRaw = this.#upstream!.detach();
    const timeout = this.#options.connectTimeout;
    // The client's handshake first, then the server's: a client that fails costs the server
    // nothing, and servers that start TLS only once the 234 has left their socket (ftp-srv
    // 4.6.3 wraps it after the write callback) are not sent a ClientHello they would read as
    // a command.
    acceptTls(clientRaw, this.#context.clientContext!, timeout)
      .then(async (client) => [client, await this.#connectUpstreamTls(upstreamRaw)] as const)
      .then(
        ([client, upstream]) => {
          this.#upgrading = false;
          if (this.#closed) {
            client.destroy();
            upstream.destroy();
            return;
          }
          this.#track(client);
          this.#secure = true;
          if (upgrade.protectsData) this.#dataProtected = true;
          // Both directions are clear text again for the proxy, at a line boundary.
          nat.resumeClear();
          this.#log.line(
            `tls client ${client.getProtocol()} ${client.getCipher().name}, server ${upstream.getProtocol()} ${upstream.getCipher().name}`,
          );
          this.#client.replace(client);
          this.#upstream!.replace(upstream);
        },
        (error: unknown) => {
          this.#upgrading = false;
          this.#fail(error);
        },
      );
  }

  async #connectUpstreamTls(raw: Socket): Promise<TLSSocket> {
    const tls = await connectTls(raw, this.#context.upstreamTls, this.#options.connectTimeout);
    this.#track(tls);
    // TLS 1.3 delivers tickets after the handshake; the latest is offered on data connections.
    const session = tls.getSession();
    if (session) this.#tlsSession = session;
    tls.on('session', (ticket: Buffer) => {
      this.#tlsSession = ticket;
    });
    return tls;
  }

  #fail(error: unknown): void {
    const failure = toProxyError(error);
    if (failure.code === 'ERR_LINE_TOO_LONG' || failure.code === 'ERR_PROTOCOL') {
      // End a line cut short first, so that the 421 starts a line of its own.
      const cut = this.#tracker.midLine ? '\r\n' : '';
      this.#writeClient(
        encoder.encode(`${cut}421 Closing: the control connection broke the protocol.\r\n`),
      );
    }
    this.close(failure);
  }

  // --- log -----------------------------------------------------------------------------------

  #logRewrite(event: RewriteEvent): void {
    if (!this.#log.enabled) return;
    const from = event.original ? formatEndpoint(event.original.host, event.original.port) : '';
    const to = event.rewritten ? formatEndpoint(event.rewritten.host, event.rewritten.port) : '';
    this.#log.line(
      `rewrite ${from} -> ${to}: ${quote(event.before, 80)} -> ${quote(event.after, 80)}`,
    );
  }

  #logSkip(event: SkipEvent): void {
    this.#log.line(
      `left a data address alone (${event.reason})${event.line ? `: ${quote(event.line, 80)}` : ''}`,
    );
  }
}

function toProxyError(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_LINE_TOO_LONG') return new ProxyError('ERR_LINE_TOO_LONG', message);
  return new ProxyError('ERR_PROTOCOL', message);
}
