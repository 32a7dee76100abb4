import { type Command, CommandParser, formatCommand } from '@ftpwire/command';
import { formatReply } from '@ftpwire/reply';
import { ProxyError } from './errors.js';
import { LOCAL, ownReply } from './replies.js';
import type { UpstreamReplay } from './upstream-prelude.js';

const LF = 0x0a;
/**
 * Commands a client may send before USER when the proxy holds it to choose a server by user
 * name; beyond it the session ends with 421. A client sends a handful (FEAT, AUTH, PBSZ, PROT,
 * OPTS); this bounds the work an unauthenticated peer gets out of the proxy besides the login
 * timeout.
 */
export const MAX_COMMANDS_BEFORE_USER = 32;

const PRE = {
  greeting: ownReply(220, 'ftpwire-proxy ready.'),
  noop: ownReply(200, 'NOOP ok.'),
  authOk: ownReply(234, 'Proceed with negotiation.'),
  pbsz: ownReply(200, 'PBSZ=0'),
  prot: ownReply(200, 'PROT now set.'),
  protLevel: ownReply(504, 'PROT level not supported; use C or P.'),
  needsAuth: ownReply(503, 'PBSZ and PROT need AUTH first.'),
  login: ownReply(530, 'Please login with USER first.'),
  goodbye: ownReply(221, 'Goodbye.'),
  tooMany: ownReply(421, 'Too many commands before USER.'),
} as const;

/** What the pre-login stage asks of its session. */
export interface PreLoginEffects {
  toClient(bytes: Uint8Array): void;
  /** A 234 went out: take the client's TLS handshake, then call `tlsReady`. */
  startTls(): void;
  /**
   * The client sent USER: choose a server by `user`, replay `replay` to it, then hand it
   * `lines` (the USER command re-formatted, and whatever the client sent after it).
   */
  chosen(user: string, replay: UpstreamReplay, lines: Uint8Array): void;
  /** A command before USER answered `530` here (for the log). */
  answered(verb: string, code: number): void;
  /** End the session (QUIT, a protocol error, too many commands). */
  end(error: ProxyError | undefined): void;
}

/**
 * A session's start when the server depends on the user (`balance: 'by-user'`), as ProFTPD's
 * mod_proxy does for per-user selection: the proxy greets the client itself and answers what
 * comes before USER, without a server, until USER names the user.
 *
 * - `AUTH TLS` (and TLS-C, SSL, TLS-P) is answered 234 and the client's TLS handshake taken at
 *   once; the server gets AUTH and its own handshake once chosen. PBSZ and PROT after AUTH are
 *   answered 200 and replayed to the server too.
 * - `FEAT` lists what the proxy itself provides before a server is known (AUTH TLS, PBSZ,
 *   PROT); the server's own features are listed by FEAT after login.
 * - `NOOP` 200, `QUIT` 221; anything else `530 Please login with USER first` (what servers
 *   answer before login), and at most {@link MAX_COMMANDS_BEFORE_USER} of them.
 *
 * Sans I/O: client bytes in, replies and decisions out.
 */
export class PreLogin {
  readonly #effects: PreLoginEffects;
  readonly #tls: boolean;
  readonly #parser: CommandParser;
  #secure: boolean;
  #auth: 'C' | 'P' | undefined;
  #pbsz = false;
  #prot: string | undefined;
  #commands = 0;
  /** Set once USER (or the end) has come: nothing more is read here. */
  #done = false;
  #user: Command | undefined;
  #upgrading = false;

  constructor(
    options: {
      readonly tls: boolean;
      readonly implicitTls: boolean;
      readonly maxLineLength: number;
    },
    effects: PreLoginEffects,
  ) {
    this.#effects = effects;
    this.#tls = options.tls;
    this.#secure = options.implicitTls;
    this.#parser = new CommandParser({
      maxLineLength: options.maxLineLength,
      telnet: true,
      onCommand: (command) => this.#command(command),
      onMalformedLine: () => this.#count(LOCAL.syntax),
    });
  }

  /** The proxy's own greeting, to send first. */
  static get greeting(): Uint8Array {
    return PRE.greeting;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Bytes from the client, until USER. */
  push(chunk: Uint8Array): void {
    let at = 0;
    try {
      while (at < chunk.length && !this.#done) {
        if (this.#upgrading) {
          // CVE-2011-0411: clear text behind AUTH would be read as sent under TLS.
          throw new ProxyError('ERR_PROTOCOL', 'the client sent more after AUTH before its reply');
        }
        const lf = chunk.indexOf(LF, at);
        const end = lf < 0 ? chunk.length : lf + 1;
        this.#parser.push(chunk.subarray(at, end));
        at = end;
      }
    } catch (error) {
      this.#done = true;
      const failure =
        error instanceof ProxyError
          ? error
          : new ProxyError('ERR_PROTOCOL', (error as Error).message);
      this.#effects.toClient(LOCAL.protocol);
      this.#effects.end(failure);
      return;
    }
    const user = this.#user;
    if (user === undefined) return;
    this.#user = undefined;
    const line = new TextEncoder().encode(
      formatCommand('USER', latin1(user.rawArgument), { strictVerb: false }),
    );
    const rest = chunk.subarray(at);
    const lines = new Uint8Array(line.length + rest.length);
    lines.set(line);
    lines.set(rest, line.length);
    this.#effects.chosen(
      latin1(user.rawArgument),
      { auth: this.#auth, pbsz: this.#pbsz, prot: this.#prot },
      lines,
    );
  }

  /** The client's TLS handshake after AUTH is done. */
  tlsReady(): void {
    this.#upgrading = false;
    this.#secure = true;
  }

  #count(reply: Uint8Array): void {
    this.#commands++;
    if (this.#commands > MAX_COMMANDS_BEFORE_USER) {
      this.#done = true;
      this.#effects.toClient(PRE.tooMany);
      this.#effects.end(
        new ProxyError(
          'ERR_PROTOCOL',
          `more than ${MAX_COMMANDS_BEFORE_USER} commands before USER`,
        ),
      );
      return;
    }
    this.#effects.toClient(reply);
  }

  #command(command: Command): void {
    if (this.#done) return;
    switch (command.verb) {
      case 'USER':
        this.#done = true;
        this.#user = command;
        return;
      case 'AUTH': {
        const mechanism = command.argument.trim().toUpperCase();
        if (!this.#tls) {
          this.#count(LOCAL.noTls);
          return;
        }
        if (this.#secure) {
          this.#count(LOCAL.alreadySecure);
          return;
        }
        if (!['TLS', 'TLS-C', 'SSL', 'TLS-P'].includes(mechanism)) {
          this.#count(LOCAL.authMechanism);
          return;
        }
        this.#count(PRE.authOk);
        if (this.#done) return;
        // vsftpd and the pre-RFC 4217 drafts: AUTH SSL and TLS-P protect the data channel too.
        this.#auth = mechanism === 'SSL' || mechanism === 'TLS-P' ? 'P' : 'C';
        this.#upgrading = true;
        this.#effects.startTls();
        return;
      }
      case 'PBSZ':
        if (!this.#secure) {
          this.#count(PRE.needsAuth);
          return;
        }
        this.#pbsz = true;
        this.#count(PRE.pbsz);
        return;
      case 'PROT': {
        if (!this.#secure) {
          this.#count(PRE.needsAuth);
          return;
        }
        const level = command.argument.trim().toUpperCase();
        if (level !== 'C' && level !== 'P') {
          this.#count(PRE.protLevel);
          return;
        }
        this.#prot = level;
        this.#count(PRE.prot);
        return;
      }
      case 'FEAT':
        this.#count(this.#features());
        return;
      case 'NOOP':
        this.#count(PRE.noop);
        return;
      case 'QUIT':
        this.#done = true;
        this.#effects.toClient(PRE.goodbye);
        this.#effects.end(undefined);
        return;
      default:
        this.#effects.answered(command.verb, 530);
        this.#count(PRE.login);
        return;
    }
  }

  #features(): Uint8Array {
    const features = this.#tls ? [' AUTH TLS', ' PBSZ', ' PROT'] : [];
    return new TextEncoder().encode(formatReply(211, ['Features:', ...features, 'End']));
  }
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}
