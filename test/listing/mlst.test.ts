import { parseMlstReply } from '@ftpwire/listing';
import { parseReply, ReplyError } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { concat, latin1, listingErrorOf, utf8 } from './helpers.js';

const reply = (entry: string, opening = 'Listing /pub/a b') =>
  `250-${opening}\r\n ${entry}\r\n250 End\r\n`;

describe('parseMlstReply', () => {
  it('reads the entry line of a 250 reply given as text or as a Reply', () => {
    const text = reply('Type=file;Size=12;Modify=20240229134501; /pub/a b');
    const fromText = parseMlstReply(text);
    expect(fromText).toMatchObject({ name: '/pub/a b', type: 'file', size: 12 });
    expect(fromText.modify?.toISOString()).toBe('2024-02-29T13:45:01.000Z');
    expect(parseMlstReply(parseReply(text))).toEqual(fromText);
  });

  it('takes the pathname whole, leading spaces after the separator included', () => {
    expect(parseMlstReply(reply('type=file;  /two leading')).name).toBe(' /two leading');
    expect(parseMlstReply(reply('  no facts')).name).toBe(' no facts');
  });

  it('keeps the bytes of a name that is not UTF-8, from the Reply it was parsed into', () => {
    const bytes = concat([utf8('250-x\r\n type=file; caf'), latin1('\xe9'), utf8('\r\n250 y\r\n')]);
    const entry = parseMlstReply(parseReply(bytes));
    expect(entry.name).toBe('caf\ufffd');
    expect(entry.rawName).toEqual(latin1('caf\xe9'));
    expect(parseMlstReply(parseReply(reply('type=file; café'))).rawName).toBeUndefined();
  });

  it('refuses any code but 250 (ERR_UNEXPECTED_REPLY_CODE), given as text or as a Reply', () => {
    for (const input of ['550 /x: No such file or directory\r\n', parseReply('501 Bad path\r\n')]) {
      const error = listingErrorOf(() => parseMlstReply(input));
      expect([error.code, error.offset]).toEqual(['ERR_UNEXPECTED_REPLY_CODE', 0]);
    }
  });

  it.each([
    ['a single-line 250', '250 type=file; /x\r\n', 0],
    ['no entry line', '250-Listing\r\n250 End\r\n', 0],
    ['two entry lines', '250-Listing\r\n type=file; /a\r\n type=file; /b\r\n250 End\r\n', 0],
    ['an entry line without its leading space', '250-Listing\r\ntype=file; /a\r\n250 End\r\n', 13],
  ])('refuses %s (ERR_INVALID_MLST_REPLY)', (_what, text, offset) => {
    const error = listingErrorOf(() => parseMlstReply(text));
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_MLST_REPLY', offset]);
  });

  it('refuses text that is not one complete reply, with the ReplyError as cause', () => {
    const error = listingErrorOf(() => parseMlstReply('250-Listing\r\n type=file; /a\r\n'));
    expect(error.code).toBe('ERR_INVALID_MLST_REPLY');
    expect(error.cause).toBeInstanceOf(ReplyError);
    expect(
      listingErrorOf(() => parseMlstReply(`${reply('type=file; a')}250 again\r\n`)).cause,
    ).toBeInstanceOf(ReplyError);
  });

  it("points a bad entry's errors into the reply text", () => {
    const text = reply('type=file;size=-1; /x', 'x');
    const error = listingErrorOf(() => parseMlstReply(text));
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_FACT', 23]);
    expect(text[error.offset]).toBe('-');
    const malformed = listingErrorOf(() => parseMlstReply(reply('type=file', 'x')));
    expect([malformed.code, malformed.offset]).toEqual(['ERR_MALFORMED_FACTS', 17]);
  });
});
