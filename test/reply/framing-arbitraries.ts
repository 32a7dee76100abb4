/** Arbitraries of reply framing, shared by the reply and nat framing laws. */
import fc from 'fast-check';
import { splitAt, utf8 } from './helpers.ts';

/** Lines from a soup of what decides framing: codes, separators, digits, text, CR. */
export const soupLine = fc
  .array(
    fc.constantFrom(
      '220',
      '211',
      '553',
      '150',
      '226',
      '099',
      '700',
      '2',
      '-',
      ' ',
      '',
      'x',
      '0',
      '9',
      'End',
      '\t',
      '\r',
      'é',
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(''));

/** The lines on the wire: CRLF, or a bare LF where that cannot join a CR of the line. */
export const wire = (lines: readonly string[], crlf: readonly boolean[]): Uint8Array =>
  utf8(lines.map((line, i) => `${line}${crlf[i] || line.endsWith('\r') ? '\r\n' : '\n'}`).join(''));

/** The lines on the wire, cut anywhere: the lines themselves and the chunks. */
const onTheWire = (lines: string[]) =>
  fc
    .record({
      crlf: fc.array(fc.boolean(), { minLength: lines.length, maxLength: lines.length }),
      cuts: fc.array(fc.nat(), { maxLength: 8 }),
    })
    .map(({ crlf, cuts }) => {
      const bytes = wire(lines, crlf);
      return {
        lines,
        chunks: splitAt(
          bytes,
          cuts.map((cut) => cut % (bytes.length + 1)),
        ),
      };
    });

/** Any lines from the soup, in any chunks. */
export const input = fc.array(soupLine, { minLength: 1, maxLength: 12 }).chain(onTheWire);

export const CODES = [150, 211, 220, 226, 553] as const;
const text = fc.constantFrom('', 'End', ' SIZE', 'Opening.', '553 x', '-', 'é');

/** A line inside a multi-line reply with `code`: soup, or other codes with any separator. */
const middleLine = (code: number) =>
  fc
    .oneof(
      soupLine,
      fc
        .tuple(fc.constantFrom(...CODES), fc.constantFrom(' ', '-', ''), text)
        .map(([other, separator, rest]) => `${other}${separator}${separator === '' ? '' : rest}`),
    )
    .filter((line) => !(line.startsWith(String(code)) && (line.length === 3 || line[3] === ' ')));

/** Replies RFC 959 accepts: whole sessions a strict parser reads to the end. */
export const session = fc
  .array(
    fc.constantFrom(...CODES).chain((code) =>
      fc.oneof(
        text.map((rest) => [`${code} ${rest}`]),
        fc
          .tuple(text, fc.array(middleLine(code), { maxLength: 5 }), text)
          .map(([first, middle, last]) => [`${code}-${first}`, ...middle, `${code} ${last}`]),
      ),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .chain((replies) => onTheWire(replies.flat()));
