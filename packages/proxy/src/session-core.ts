import {
  classifyAddress,
  decodeExtendedAddress,
  decodeHostPort,
  encodeExtendedAddress,
  encodeHostPort,
  formatEpsvReply,
  formatPasvReply,
  type HostPort,
  parseEpsvReply,
  parsePasvReply,
  sameAddress,
} from '@ftpwire/address';
import { type Command, CommandError, CommandParser, formatCommand } from '@ftpwire/command';
import { type Reply, ReplyParser } from '@ftpwire/reply';
import type { ChannelHandle, ChannelRequest } from './channel-handle.js';
import { ProxyError, quote } from './errors.js';
import {
  type UpstreamDataPolicy,
  type UpstreamDataVerb,
  type UpstreamTlsMode,
  upstreamDataVerb,
} from './legs.js';
import { answerPbsz, answerProt, clientFeatures } from './local-security.js';
import type { LogDetail } from './log.js';
import type { ActiveMode, PassiveMode } from './options.js';
import { forwardedReply, LOCAL, LOCAL_REPLIES, replyCode } from './replies.js';
import { LOGIN_VERBS, TRANSFER_VERBS, type VerbPolicy } from './verbs.js';

const LF = 0x0a;
const CR = 0x0d;
/**
 * Client bytes are parsed this many at a time, so that when the session must stop judging
 * commands (a reply backlog, a data port being opened, AUTH) it holds at most the commands of
 * one slice; the rest stays unparsed in the chunk it came in, and the socket is not read.
 */
const SLICE = 1024;

/** A client line that is not a command, in the queue of lines waiting to be judged. */
const MALFORMED: unique symbol = Symbol('malformed line');

/**
 * What the session core asks of the I/O around it. Every call is synchronous; the ones that
 * start something slow are answered later through the core's own methods.
 */
export interface SessionEffects {
  /** Writes a canonical command line to the server; false when its buffer is full (then `serverDrained`). */
  toServer(bytes: Uint8Array): boolean;
  /** Writes reply bytes to the client; false when its buffer is full (then `clientDrained`). */
  toClient(bytes: Uint8Array): boolean;
  /** Stop reading the client while the core holds input it has not judged, or go on. */
  holdClient(held: boolean): void;
  /** Open a data channel; answer with `channelOpened` or `channelFailed`. */
  openChannel(request: ChannelRequest): void;
  /** ABOR: cut the data connections in flight, so the server's transfer fails (426) at once. */
  abortTransfers(): void;
  /**
   * Start TLS on the control connections of `legs`, then call `tlsReady`: both after the
   * server's 234 went to the client, the client's after the proxy's own 234, the server's after
   * the 234 to the proxy's own AUTH (`upstreamTls: 'on'`).
   */
  startTls(legs: TlsLegs): void;
  /** A whole command or reply went by (the idle timeout counts those, not bytes). */
  activity(): void;
  /** One event for the session log: its text, and its name, level and fields. */
  log(line: string, detail?: LogDetail): void;
  /** End the session after what was written; `error` says why unless it was an orderly QUIT. */
  end(error: ProxyError | undefined): void;
}

export interface SessionCoreOptions {
  readonly passiveMode: PassiveMode;
  readonly activeMode: ActiveMode;
  /** The IPv4 address advertised in 227 replies. */
  readonly publicHost: string;
  /** Whether the proxy has a certificate, so AUTH TLS can be accepted. */
  readonly tls: boolean;
  /** The control connections are protected from the first byte (implicit FTPS). */
  readonly implicitTls: boolean;
  /** The client's own address: PORT and EPRT may name only it. */
  readonly clientAddress: string;
  readonly maxLineLength: number;
  /** Commands answered or awaiting an answer, the proxy's own answers included. */
  readonly maxPendingCommands: number;
  readonly verbs: VerbPolicy;
  /** Counts what the session does (the proxy's metrics); none by default. */
  readonly observer?: SessionObserver | undefined;
  /**
   * The client was greeted by the proxy itself and the server's greeting is taken before the
   * core starts (`balance: 'by-user'`): no greeting is awaited. Default false.
   */
  readonly greeted?: boolean;
  /** See {@link UpstreamTlsMode}. Default `match-client`. */
  readonly upstreamTls?: UpstreamTlsMode | undefined;
  /** See {@link UpstreamDataPolicy}. Default `client`. */
  readonly upstreamData?: UpstreamDataPolicy | undefined;
}

/** Which control connections a TLS upgrade concerns. */
export type TlsLegs = 'both' | 'client' | 'server';

/** Data connection protection per leg (RFC 4217 §9), read when a data connection is set up. */
export interface DataProtection {
  readonly client: boolean;
  readonly server: boolean;
}

/**
 * What a session reports for the proxy's metrics. Synchronous and cheap: it is called once per
 * command and reply, never per byte.
 */
export interface SessionObserver {
  /** A command was forwarded or answered by the proxy; `verb` undefined for a line that is none. */
  command(verb: string | undefined, outcome: 'forwarded' | 'answered'): void;
  /** A reply received from the server, or one of the proxy's own written to the client. */
  reply(code: number, source: 'server' | 'proxy'): void;
  /** A data address rewritten. */
  rewrite(what: '227' | '229' | 'PORT' | 'EPRT'): void;
  /** An unsolicited data address withheld from the client. */
  withheld(code: number): void;
  /** The final reply to a login command: accepted (230, 232) or refused. */
  login(accepted: boolean): void;
  /** A monotonic clock in ms, for reply latency. */
  now(): number;
  /** Time from a command forwarded to the server's first reply to it. */
  replyLatency(ms: number): void;
}

/** What a command forwarded to the server waits for; `parts` are its replies ready for the client. */
interface Awaiting {
  readonly kind:
    | 'greeting'
    | 'plain'
    | 'login'
    | 'quit'
    | 'auth'
    | 'prot'
    | 'pasv'
    | 'epsv'
    | 'active'
    | 'crossed'
    | 'transfer'
    | 'feat'
    | 'hidden';
  readonly channel?: ChannelHandle | undefined;
  /**
   * PROT's level, AUTH's data protection; for `crossed` the client's verb (PORT or EPRT); for
   * `hidden`, a command the proxy sent for itself, its verb.
   */
  readonly detail?: string | undefined;
  /** The data command that went to the server for the client's (`upstreamData`). */
  readonly sent?: UpstreamDataVerb | undefined;
  readonly parts: Uint8Array[];
  done: boolean;
  /** When the command went to the server (observer's clock), until its first reply came. */
  sentAt?: number | undefined;
}

/** Replies owed to the client in order: the proxy's own answers, or a forwarded command's. */
type Owed = Uint8Array | Awaiting;

type Phase = 'open' | 'upgrading' | 'closed';

/**
 * The protocol of one proxied session, without sockets, timers or TLS (the sans-I/O pattern):
 * client bytes in, canonical commands out to the server; server bytes in, replies out to the
 * client; the decisions in between.
 *
 * - Every client line is parsed once by `@ftpwire/command` (Telnet decoded). The server only
 *   ever sees a command the proxy parsed, judged and re-formatted with `formatCommand`: verb
 *   upper-cased, one space, the argument byte for byte. What does not parse, an unknown verb,
 *   an argument with CR or NUL, is answered here and never forwarded, so the proxy and the
 *   server cannot disagree about what a line meant.
 * - Every server reply is framed by `@ftpwire/reply` (RFC 959 §4.2) and paired with the oldest
 *   command awaiting one; the proxy's own answers take their turn in the same order.
 * - No data address of the server reaches the client: a 227 or 229 answering the proxy's PASV
 *   or EPSV is replaced by the proxy's own, any other is withheld.
 * - Everything a client can make it hold is bounded: commands awaiting replies (the proxy's
 *   own answers included), commands parsed but not judged (one slice), and replies the client
 *   has not read (the I/O side reports a full buffer, and the core stops judging).
 */
export class SessionCore {
  readonly #options: SessionCoreOptions;
  readonly #effects: SessionEffects;
  readonly #commands: CommandParser;
  readonly #replies: ReplyParser;
  /** Forwarded commands in order, each waiting for its final reply. */
  readonly #awaiting: Awaiting[] = [];
  /** Replies owed to the client, in the order the commands came. */
  readonly #owed: Owed[] = [];
  /** Commands parsed while the core could not judge them. */
  readonly #deferred: (Command | typeof MALFORMED)[] = [];
  #input: Uint8Array | undefined;
  #inputAt = 0;
  /** The last chunk ended in a CR that was taken as a line end: an LF starting the next is its. */
  #swallowLF = false;
  #phase: Phase = 'open';
  #tlsRequested = false;
  /**
   * What a command in progress waits for before the next may be judged; `upstream`: the
   * proxy's own AUTH TLS, PBSZ and PROT to the server (`upstreamTls: 'on'`).
   */
  #busy: 'channel' | 'auth' | 'upstream' | undefined;
  /** The control connections being upgraded while `#phase` is `upgrading`. */
  #upgradingLegs: TlsLegs = 'both';
  /** A client's AUTH the proxy answers itself, waiting for the replies owed before its 234. */
  #clientUpgrade: 'C' | 'P' | undefined;
  #channelCommand: Command | undefined;
  /** Active mode: what the client named, for the log. */
  #channelRequested: HostPort | undefined;
  #clientFull = false;
  #serverFull = false;
  #clientHeld = false;
  #draining = false;
  /** The proxy is shutting down gently: see {@link drain}. */
  #stopping = false;
  readonly #upstreamTls: UpstreamTlsMode;
  readonly #upstreamData: UpstreamDataPolicy;
  /** The proxy answers AUTH, PBSZ and PROT itself: each leg has its own TLS. */
  readonly #localSecurity: boolean;
  #clientSecure: boolean;
  #serverSecure: boolean;
  #clientProtected = false;
  #serverProtected = false;
  #loggedIn = false;
  /** The channel of the last PASV, EPSV, PORT or EPRT; the next transfer uses it. */
  #current: ChannelHandle | undefined;

  constructor(options: SessionCoreOptions, effects: SessionEffects) {
    this.#options = options;
    this.#effects = effects;
    this.#upstreamTls = options.upstreamTls ?? 'match-client';
    this.#upstreamData = options.upstreamData ?? 'client';
    this.#localSecurity = this.#upstreamTls !== 'match-client';
    this.#clientSecure = options.implicitTls;
    this.#serverSecure = options.implicitTls && this.#upstreamTls === 'match-client';
    // The server's leg is made secure before any command of the client reaches it (by the
    // replay before the core starts, when the client was `greeted` by the proxy).
    if (this.#upstreamTls === 'on' && !options.greeted) this.#busy = 'upstream';
    this.#commands = new CommandParser({
      maxLineLength: options.maxLineLength,
      // RFC 959 §4.1.3: a client interrupts with IAC IP and a Synch before ABOR.
      telnet: true,
      onCommand: (command) => this.#onCommand(command),
      // A line that is no command takes its turn like one: commands parsed before it may wait.
      onMalformedLine: () => this.#onCommand(MALFORMED),
    });
    this.#replies = new ReplyParser({
      maxLineLength: options.maxLineLength,
      onReply: (reply) => this.#onReply(reply),
    });
    if (options.greeted) return;
    const greeting = this.#expect('greeting');
    this.#awaiting.push(greeting);
    this.#owed.push(greeting);
  }

  /**
   * Takes over a session whose start was handled before the core (`greeted`): each leg's control
   * connection is protected or not, and its data connections, as that start left them.
   */
  resume(state: {
    readonly clientSecure: boolean;
    readonly serverSecure: boolean;
    readonly protection: DataProtection;
  }): void {
    this.#clientSecure = state.clientSecure;
    this.#serverSecure = state.serverSecure;
    this.#clientProtected = state.protection.client;
    this.#serverProtected = state.protection.server;
  }

  /** Whether a 230 or 232 has answered a login command. */
  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  /** Whether the client's control connection is protected by TLS. */
  get secure(): boolean {
    return this.#clientSecure;
  }

  /** Whether the control connection to the server is protected by TLS. */
  get serverSecure(): boolean {
    return this.#serverSecure;
  }

  /** Whether the client's data connections are to be protected (PROT P, RFC 4217 §9). */
  get dataProtected(): boolean {
    return this.#clientProtected;
  }

  /** Data connection protection on each leg. */
  get dataProtection(): DataProtection {
    return { client: this.#clientProtected, server: this.#serverProtected };
  }

  /** Part of a client line has arrived without its end. */
  get midLine(): boolean {
    return !this.#commands.idle;
  }

  /** Replies owed to the client and commands awaiting the server, for accounting. */
  get pendingCommands(): number {
    return this.#owed.length;
  }

  /** Whether a transfer command is still waiting for its final reply. */
  get transferring(): boolean {
    return this.#awaiting.some((entry) => entry.kind === 'transfer');
  }

  get closed(): boolean {
    return this.#phase === 'closed';
  }

  // --- client to server ----------------------------------------------------------------------

  /** Bytes from the client. The I/O side passes no more while `holdClient(true)` is in force. */
  pushClient(chunk: Uint8Array): void {
    if (this.#phase === 'closed' || chunk.length === 0) return;
    let start = 0;
    if (this.#swallowLF) {
      this.#swallowLF = false;
      if (chunk[0] === LF) start = 1;
    }
    if (start === chunk.length) return;
    this.#input = chunk;
    this.#inputAt = start;
    this.#drain();
  }

  /** The client's buffer has room again. */
  clientDrained(): void {
    this.#clientFull = false;
    this.#flush();
    this.#drain();
  }

  /** The server's buffer has room again. */
  serverDrained(): void {
    this.#serverFull = false;
    this.#drain();
  }

  #blocked(): boolean {
    return (
      this.#phase !== 'open' ||
      this.#busy !== undefined ||
      this.#clientFull ||
      this.#serverFull ||
      this.#owed.length >= this.#options.maxPendingCommands
    );
  }

  /** Judges deferred commands, then parses more input, while nothing blocks. */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        while (
          this.#deferred.length > 0 &&
          !this.#blocked() &&
          !this.#mustWait(this.#deferred[0]!)
        ) {
          this.#judgeOrAnswer(this.#deferred.shift()!);
        }
        if (this.#deferred.length > 0 || this.#blocked() || this.#input === undefined) break;
        const input = this.#input;
        const end = Math.min(input.length, this.#inputAt + SLICE);
        const slice = input.subarray(this.#inputAt, end);
        this.#inputAt = end;
        const last = end === input.length;
        if (last) this.#input = undefined;
        this.#commands.push(slice);
        // A client that sends ABOR with urgent data (ftplib's `sendall(line, MSG_OOB)`) has its
        // last byte, the LF, taken out of band; Node cannot read it, so the line would never end.
        // No command may hold a CR, so a CR at the end of what arrived ends the line; an LF
        // that follows after all is then this line's, not an empty line.
        if (last && input[input.length - 1] === CR && this.#phase !== 'closed' && this.midLine) {
          this.#commands.push(Uint8Array.of(LF));
          this.#swallowLF = true;
        }
      }
      // CVE-2011-0411 (STARTTLS injection): nothing may follow AUTH before its reply, since
      // after a 234 the proxy would read it as sent under TLS. Refused at once, reply or not.
      if (
        this.#busy === 'auth' &&
        (this.#deferred.length > 0 || this.#input !== undefined || this.midLine)
      ) {
        throw new ProxyError('ERR_PROTOCOL', 'the client sent more after AUTH before its reply');
      }
    } catch (error) {
      this.#protocolError(error);
    } finally {
      this.#draining = false;
    }
    this.#maybeUpgradeClient();
    const held =
      this.#phase !== 'closed' && (this.#input !== undefined || this.#deferred.length > 0);
    if (held !== this.#clientHeld) {
      this.#clientHeld = held;
      this.#effects.holdClient(held);
    }
    this.#stopIfIdle();
  }

  #onCommand(command: Command | typeof MALFORMED): void {
    if (this.#deferred.length > 0 || this.#blocked() || this.#mustWait(command)) {
      this.#deferred.push(command);
    } else {
      this.#judgeOrAnswer(command);
    }
  }

  #judgeOrAnswer(command: Command | typeof MALFORMED): void {
    if (command !== MALFORMED) {
      this.#judge(command);
      return;
    }
    this.#options.observer?.command(undefined, 'answered');
    this.#answer(LOCAL.syntax);
  }

  /** Whether `command`, next in line, must wait before it is judged. */
  #mustWait(command: Command | typeof MALFORMED): boolean {
    if (command === MALFORMED) return this.#stopping;
    return this.#heldByDrain(command) || this.#waitsItsTurn(command);
  }

  /**
   * A PROT the proxy answers itself changes the protection of the data connections that follow
   * it, so it takes effect only once every command before it has been answered: as it would at
   * a server, which reads commands one after the other. Otherwise a transfer pipelined before
   * it would get its data connection at the new level.
   */
  #waitsItsTurn(command: Command): boolean {
    return command.verb === 'PROT' && this.#localSecurity && this.#awaiting.length > 0;
  }

  /**
   * While draining no new command starts; ABOR still goes, since it only ends a transfer sooner.
   * What is held gets the 421 that ends the session (RFC 959 §5.4 lets 421 answer any command
   * when the service is shutting down).
   */
  #heldByDrain(command: Command): boolean {
    return this.#stopping && command.verb !== 'ABOR';
  }

  /**
   * The proxy is shutting down gently: commands under way (a transfer and its final reply)
   * finish; then the session ends with a 421, in order, the data connection still relaying
   * whatever it holds. The I/O side bounds the wait (`drainTimeout`).
   */
  drain(): void {
    if (this.#phase === 'closed' || this.#stopping) return;
    this.#stopping = true;
    this.#stopIfIdle();
  }

  #stopIfIdle(): void {
    if (
      !this.#stopping ||
      this.#phase !== 'open' ||
      this.#awaiting.length > 0 ||
      this.#busy !== undefined
    ) {
      return;
    }
    this.#effects.log('drained: nothing under way, closing with 421', { event: 'drained' });
    // No error: an orderly end, so a data connection still passing on its last bytes is not cut.
    this.#close([LOCAL.shutdown], undefined);
  }

  /** Decides what one command gets: forwarded, answered here, or a data channel first. */
  #judge(command: Command): void {
    this.#effects.activity();
    const verb = command.verb;
    const options = this.#options;
    if (!options.verbs.passes(verb)) {
      this.#refuse(command, LOCAL.unknownVerb);
      return;
    }
    switch (verb) {
      case 'PASV':
      case 'EPSV':
        this.#passive(command);
        return;
      case 'PORT':
      case 'EPRT':
        this.#active(command);
        return;
      case 'LPRT':
      case 'LPSV':
        // RFC 1639 addresses: nobody uses them and the proxy cannot relay them; EPSV does it.
        this.#refuse(command, LOCAL.longAddress);
        return;
      case 'AUTH':
        this.#auth(command);
        return;
      case 'PBSZ':
        if (this.#localSecurity)
          this.#refuse(command, answerPbsz(this.#clientSecure, command.argument));
        else this.#forward(command, this.#expect('plain'));
        return;
      case 'FEAT':
        this.#forward(command, this.#expect(this.#localSecurity ? 'feat' : 'plain'));
        return;
      case 'ADAT':
      case 'MIC':
      case 'CONF':
      case 'ENC':
        // RFC 2228 security exchanges wrap commands the proxy could not read; TLS is its only mechanism.
        this.#refuse(command, LOCAL.securityExchange);
        return;
      case 'CCC':
        // RFC 4217 §6: the proxy would have to drop TLS on both sides at once; it keeps it.
        this.#refuse(command, LOCAL.ccc);
        return;
      case 'REIN':
        // A reinitialized server forgets AUTH and PROT while the proxy's TLS stays.
        this.#refuse(command, LOCAL.rein);
        return;
      case 'PROT':
        if (this.#localSecurity) {
          const { reply, level } = answerProt(this.#clientSecure, command.argument);
          if (level !== undefined) this.#clientProtected = level === 'P';
          this.#refuse(command, reply);
          return;
        }
        this.#forward(
          command,
          this.#expect('prot', undefined, command.argument.trim().toUpperCase()),
        );
        return;
      case 'ABOR':
        // The server may not read its control connection while it sends (vsftpd waits for
        // urgent data the proxy cannot send): cutting the data connection makes it answer 426
        // for the transfer, then 226 for the ABOR, the order the client expects.
        this.#effects.abortTransfers();
        this.#forward(command, this.#expect('plain'));
        return;
      case 'QUIT':
        this.#forward(command, this.#expect('quit'));
        return;
      default:
        if (LOGIN_VERBS.has(verb)) this.#forward(command, this.#expect('login'));
        else if (TRANSFER_VERBS.has(verb)) {
          const channel = this.#current;
          this.#current = undefined;
          this.#forward(command, this.#expect('transfer', channel));
          channel?.commandSent();
        } else this.#forward(command, this.#expect('plain'));
    }
  }

  #expect(
    kind: Awaiting['kind'],
    channel?: ChannelHandle,
    detail?: string,
    sent?: UpstreamDataVerb,
  ): Awaiting {
    return { kind, channel, detail, sent, parts: [], done: false };
  }

  /** PASV or EPSV: a channel the client connects to, announced once the server has answered. */
  #passive(command: Command): void {
    const relay = this.#options.passiveMode === 'relay';
    // EPSV ALL (RFC 2428 §4) asks for no address; with `rewrite` the server's port is used.
    if (command.verb === 'EPSV' && command.argument.trim().toUpperCase() === 'ALL') {
      this.#forward(command, this.#expect(relay ? 'plain' : 'epsv'));
    } else if (relay) {
      this.#openChannel(command, { mode: 'passive' });
    } else {
      const sent = upstreamDataVerb(command.verb as UpstreamDataVerb, this.#upstreamData);
      const kind = command.verb === 'PASV' ? 'pasv' : 'epsv';
      this.#forward(
        command,
        this.#expect(kind, undefined, undefined, sent),
        sent === command.verb ? undefined : `${sent}\r\n`,
      );
    }
  }

  #refuse(command: Command, reply: Uint8Array): void {
    this.#options.observer?.command(command.verb, 'answered');
    this.#effects.log(`answered ${command.verb} here: ${replyText(reply)}`, {
      event: 'answered',
      fields: { verb: command.verb, code: replyCode(reply) },
    });
    this.#answer(reply);
  }

  /** Sends `command` re-formatted, and owes the client its reply in turn. */
  #forward(command: Command, awaiting: Awaiting, line?: string): void {
    let text: string;
    try {
      // The argument's bytes as latin1 text: formatCommand checks and writes them one for one.
      // The verb is letters only (the parser saw to it); an allowed extension may be longer than 4.
      text =
        line ?? formatCommand(command.verb, latin1(command.rawArgument), { strictVerb: false });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      awaiting.channel?.close();
      this.#refuse(command, LOCAL.badArgument);
      return;
    }
    const observer = this.#options.observer;
    if (observer) {
      observer.command(command.verb, 'forwarded');
      awaiting.sentAt = observer.now();
    }
    this.#awaiting.push(awaiting);
    this.#owed.push(awaiting);
    if (!this.#effects.toServer(latin1Bytes(text))) this.#serverFull = true;
  }

  /** The proxy's own answer, in its turn among the replies owed. */
  #answer(reply: Uint8Array): void {
    this.#owed.push(reply);
    this.#flush();
  }

  #openChannel(command: Command, request: ChannelRequest): void {
    this.#busy = 'channel';
    this.#channelCommand = command;
    this.#effects.openChannel(request);
  }

  /** The data channel asked for is listening. */
  channelOpened(channel: ChannelHandle): void {
    const command = this.#channelCommand;
    this.#busy = undefined;
    this.#channelCommand = undefined;
    if (this.#phase === 'closed' || command === undefined) {
      channel.close();
      return;
    }
    // The next transfer uses the newest channel, even when pipelined behind its PASV.
    this.#current = channel;
    const verb = command.verb as UpstreamDataVerb;
    const sent = upstreamDataVerb(verb, this.#upstreamData);
    if (verb === 'PASV' && sent === 'PASV') {
      this.#forward(command, this.#expect('pasv', channel, undefined, sent));
    } else if (verb === 'PASV' || verb === 'EPSV') {
      // EPSV's argument names the client's network protocol, which need not be the server's.
      this.#forward(
        command,
        this.#expect(verb === 'PASV' ? 'pasv' : 'epsv', channel, undefined, sent),
        `${sent}\r\n`,
      );
    } else if (sent === 'PASV' || sent === 'EPSV') {
      // The server never connects out: the proxy will connect to its passive port and to the client.
      const requested = this.#channelRequested;
      const from = requested ? formatHostPort(requested) : '?';
      this.#effects.log(`rewrite ${verb} ${from} -> ${sent}`, {
        event: 'rewrite',
        fields: { what: verb, from, to: sent },
      });
      this.#forward(command, this.#expect('crossed', channel, verb, sent), `${sent}\r\n`);
    } else {
      const own = channel.address;
      // PORT carries IPv4 only; anything else goes as EPRT (RFC 2428 §2).
      const line =
        command.verb === 'PORT' && classifyFamily(own.host) === 4
          ? `PORT ${encodeHostPort(own)}\r\n`
          : `EPRT ${encodeExtendedAddress(own)}\r\n`;
      const requested = this.#channelRequested;
      const from = requested ? formatHostPort(requested) : '?';
      this.#effects.log(`rewrite ${command.verb} ${from} -> ${line.trimEnd()}`, {
        event: 'rewrite',
        fields: { what: command.verb, from, to: formatHostPort(own) },
      });
      this.#options.observer?.rewrite(line.startsWith('PORT') ? 'PORT' : 'EPRT');
      this.#forward(command, this.#expect('active', channel), line);
    }
    this.#drain();
  }

  /** The data channel asked for could not be opened. */
  channelFailed(error: ProxyError): void {
    const command = this.#channelCommand;
    this.#busy = undefined;
    this.#channelCommand = undefined;
    if (this.#phase === 'closed' || command === undefined) return;
    this.#effects.log(`${command.verb}: ${error.message}`, {
      event: 'channel_failed',
      level: 'warn',
      fields: { verb: command.verb, code: error.code, error: error.message },
    });
    this.#options.observer?.command(command.verb, 'answered');
    this.#answer(
      command.verb === 'PASV' || command.verb === 'EPSV' ? LOCAL.passivePort : LOCAL.activePort,
    );
    this.#drain();
  }

  #active(command: Command): void {
    if (this.#options.activeMode === 'refuse') {
      this.#refuse(command, LOCAL.activeRefused);
      return;
    }
    let requested: HostPort;
    try {
      const argument = command.argument.trim();
      requested =
        command.verb === 'PORT' ? decodeHostPort(argument) : decodeExtendedAddress(argument);
    } catch {
      this.#refuse(command, LOCAL.unreadableAddress);
      return;
    }
    if (requested.port < 1024) {
      // RFC 2577 §3: no data connection to a privileged port, not even toward the client.
      this.#refuse(command, LOCAL.privilegedPort);
      return;
    }
    // The proxy dials the client's own address whatever is named, so the unspecified address
    // (lftp sends `EPRT |2|::|port|`) means the client too. Any other host is an FTP bounce.
    const host = requested.host;
    if (
      classifyAddress(host) !== 'unspecified' &&
      !sameAddress(host, this.#options.clientAddress)
    ) {
      this.#effects.log(`refused ${command.verb} naming ${host} (not the client)`, {
        event: 'bounce_refused',
        level: 'warn',
        fields: { verb: command.verb, host },
      });
      this.#refuse(command, LOCAL.bounce);
      return;
    }
    this.#channelRequested = requested;
    const sent = upstreamDataVerb(command.verb as UpstreamDataVerb, this.#upstreamData);
    this.#openChannel(command, {
      mode: sent === 'PASV' || sent === 'EPSV' ? 'active-passive' : 'active',
      clientPort: requested.port,
    });
  }

  #auth(command: Command): void {
    if (!this.#options.tls) {
      this.#refuse(command, LOCAL.noTls);
      return;
    }
    if (this.#clientSecure) {
      this.#refuse(command, LOCAL.alreadySecure);
      return;
    }
    const mechanism = command.argument.trim().toUpperCase();
    if (
      mechanism !== 'TLS' &&
      mechanism !== 'TLS-C' &&
      mechanism !== 'SSL' &&
      mechanism !== 'TLS-P'
    ) {
      this.#refuse(command, LOCAL.authMechanism);
      return;
    }
    // Nothing more is judged until the reply: after a 234 the next bytes are a TLS handshake.
    this.#busy = 'auth';
    // vsftpd and the pre-RFC 4217 drafts: AUTH SSL and TLS-P also protect the data channel.
    const protectsData = mechanism === 'SSL' || mechanism === 'TLS-P';
    if (this.#localSecurity) {
      // The client's leg alone: its 234 goes once every reply owed before it has (`#maybeUpgradeClient`).
      this.#options.observer?.command(command.verb, 'answered');
      this.#effects.log('answered AUTH here: TLS on the client leg only', {
        event: 'answered',
        fields: { verb: command.verb, code: 234 },
      });
      this.#clientUpgrade = protectsData ? 'P' : 'C';
      return;
    }
    this.#forward(command, this.#expect('auth', undefined, protectsData ? 'P' : 'C'));
  }

  /**
   * A client's AUTH answered here: once nothing is owed before it, the 234 goes and the client's
   * control connection alone starts TLS (RFC 4217 §4). Not while commands are judged: the
   * STARTTLS injection check (CVE-2011-0411) at the end of `#drain` comes first.
   */
  #maybeUpgradeClient(): void {
    if (
      this.#clientUpgrade === undefined ||
      this.#draining ||
      this.#phase !== 'open' ||
      this.#owed.length > 0
    ) {
      return;
    }
    const level = this.#clientUpgrade;
    this.#clientUpgrade = undefined;
    this.#write(LOCAL.authTls);
    if (level === 'P') this.#clientProtected = true;
    this.#beginUpgrade('client');
    this.#tlsRequested = true;
    this.#upgrade();
  }

  #beginUpgrade(legs: TlsLegs): void {
    this.#phase = 'upgrading';
    this.#upgradingLegs = legs;
  }

  /** The control connections being upgraded speak TLS now; clear text resumes inside it. */
  tlsReady(): void {
    if (this.#phase !== 'upgrading') return;
    const legs = this.#upgradingLegs;
    this.#phase = 'open';
    this.#tlsRequested = false;
    if (legs !== 'server') this.#clientSecure = true;
    if (legs !== 'client') this.#serverSecure = true;
    if (this.#busy === 'upstream') {
      // RFC 4217 §9: PBSZ 0 before PROT; P protects the server's data connections.
      this.#sendHidden('PBSZ 0');
      this.#sendHidden('PROT P');
      return;
    }
    this.#busy = undefined;
    // Replies the server sent during the client's handshake were held for after it.
    this.#flush();
    this.#drain();
  }

  /**
   * A command the proxy sends the server for itself (`upstreamTls: 'on'`): re-formatted like
   * any other, awaiting its reply in turn, but owing the client nothing; its replies are read
   * here and never passed on.
   */
  #sendHidden(line: string): void {
    const space = line.indexOf(' ');
    const verb = space < 0 ? line : line.slice(0, space);
    this.#awaiting.push(this.#expect('hidden', undefined, verb));
    if (!this.#effects.toServer(latin1Bytes(`${line}\r\n`))) this.#serverFull = true;
  }

  /** The final reply to a command the proxy sent for itself. */
  #hiddenFinal(awaiting: Awaiting, reply: Reply): void {
    const code = reply.code;
    const verb = awaiting.detail;
    if (code === 421) {
      this.#owed.push(forwardedReply(reply));
      this.#flush();
      this.#close(
        undefined,
        new ProxyError('ERR_PEER_CLOSED', 'the server closed the session (421)'),
      );
      return;
    }
    if (verb === 'AUTH') {
      if (code === 234) {
        // The handshake starts once the rest of the server's chunk has been read (`pushServer`).
        this.#beginUpgrade('server');
        return;
      }
      // upstreamTls on: never a fall back to clear text toward the server.
      const message = `the server refused AUTH TLS: ${quote(reply.lines[0] ?? '', 60)}`;
      this.#effects.log(message, {
        event: 'upstream_tls_refused',
        level: 'warn',
        fields: { code },
      });
      this.#close([LOCAL.upstreamTlsRefused], new ProxyError('ERR_TLS', message));
      return;
    }
    if (code >= 300) {
      this.#effects.log(
        `the server refused ${verb === 'PROT' ? 'PROT P: its data connections stay clear' : verb}: ${quote(reply.lines[0] ?? '', 60)}`,
        { event: 'upstream_refused', level: 'warn', fields: { verb: verb ?? null, code } },
      );
    }
    if (verb === 'PROT') {
      this.#serverProtected = code >= 200 && code < 300;
      this.#busy = undefined;
      this.#drain();
    }
  }

  // --- server to client ----------------------------------------------------------------------

  /** Bytes from the server. */
  pushServer(chunk: Uint8Array): void {
    if (this.#phase === 'closed') return;
    try {
      this.#replies.push(chunk);
    } catch (error) {
      this.#protocolError(error);
      return;
    }
    if (this.#phase === 'upgrading' && !this.#tlsRequested) {
      this.#tlsRequested = true;
      this.#upgrade();
    }
  }

  #onReply(reply: Reply): void {
    if (this.#phase === 'closed') return;
    // While only the client's leg is upgraded the server's replies are read as ever, and held.
    if (this.#phase === 'upgrading' && this.#upgradingLegs !== 'client') {
      // CVE-2021-22947: clear text behind the 234 would reach the client as if protected.
      throw new ProxyError(
        'ERR_PROTOCOL',
        'the server sent clear text after its 234',
        reply.offset,
      );
    }
    this.#effects.activity();
    const awaiting = this.#awaiting[0];
    const observer = this.#options.observer;
    if (observer) {
      observer.reply(reply.code, 'server');
      if (awaiting?.sentAt !== undefined) {
        observer.replyLatency(observer.now() - awaiting.sentAt);
        awaiting.sentAt = undefined;
      }
    }
    if (awaiting?.kind === 'hidden') {
      // The proxy's own command: nothing of its replies reaches the client.
      if (reply.code >= 200) {
        this.#awaiting.shift();
        this.#hiddenFinal(awaiting, reply);
      }
      return;
    }
    if (reply.code < 200) {
      // RFC 959 §4.2: a preliminary reply; the command still waits for its final one.
      const bytes = this.#screened(reply);
      if (awaiting?.kind === 'transfer') awaiting.channel?.preliminaryReply();
      if (awaiting) awaiting.parts.push(bytes);
      else this.#owed.push(bytes);
      this.#flush();
      return;
    }
    if (awaiting === undefined) {
      // A reply nobody asked for: 421 is a server closing the session (RFC 959 §5.4).
      this.#owed.push(this.#screened(reply));
      this.#flush();
      if (reply.code === 421)
        this.#close(
          undefined,
          new ProxyError('ERR_PEER_CLOSED', 'the server closed the session (421)'),
        );
      return;
    }
    this.#awaiting.shift();
    awaiting.parts.push(this.#final(awaiting, reply));
    awaiting.done = true;
    this.#flush();
    this.#afterFinal(awaiting, reply);
  }

  /** What the client gets for the final reply to `awaiting`. */
  #final(awaiting: Awaiting, reply: Reply): Uint8Array {
    const code = reply.code;
    const channel = awaiting.channel;
    switch (awaiting.kind) {
      case 'pasv':
      case 'epsv':
        // passiveMode rewrite: the server's 229 names only its port, which is forwarded.
        if (awaiting.kind === 'epsv' && channel === undefined) return forwardedReply(reply);
        return code === (awaiting.sent === 'EPSV' ? 229 : 227)
          ? this.#passiveAddress(reply, channel, awaiting.kind)
          : this.#refused(reply, channel);
      case 'crossed':
        return code === (awaiting.sent === 'EPSV' ? 229 : 227)
          ? this.#crossedAddress(reply, channel!, awaiting.detail === 'EPRT' ? 'EPRT' : 'PORT')
          : this.#refused(reply, channel);
      case 'feat':
        return code === 211 ? clientFeatures(reply, this.#options.tls) : this.#screened(reply);
      case 'active':
        if (code >= 200 && code < 300) {
          channel!.arm();
          return this.#screened(reply);
        }
        return this.#refused(reply, channel);
      case 'transfer':
        // The data connection ends as this reply says: a server's end alone does not say the
        // file is whole (a server that dies has its kernel close the connection in order).
        channel?.finalReply(code);
        if (channel?.clientFailure !== undefined) {
          this.#effects.log(
            `the transfer's data connection failed (${channel.clientFailure}): ${code} replaced`,
            {
              event: 'transfer_failed',
              level: 'warn',
              fields: { code, error: channel.clientFailure },
            },
          );
          return channel.clientUnreachable ? LOCAL.dataClient : LOCAL.dataTls;
        }
        return this.#screened(reply);
      case 'login':
        if (code === 230 || code === 232) {
          this.#loggedIn = true;
          this.#options.observer?.login(true);
        } else if (code >= 400) {
          // 331 and 332 ask for more: only the end of a login counts.
          this.#options.observer?.login(false);
        }
        return this.#screened(reply);
      case 'prot':
        // RFC 4217 §9: C is clear, P private; S and E are refused by every server worth relaying.
        if (code >= 200 && code < 300) {
          this.#clientProtected = awaiting.detail === 'P';
          this.#serverProtected = this.#clientProtected;
        }
        return this.#screened(reply);
      case 'auth':
        if (code === 234) {
          this.#beginUpgrade('both');
          if (awaiting.detail === 'P') {
            this.#clientProtected = true;
            this.#serverProtected = true;
          }
          return forwardedReply(reply);
        }
        this.#busy = undefined;
        return this.#screened(reply);
      default:
        return this.#screened(reply);
    }
  }

  /** What follows a final reply once it is on its way. */
  #afterFinal(awaiting: Awaiting, reply: Reply): void {
    if (awaiting.kind === 'quit' && reply.code === 221) {
      this.#close(undefined, undefined);
    } else if (awaiting.kind === 'greeting' && reply.code >= 400) {
      this.#close(
        undefined,
        new ProxyError('ERR_PEER_CLOSED', `the server refused the session (${reply.code})`),
      );
    } else if (awaiting.kind === 'greeting' && this.#busy === 'upstream') {
      // upstreamTls on: TLS toward the server before any command of the client (RFC 4217 §4).
      this.#sendHidden('AUTH TLS');
    } else if (this.#phase === 'upgrading') {
      // The handshake starts once the rest of the server's chunk has been read (`pushServer`).
    } else if (reply.code === 421) {
      this.#close(
        undefined,
        new ProxyError('ERR_PEER_CLOSED', 'the server closed the session (421)'),
      );
    } else {
      this.#drain();
    }
  }

  /** After the 234: both sides start TLS where the clear text stopped (RFC 4217 §4). */
  #upgrade(): void {
    const legs = this.#upgradingLegs;
    // CVE-2011-0411 (STARTTLS injection): clear text the client sent behind AUTH would be read
    // as protected after the handshake, and so would server bytes behind the 234. A client
    // whose leg stays as it is may send what it likes: it waits its turn.
    if (
      legs !== 'server' &&
      (this.#deferred.length > 0 || this.#input !== undefined || this.midLine)
    ) {
      this.#protocolError(
        new ProxyError('ERR_PROTOCOL', 'the client sent clear text after AUTH before its reply'),
      );
      return;
    }
    if (legs !== 'client' && !this.#replies.idle) {
      this.#protocolError(
        new ProxyError('ERR_PROTOCOL', 'the server sent clear text after its 234'),
      );
      return;
    }
    if (legs !== 'server' && this.#owed.length > 0) {
      // The 234 could not be written: a client that does not read its replies cannot be upgraded.
      this.#protocolError(
        new ProxyError('ERR_PROTOCOL', 'the client did not read the 234 before its handshake'),
      );
      return;
    }
    this.#effects.startTls(legs);
  }

  /** The data port a 227 or 229 names, or undefined (logged) when it cannot be read. */
  #serverDataPort(reply: Reply): { server: string; port: number } | undefined {
    try {
      if (reply.code === 227) {
        const address = parsePasvReply(reply);
        return { server: formatHostPort(address), port: address.port };
      }
      const port = parseEpsvReply(reply);
      return { server: `port ${port}`, port };
    } catch (error) {
      this.#effects.log(`withheld an unreadable ${reply.code}: ${(error as Error).message}`, {
        event: 'withheld',
        level: 'warn',
        fields: { code: reply.code, error: (error as Error).message },
      });
      return undefined;
    }
  }

  /**
   * The proxy's data address in place of the server's, as the client asked for it (`kind`: a
   * 227 to PASV, a 229 to EPSV, whichever the server was sent), or a refusal when it cannot be
   * read.
   */
  #passiveAddress(
    reply: Reply,
    channel: ChannelHandle | undefined,
    kind: 'pasv' | 'epsv',
  ): Uint8Array {
    const read = this.#serverDataPort(reply);
    if (read === undefined) {
      this.#refused(reply, channel);
      return LOCAL.serverAddress;
    }
    const server = read.server;
    let port = read.port;
    const publicHost = this.#options.publicHost;
    let text: string;
    if (channel === undefined) {
      // passiveMode rewrite: the network forwards the server's own port at the public host.
      text = formatPasvReply({ host: publicHost, port });
    } else {
      // A newer PASV, PORT or ABOR closed the channel this reply was for.
      if (!channel.open) return LOCAL.passivePort;
      channel.setTarget(port);
      channel.arm();
      port = channel.port;
      text = kind === 'pasv' ? formatPasvReply({ host: publicHost, port }) : formatEpsvReply(port);
    }
    this.#effects.log(
      `rewrite ${server} -> ${publicHost}:${port}: ${quote(reply.lines[0] ?? '', 80)} -> ${quote(text.trimEnd(), 80)}`,
      {
        event: 'rewrite',
        fields: { what: String(reply.code), from: server, to: `${publicHost}:${port}` },
      },
    );
    this.#options.observer?.rewrite(kind === 'pasv' ? '227' : '229');
    return latin1Bytes(text);
  }

  /**
   * A client's PORT or EPRT went to the server as PASV or EPSV (`upstreamData`): the server's
   * port is where the proxy connects for the transfer, and the client gets the 200 its command
   * asked for. No address of the server reaches it.
   */
  #crossedAddress(reply: Reply, channel: ChannelHandle, verb: 'PORT' | 'EPRT'): Uint8Array {
    const read = this.#serverDataPort(reply);
    if (read === undefined) {
      this.#refused(reply, channel);
      return LOCAL.serverAddress;
    }
    // A newer PASV, PORT or ABOR closed the channel this reply was for.
    if (!channel.open) return LOCAL.activePort;
    channel.setTarget(read.port);
    channel.arm();
    this.#effects.log(`server data port for ${verb}: ${read.server}`, {
      event: 'rewrite',
      fields: { what: String(reply.code), from: read.server, to: verb },
    });
    this.#options.observer?.rewrite(verb);
    return verb === 'PORT' ? LOCAL.portAccepted : LOCAL.eprtAccepted;
  }

  #refused(reply: Reply, channel: ChannelHandle | undefined): Uint8Array {
    if (channel !== undefined) {
      channel.close();
      if (this.#current === channel) this.#current = undefined;
    }
    return this.#screened(reply);
  }

  /**
   * A reply as it may reach the client: a data address (227, 228, 229) the proxy did not ask
   * for is withheld, since it names the server's side of the network; anything else is
   * forwarded as parsed. With `passiveMode: 'rewrite'` a 229 passes: it names no host.
   */
  #screened(reply: Reply): Uint8Array {
    const code = reply.code;
    if (code === 227 || code === 228 || (code === 229 && this.#options.passiveMode === 'relay')) {
      this.#effects.log(`withheld an unsolicited ${code}: ${quote(reply.lines[0] ?? '', 60)}`, {
        event: 'withheld',
        level: 'warn',
        fields: { code },
      });
      this.#options.observer?.withheld(code);
      return LOCAL.unexpectedAddress;
    }
    return forwardedReply(reply);
  }

  /** Writes what is owed to the client, in order, while its buffer takes it. */
  #flush(): void {
    this.#flushOwed();
    this.#maybeUpgradeClient();
  }

  #flushOwed(): void {
    // The client's control connection carries its TLS handshake: replies wait for `tlsReady`.
    if (this.#phase === 'upgrading' && this.#tlsRequested && this.#upgradingLegs !== 'server') {
      return;
    }
    const owed = this.#owed;
    while (owed.length > 0 && !this.#clientFull) {
      const head = owed[0]!;
      if (head instanceof Uint8Array) {
        owed.shift();
        this.#write(head);
        continue;
      }
      while (head.parts.length > 0 && !this.#clientFull) this.#write(head.parts.shift()!);
      if (!head.done || head.parts.length > 0) return;
      owed.shift();
    }
  }

  #write(bytes: Uint8Array): void {
    this.#countLocal(bytes);
    if (!this.#effects.toClient(bytes)) this.#clientFull = true;
  }

  /** The proxy's own replies are counted as they go out (the server's as they come in). */
  #countLocal(bytes: Uint8Array): void {
    const observer = this.#options.observer;
    if (observer && LOCAL_REPLIES.has(bytes)) observer.reply(replyCode(bytes), 'proxy');
  }

  // --- the end -------------------------------------------------------------------------------

  /** The server's connection is gone: the client hears it as FTP replies before the close. */
  serverLost(error: ProxyError): void {
    if (this.#phase === 'closed') return;
    const transfer = this.#awaiting.find((entry) => entry.kind === 'transfer');
    const replies = [LOCAL.serverLost];
    // The transfer in flight gets its final reply first: why it failed, if the proxy knows.
    if (transfer) {
      const channel = transfer.channel;
      replies.unshift(
        channel?.clientFailure === undefined
          ? LOCAL.dataLost
          : channel.clientUnreachable
            ? LOCAL.dataClient
            : LOCAL.dataTls,
      );
    }
    this.#close(replies, error);
  }

  /** Ends the session with a 421 of the I/O side's choosing (a timeout, a shutdown). */
  closeWith(reply: Uint8Array, error: ProxyError | undefined): void {
    this.#close([reply], error);
  }

  #protocolError(error: unknown): void {
    const failure = toProxyError(error);
    this.#effects.log(`protocol error: ${failure.message}`, {
      event: 'protocol_error',
      level: 'warn',
      fields: { code: failure.code, error: failure.message },
    });
    this.#close([LOCAL.protocol], failure);
  }

  #close(replies: Uint8Array[] | undefined, error: ProxyError | undefined): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    if (replies) {
      // Whatever is owed and ready goes first; the closing replies go even to a full buffer.
      this.#flush();
      for (const reply of replies) {
        this.#countLocal(reply);
        this.#effects.toClient(reply);
      }
    }
    for (const entry of this.#awaiting) entry.channel?.close();
    this.#effects.end(error);
  }
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function replyText(bytes: Uint8Array): string {
  return latin1(bytes.subarray(0, bytes.length - 2));
}

function classifyFamily(host: string): 4 | 6 {
  return host.includes(':') ? 6 : 4;
}

function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Any failure as the proxy's error class, keeping a parser's code where the proxy has one. */
export function toProxyError(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const code = (error as { code?: unknown })?.code;
  const offset = (error as { offset?: unknown })?.offset;
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError(
    code === 'ERR_LINE_TOO_LONG' ? 'ERR_LINE_TOO_LONG' : 'ERR_PROTOCOL',
    message,
    typeof offset === 'number' ? offset : -1,
  );
}
