import { formatPasvReply, type HostPort, parseEpsvReply } from '@ftpwire/address';
import { ReplyFraming } from '@ftpwire/reply';
import { HOLD_NO, HOLD_UNDECIDED, HOLD_YES, LineRewriter } from './line-rewriter.js';
import type { ResolvedOptions, SkipReason } from './options.js';
import { AUTH, dataAfterAuth, PASV, PASV_VIA_EPSV, type SessionState } from './state.js';
import { latin1, lineText, replacedText } from './text.js';
import { decimalLength, ipv4Text, readPasvTuple, Tuple, writeDecimal } from './tuple.js';

const ZERO = 0x30;
const SPACE = 0x20;
const COMMA = 0x2c;
const encoder = new TextEncoder();

/**
 * The server-to-client core. Tracks replies with `@ftpwire/reply`'s `ReplyFraming`, the
 * parser's own RFC 959 §4.2 framing (a multi-line reply closes only at a line starting with
 * its code and a space, unless `lenientClose`), and answers the oldest
 * pending command with each final reply. A 227 line is held and rewritten only when it starts
 * a single-line reply and the command it answers is a PASV the session saw; every other byte
 * passes at once.
 */
export class ReplyCore extends LineRewriter {
  readonly #state: SessionState;
  readonly #options: ResolvedOptions;
  /** Reply-only mode: no commands are seen, so any single-line 227 at a reply start is taken as answering PASV. */
  readonly #replyOnly: boolean;
  readonly #framing: ReplyFraming;
  readonly #tuple = new Tuple();
  /** The code of the reply that may need rewriting next (227, 229 for `pasvViaEpsv`), or 0. */
  #watch = 0;
  #d0 = 0;
  #d1 = 0;
  #d2 = 0;

  constructor(state: SessionState, replyOnly: boolean) {
    super(state.options.maxLineLength);
    this.#state = state;
    this.#options = state.options;
    this.#replyOnly = replyOnly;
    this.#framing = new ReplyFraming({ lenientClose: state.options.lenientClose });
    this.#refresh();
  }

  override reset(): void {
    super.reset();
    this.#framing.reset();
  }

  protected prepare(): void {
    this.stopped = this.#state.secure;
    this.#refresh();
  }

  /** Which reply to watch for follows from the oldest pending command. */
  #refresh(): void {
    const head = this.#replyOnly ? PASV : this.#state.head;
    const watch = head === PASV ? 227 : head === PASV_VIA_EPSV ? 229 : 0;
    if (watch !== this.#watch) {
      this.#watch = watch;
      this.#d0 = ZERO + Math.floor(watch / 100);
      this.#d1 = ZERO + (Math.floor(watch / 10) % 10);
      this.#d2 = ZERO + (watch % 10);
    }
    this.watching = watch !== 0 && this.#framing.open === 0;
  }

  protected decide(bytes: Uint8Array, start: number, count: number): number {
    // Only "ddd " at a reply start opens a single-line reply (RFC 959 §4.2).
    if (bytes[start] !== this.#d0) return HOLD_NO;
    if (count < 2) return HOLD_UNDECIDED;
    if (bytes[start + 1] !== this.#d1) return HOLD_NO;
    if (count < 3) return HOLD_UNDECIDED;
    if (bytes[start + 2] !== this.#d2) return HOLD_NO;
    if (count < 4) return HOLD_UNDECIDED;
    return bytes[start + 3] === SPACE ? HOLD_YES : HOLD_NO;
  }

  protected lineEnd(bytes: Uint8Array, start: number, length: number, offset: number): void {
    const framing = this.#framing;
    const wasOpen = framing.open !== 0;
    // No byte past the line is read: a short line may end the array.
    const code =
      length < 3
        ? framing.line(0, 0, 0, 0, length)
        : framing.line(
            bytes[start]!,
            bytes[start + 1]!,
            bytes[start + 2]!,
            length > 3 ? bytes[start + 3]! : 0,
            length,
          );
    if (code > 0) {
      this.#complete(code, offset);
    } else if (code === 0 && !wasOpen) {
      this.watching = false;
      if (framing.open === this.#watch) this.#skip('multi-line', offset);
    }
  }

  #complete(code: number, offset: number): void {
    if (this.#replyOnly) {
      // RFC 2228: 234 answers only AUTH; what follows is the TLS handshake.
      if (code === 234) this.#secure(offset);
    } else {
      const answered = this.#state.answer(code);
      if (answered === AUTH && code === 234) this.#secure(offset);
      else if (code === 227 && answered !== PASV) this.#skip('unsolicited', offset);
    }
    // The next line starts a reply: watch it if it may answer a PASV.
    this.#refresh();
  }

  #secure(offset: number): void {
    this.stopped = true;
    this.#state.becomeSecure(offset);
  }

  protected bypass(_chunk: Uint8Array, _from: number, offset: number, immediate: boolean): void {
    // A TLS client speaks first (ClientHello); a server byte before it is plaintext that a
    // client would read as if protected. Reply-only streams cannot see the client, so they
    // check only the bytes that came with the 234.
    if (immediate || (!this.#replyOnly && !this.#state.clientSpoke)) {
      throw dataAfterAuth('reply', offset);
    }
  }

  protected rewrite(
    bytes: Uint8Array,
    start: number,
    stop: number,
    _end: number,
    offset: number,
  ): boolean {
    return this.#watch === 227
      ? this.#rewritePasv(bytes, start, stop, offset)
      : this.#translateEpsv(bytes, start, stop, offset);
  }

  #rewritePasv(bytes: Uint8Array, start: number, stop: number, offset: number): boolean {
    const tuple = this.#tuple;
    if (!readPasvTuple(bytes, start, stop, tuple)) {
      this.#skip('unparsable', offset, bytes, start, stop);
      return false;
    }
    const first = tuple.first;
    const host = tuple.host;
    const port = tuple.port;
    const options = this.#options;
    const target = options.passiveHost(host, offset);
    if (typeof target === 'string') {
      this.#skip(target, offset, bytes, start, stop);
      return false;
    }
    const mappedPort = options.passivePort(port, host, offset);
    const samePort = mappedPort === port;
    if (target.value === host && samePort) return false;
    // Only the numbers change; the server's own text around them stays byte for byte.
    const hostBytes = target.tuple;
    let replacement: Uint8Array;
    if (samePort) {
      replacement = hostBytes;
      this.replacementShared = true;
      this.replaceTo = tuple.hostEnd;
    } else {
      const p1 = mappedPort >>> 8;
      const p2 = mappedPort & 255;
      replacement = new Uint8Array(hostBytes.length + 2 + decimalLength(p1) + decimalLength(p2));
      replacement.set(hostBytes);
      let at = hostBytes.length;
      replacement[at++] = COMMA;
      at = writeDecimal(replacement, at, p1);
      replacement[at++] = COMMA;
      writeDecimal(replacement, at, p2);
      this.replaceTo = tuple.end;
    }
    this.replaceFrom = first;
    this.replacement = replacement;
    if (options.onRewrite) {
      this.#report(
        bytes,
        start,
        stop,
        offset,
        { host: ipv4Text(host), port },
        { host: target.host, port: mappedPort },
      );
    }
    return true;
  }

  #translateEpsv(bytes: Uint8Array, start: number, stop: number, offset: number): boolean {
    let port: number;
    try {
      port = parseEpsvReply(latin1(bytes, start, stop));
    } catch {
      this.#skip('unparsable', offset, bytes, start, stop);
      return false;
    }
    const mapped = this.#options.mapEpsvPort(port, offset);
    // The whole line becomes the 227; its terminator stays as the server sent it.
    const line = formatPasvReply(mapped);
    this.replacement = encoder.encode(line.slice(0, -2));
    this.replaceFrom = start;
    this.replaceTo = stop;
    if (this.#options.onRewrite) {
      this.#report(bytes, start, stop, offset, { host: '', port }, mapped);
    }
    return true;
  }

  #report(
    bytes: Uint8Array,
    start: number,
    stop: number,
    offset: number,
    original: HostPort,
    rewritten: HostPort,
  ): void {
    this.#options.onRewrite?.({
      direction: 'reply',
      before: lineText(bytes, start, stop),
      after: replacedText(bytes, start, stop, this.replaceFrom, this.replaceTo, this.replacement),
      offset,
      original,
      rewritten,
    });
  }

  #skip(
    reason: SkipReason,
    offset: number,
    bytes?: Uint8Array,
    start?: number,
    stop?: number,
  ): void {
    const onSkip = this.#options.onSkip;
    if (!onSkip) return;
    onSkip(
      bytes === undefined
        ? { direction: 'reply', reason, offset }
        : { direction: 'reply', reason, offset, line: lineText(bytes, start!, stop!) },
    );
  }
}
