import { NatError } from './errors.js';
import { deliverJoined, emitPlan, Plan } from './plan.js';
import type { Emit } from './state.js';

const LF = 0x0a;
const CR = 0x0d;
/**
 * Chunks at least this long are searched for line feeds as text: one native decode of the
 * chunk (windows-1252, one UTF-16 unit per byte, so string offsets are byte offsets) makes
 * each per-line search several times cheaper than `Uint8Array#indexOf`. A 1460-byte segment
 * repays it too (callgrind, reply rewriter on the dense replies: 6% fewer instructions than
 * with 4096 here; a word-at-a-time search as LineSplitter's cost 2-3% more than the decode).
 */
const TEXT_SEARCH_MIN = 512;
const singleByte = new TextDecoder('windows-1252');

/** `decide` answers: pass the line on as it comes. */
export const HOLD_NO = 0;
/** `decide` answers: hold the line until its end, then offer it to `rewrite`. */
export const HOLD_YES = 1;
/** `decide` answers: the bytes so far cannot tell; ask again with more. */
export const HOLD_UNDECIDED = 2;
/**
 * Bytes kept of the start of each line: enough to classify any line (a reply's `ddd-`, a
 * command's `VERB `). `decide` must answer by this many bytes.
 */
export const PREFIX = 8;

/**
 * One direction of the control stream as the user drives it: push each chunk as it arrives
 * and send on what `emit` receives, in order. `NatRewriter`'s `commands` and `replies` and
 * `ReplyRewriter` are such directions.
 *
 * @example
 * ```ts
 * import { NatRewriter, type StreamRewriter } from '@ftpwire/nat';
 *
 * // In a gateway: socket.on('data', (chunk) => direction.push(chunk, (out) => peer.write(out))).
 * function relay(direction: StreamRewriter, chunks: string[]): string {
 *   let sent = '';
 *   const emit = (bytes: Uint8Array) => (sent += new TextDecoder().decode(bytes));
 *   for (const chunk of chunks) direction.push(new TextEncoder().encode(chunk), emit);
 *   direction.end(emit);
 *   return sent;
 * }
 * const nat = new NatRewriter({ publicHost: '193.21.1.121' });
 * relay(nat.commands, ['PA', 'SV\r\n']); // => 'PASV\r\n'
 * relay(nat.replies, ['220 ready\r\n227 Entering Passive Mode (10,0,1,', '121,117,51).\r\n']);
 * // => '220 ready\r\n227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * nat.replies.offset; // => 59
 * ```
 */
export interface StreamRewriter {
  /**
   * Consumes a chunk and emits its bytes, in order: views of `chunk` for everything passed
   * on as it came (as few views as the chunk allows), new arrays only for the bytes a rewrite
   * puts in (and for held bytes, copied out of the session's buffer). A
   * line that may need rewriting is held until its end and emitted by a later push.
   * Throws a `NatError`; after that every call throws the same error.
   */
  push(chunk: Uint8Array, emit: Emit): void;
  /**
   * As `push`, but what the chunk lets out goes to `deliver` in one call, as one array: the
   * chunk itself when it passes unchanged, otherwise one new array assembled by moving bytes
   * within it rather than through a view per piece (the cost that dominates when a stream
   * delivers each chunk whole). Nothing is delivered when the chunk lets nothing out.
   */
  pushJoined(chunk: Uint8Array, deliver: Emit): void;
  /** Ends the stream: a held line that never ended is emitted unchanged. */
  end(emit: Emit): void;
  /** Bytes consumed so far. */
  readonly offset: number;
}

/**
 * The engine both directions share: finds line starts in a byte stream (LF ends a line, as
 * `@ftpwire/lines` reads it), offers each line start to `decide` while `watching`, holds only
 * the lines it asks for, and reports every line's first bytes to `lineEnd` without holding
 * the others. Bytes never wait for a line end unless their line is held.
 */
export abstract class LineRewriter implements StreamRewriter {
  protected readonly maxLineLength: number;
  /** While false, line starts are not offered to `decide` (the fast path). */
  protected watching = false;
  /** What the last `rewrite` that returned true replaces, and with what. */
  protected replaceFrom = 0;
  protected replaceTo = 0;
  protected replacement: Uint8Array = new Uint8Array(0);
  /**
   * True when `replacement` is an array the rewriter keeps using (a cached host tuple): it is
   * copied before it goes out as a piece of its own, never when it is copied into a joined
   * output anyway.
   */
  protected replacementShared = false;
  /** While true, the stream is not read as lines: chunks go to `bypass`. */
  protected stopped = false;
  #offset = 0;
  /** Bytes of the current line seen so far (before its LF), saturated at PREFIX + 1; 0 at a line start. */
  #lineLength = 0;
  readonly #prefix = new Uint8Array(PREFIX);
  #lineOffset = 0;
  #holding = false;
  /** True once `decide` said HOLD_YES for the held line. */
  #holdDecided = false;
  #hold = new Uint8Array(0);
  #holdLength = 0;
  #failure: NatError | undefined;

  constructor(maxLineLength: number) {
    this.maxLineLength = maxLineLength;
  }

  /**
   * Whether the line whose first bytes are `bytes[start, start + count)` must be held
   * (HOLD_NO, HOLD_YES, HOLD_UNDECIDED). The bytes may run past the line's LF; the answer
   * must not be HOLD_UNDECIDED when `count` is PREFIX or the bytes hold a LF.
   */
  protected abstract decide(bytes: Uint8Array, start: number, count: number): number;
  /**
   * A line ended. `length` is its length without CR LF (saturated above PREFIX for lines
   * that crossed chunks); its first `min(length, PREFIX)` bytes are at `bytes[start]`.
   * Read them during the call only.
   */
  protected abstract lineEnd(
    bytes: Uint8Array,
    start: number,
    length: number,
    offset: number,
  ): void;
  /**
   * Offers the held line `bytes[start, end)` (its LF included; its text ends at `stop`,
   * before CR LF) for rewriting. Returns false to pass it on as it came, or true after
   * setting `replaceFrom`, `replaceTo` (absolute indexes
   * in `bytes`, within the line) and `replacement`: the bytes that take that range's place.
   * The rest of the line goes on as it came (as views when the line is in the chunk).
   */
  protected abstract rewrite(
    bytes: Uint8Array,
    start: number,
    stop: number,
    end: number,
    offset: number,
  ): boolean;
  /**
   * Vets `chunk[from, length)` (not empty), which passes on unread while `stopped`, or throws.
   * `immediate` is true for the bytes that follow, in the same chunk, the line that stopped
   * the reading.
   */
  protected abstract bypass(
    chunk: Uint8Array,
    from: number,
    offset: number,
    immediate: boolean,
  ): void;
  /** Called before each chunk, to refresh `watching` and `stopped` from shared state. */
  protected abstract prepare(): void;

  get offset(): number {
    return this.#offset;
  }

  push(chunk: Uint8Array, emit: Emit): void {
    this.#run(chunk, emit, emitPlan);
  }

  pushJoined(chunk: Uint8Array, deliver: Emit): void {
    this.#run(chunk, deliver, deliverJoined);
  }

  #run(chunk: Uint8Array, out: Emit, output: (plan: Plan, chunk: Uint8Array, out: Emit) => void) {
    if (this.#failure) throw this.#failure;
    try {
      this.#push(chunk);
    } catch (error) {
      if (error instanceof NatError) this.#failure = error;
      throw error;
    } finally {
      // Bytes let out before an error go out before it, as a direct emit would have sent them.
      output(this.#takePlan(), chunk, out);
    }
  }

  end(emit: Emit): void {
    if (this.#failure) throw this.#failure;
    // A line without terminator is never complete: pass it on as it came.
    if (this.#holding && this.#holdLength > 0) emit(this.#hold.slice(0, this.#holdLength));
    this.reset();
  }

  /**
   * What the chunk being pushed lets out, in order (see `Plan`). The scanning code only
   * records; the output is made after the chunk, as views or as one array.
   */
  #plan = new Plan();
  #sparePlan = new Plan();

  #keep(from: number, to: number): void {
    this.#plan.keep(from, to);
  }

  /** Puts new bytes out: a copy of held ones. */
  #insert(bytes: Uint8Array): void {
    this.#plan.insert(bytes, false);
  }

  #insertReplacement(): void {
    this.#plan.insert(this.replacement, this.replacementShared);
    this.replacementShared = false;
  }

  /**
   * Hands the plan over and starts an empty one: an output callback that pushes into this
   * rewriter again records into the spare, and no list is allocated per chunk.
   */
  #takePlan(): Plan {
    const plan = this.#plan;
    this.#plan = this.#sparePlan.empty ? this.#sparePlan : new Plan();
    this.#sparePlan = plan;
    return plan;
  }

  /** Forgets the current line: the next byte starts a line. */
  reset(): void {
    this.#lineLength = 0;
    this.#holding = false;
    this.#holdDecided = false;
    this.#holdLength = 0;
  }

  #push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    const base = this.#offset;
    this.#offset = base + n;
    this.prepare();
    if (this.stopped) {
      this.bypass(chunk, 0, base, false);
      this.#keep(0, n);
      return;
    }
    let i = 0;
    let runStart = 0;
    if (this.#holding) {
      i = this.#continueHeld(chunk);
      if (i < 0) return;
      runStart = i;
    }
    if (this.#lineLength > 0 && i < n) {
      // The rest of a line that started in an earlier chunk and is not held.
      const lf = chunk.indexOf(LF, i);
      this.#record(chunk, i, lf < 0 ? n : lf);
      if (lf < 0) {
        this.#keep(runStart, n);
        return;
      }
      this.#endRecordedLine();
      i = lf + 1;
    }
    if (this.stopped) {
      this.#keep(runStart, i);
      this.#bypassRest(chunk, i, base);
      return;
    }
    // Offsets in `text` are byte offsets in `chunk` (one unit per byte).
    const text = n - i >= TEXT_SEARCH_MIN ? singleByte.decode(chunk) : undefined;
    while (i < n) {
      if (this.watching) {
        const decision = this.decide(chunk, i, Math.min(n - i, PREFIX));
        if (decision !== HOLD_NO) {
          const lf =
            decision !== HOLD_YES
              ? -1
              : text === undefined
                ? chunk.indexOf(LF, i)
                : text.indexOf('\n', i);
          if (lf < 0) {
            this.#keep(runStart, i);
            this.#lineOffset = base + i;
            this.#holding = true;
            this.#holdDecided = decision === HOLD_YES;
            this.#holdLength = 0;
            this.#append(chunk, i, n);
            return;
          }
          const contentEnd = lf > i && chunk[lf - 1] === CR ? lf - 1 : lf;
          let rewritten: boolean;
          try {
            if (contentEnd - i > this.maxLineLength) throw this.#tooLong(base + i);
            rewritten = this.rewrite(chunk, i, contentEnd, lf + 1, base + i);
          } catch (error) {
            // What precedes the line is out before the error, as it would be had the line
            // come in a later chunk: the output does not depend on the chunking.
            this.#keep(runStart, i);
            throw error;
          }
          if (rewritten) {
            this.#keep(runStart, this.replaceFrom);
            this.#insertReplacement();
            runStart = this.replaceTo;
          }
          this.lineEnd(chunk, i, contentEnd - i, base + i);
          i = lf + 1;
          if (this.stopped) break;
          continue;
        }
      }
      const lf = text === undefined ? chunk.indexOf(LF, i) : text.indexOf('\n', i);
      if (lf < 0) {
        this.#lineOffset = base + i;
        this.#record(chunk, i, n);
        break;
      }
      this.lineEnd(chunk, i, (lf > i && chunk[lf - 1] === CR ? lf - 1 : lf) - i, base + i);
      i = lf + 1;
      if (this.stopped) break;
    }
    if (this.stopped && i < n) {
      this.#keep(runStart, i);
      this.#bypassRest(chunk, i, base);
      return;
    }
    this.#keep(runStart, n);
  }

  /** The rest of the chunk after the line that stopped the reading passes unread, if vetted. */
  #bypassRest(chunk: Uint8Array, from: number, base: number): void {
    if (from >= chunk.length) return;
    this.bypass(chunk, from, base + from, true);
    this.#keep(from, chunk.length);
  }

  /**
   * Continues the held line with `chunk`. Returns where the chunk's unread bytes start, or
   * -1 when all of them joined the held line.
   */
  #continueHeld(chunk: Uint8Array): number {
    const n = chunk.length;
    let i = 0;
    while (!this.#holdDecided) {
      if (i === n) return -1;
      const byte = chunk[i++]!;
      this.#append(chunk, i - 1, i);
      const decision = this.decide(this.#hold, 0, this.#holdLength);
      if (decision === HOLD_YES) {
        this.#holdDecided = true;
      } else if (decision === HOLD_NO) {
        // Not a line to rewrite after all: send its start on and read it as any other line.
        const length = this.#holdLength;
        this.#insert(this.#hold.slice(0, length));
        this.#holding = false;
        this.#holdLength = 0;
        if (byte === LF) {
          this.#lineLength = 0;
          const contentLength =
            length > 1 && this.#hold[length - 2] === CR ? length - 2 : length - 1;
          this.lineEnd(this.#hold, 0, contentLength, this.#lineOffset);
        } else {
          this.#prefix.set(this.#hold.subarray(0, length));
          this.#lineLength = length;
        }
        return i;
      }
    }
    if (this.#hold[this.#holdLength - 1] !== LF) {
      const lf = chunk.indexOf(LF, i);
      if (lf < 0) {
        this.#append(chunk, i, n);
        return -1;
      }
      this.#append(chunk, i, lf + 1);
      i = lf + 1;
    }
    const length = this.#holdLength;
    const contentLength = length > 1 && this.#hold[length - 2] === CR ? length - 2 : length - 1;
    if (contentLength > this.maxLineLength) throw this.#tooLong(this.#lineOffset);
    // The held buffer is reused: what goes out of it is copied.
    if (this.rewrite(this.#hold, 0, contentLength, length, this.#lineOffset)) {
      if (this.replaceFrom > 0) this.#insert(this.#hold.slice(0, this.replaceFrom));
      this.#insertReplacement();
      if (this.replaceTo < length) this.#insert(this.#hold.slice(this.replaceTo, length));
    } else {
      this.#insert(this.#hold.slice(0, length));
    }
    this.lineEnd(this.#hold, 0, contentLength, this.#lineOffset);
    this.#holding = false;
    this.#holdDecided = false;
    this.#holdLength = 0;
    this.#lineLength = 0;
    return i;
  }

  /** Notes `chunk[from, to)` as the current line's next bytes (only its first PREFIX bytes are kept). */
  #record(chunk: Uint8Array, from: number, to: number): void {
    let length = this.#lineLength;
    for (let j = from; j < to && length < PREFIX; j++) this.#prefix[length++] = chunk[j]!;
    this.#lineLength = Math.min(this.#lineLength + to - from, PREFIX + 1);
  }

  #endRecordedLine(): void {
    const raw = this.#lineLength;
    this.#lineLength = 0;
    const length = raw <= PREFIX && this.#prefix[raw - 1] === CR ? raw - 1 : raw;
    this.lineEnd(this.#prefix, 0, length, this.#lineOffset);
  }

  /** Appends `chunk[from, to)` to the held line, refusing it as soon as it passes the limit. */
  #append(chunk: Uint8Array, from: number, to: number): void {
    const length = this.#holdLength + to - from;
    // The last byte may be the CR of a CRLF, or the LF; only what precedes them counts.
    const last = chunk[to - 1];
    const limit = this.maxLineLength + (last === LF ? 2 : last === CR ? 1 : 0);
    if (length > limit) throw this.#tooLong(this.#lineOffset);
    if (length > this.#hold.length) {
      const grown = new Uint8Array(
        Math.min(Math.max(length, this.#hold.length * 2, 256), this.maxLineLength + 2),
      );
      grown.set(this.#hold.subarray(0, this.#holdLength));
      this.#hold = grown;
    }
    this.#hold.set(chunk.subarray(from, to), this.#holdLength);
    this.#holdLength = length;
  }

  #tooLong(lineOffset: number): NatError {
    return new NatError(
      'ERR_LINE_TOO_LONG',
      `a line the session must read whole is longer than maxLineLength (${this.maxLineLength} bytes)`,
      lineOffset + this.maxLineLength,
    );
  }
}
