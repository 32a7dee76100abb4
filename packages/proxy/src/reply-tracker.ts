import { ProxyError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const ZERO = 0x30;
const PREFIX = 4;

/** What the {@link ReplyTracker} reports to and asks of its owner. */
export interface ReplyTrackerHandlers {
  /** Whether to hold the final line of a reply with `code` whole, to rewrite it. */
  hold(code: number): boolean;
  /** A held line, terminator included; returns the bytes to send in its place. */
  rewrite(line: Uint8Array, code: number, offset: number): Uint8Array;
  /** The final line of a reply with `code` has been emitted (1yz preliminary replies included). */
  complete(code: number): void;
}

function digit(byte: number): number {
  const value = byte - ZERO;
  return value >= 0 && value <= 9 ? value : -1;
}

/**
 * Follows the server's replies as they stream to the client, to learn where each reply ends
 * and with which code, without holding the bytes: only the first four bytes of a line are read
 * before they go on (RFC 959 §4.2: `ddd ` is a complete line or the last of a multi-line reply,
 * `ddd-` opens a multi-line reply that only `ddd ` with the same code closes). A final line the
 * owner asks for is held whole and replaced by the owner's rewrite.
 *
 * Every line must end within `maxLineLength` bytes (terminator excluded), held or not: a server
 * that sends an endless line gets `ERR_LINE_TOO_LONG` as soon as the limit is passed, so a
 * client behind the proxy is never fed more than a bounded line (as CPython's ftplib bounds it).
 */
export class ReplyTracker {
  readonly #maxLineLength: number;
  readonly #handlers: ReplyTrackerHandlers;
  readonly #prefix = new Uint8Array(PREFIX);
  #prefixLength = 0;
  /** True once the line's prefix has been read and its fate decided. */
  #inLine = false;
  #lineCode = 0;
  #lineFinal = false;
  #lineOffset = 0;
  /** The code of the open multi-line reply, or 0. */
  #multiCode = 0;
  #held: Uint8Array[] | undefined;
  #heldLength = 0;
  /** Bytes of the current line so far, terminator included, and the last of them. */
  #lineLength = 0;
  #lastByte = -1;
  #offset = 0;

  constructor(maxLineLength: number, handlers: ReplyTrackerHandlers) {
    this.#maxLineLength = maxLineLength;
    this.#handlers = handlers;
  }

  /** True when part of a line has been sent on without its end. */
  get midLine(): boolean {
    return this.#inLine || this.#prefixLength > 0;
  }

  /** True between replies: no line or multi-line reply is open. */
  get atBoundary(): boolean {
    return !this.#inLine && this.#prefixLength === 0 && this.#multiCode === 0;
  }

  /** Passes `chunk` on through `emit`, in order, holding only lines the owner asks for. */
  push(chunk: Uint8Array, emit: (bytes: Uint8Array) => void): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (!this.#inLine) {
        const prefix = this.#prefix;
        let ended = false;
        while (i < n && this.#prefixLength < PREFIX) {
          const byte = chunk[i++]!;
          prefix[this.#prefixLength++] = byte;
          if (byte === LF) {
            ended = true;
            break;
          }
        }
        if (!ended && this.#prefixLength < PREFIX) break;
        this.#decide(this.#offset + i - this.#prefixLength);
        this.#lineLength = this.#prefixLength;
        this.#lastByte = prefix[this.#prefixLength - 1]!;
        const head = prefix.slice(0, this.#prefixLength);
        this.#prefixLength = 0;
        if (this.#held) {
          this.#held.push(head);
          this.#heldLength = head.length;
        } else {
          emit(head);
        }
        if (ended) this.#endLine(emit);
        continue;
      }
      const lf = chunk.indexOf(LF, i);
      const stop = lf < 0 ? n : lf + 1;
      this.#lineLength += stop - i;
      // The terminator does not count; an unfinished line may end in the CR of its CR LF.
      const before = lf < 0 ? -1 : lf > i ? chunk[lf - 1]! : this.#lastByte;
      const terminator = lf < 0 ? 1 : before === CR ? 2 : 1;
      this.#lastByte = chunk[stop - 1]!;
      if (this.#lineLength > this.#maxLineLength + terminator) {
        throw new ProxyError(
          'ERR_LINE_TOO_LONG',
          `the server sent a reply line longer than ${this.#maxLineLength} bytes`,
          this.#lineOffset,
        );
      }
      if (this.#held) {
        this.#heldLength += stop - i;
        this.#held.push(chunk.slice(i, stop));
      } else {
        emit(i === 0 && stop === n ? chunk : chunk.subarray(i, stop));
      }
      i = stop;
      if (lf >= 0) this.#endLine(emit);
    }
    this.#offset += n;
  }

  #decide(offset: number): void {
    const p = this.#prefix;
    const length = this.#prefixLength;
    const d0 = digit(p[0]!);
    const d1 = length > 1 ? digit(p[1]!) : -1;
    const d2 = length > 2 ? digit(p[2]!) : -1;
    const code = d0 > 0 && d1 >= 0 && d2 >= 0 ? d0 * 100 + d1 * 10 + d2 : 0;
    // A bare "ddd" line is taken as "ddd " (lenient, as most clients are).
    const separator = length > 3 ? p[3]! : LF;
    const closes = separator === SPACE || separator === CR || separator === LF;
    let final = false;
    if (this.#multiCode === 0) {
      if (code !== 0 && separator === HYPHEN) this.#multiCode = code;
      else final = code !== 0 && closes;
    } else if (code === this.#multiCode && closes) {
      this.#multiCode = 0;
      final = true;
    }
    this.#inLine = true;
    this.#lineCode = code;
    this.#lineFinal = final;
    this.#lineOffset = offset;
    this.#held = final && this.#handlers.hold(code) ? [] : undefined;
    this.#heldLength = 0;
  }

  #endLine(emit: (bytes: Uint8Array) => void): void {
    this.#inLine = false;
    const held = this.#held;
    if (held) {
      this.#held = undefined;
      const line = new Uint8Array(this.#heldLength);
      let at = 0;
      for (const part of held) {
        line.set(part, at);
        at += part.length;
      }
      emit(this.#handlers.rewrite(line, this.#lineCode, this.#lineOffset));
    }
    if (this.#lineFinal) this.#handlers.complete(this.#lineCode);
  }
}
