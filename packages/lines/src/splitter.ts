import { LineError } from './errors.js';
import { checkLimit, DEFAULT_MAX_LINE_LENGTH } from './options.js';
import { type TelnetCommand, TelnetDecoder } from './telnet.js';
import { decodeChunk, isLosslessDecoding, REPLACEMENT_CHARACTER } from './text.js';

const LF = 0x0a;
const CR = 0x0d;
const INITIAL_PENDING_CAPACITY = 256;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/**
 * Most bytes decoded into one string for `onTextLine`. Every line handed out as a range of a
 * string may be kept as a slice of it, which keeps the whole string alive: windows bound what
 * a kept line can hold on to, and keep the strings small enough for V8's young generation
 * (a 64 KiB chunk of non-ASCII text decodes to a 128 KiB string, allocated as a large object;
 * in 64 KiB chunks the reply parser ran at 235 MB/s instead of 400).
 */
const TEXT_WINDOW = 4096;
/** Below this many bytes a word view costs more than it saves. */
const WORD_SCAN_MIN = 64;

/**
 * Index of the first LF at or after `from` in `chunk`, or -1. `words` views the four-byte-
 * aligned middle of `chunk` from byte `head`; the search reads it a word at a time (SWAR): LF
 * bytes become zero after XOR with 0x0a0a0a0a, and `(x - 0x01010101) & ~x & 0x80808080` is
 * non-zero exactly when a byte is zero, its lowest set bit marking the first such byte (borrows
 * only run upwards; hence little-endian only). `Uint8Array#indexOf` costs a call into the
 * runtime per line, more than scanning a typical 40-byte reply line this way.
 */
function findLF(
  chunk: Uint8Array,
  words: Int32Array | undefined,
  head: number,
  from: number,
): number {
  if (words === undefined) return chunk.indexOf(LF, from);
  let i = from;
  const firstWord = i <= head ? 0 : (i - head + 3) >> 2;
  for (const stop = Math.min(head + firstWord * 4, chunk.length); i < stop; i++) {
    if (chunk[i] === LF) return i;
  }
  for (let w = firstWord; w < words.length; w++) {
    const x = words[w]! ^ 0x0a0a0a0a;
    const found = (x - 0x01010101) & ~x & 0x80808080;
    if (found !== 0) return head + w * 4 + ((31 - Math.clz32(found & -found)) >> 3);
  }
  for (i = Math.max(i, head + words.length * 4); i < chunk.length; i++) {
    if (chunk[i] === LF) return i;
  }
  return -1;
}

/**
 * Receives a line without its terminator and the stream offset of its first byte. The line
 * is a view of the pushed chunk when it lies inside it (no copy): keep a `slice()` of it, not
 * the view, if the chunk's memory is reused afterwards.
 *
 * @example
 * ```ts
 * import { type LineHandler, LineSplitter } from '@ftpwire/lines';
 *
 * const seen: string[] = [];
 * const onLine: LineHandler = (line, offset) => {
 *   seen.push(`${offset}: ${new TextDecoder().decode(line)}`);
 * };
 * const splitter = new LineSplitter({ onLine });
 * splitter.push(new TextEncoder().encode('220 ready\r\n331 pass'));
 * splitter.push(new TextEncoder().encode('word\r\n'));
 * seen; // => ['0: 220 ready', '11: 331 password']
 * ```
 */
export type LineHandler = (line: Uint8Array, offset: number) => void;

/**
 * Receives a line as the range `bytes[start, end)` without creating a view. `bytes` is the
 * pushed chunk or the splitter's own buffer: read it during the call, do not keep it.
 *
 * @example
 * ```ts
 * import { LineSplitter, type LineRangeHandler } from '@ftpwire/lines';
 *
 * // Count reply lines by their first digit without allocating anything per line.
 * const byClass = [0, 0, 0, 0, 0, 0, 0];
 * const onLineRange: LineRangeHandler = (bytes, start, end) => {
 *   if (end > start) byClass[(bytes[start] ?? 0x30) - 0x30]! += 1;
 * };
 * const splitter = new LineSplitter({ onLineRange });
 * splitter.push(new TextEncoder().encode('220 hi\r\n331 pass\r\n230 in\r\n'));
 * byClass.slice(1, 6); // => [0, 2, 1, 0, 0]
 * ```
 */
export type LineRangeHandler = (
  bytes: Uint8Array,
  start: number,
  end: number,
  offset: number,
) => void;

/**
 * Receives a line decoded as UTF-8 (RFC 2640) as the range `text[start, end)` of a string,
 * without creating a string per line; `offset` is the stream offset of its first byte.
 * `undecodable` is given only when the line's bytes are not valid UTF-8 (U+FFFD stands in
 * for them in `text`): the line's bytes exactly as received, to read during the call only.
 *
 * @example
 * ```ts
 * import { LineSplitter, type TextLineHandler } from '@ftpwire/lines';
 *
 * const seen: string[] = [];
 * const onTextLine: TextLineHandler = (text, start, end, offset) => {
 *   seen.push(`${offset}: ${text.slice(start, end)}`);
 * };
 * const splitter = new LineSplitter({ onTextLine });
 * splitter.push(new TextEncoder().encode('257 "/données"\r\n226 ok\r\n'));
 * seen; // => ['0: 257 "/données"', '17: 226 ok']
 * ```
 */
export type TextLineHandler = (
  text: string,
  start: number,
  end: number,
  offset: number,
  undecodable: Uint8Array | undefined,
) => void;

/**
 * How a {@link LineSplitter} reads: the line limit, Telnet decoding, and where lines go.
 * Every field is optional; `new LineSplitter()` reads plain lines of up to 8192 bytes and
 * returns them from `push`.
 *
 * @example
 * ```ts
 * import { LineSplitter, type LineSplitterOptions } from '@ftpwire/lines';
 *
 * // How a server reads its clients: short lines, and Telnet decoded, since RFC 959 §4.1.3
 * // has a client send IAC IP IAC DM before ABOR.
 * const interrupts: string[] = [];
 * const options: LineSplitterOptions = {
 *   maxLineLength: 1024,
 *   telnet: true,
 *   onTelnetCommand: (command) => interrupts.push(command.name),
 * };
 * const splitter = new LineSplitter(options);
 * const abort = Uint8Array.of(0xff, 0xf4, 0xff, 0xf2, ...new TextEncoder().encode('ABOR\r\n'));
 * splitter.push(abort).map((line) => new TextDecoder().decode(line)); // => ['ABOR']
 * interrupts; // => ['IP', 'DM']
 * ```
 */
export interface LineSplitterOptions {
  /**
   * Longest line accepted, in bytes, terminator excluded. Default 8192, as CPython's ftplib
   * (`_MAXLINE`) since a server sending endless bytes could exhaust a client's memory.
   */
  readonly maxLineLength?: number;
  /**
   * Decode Telnet commands first (RFC 959 §4: the control connection speaks Telnet).
   * Default false: almost no server sends them, and a 0xFF byte is then plain data.
   * When true, offsets count bytes after decoding.
   */
  readonly telnet?: boolean;
  /**
   * Receives each line as it completes. Default: none, and `push` returns the lines instead.
   * With a handler, every line before an error has been delivered when the error is thrown.
   */
  readonly onLine?: LineHandler;
  /**
   * Receives each line as a byte range, allocating nothing per line: the fastest way to
   * consume lines. Takes precedence over `onLine`.
   */
  readonly onLineRange?: LineRangeHandler;
  /**
   * Receives each line decoded as UTF-8, as a range of a string decoded once per chunk: the
   * fastest way to get line text, since a decoder call per line costs more than the line.
   * Takes precedence over `onLine`; `onLineRange` takes precedence over it.
   */
  readonly onTextLine?: TextLineHandler;
  /** Receives Telnet commands removed from the stream (only with `telnet: true`). */
  readonly onTelnetCommand?: (command: TelnetCommand) => void;
}

/**
 * Splits a byte stream into lines. LF ends a line and a CR just before it is dropped
 * (RFC 959 asks for CRLF; servers that send bare LF are tolerated); a lone CR is data.
 * Lines that end inside one chunk are views of that chunk; only lines spanning chunks are copied.
 *
 * @example
 * ```ts
 * import { LineSplitter } from '@ftpwire/lines';
 *
 * const text = (lines: Uint8Array[]) => lines.map((line) => new TextDecoder().decode(line));
 * const splitter = new LineSplitter();
 * text(splitter.push(new TextEncoder().encode('220 ready\r\n331 pass'))); // => ['220 ready']
 * text(splitter.push(new TextEncoder().encode('word\n'))); // => ['331 password']
 * text(splitter.push(new TextEncoder().encode('221 bye'))); // => []
 * text(splitter.end()); // => ['221 bye']
 * ```
 */
export class LineSplitter {
  readonly #maxLineLength: number;
  readonly #telnet: TelnetDecoder | undefined;
  readonly #onTelnetCommand: ((command: TelnetCommand) => void) | undefined;
  /** Telnet commands of the chunk being pushed, with where they stood in its data. */
  #commands: { command: TelnetCommand; at: number }[] = [];
  readonly #deliver: LineRangeHandler;
  readonly #deliverText: TextLineHandler | undefined;
  #collected: Uint8Array[] | undefined;
  /** No handler was given: `push` and `end` return the lines. */
  readonly #collectsLines: boolean;
  #pending: Uint8Array = new Uint8Array(0);
  /** Where `#splitJoined` puts a held line and the chunk that ends it; reused. */
  #joined: Uint8Array = new Uint8Array(0);
  #pendingLength = 0;
  #pendingOffset = 0;
  #offset = 0;
  #failure: { readonly error: unknown } | undefined;

  /** Throws `LineError` `ERR_INVALID_OPTION` unless `maxLineLength` is a positive integer. */
  constructor(options: LineSplitterOptions = {}) {
    this.#maxLineLength = checkLimit(
      'maxLineLength',
      options.maxLineLength,
      DEFAULT_MAX_LINE_LENGTH,
    );
    const { onTelnetCommand } = options;
    this.#onTelnetCommand = onTelnetCommand;
    this.#telnet = options.telnet
      ? new TelnetDecoder(
          onTelnetCommand && ((command, at) => this.#commands.push({ command, at })),
        )
      : undefined;
    const { onLine, onLineRange } = options;
    this.#deliverText = onLineRange ? undefined : options.onTextLine;
    this.#collectsLines = !onLine && !onLineRange && !options.onTextLine;
    if (onLineRange) {
      this.#deliver = onLineRange;
    } else {
      // The held buffer is reused for the next line, so a line taken from it is copied.
      const view = (bytes: Uint8Array, start: number, end: number) =>
        bytes === this.#pending ? bytes.slice(start, end) : bytes.subarray(start, end);
      this.#deliver = onLine
        ? (bytes, start, end, offset) => onLine(view(bytes, start, end), offset)
        : (bytes, start, end) => this.#collected?.push(view(bytes, start, end));
    }
  }

  /** Stream offset just past the last byte pushed (after Telnet decoding). */
  get offset(): number {
    return this.#offset;
  }

  /** Number of bytes held for a line not yet ended. */
  get pendingLength(): number {
    return this.#pendingLength;
  }

  /**
   * Consumes a chunk. Returns the lines it completes, or delivers them to the handler and
   * returns an empty array. Throws `ERR_LINE_TOO_LONG` as soon as a line passes the limit;
   * the splitter then stays failed, as it does when a handler throws.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const collected = this.#begin();
    try {
      if (this.#telnet) this.#splitTelnet(chunk);
      else this.#split(chunk);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  #splitTelnet(chunk: Uint8Array): void {
    const data = this.#telnet!.decode(chunk);
    const commands = this.#commands;
    if (commands.length === 0) {
      this.#split(data);
      return;
    }
    // Lines and commands reach the handlers in stream order, however the stream is cut:
    // the data before each command is split first (RFC 959 §4.1.3: a client's IAC IP
    // comes after the commands it interrupts, before its ABOR).
    this.#commands = [];
    let from = 0;
    for (const { command, at } of commands) {
      this.#split(data.subarray(from, at));
      from = at;
      this.#onTelnetCommand!(command);
    }
    this.#split(data.subarray(from));
  }

  /** Ends the stream: a last line without terminator is delivered (or returned) as a line. */
  end(): Uint8Array[] {
    const collected = this.#begin();
    try {
      const length = this.#pendingLength;
      if (length > 0) {
        if (length > this.#maxLineLength) throw this.#tooLong(this.#pendingOffset);
        this.#pendingLength = 0;
        this.#deliverHeld(length);
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  /**
   * Starts a push or end: throws the error that failed the splitter, else returns the list
   * that collects this call's lines when there is no handler (left empty when there is).
   */
  #begin(): Uint8Array[] {
    if (this.#failure) throw this.#failure.error;
    if (this.#collectsLines) {
      const collected: Uint8Array[] = [];
      this.#collected = collected;
      return collected;
    }
    return [];
  }

  /**
   * A handler that throws leaves the chunk half split (later lines unread, offsets not
   * advanced), so the splitter cannot go on any more than after ERR_LINE_TOO_LONG.
   */
  #fail(error: unknown): never {
    this.#failure = { error };
    throw error;
  }

  #split(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const base = this.#offset;
    const max = this.#maxLineLength;
    let start = 0;
    if (this.#pendingLength > 0) {
      const lf = chunk.indexOf(LF);
      if (lf === -1) {
        this.#hold(chunk, 0, chunk.length);
        this.#offset += chunk.length;
        return;
      }
      if (this.#deliverText !== undefined && this.#pendingLength + chunk.length <= TEXT_WINDOW) {
        start = this.#splitJoined(chunk);
        if (start < chunk.length) {
          this.#pendingOffset = base + start;
          this.#hold(chunk, start, chunk.length);
        }
        this.#offset += chunk.length;
        return;
      }
      this.#completePending(chunk, lf);
      start = lf + 1;
    }
    if (this.#deliverText !== undefined) {
      start = this.#splitText(chunk, start, base);
      if (start < chunk.length) {
        this.#pendingOffset = base + start;
        this.#hold(chunk, start, chunk.length);
      }
      this.#offset += chunk.length;
      return;
    }
    const head = (4 - (chunk.byteOffset & 3)) & 3;
    const words =
      chunk.length >= WORD_SCAN_MIN && LITTLE_ENDIAN
        ? new Int32Array(chunk.buffer, chunk.byteOffset + head, (chunk.length - head) >> 2)
        : undefined;
    for (
      let lf = findLF(chunk, words, head, start);
      lf !== -1;
      lf = findLF(chunk, words, head, start)
    ) {
      const end = lf > start && chunk[lf - 1] === CR ? lf - 1 : lf;
      if (end - start > max) throw this.#tooLong(base + start);
      this.#deliver(chunk, start, end, base + start);
      start = lf + 1;
    }
    if (start < chunk.length) {
      this.#pendingOffset = base + start;
      this.#hold(chunk, start, chunk.length);
    }
    this.#offset += chunk.length;
  }

  /**
   * Delivers the lines that end in `chunk` from byte `start` on, as ranges of strings decoded
   * a window of the chunk at a time; returns where the unended rest begins.
   */
  #splitText(chunk: Uint8Array, start: number, base: number): number {
    const n = chunk.length;
    let from = start;
    while (from < n) {
      // A window ends just after a LF (or at the chunk's end), so it cuts no line and no
      // character; one that would hold no LF runs on to the next one.
      let end = from + TEXT_WINDOW;
      if (end >= n) {
        end = n;
      } else {
        const lf = chunk.lastIndexOf(LF, end - 1);
        if (lf >= from) {
          end = lf + 1;
        } else {
          const next = chunk.indexOf(LF, end);
          end = next === -1 ? n : next + 1;
        }
      }
      const part = from === 0 && end === n ? chunk : chunk.subarray(from, end);
      const consumed = this.#splitWindow(part, base + from);
      from += consumed;
      if (consumed < part.length) break;
    }
    return from;
  }

  /**
   * Delivers the lines that end in `bytes`, which starts a line, as ranges of its text
   * decoded once; returns how many bytes they took (the rest is an unended line).
   */
  #splitWindow(bytes: Uint8Array, base: number): number {
    const deliver = this.#deliverText!;
    const max = this.#maxLineLength;
    const text = decodeChunk(bytes);
    // UTF-8 never puts an ASCII byte inside a multi-byte character and the decoder never
    // swallows one into a replacement, so the n-th LF of the bytes is the n-th "\n" of the
    // text: both are walked in step.
    let from = 0;
    let textFrom = 0;
    // Where the next U+FFFD stands, looked up once per replacement rather than once per line,
    // so that a bytes costs linear time however its lines fall. (Asking `includes` first is
    // not redundant: with V8 11 a lone `indexOf` of U+FFFD here made every "\n" search of the
    // loop several times slower once optimized, 25 against 150 ms on 4 MiB in 64 KiB bytess.)
    let replacement = text.includes(REPLACEMENT_CHARACTER)
      ? text.indexOf(REPLACEMENT_CHARACTER, textFrom)
      : -1;
    for (
      let textLf = text.indexOf('\n', textFrom);
      textLf !== -1;
      textLf = text.indexOf('\n', textFrom)
    ) {
      // A character never takes fewer bytes than UTF-16 units, so the LF is at or after the
      // place it would have with one byte per unit, and is there exactly when the line had
      // one byte per unit (ASCII, the common case): one byte read instead of a search.
      let lf = from + textLf - textFrom;
      if (bytes[lf] !== LF) lf = bytes.indexOf(LF, lf);
      const crlf = lf > from && bytes[lf - 1] === CR ? 1 : 0;
      const end = lf - crlf;
      if (end - from > max) throw this.#tooLong(base + from);
      const textEnd = textLf - crlf;
      let undecodable: Uint8Array | undefined;
      if (replacement !== -1 && replacement < textEnd) {
        const line = bytes.subarray(from, end);
        if (!isLosslessDecoding(text.slice(textFrom, textEnd), line)) undecodable = line;
      }
      deliver(text, textFrom, textEnd, base + from, undecodable);
      from = lf + 1;
      textFrom = textLf + 1;
      if (replacement !== -1 && replacement < textFrom) {
        replacement = text.indexOf(REPLACEMENT_CHARACTER, textFrom);
      }
    }
    return from;
  }

  /**
   * Delivers the held line and the lines of `chunk` (which ends the held line) from one text:
   * the held bytes and the chunk are copied side by side and decoded once, since a decoder
   * call costs more than copying a segment (1460-byte segments, which cut nearly every time
   * inside a line, took two calls each). Returns where the chunk's unended rest begins.
   */
  #splitJoined(chunk: Uint8Array): number {
    const held = this.#pendingLength;
    const length = held + chunk.length;
    if (this.#joined.length < length) this.#joined = new Uint8Array(TEXT_WINDOW);
    const joined = this.#joined;
    joined.set(this.#pending.subarray(0, held));
    joined.set(chunk, held);
    this.#pendingLength = 0;
    return this.#splitText(joined.subarray(0, length), 0, this.#pendingOffset) - held;
  }

  /** Ends the held line with `chunk[0, lf)` and delivers it from the held buffer. */
  #completePending(chunk: Uint8Array, lf: number): void {
    if (lf > 0) this.#hold(chunk, 0, chunk[lf - 1] === CR ? lf - 1 : lf);
    else if (this.#pending[this.#pendingLength - 1] === CR) this.#pendingLength--;
    const length = this.#pendingLength;
    if (length > this.#maxLineLength) throw this.#tooLong(this.#pendingOffset);
    this.#pendingLength = 0;
    this.#deliverHeld(length);
  }

  /** Delivers the held line `#pending[0, length)`, decoding it alone in text mode. */
  #deliverHeld(length: number): void {
    const deliverText = this.#deliverText;
    if (deliverText === undefined) {
      this.#deliver(this.#pending, 0, length, this.#pendingOffset);
      return;
    }
    const bytes = this.#pending.subarray(0, length);
    const text = decodeChunk(bytes);
    const lossless = isLosslessDecoding(text, bytes);
    deliverText(text, 0, text.length, this.#pendingOffset, lossless ? undefined : bytes);
  }

  /** Appends `chunk[from, to)` to the held line, refusing it as soon as it passes the limit. */
  #hold(chunk: Uint8Array, from: number, to: number): void {
    const length = this.#pendingLength + to - from;
    // One byte over the limit may still be the CR of a CRLF; only the next byte can tell.
    const limit = this.#maxLineLength + (chunk[to - 1] === CR ? 1 : 0);
    if (length > limit) throw this.#tooLong(this.#pendingOffset);
    if (length > this.#pending.length) {
      const capacity = Math.min(
        Math.max(length, this.#pending.length * 2, INITIAL_PENDING_CAPACITY),
        this.#maxLineLength + 1,
      );
      const grown = new Uint8Array(capacity);
      grown.set(this.#pending.subarray(0, this.#pendingLength));
      this.#pending = grown;
    }
    this.#pending.set(chunk.subarray(from, to), this.#pendingLength);
    this.#pendingLength = length;
  }

  #tooLong(lineOffset: number): LineError {
    return new LineError(
      'ERR_LINE_TOO_LONG',
      `line longer than maxLineLength (${this.#maxLineLength} bytes) without a line feed`,
      lineOffset + this.#maxLineLength,
    );
  }
}
