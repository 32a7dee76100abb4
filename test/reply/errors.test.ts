import { parseReply, ReplyError } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { replyErrorOf } from './helpers.ts';

describe('ReplyError', () => {
  it('carries a stable code, a message and an offset, and is an Error named ReplyError', () => {
    const error = new ReplyError(
      'ERR_UNCLOSED_REPLY',
      'multi-line 211 reply has no closing line',
      184,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ReplyError');
    expect(error.code).toBe('ERR_UNCLOSED_REPLY');
    expect(error.offset).toBe(184);
    expect(String(error)).toBe('ReplyError: multi-line 211 reply has no closing line');
    expect(error.cause).toBeUndefined();
  });

  it('keeps an underlying error as cause', () => {
    const cause = new Error('inner');
    expect(new ReplyError('ERR_TRAILING_DATA', 'outer', 3, { cause }).cause).toBe(cause);
  });

  it('quotes at most 40 bytes of peer text, escaping quotes, backslashes and non-printable bytes', () => {
    const error = replyErrorOf(() =>
      parseReply(Uint8Array.of(0x22, 0x5c, 0x00, 0x7f, 0x80, 0xff, 0x41)),
    );
    expect(error.message).toContain('got "\\x22\\x5c\\x00\\x7f\\x80\\xffA"');
    const long = replyErrorOf(() => parseReply(`x${'y'.repeat(500)}`));
    expect(long.message).toContain(`"x${'y'.repeat(39)}..."`);
    expect(long.message).not.toContain('y'.repeat(41));
  });
});
