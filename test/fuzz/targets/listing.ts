import {
  formatFacts,
  ListingError,
  type ListingFormat,
  ListingParser,
  parseFacts,
  parseListLine,
  parseMlstReply,
} from '@ftpwire/listing';
import { listingFixtures } from '../../fixtures/listings.js';
import { assertLaw, chunksOf, type FuzzTarget, hex, outcome, sameOutcome } from '../target.js';

const LF = 0x0a;
const CR = 0x0d;
const NOW = new Date('2026-11-27T12:00:00Z');
const FORMATS: readonly (ListingFormat | undefined)[] = [undefined, 'mlsd', 'unix', 'dos', 'eplf'];
const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** An entry as comparable text: every field, Dates as times, bytes as hex. */
function show(entry: object): string {
  // Spread, so that an entry's toJSON does not stand in for its fields.
  return JSON.stringify({ ...entry }, (_key, value: unknown) =>
    value instanceof Uint8Array ? hex(value) : value instanceof Map ? [...value] : value,
  );
}

function streamed(
  chunks: readonly Uint8Array[],
  dialect: ListingFormat | undefined,
  lenientMlsd: boolean,
): string[] {
  return outcome(ListingError, (record) => {
    const parser = new ListingParser({
      now: NOW,
      ...(dialect === undefined ? {} : { dialect }),
      onEntry: (entry) => record(show(entry)),
      onSkippedLine: (line, offset) => record(`skipped ${offset} ${JSON.stringify(line)}`),
      ...(lenientMlsd
        ? {
            onMalformedLine: (error: ListingError) =>
              record(`malformed ${error.code} at ${error.offset}`),
          }
        : {}),
    });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
  });
}

/**
 * The model of the stream: split on LF, drop one CR before it, read each line alone with
 * parseFacts or parseListLine; the format is the one given, else the first entry's (MLSD when
 * the first word holds "=").
 */
function model(data: Uint8Array, dialect: ListingFormat | undefined): string[] {
  const out: string[] = [];
  let current = dialect;
  for (let start = 0; start < data.length; ) {
    const lf = data.indexOf(LF, start);
    const next = lf === -1 ? data.length : lf + 1;
    const end = lf === -1 ? data.length : lf > start && data[lf - 1] === CR ? lf - 1 : lf;
    const raw = data.subarray(start, end);
    const text = lenient.decode(raw);
    if (text !== '' && current === undefined && text.split(' ')[0]!.indexOf('=') > 0)
      current = 'mlsd';
    if (text !== '' && current === 'mlsd') {
      try {
        out.push(show(parseFacts(raw)));
      } catch (error) {
        if (!(error instanceof ListingError)) throw error;
        out.push(
          `error ${error.code} at ${start + encoder.encode(text.slice(0, error.offset)).length}`,
        );
        return out;
      }
    } else {
      const entry =
        text === '' || current === 'mlsd'
          ? undefined
          : parseListLine(raw, {
              now: NOW,
              ...(current === undefined ? {} : { dialect: current }),
            });
      if (entry === undefined) out.push(`skipped ${start} ${JSON.stringify(text)}`);
      else {
        current ??= entry.dialect;
        out.push(show(entry));
      }
    }
    start = next;
  }
  return out;
}

function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof ListingError) return undefined;
    throw error;
  }
}

/**
 * `@ftpwire/listing` on arbitrary bytes: ListingParser in every format against its model and
 * against any chunking, with and without onMalformedLine; parseFacts on the first line, as bytes
 * and as text, and formatFacts of what it read; parseListLine in each dialect; parseMlstReply.
 */
export const listingTarget: FuzzTarget = {
  name: 'listing/ListingParser',
  errorClass: ListingError,
  seeds: listingFixtures().map((fixture) => fixture.bytes),
  tokens: [
    'type=',
    'file;',
    'dir;',
    'cdir;',
    'OS.unix=slink:',
    'size=',
    'modify=20240229134501;',
    'UNIX.mode=0644;',
    '; ',
    ' ',
    ';',
    '=',
    '-rw-r--r-- ',
    'drwxr-xr-x',
    'lrwxrwxrwx',
    ' 1 ',
    ' Jan ',
    ' 29 ',
    '12:00',
    ' 2024 ',
    ' -> ',
    '1, 3',
    '12-05-96  ',
    '05:03PM',
    '<DIR>',
    '+',
    ',r,',
    's12,',
    'm824255902,',
    '\t',
    '250-',
    '250 ',
    '\r\n',
    '\n',
    '\r',
    '\xe9',
    '\xc3\xa9',
    'total 12',
  ],
  run(data) {
    const dialect = FORMATS[(data[0] ?? 0) % FORMATS.length];
    const whole = streamed([data], dialect, false);
    sameOutcome(whole, model(data, dialect), 'stream agrees with the one-shot parsers per line');
    sameOutcome(whole, streamed(chunksOf(data), dialect, false), 'chunking changes nothing');
    const lenientWhole = streamed([data], dialect, true);
    sameOutcome(
      lenientWhole,
      streamed(chunksOf(data), dialect, true),
      'chunking changes nothing (lenient)',
    );
    assertLaw(
      !lenientWhole.some(
        (item) => item.startsWith('error ') && !item.startsWith('error ERR_LINE_TOO_LONG'),
      ),
      'with onMalformedLine only an over-long line fails the stream',
    );

    // One line as bytes and as text reads the same where the bytes are UTF-8.
    const lf = data.indexOf(LF);
    const line = lf === -1 ? data : data.subarray(0, lf + 1);
    const text = lenient.decode(line);
    const valid = encoder.encode(text).length === line.length && !text.includes('\ufffd');
    const fromBytes = attempt(() => parseFacts(line));
    if (valid) {
      const fromText = attempt(() => parseFacts(text));
      assertLaw(
        (fromBytes === undefined) === (fromText === undefined) &&
          (fromBytes === undefined || show(fromBytes) === show(fromText!)),
        'parseFacts reads bytes and text differently',
      );
    }
    if (fromBytes) {
      const wire = attempt(() => formatFacts(fromBytes));
      if (wire !== undefined) {
        assertLaw(
          !/[\r\n\0]/.test(wire),
          `formatFacts let a line break through: ${JSON.stringify(wire)}`,
        );
        const again = parseFacts(wire);
        // A name that was not UTF-8 is written as its decoded text: equal but for rawName.
        assertLaw(
          show({ ...again, rawName: undefined }) === show({ ...fromBytes, rawName: undefined }),
          'parseFacts(formatFacts(e)) != e',
        );
      }
    }
    for (const forced of [undefined, 'unix', 'dos', 'eplf'] as const) {
      const entry = attempt(() =>
        parseListLine(line, { now: NOW, ...(forced ? { dialect: forced } : {}) }),
      );
      if (entry && forced) assertLaw(entry.dialect === forced, 'parseListLine left its dialect');
    }
    attempt(() => parseMlstReply(lenient.decode(data)));
  },
};
