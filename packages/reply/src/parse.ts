import {
  LineError,
  type LineErrorCode,
  LineSplitter,
  quoteBytes,
  type TelnetCommand,
} from '@ftpwire/lines';
import { ReplyError } from './errors.js';
import { ReplyFraming } from './framing.js';
import { ParsedReply, type Reply } from './reply.js';

const encoder = new TextEncoder();

/**
 * Receives each reply as soon as its last line has arrived, in stream order.
 *
 * @example
 * ```ts
 * import { type Reply, type ReplyHandler, ReplyParser } from '@ftpwire/reply';
 *
 * // Final replies answer the commands in the order they were sent (RFC 959 §4.2).
 * const waiting: ((reply: Reply) => void)[] = [];
 * const onReply: ReplyHandler = (reply) => {
 *   if (reply.code >= 200) waiting.shift()?.(reply);
 * };
 * const parser = new ReplyParser({ onReply });
 * let size = '';
 * waiting.push((reply) => {
 *   size = reply.text;
 * });
 * parser.push(new TextEncoder().encode('213 1048576\r\n'));
 * size; // => '1048576'
 * ```
 */
export type ReplyHandler = (reply: Reply) => void;

/**
 * Limits and handlers of {@link ReplyParser}, `parseReply` and `ReplyParserStream`. Every
 * field is optional: the defaults bound memory and suit any client.
 *
 * @example
 * ```ts
 * import { parseReply, type ReplyParserOptions } from '@ftpwire/reply';
 *
 * // A client that expects only short replies can bound them tighter than the defaults.
 * const options: ReplyParserOptions = { maxLineLength: 512, maxReplyLines: 64 };
 * parseReply('211-Features:\r\n MLST size*;modify*;\r\n211 End\r\n', options).lines.length;
 * // => 3
 * parseReply(`220 ${'x'.repeat(600)}\r\n`, options); // throws ReplyError ERR_LINE_TOO_LONG
 * ```
 */
export interface ReplyParserOptions {
  /** Longest line accepted, in bytes. Default 8192, as CPython's ftplib `_MAXLINE`. */
  readonly maxLineLength?: number;
  /**
   * Most lines in one reply. Default 1024: far above any real FEAT or HELP list, yet bounds
   * the memory one reply can hold to `maxReplyLines * maxLineLength`.
   */
  readonly maxReplyLines?: number;
  /** Decode Telnet commands before parsing (see `@ftpwire/lines`). Default false. */
  readonly telnet?: boolean;
  /** Receives Telnet commands removed from the stream (only with `telnet: true`). */
  readonly onTelnetCommand?: (command: TelnetCommand) => void;
  /**
   * Receives each reply as it completes. Default: none, and `push` returns the replies.
   * With a handler, every reply before an error has been delivered when the error is thrown.
   */
  readonly onReply?: ReplyHandler;
  /**
   * Also close a multi-line reply at a line that starts with another code and a space, as curl
   * and Apache commons-net do: glFTPd answers `553-…` lines then `150 Opening …`, which RFC 959
   * parsing leaves open until a `553 ` that never comes. The reply gets the closing line's
   * code (150 there). Default false: RFC 959 §4.2 exactly, where such a line is a middle line.
   */
  readonly lenientClose?: boolean;
}

/**
 * A streaming parser of server replies. Follows RFC 959 §4.2 exactly (see `ReplyFraming`): a
 * reply is one line `ddd text`, or opens with `ddd-` and closes only at a line that starts with
 * the same code followed by a space (or is that code alone); the lines between may hold
 * anything, including other codes, unless `lenientClose` lets another code close the reply.
 *
 * @example
 * ```ts
 * import { ReplyParser } from '@ftpwire/reply';
 *
 * const parser = new ReplyParser();
 * const bytes = new TextEncoder().encode('150 Opening data connection.\r\n226 Done.\r\n');
 * // However the bytes are cut, the replies come out the same.
 * parser.push(bytes.subarray(0, 40)).map((reply) => reply.code); // => [150]
 * parser.idle; // => false
 * parser.push(bytes.subarray(40)).map((reply) => reply.text); // => ['Done.']
 * parser.idle; // => true
 * parser.end(); // => []
 *
 * // glFTPd's STOR refusal-then-acceptance, read as curl reads it.
 * const glftpd = new TextEncoder().encode('553-\r\n553- Directory excluded.\r\n150 Opening.\r\n');
 * new ReplyParser({ lenientClose: true }).push(glftpd).map((reply) => reply.code); // => [150]
 * new ReplyParser().push(glftpd); // => []
 * ```
 */
export class ReplyParser {
  readonly #splitter: LineSplitter;
  readonly #maxReplyLines: number;
  readonly #deliver: ReplyHandler;
  #collected: Reply[] | undefined;
  readonly #framing: ReplyFraming;
  #lines: string[] = [];
  #undecodable: Map<number, Uint8Array> | undefined;
  #replyOffset = 0;
  #failure: ReplyError | undefined;

  /** Throws `ReplyError` `ERR_INVALID_OPTION` for a limit that is not a positive integer. */
  constructor(options: ReplyParserOptions = {}) {
    const maxReplyLines = options.maxReplyLines ?? 1024;
    if (!Number.isSafeInteger(maxReplyLines) || maxReplyLines < 1) {
      throw new ReplyError(
        'ERR_INVALID_OPTION',
        `maxReplyLines must be a positive integer, got ${maxReplyLines}`,
        0,
      );
    }
    this.#maxReplyLines = maxReplyLines;
    this.#framing = new ReplyFraming({ lenientClose: options.lenientClose ?? false });
    this.#deliver = options.onReply ?? ((reply) => this.#collected?.push(reply));
    try {
      this.#splitter = new LineSplitter({
        ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
        ...(options.onTelnetCommand ? { onTelnetCommand: options.onTelnetCommand } : {}),
        telnet: options.telnet ?? false,
        onTextLine: (text, start, end, offset, undecodable) =>
          this.#line(text, start, end, offset, undecodable),
      });
    } catch (error) {
      throw asReplyError(error);
    }
  }

  /** True when no reply is partly received: no open multi-line reply and no partial line. */
  get idle(): boolean {
    return this.#framing.open === 0 && this.#splitter.pendingLength === 0;
  }

  /** Consumes a chunk; returns the replies it completes (or delivers them to `onReply`). */
  push(chunk: Uint8Array): Reply[] {
    const collected = this.#begin();
    try {
      this.#splitter.push(chunk);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  /** Ends the stream. A last line without CRLF still counts; an open multi-line reply throws. */
  end(): Reply[] {
    const collected = this.#begin();
    try {
      this.#splitter.end();
      const open = this.#framing.open;
      if (open !== 0) {
        throw new ReplyError(
          'ERR_UNCLOSED_REPLY',
          `multi-line ${open} reply opened at offset ${this.#replyOffset} has no closing "${open} " line`,
          this.#splitter.offset,
        );
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  /** Throws the error that failed the parser, or returns the list this call's replies go to. */
  #begin(): Reply[] {
    if (this.#failure) throw this.#failure;
    const collected: Reply[] = [];
    this.#collected = collected;
    return collected;
  }

  /** Rethrows `error` as this package's, and remembers a `ReplyError` for every later call. */
  #fail(error: unknown): never {
    const failure = asReplyError(error);
    if (failure instanceof ReplyError) this.#failure = failure;
    throw failure;
  }

  // Kept small, and its rare paths out of line: V8 inlines it into the splitter's loop only
  // below a bytecode size that one more error message would pass (measured: 14% more
  // instructions a line when it was not).
  #line(
    text: string,
    start: number,
    end: number,
    offset: number,
    undecodable: Uint8Array | undefined,
  ): void {
    const framing = this.#framing;
    const open = framing.open;
    if (open !== 0 && this.#lines.length === this.#maxReplyLines) this.#tooManyLines(offset);
    // No unit past the line is read: a short line may end its string, and a read out of
    // range costs the optimised code more than the test.
    const length = end - start;
    const code =
      length < 3
        ? framing.line(0, 0, 0, 0, length)
        : framing.line(
            text.charCodeAt(start),
            text.charCodeAt(start + 1),
            text.charCodeAt(start + 2),
            length > 3 ? text.charCodeAt(start + 3) : 0,
            length,
          );
    if (open === 0) {
      this.#replyOffset = offset;
      if (code > 0) {
        // A single-line reply, the common case: no line list to grow.
        this.#deliver(
          new ParsedReply(
            code,
            [text.slice(start, end)],
            offset,
            undecodable && new Map([[0, undecodable.slice()]]),
          ),
        );
        return;
      }
      if (code < 0) malformed(text, start, end, offset, undecodable);
    }
    this.#append(text, start, end, undecodable);
    if (code > 0) this.#emit(code);
  }

  #tooManyLines(offset: number): never {
    throw new ReplyError(
      'ERR_TOO_MANY_LINES',
      `multi-line ${this.#framing.open} reply opened at offset ${this.#replyOffset} has more than ${this.#maxReplyLines} lines`,
      offset,
    );
  }

  #append(text: string, start: number, end: number, undecodable: Uint8Array | undefined): void {
    if (undecodable) {
      // Kept beside the text so that rawLines can give back the bytes the U+FFFD replaced.
      this.#undecodable ??= new Map();
      this.#undecodable.set(this.#lines.length, undecodable.slice());
    }
    this.#lines.push(text.slice(start, end));
  }

  #emit(code: number): void {
    const reply = new ParsedReply(code, this.#lines, this.#replyOffset, this.#undecodable);
    this.#lines = [];
    this.#undecodable = undefined;
    this.#deliver(reply);
  }
}

function malformed(
  text: string,
  start: number,
  end: number,
  offset: number,
  undecodable: Uint8Array | undefined,
): never {
  throw new ReplyError(
    'ERR_MALFORMED_REPLY',
    `expected a reply line "ddd text" or "ddd-text" (ddd from 100 to 699), got ${quoteLine(text, start, end, undecodable)}`,
    offset,
  );
}

/** The line quoted for an error message: its received bytes when they were not UTF-8. */
function quoteLine(
  text: string,
  start: number,
  end: number,
  undecodable: Uint8Array | undefined,
): string {
  const bytes = undecodable ?? encoder.encode(text.slice(start, end));
  return quoteBytes(bytes, 0, bytes.length);
}

/** A `LineError` as this package's error class with the same code; anything else as it is. */
function asReplyError(error: unknown): unknown {
  if (!(error instanceof LineError)) return error;
  const code: LineErrorCode = error.code;
  return new ReplyError(code, error.message, error.offset, { cause: error });
}

/**
 * Parses exactly one complete reply. Anything else throws a `ReplyError`: malformed lines,
 * an unclosed multi-line reply (`ERR_UNCLOSED_REPLY`), no reply (`ERR_INCOMPLETE_REPLY`) or
 * anything after the reply (`ERR_TRAILING_DATA`). A final CRLF is optional.
 *
 * @example
 * ```ts
 * import { parseReply } from '@ftpwire/reply';
 *
 * const reply = parseReply('211-Features:\r\n SIZE\r\n MDTM\r\n211 End\r\n');
 * reply.code; // => 211
 * reply.lines; // => ['211-Features:', ' SIZE', ' MDTM', '211 End']
 * reply.text; // => 'Features:\n SIZE\n MDTM\nEnd'
 * parseReply('227 Entering Passive Mode (10,0,1,121,15,6).').code; // => 227
 * parseReply('220 ready\r\n221 bye\r\n'); // throws ReplyError ERR_TRAILING_DATA
 * ```
 */
export function parseReply(input: string | Uint8Array, options: ReplyParserOptions = {}): Reply {
  let reply: Reply | undefined;
  const parser = new ReplyParser({
    ...options,
    onReply: (next) => {
      if (reply) throw trailing(next.offset);
      reply = next;
    },
  });
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  try {
    parser.push(bytes);
    parser.end();
  } catch (error) {
    // Whatever went wrong after a complete reply is, to the caller, bytes after the reply,
    // and the place to point at is where they begin, not where they went wrong.
    if (reply && error instanceof ReplyError && error.code !== 'ERR_TRAILING_DATA') {
      throw trailing(endOfReply(bytes, reply), error);
    }
    throw error;
  }
  if (!reply) throw new ReplyError('ERR_INCOMPLETE_REPLY', 'expected a reply, got no line', 0);
  return reply;
}

/** Offset just past the terminator of the reply's last line. */
function endOfReply(bytes: Uint8Array, reply: Reply): number {
  let end = reply.offset;
  for (let line = 0; line < reply.lines.length; line++) {
    const lf = bytes.indexOf(0x0a, end);
    if (lf === -1) return bytes.length;
    end = lf + 1;
  }
  return end;
}

function trailing(offset: number, cause?: Error): ReplyError {
  return new ReplyError(
    'ERR_TRAILING_DATA',
    `expected the input to end after one reply, got more at offset ${offset}`,
    offset,
    cause ? { cause } : undefined,
  );
}
