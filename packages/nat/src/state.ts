import { NatError } from './errors.js';
import type { NatDirection, ResolvedOptions } from './options.js';

/** What a command awaiting its final reply asked for; only these change how replies are read. */
export const CONNECTION = 0;
export const OTHER = 1;
export const PASV = 2;
/** A client's PASV sent to the server as EPSV (`pasvViaEpsv`). */
export const PASV_VIA_EPSV = 3;
export const AUTH = 4;
export const NONE = -1;

/**
 * What the two directions of one control connection share: the commands awaiting a final
 * reply, in order, and whether the stream is still readable.
 *
 * RFC 959 §4.2: every command gets exactly one final reply (2yz-5yz), possibly after 1yz
 * preliminary replies, in the order the commands were sent; the connection itself is
 * answered first (the 220 greeting, after an optional 120).
 */
export class SessionState {
  readonly options: ResolvedOptions;
  /** True after a 234 answered AUTH: the bytes are TLS and nothing is read. */
  secure = false;
  /** True once the client has sent a byte since the stream became secure. */
  clientSpoke = false;
  /** AUTH commands awaiting their reply. */
  authPending = 0;
  #kinds = new Uint8Array(16);
  #head = 0;
  #length = 0;

  constructor(options: ResolvedOptions, expectGreeting: boolean) {
    this.options = options;
    if (expectGreeting) this.enqueue(CONNECTION, 0);
  }

  /** The oldest command still awaiting a final reply, or NONE. */
  get head(): number {
    return this.#length === 0 ? NONE : this.#kinds[this.#head]!;
  }

  get pending(): number {
    return this.#length;
  }

  enqueue(kind: number, offset: number): void {
    const capacity = this.#kinds.length;
    if (this.#length === capacity) {
      if (this.#length >= this.options.maxPendingCommands) {
        throw new NatError(
          'ERR_TOO_MANY_PENDING_COMMANDS',
          `more than ${this.options.maxPendingCommands} commands await a reply`,
          offset,
        );
      }
      const grown = new Uint8Array(capacity * 2);
      for (let i = 0; i < this.#length; i++)
        grown[i] = this.#kinds[(this.#head + i) & (capacity - 1)]!;
      this.#kinds = grown;
      this.#head = 0;
    } else if (this.#length >= this.options.maxPendingCommands) {
      throw new NatError(
        'ERR_TOO_MANY_PENDING_COMMANDS',
        `more than ${this.options.maxPendingCommands} commands await a reply`,
        offset,
      );
    }
    // Capacity stays a power of two, so a mask wraps the ring.
    this.#kinds[(this.#head + this.#length) & (this.#kinds.length - 1)] = kind;
    this.#length++;
    if (kind === AUTH) this.authPending++;
  }

  /**
   * A complete reply with `code` arrived. 2yz-5yz are final and answer the oldest command;
   * 1yz are preliminary. 6yz (RFC 2228 protected replies) wrap a reply the session cannot
   * read, so they answer nothing it can know of. Returns what was answered, or NONE.
   */
  answer(code: number): number {
    if (code < 200 || code >= 600 || this.#length === 0) return NONE;
    const kind = this.#kinds[this.#head]!;
    this.#head = (this.#head + 1) & (this.#kinds.length - 1);
    this.#length--;
    if (kind === AUTH) this.authPending--;
    return kind;
  }

  /** A 234 at reply-stream `offset` answered AUTH. */
  becomeSecure(offset: number): void {
    this.secure = true;
    this.clientSpoke = false;
    this.options.onStateChange?.({ state: 'secure', offset });
  }

  /** After CCC: the stream is clear again; whatever was pending was said inside TLS. */
  resumeClear(offset: number): void {
    this.secure = false;
    this.clientSpoke = false;
    this.authPending = 0;
    this.#head = 0;
    this.#length = 0;
    this.options.onStateChange?.({ state: 'clear', offset });
  }
}

/**
 * Receives output pieces in order: views of the input, or new arrays for rewritten bytes.
 * Write them on at once, or copy them (`slice()`) if the input's memory is reused.
 *
 * @example
 * ```ts
 * import { type Emit, ReplyRewriter } from '@ftpwire/nat';
 *
 * const pieces: Uint8Array[] = [];
 * const emit: Emit = (bytes) => pieces.push(bytes.slice());
 * const rewriter = new ReplyRewriter({ publicHost: '193.21.1.121' });
 * rewriter.push(new TextEncoder().encode('227 Passive (10,0,1,121,117,51)\r\n'), emit);
 * pieces.map((piece) => new TextDecoder().decode(piece)).join('');
 * // => '227 Passive (193,21,1,121,117,51)\r\n'
 * ```
 */
export type Emit = (bytes: Uint8Array) => void;

export function dataAfterAuth(direction: NatDirection, offset: number): NatError {
  return new NatError(
    'ERR_DATA_AFTER_AUTH',
    direction === 'command'
      ? 'the client sent bytes after AUTH before its reply: plaintext a TLS server would read as protected'
      : 'the server sent bytes after 234 before the client began the TLS handshake: plaintext a client would read as protected',
    offset,
  );
}
