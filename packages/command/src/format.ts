import { CommandError } from './errors.js';

/**
 * How strictly {@link formatCommand} checks the verb. The argument is always checked.
 *
 * @example
 * ```ts
 * import { formatCommand, type FormatCommandOptions } from '@ftpwire/command';
 *
 * // A fuzzer or a test of a non-standard server sends verbs no RFC defines.
 * const lenient: FormatCommandOptions = { strictVerb: false };
 * formatCommand('X-PROBE', 'a', lenient); // => 'X-PROBE a\r\n'
 * formatCommand('X-PROBE', 'a'); // throws CommandError ERR_INVALID_VERB
 * ```
 */
export interface FormatCommandOptions {
  /**
   * Require the verb to be 3 or 4 ASCII letters, the form of every command RFC 959 and its
   * extensions define. Default true: a verb outside that form is more often a bug or an
   * injection attempt than a real extension. When false, any run of visible ASCII characters
   * (0x21-0x7e) is accepted, for non-standard servers and fuzzers.
   */
  readonly strictVerb?: boolean;
}

function checkVerb(verb: string, strict: boolean): void {
  let valid = strict ? verb.length === 3 || verb.length === 4 : verb.length > 0;
  for (let i = 0; valid && i < verb.length; i++) {
    const unit = verb.charCodeAt(i);
    const folded = unit | 0x20;
    valid = strict ? folded >= 0x61 && folded <= 0x7a : unit >= 0x21 && unit <= 0x7e;
  }
  if (!valid) {
    throw new CommandError(
      'ERR_INVALID_VERB',
      strict
        ? `verb must be 3 or 4 ASCII letters, got ${JSON.stringify(verb.slice(0, 40))}`
        : `verb must be visible ASCII characters without spaces, got ${JSON.stringify(verb.slice(0, 40))}`,
      0,
    );
  }
}

/**
 * Formats a command line with CRLF: `VERB\r\n`, or `VERB argument\r\n` when the argument is
 * not empty; verb and argument are written as given. Refuses CR, LF or NUL anywhere in the
 * argument (a CR or LF would end the line and start a command of the peer's choosing: the
 * injection curl, CPython's ftplib and Java's FTP client all had to close), and a verb that is
 * not 3-4 ASCII letters unless `strictVerb: false`.
 *
 * @example
 * ```ts
 * import { formatCommand } from '@ftpwire/command';
 *
 * formatCommand('RETR', 'report 2024.pdf'); // => 'RETR report 2024.pdf\r\n'
 * formatCommand('PASV'); // => 'PASV\r\n'
 * formatCommand('RETR', 'x\r\nDELE y'); // throws CommandError ERR_INVALID_ARGUMENT
 * formatCommand('RETRIEVE', 'x'); // throws CommandError ERR_INVALID_VERB
 * ```
 */
export function formatCommand(
  verb: string,
  argument?: string,
  options: FormatCommandOptions = {},
): string {
  checkVerb(verb, options.strictVerb ?? true);
  if (argument === undefined || argument === '') return `${verb}\r\n`;
  for (let i = 0; i < argument.length; i++) {
    const unit = argument.charCodeAt(i);
    if (unit === 0x0d || unit === 0x0a || unit === 0x00) {
      throw new CommandError(
        'ERR_INVALID_ARGUMENT',
        `command argument must not contain CR, LF or NUL, got ${JSON.stringify(argument.slice(Math.max(0, i - 10), i + 10))} around character ${i}`,
        i,
      );
    }
  }
  return `${verb} ${argument}\r\n`;
}
