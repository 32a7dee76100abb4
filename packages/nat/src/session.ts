import { CommandCore } from './commands.js';
import type { StreamRewriter } from './line-rewriter.js';
import { type NatOptions, type NatState, ResolvedOptions } from './options.js';
import { ReplyCore } from './reply.js';
import { type Emit, SessionState } from './state.js';

/**
 * The synchronous core of a NAT session: both directions of one control connection over
 * shared state, driven chunk by chunk. `NatSession` and the `node:stream` adapter are thin
 * wrappers around it; use it directly to plug the rewriting into your own I/O.
 *
 * @example
 * ```ts
 * import { NatRewriter } from '@ftpwire/nat';
 *
 * const nat = new NatRewriter({ publicHost: '193.21.1.121' });
 * // With sockets: client.on('data', (chunk) => nat.commands.push(chunk, (b) => server.write(b)))
 * // and server.on('data', (chunk) => nat.replies.push(chunk, (b) => client.write(b))).
 * let toServer = '';
 * let toClient = '';
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const server = (b: Uint8Array) => (toServer += new TextDecoder().decode(b));
 * const client = (b: Uint8Array) => (toClient += new TextDecoder().decode(b));
 * nat.replies.push(bytes('220 (vsFTPd 3.0.3)\r\n'), client);
 * nat.commands.push(bytes('PASV\r\n'), server);
 * nat.replies.push(bytes('227 Entering Passive Mode (10,0,1,121,117,51).\r\n'), client);
 * toServer; // => 'PASV\r\n'
 * toClient; // => '220 (vsFTPd 3.0.3)\r\n227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * ```
 */
export class NatRewriter {
  /** Client to server. */
  readonly commands: StreamRewriter;
  /** Server to client. */
  readonly replies: StreamRewriter;
  readonly #state: SessionState;
  readonly #commands: CommandCore;
  readonly #replies: ReplyCore;

  /** Throws `ERR_INVALID_OPTION` for options that cannot work. */
  constructor(options: NatOptions = {}) {
    this.#state = new SessionState(new ResolvedOptions(options), true);
    this.#commands = new CommandCore(this.#state);
    this.#replies = new ReplyCore(this.#state, false);
    this.commands = this.#commands;
    this.replies = this.#replies;
  }

  /** `clear` while the session reads the stream; `secure` after a 234 answered AUTH. */
  get state(): NatState {
    return this.#state.secure ? 'secure' : 'clear';
  }

  /**
   * Tells the session the control stream is clear text again, after CCC (RFC 2228 §5.1)
   * closed TLS on it: the session cannot see that itself, since CCC and its reply travel
   * encrypted. Call it when both directions are at a line boundary (after the server's
   * reply to CCC). Commands sent while encrypted are forgotten: the next reply answers the
   * next command seen.
   */
  resumeClear(): void {
    this.#commands.reset();
    this.#replies.reset();
    this.#state.resumeClear(this.#replies.offset);
  }
}

/**
 * The synchronous core of `createReplyRewriteStream`: rewrites well-formed single-line 227
 * replies at reply boundaries in a server-to-client stream, for users who do not see the
 * commands. Without them it cannot know which PASV a 227 answers, so every single-line 227
 * that starts a reply is taken as answering one (prefer `NatRewriter` when you see both
 * directions). After a 234 reply (AUTH TLS) it passes everything on unread.
 *
 * @example
 * ```ts
 * import { ReplyRewriter } from '@ftpwire/nat';
 *
 * const rewriter = new ReplyRewriter({ publicHost: '193.21.1.121' });
 * let toClient = '';
 * const send = (bytes: Uint8Array) => (toClient += new TextDecoder().decode(bytes));
 * // A line that may need rewriting is held until its end, however the bytes are cut.
 * rewriter.push(new TextEncoder().encode('227 Entering Passive Mode (10,0,1,'), send);
 * toClient; // => ''
 * rewriter.push(new TextEncoder().encode('121,117,51).\r\n'), send);
 * toClient; // => '227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * rewriter.offset; // => 48
 * ```
 */
export class ReplyRewriter implements StreamRewriter {
  readonly #state: SessionState;
  readonly #core: ReplyCore;

  /** Throws `ERR_INVALID_OPTION` for options that cannot work. */
  constructor(options: NatOptions = {}) {
    this.#state = new SessionState(new ResolvedOptions(options), false);
    this.#core = new ReplyCore(this.#state, true);
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.#core.offset;
  }

  /** `clear` while the stream is read; `secure` after a 234 reply. */
  get state(): NatState {
    return this.#state.secure ? 'secure' : 'clear';
  }

  push(chunk: Uint8Array, emit: Emit): void {
    this.#core.push(chunk, emit);
  }

  pushJoined(chunk: Uint8Array, deliver: Emit): void {
    this.#core.pushJoined(chunk, deliver);
  }

  end(emit: Emit): void {
    this.#core.end(emit);
  }

  /** As `NatRewriter.resumeClear`: the stream is clear text again after CCC. */
  resumeClear(): void {
    this.#core.reset();
    this.#state.resumeClear(this.#core.offset);
  }
}
