import {
  isLosslessDecoding,
  LineError,
  type LineErrorCode,
  LineSplitter,
  quoteBytes,
  type TelnetCommand,
} from '@ftpwire/lines';
import { type Command, ParsedCommand } from './command.js';
import { CommandError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const CASE_BIT = 0x20;
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Receives each command as soon as its line has ended, in stream order.
 *
 * @example
 * ```ts
 * import { type CommandHandler, CommandParser } from '@ftpwire/command';
 *
 * // Log what a client asks for, never its password.
 * const log: string[] = [];
 * const onCommand: CommandHandler = (command) => {
 *   log.push(command.verb === 'PASS' ? 'PASS ****' : `${command.verb} ${command.argument}`.trim());
 * };
 * const parser = new CommandParser({ onCommand });
 * parser.push(new TextEncoder().encode('USER anna\r\nPASS secret\r\nPWD\r\n'));
 * log; // => ['USER anna', 'PASS ****', 'PWD']
 * ```
 */
export type CommandHandler = (command: Command) => void;

/**
 * Limits and handlers of {@link CommandParser} and `CommandParserStream`. Every field is
 * optional: `new CommandParser()` reads lines of up to 8192 bytes and returns commands
 * from `push`.
 *
 * @example
 * ```ts
 * import { CommandParser, type CommandParserOptions } from '@ftpwire/command';
 *
 * // A server: Telnet decoded (a client sends IAC IP IAC DM before ABOR, RFC 959 §4.1.3),
 * // and a malformed line answered rather than ending the session.
 * const events: string[] = [];
 * const options: CommandParserOptions = {
 *   maxLineLength: 1024,
 *   telnet: true,
 *   onTelnetCommand: (command) => events.push(command.name),
 *   onCommand: (command) => events.push(command.verb),
 *   onMalformedLine: (error) => events.push(error.code),
 * };
 * const parser = new CommandParser(options);
 * parser.push(Uint8Array.of(0xff, 0xf4, 0xff, 0xf2, ...new TextEncoder().encode('ABOR\r\n?\r\n')));
 * events; // => ['IP', 'DM', 'ABOR', 'ERR_MALFORMED_COMMAND']
 * ```
 */
export interface CommandParserOptions {
  /** Longest line accepted, in bytes. Default 8192, as CPython's ftplib `_MAXLINE`. */
  readonly maxLineLength?: number;
  /**
   * Decode Telnet commands before parsing (see `@ftpwire/lines`). Default false. A server
   * should turn it on: RFC 959 §4.1.3 has clients send `IAC IP IAC DM` before `ABOR`.
   */
  readonly telnet?: boolean;
  /** Receives Telnet commands removed from the stream (only with `telnet: true`). */
  readonly onTelnetCommand?: (command: TelnetCommand) => void;
  /**
   * Receives each command as it completes. Default: none, and `push` returns the commands.
   * With a handler, every command before an error has been delivered when the error is thrown.
   */
  readonly onCommand?: CommandHandler;
  /**
   * Receives each line that is not a command (`ERR_MALFORMED_COMMAND`), which is then skipped,
   * so a server can answer `500 Syntax error` and go on. Default: none, and such a line throws.
   */
  readonly onMalformedLine?: (error: CommandError) => void;
}

function isLetter(byte: number): boolean {
  const folded = byte | CASE_BIT;
  return folded >= 0x61 && folded <= 0x7a;
}

/**
 * Parses the line `bytes[start, end)` (terminator excluded). RFC 959 §5.3: "The command codes
 * themselves are alphabetic characters terminated by the character <SP> (Space) if parameters
 * follow and Telnet-EOL otherwise"; everything after that one space is the argument.
 */
function parseLine(bytes: Uint8Array, start: number, end: number, offset: number): Command {
  let verbEnd = start;
  while (verbEnd < end && isLetter(bytes[verbEnd]!)) verbEnd++;
  if (verbEnd === start || (verbEnd < end && bytes[verbEnd] !== SPACE)) {
    throw new CommandError(
      'ERR_MALFORMED_COMMAND',
      `expected a command "VERB" or "VERB argument" with an alphabetic verb, got ${quoteBytes(bytes, start, end)}`,
      offset,
    );
  }
  let verb = '';
  for (let i = start; i < verbEnd; i++) verb += String.fromCharCode(bytes[i]! & ~CASE_BIT);
  if (verbEnd === end) return new ParsedCommand(verb, '', offset, new Uint8Array(0));
  const raw = bytes.subarray(verbEnd + 1, end);
  const argument = lenientDecoder.decode(raw);
  // U+FFFD marks bytes that are not UTF-8, or an encoded U+FFFD: re-encoding tells them apart.
  // No fatal decode: an exception per line (a stack trace) made each such line cost ~100x more.
  if (isLosslessDecoding(argument, raw)) {
    return new ParsedCommand(verb, argument, offset);
  }
  return new ParsedCommand(verb, argument, offset, raw.slice());
}

/**
 * A streaming parser of client commands: one command per line (CRLF, bare LF tolerated),
 * verbs upper-cased, arguments kept byte for byte.
 *
 * @example
 * ```ts
 * import { CommandParser } from '@ftpwire/command';
 *
 * const parser = new CommandParser();
 * const bytes = new TextEncoder().encode('user anna\r\nCWD /pub/my files \r\nQUIT');
 * // However the bytes are cut, the commands come out the same.
 * parser.push(bytes.subarray(0, 15)).map((command) => command.verb); // => ['USER']
 * parser.idle; // => false
 * parser.push(bytes.subarray(15)).map((command) => command.argument); // => ['/pub/my files ']
 * // A last line without CRLF still counts.
 * parser.end().map((command) => command.verb); // => ['QUIT']
 * ```
 */
export class CommandParser {
  readonly #splitter: LineSplitter;
  readonly #deliver: CommandHandler;
  readonly #onMalformedLine: ((error: CommandError) => void) | undefined;
  #collected: Command[] | undefined;
  #failure: CommandError | undefined;

  /** Throws `CommandError` `ERR_INVALID_OPTION` unless `maxLineLength` is a positive integer. */
  constructor(options: CommandParserOptions = {}) {
    this.#deliver = options.onCommand ?? ((command) => this.#collected?.push(command));
    this.#onMalformedLine = options.onMalformedLine;
    try {
      this.#splitter = new LineSplitter({
        ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
        ...(options.onTelnetCommand ? { onTelnetCommand: options.onTelnetCommand } : {}),
        telnet: options.telnet ?? false,
        onLineRange: (bytes, start, end, offset) => this.#line(bytes, start, end, offset),
      });
    } catch (error) {
      throw asCommandError(error);
    }
  }

  /** True when no command line is partly received. */
  get idle(): boolean {
    return this.#splitter.pendingLength === 0;
  }

  /** Consumes a chunk; returns the commands it completes (or delivers them to `onCommand`). */
  push(chunk: Uint8Array): Command[] {
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

  /** Ends the stream. A last line without CRLF still counts as a command. */
  end(): Command[] {
    const collected = this.#begin();
    try {
      this.#splitter.end();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  /** Throws the error that failed the parser, or returns the list this call's commands go to. */
  #begin(): Command[] {
    if (this.#failure) throw this.#failure;
    const collected: Command[] = [];
    this.#collected = collected;
    return collected;
  }

  /** Rethrows `error` as this package's, and remembers a `CommandError` for every later call. */
  #fail(error: unknown): never {
    const failure = asCommandError(error);
    if (failure instanceof CommandError) this.#failure = failure;
    throw failure;
  }

  #line(bytes: Uint8Array, start: number, end: number, offset: number): void {
    let command: Command;
    try {
      command = parseLine(bytes, start, end, offset);
    } catch (error) {
      if (this.#onMalformedLine && error instanceof CommandError) {
        this.#onMalformedLine(error);
        return;
      }
      throw error;
    }
    this.#deliver(command);
  }
}

/** A `LineError` as this package's error class with the same code; anything else as it is. */
function asCommandError(error: unknown): unknown {
  if (!(error instanceof LineError)) return error;
  const code: LineErrorCode = error.code;
  return new CommandError(code, error.message, error.offset, { cause: error });
}

/**
 * Parses exactly one command line. A final CRLF (or LF) is optional; a line feed before the
 * end is `ERR_TRAILING_DATA`. A lone CR, like any other byte, belongs to the argument.
 * Anything that is not `VERB` or `VERB argument` with an alphabetic verb throws
 * `ERR_MALFORMED_COMMAND`.
 *
 * @example
 * ```ts
 * import { parseCommand } from '@ftpwire/command';
 *
 * parseCommand('retr  my file.txt \r\n');
 * // => { verb: 'RETR', argument: ' my file.txt ', offset: 0 }
 * parseCommand('PASV').argument; // => ''
 * parseCommand('RETR a\r\nDELE b'); // throws CommandError ERR_TRAILING_DATA
 * parseCommand('227 ok'); // throws CommandError ERR_MALFORMED_COMMAND
 * ```
 */
export function parseCommand(line: string | Uint8Array): Command {
  if (typeof line === 'string') return parseStringLine(line);
  let end = line.length;
  if (end > 0 && line[end - 1] === LF) end -= end > 1 && line[end - 2] === CR ? 2 : 1;
  const lf = line.indexOf(LF);
  if (lf !== -1 && lf < end) throw trailing(lf);
  return parseLine(line, 0, end, 0);
}

/** The string form of `parseCommand`, without an encode/decode round trip. */
function parseStringLine(line: string): Command {
  let end = line.length;
  if (line.endsWith('\n')) end -= line.endsWith('\r\n') ? 2 : 1;
  const lf = line.indexOf('\n');
  if (lf !== -1 && lf < end) throw trailing(lf);
  let verbEnd = 0;
  while (verbEnd < end && isLetter(line.charCodeAt(verbEnd))) verbEnd++;
  if (verbEnd === 0 || (verbEnd < end && line.charCodeAt(verbEnd) !== SPACE)) {
    throw new CommandError(
      'ERR_MALFORMED_COMMAND',
      `expected a command "VERB" or "VERB argument" with an alphabetic verb, got ${JSON.stringify(line.slice(0, 40))}`,
      0,
    );
  }
  const verb = line.slice(0, verbEnd).toUpperCase();
  return new ParsedCommand(verb, verbEnd === end ? '' : line.slice(verbEnd + 1, end), 0);
}

function trailing(offset: number): CommandError {
  return new CommandError(
    'ERR_TRAILING_DATA',
    `expected one command line, got a line feed at offset ${offset} before the end`,
    offset,
  );
}
