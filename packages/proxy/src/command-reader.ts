import { ProxyError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** One command line from the client, as the proxy needs to judge it. */
export interface CommandLine {
  /** The line's bytes with its terminator, exactly as received. */
  readonly bytes: Uint8Array;
  /** The verb, upper-cased (RFC 959 §5.3: verbs are case-insensitive); '' for a line without one. */
  readonly verb: string;
  /** The text after the first space, without the terminator (latin1, so every byte survives). */
  readonly argument: string;
  /** Offset of the line's first byte in the client's control stream. */
  readonly offset: number;
}

/** Longest verb worth reading: RFC 959 verbs have 3 or 4 letters, extensions rarely more. */
const MAX_VERB = 8;

function verbOf(bytes: Uint8Array, end: number): string {
  let verb = '';
  for (let i = 0; i < end && i < MAX_VERB; i++) {
    const c = bytes[i]!;
    if (c === SPACE) break;
    // Upper-case ASCII letters only; anything else is kept as is and fails every verb match.
    verb += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
  }
  return verb;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/** Splits one complete line (terminator included) into a {@link CommandLine}. */
export function readCommandLine(bytes: Uint8Array, offset: number): CommandLine {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === LF) end--;
  if (end > 0 && bytes[end - 1] === CR) end--;
  const space = bytes.subarray(0, end).indexOf(SPACE);
  return {
    bytes,
    verb: verbOf(bytes, space < 0 ? end : space),
    argument: space < 0 ? '' : latin1(bytes, space + 1, end),
    offset,
  };
}

/**
 * Cuts the client's control stream into command lines (LF ends a line, a CR before it is kept
 * in the bytes). The proxy judges every command before it goes on, so it holds a line until
 * its end; a line longer than `maxLineLength` is an error at once, never buffered further.
 */
export class CommandReader {
  readonly #maxLineLength: number;
  #parts: Uint8Array[] = [];
  #partLength = 0;
  #offset = 0;

  constructor(maxLineLength: number) {
    this.#maxLineLength = maxLineLength;
  }

  /** Bytes of an unfinished line held from earlier chunks. */
  get pending(): number {
    return this.#partLength;
  }

  #endsWithCrLf(chunk: Uint8Array, start: number, lf: number): boolean {
    if (lf > start) return chunk[lf - 1] === CR;
    const last = this.#parts[this.#parts.length - 1];
    return last !== undefined && last[last.length - 1] === CR;
  }

  /** Returns the lines this chunk completes, in order; keeps the unfinished rest. */
  push(chunk: Uint8Array): CommandLine[] {
    const lines: CommandLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const stop = lf < 0 ? chunk.length : lf + 1;
      // The terminator does not count toward the limit; an unfinished line may end in the CR
      // of a CR LF whose LF is still to come.
      const length = this.#partLength + (stop - start);
      const limit =
        this.#maxLineLength + (lf < 0 ? 1 : this.#endsWithCrLf(chunk, start, lf) ? 2 : 1);
      if (length > limit) {
        throw new ProxyError(
          'ERR_LINE_TOO_LONG',
          `the client sent a control line longer than ${this.#maxLineLength} bytes`,
          this.#offset - this.#partLength,
        );
      }
      const piece = chunk.subarray(start, stop);
      if (lf < 0) {
        // Copied: the socket may reuse its buffer once this call returns.
        this.#parts.push(piece.slice());
        this.#partLength += piece.length;
      } else {
        let bytes: Uint8Array;
        if (this.#partLength === 0) {
          bytes = piece.slice();
        } else {
          bytes = new Uint8Array(this.#partLength + piece.length);
          let at = 0;
          for (const part of this.#parts) {
            bytes.set(part, at);
            at += part.length;
          }
          bytes.set(piece, at);
          this.#parts = [];
          this.#partLength = 0;
        }
        lines.push(readCommandLine(bytes, this.#offset + start - (bytes.length - piece.length)));
      }
      start = stop;
    }
    this.#offset += chunk.length;
    return lines;
  }
}
