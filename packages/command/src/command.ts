const encoder = new TextEncoder();

/**
 * One client command line (RFC 959 §5.3): `VERB` or `VERB argument`, as the parsers
 * deliver it. The argument is not trimmed or split: what it means depends on the verb
 * (a path, `h1,...,p2`, `TYPE A N`), so that is left to the caller.
 *
 * @example
 * ```ts
 * import { type Command, parseCommand } from '@ftpwire/command';
 *
 * function describe(command: Command): string {
 *   return command.argument === '' ? command.verb : `${command.verb} "${command.argument}"`;
 * }
 * describe(parseCommand('stor my report.pdf\r\n')); // => 'STOR "my report.pdf"'
 * describe(parseCommand('PASV')); // => 'PASV'
 * parseCommand('CWD caf\u00e9').rawArgument; // => new TextEncoder().encode('caf\u00e9')
 * ```
 */
export interface Command {
  /** The command verb, upper-cased (RFC 959 §5.3: verbs are case-insensitive). */
  readonly verb: string;
  /**
   * Everything after the first space, exactly as sent (no trimming, inner and trailing spaces
   * kept), decoded as UTF-8 (RFC 2640); `''` when there is none. Bytes that are not UTF-8
   * become U+FFFD here and stay intact in `rawArgument`.
   */
  readonly argument: string;
  /** The argument's bytes exactly as received. */
  readonly rawArgument: Uint8Array;
  /** Offset in the stream (or input) of the line's first byte. */
  readonly offset: number;
}

/** A command whose argument bytes are re-encoded on demand unless they were not UTF-8. */
export class ParsedCommand implements Command {
  readonly verb: string;
  readonly argument: string;
  readonly offset: number;
  #rawArgument: Uint8Array | undefined;

  constructor(verb: string, argument: string, offset: number, rawArgument?: Uint8Array) {
    this.verb = verb;
    this.argument = argument;
    this.offset = offset;
    this.#rawArgument = rawArgument;
  }

  get rawArgument(): Uint8Array {
    this.#rawArgument ??= encoder.encode(this.argument);
    return this.#rawArgument;
  }

  toJSON(): { verb: string; argument: string } {
    return { verb: this.verb, argument: this.argument };
  }
}
