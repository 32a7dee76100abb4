import { CommandError, CommandParser, formatCommand, parseCommand } from '@ftpwire/command';
import { allTranscripts } from '../../fixtures/transcripts/transcripts.js';
import { assertLaw, chunksOf, type FuzzTarget, hex, outcome, sameOutcome } from '../target.js';

const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parsed(chunks: Uint8Array[], maxLineLength: number, telnet: boolean): string[] {
  return outcome(CommandError, (record) => {
    const parser = new CommandParser({
      maxLineLength,
      telnet,
      onCommand: (command) =>
        record(`${command.offset} ${command.verb} ${hex(command.rawArgument)}`),
      onMalformedLine: (error) => record(`malformed ${error.code} at ${error.offset}`),
    });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
  });
}

/**
 * The model of the stream: split on LF, drop one CR before it, fail on a long line, and read
 * each line with the one-shot `parseCommand`.
 */
function model(data: Uint8Array, maxLineLength: number): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    const atEnd = i === data.length;
    if (!atEnd && data[i] !== LF) continue;
    if (atEnd && start === data.length) break;
    const end = !atEnd && i > start && data[i - 1] === CR ? i - 1 : i;
    if (end - start > maxLineLength) {
      out.push(`error ERR_LINE_TOO_LONG at ${start + maxLineLength}`);
      return out;
    }
    try {
      const command = parseCommand(data.subarray(start, end));
      out.push(`${start} ${command.verb} ${hex(command.rawArgument)}`);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      out.push(`malformed ${error.code} at ${start}`);
    }
    start = i + 1;
  }
  return out;
}

/** What formatCommand wrote is one line: CR, LF and NUL only in its final CRLF. */
function oneLine(wire: string): boolean {
  if (!wire.endsWith('\r\n')) return false;
  for (let i = 0; i < wire.length - 2; i++) {
    const unit = wire.charCodeAt(i);
    if (unit === CR || unit === LF || unit === 0) return false;
  }
  return true;
}

function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof CommandError) return undefined;
    throw error;
  }
}

/**
 * `@ftpwire/command` on arbitrary bytes: the stream parser against its model and against any
 * chunking (with and without Telnet decoding), `parseCommand` on bytes against the same on
 * text, and `formatCommand` on what was parsed and on arbitrary verb and argument: one line
 * or a refusal, and what it writes parses back to what it was given.
 */
export const commandTarget: FuzzTarget = {
  name: 'command/CommandParser',
  errorClass: CommandError,
  seeds: allTranscripts().map((transcript) =>
    encoder.encode(
      transcript.lines
        .filter((line) => line.from === 'client')
        .map((line) => `${line.text}\r\n`)
        .join(''),
    ),
  ),
  tokens: [
    'RETR ',
    'PORT ',
    'EPRT ',
    'PASV',
    'AUTH TLS',
    'user ',
    ' ',
    '\r\n',
    '\n',
    '\r',
    '\x00',
    '\xff\xf4\xff\xf2',
    '\xff\xff',
    'ABOR',
    '\xc3\xa9',
    '\xed\xa0\x80',
    'a',
    'Z',
  ],
  run(data) {
    const maxLineLength = 1 + ((data[1] ?? 0) % 40);
    const whole = parsed([data], maxLineLength, false);
    sameOutcome(whole, model(data, maxLineLength), 'stream agrees with parseCommand per line');
    sameOutcome(whole, parsed(chunksOf(data), maxLineLength, false), 'chunking changes nothing');
    sameOutcome(
      parsed([data], 8192, true),
      parsed(chunksOf(data), 8192, true),
      'telnet: chunking changes nothing',
    );

    // One line as bytes and as text reads the same (text only where the bytes are UTF-8).
    const lf = data.indexOf(LF);
    const line = lf < 0 ? data : data.subarray(0, lf + 1);
    let text: string | undefined;
    try {
      text = strict.decode(line);
    } catch {
      text = undefined;
    }
    const fromBytes = attempt(() => parseCommand(line));
    if (text !== undefined) {
      const fromText = attempt(() => parseCommand(text));
      assertLaw(
        fromBytes?.verb === fromText?.verb && fromBytes?.argument === fromText?.argument,
        'parseCommand reads bytes and text differently',
      );
    }

    // What was parsed formats back to a line that parses to the same command, or is refused.
    if (fromBytes) {
      const wire = attempt(() => formatCommand(fromBytes.verb, fromBytes.argument));
      if (wire !== undefined) {
        assertLaw(oneLine(wire), `formatCommand let a line break through: ${JSON.stringify(wire)}`);
        const again = parseCommand(wire);
        assertLaw(
          again.verb === fromBytes.verb && again.argument === fromBytes.argument,
          'parse(format(command)) != command',
        );
      }
    }

    // Arbitrary verb and argument (split at the first space): one line, or nothing at all.
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
    const space = lenient.indexOf(' ');
    const verb = space < 0 ? lenient : lenient.slice(0, space);
    const argument = space < 0 ? '' : lenient.slice(space + 1);
    for (const strictVerb of [true, false]) {
      const wire = attempt(() => formatCommand(verb, argument, { strictVerb }));
      if (wire === undefined) continue;
      assertLaw(oneLine(wire), `formatCommand let a line break through: ${JSON.stringify(wire)}`);
      assertLaw(
        wire === (argument === '' ? `${verb}\r\n` : `${verb} ${argument}\r\n`),
        'formatCommand changed its arguments',
      );
      if (strictVerb) {
        const again = parseCommand(wire);
        assertLaw(
          again.verb === verb.toUpperCase() && again.argument === argument,
          'parse(format(verb, argument)) != (verb, argument)',
        );
      }
    }
  },
};
