import { parseReply, parseSizeReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { sizeReplies } from '../fixtures/reply-meanings.ts';
import { replyErrorOf } from './helpers.ts';

describe('parseSizeReply', () => {
  it.each(sizeReplies)('reads $reply ($source)', ({ reply, size }) => {
    expect(parseSizeReply(reply)).toBe(size);
    expect(parseSizeReply(`${reply}\r\n`)).toBe(size);
    expect(parseSizeReply(parseReply(reply))).toBe(size);
  });

  it('reads 0, leading zeros, spaces before the number and commentary after a space', () => {
    expect(parseSizeReply('213 0')).toBe(0);
    expect(parseSizeReply('213 000042')).toBe(42);
    expect(parseSizeReply('213   42')).toBe(42);
    expect(parseSizeReply('213 42 bytes')).toBe(42);
  });

  it('reads sizes up to Number.MAX_SAFE_INTEGER exactly and refuses the next one', () => {
    expect(parseSizeReply('213 9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSizeReply(`213 ${'0'.repeat(1000)}9007199254740991`)).toBe(Number.MAX_SAFE_INTEGER);
    for (const digits of ['9007199254740992', '9007199254740993', '99999999999999999999']) {
      const error = replyErrorOf(() => parseSizeReply(`213 ${digits}`));
      expect([error.code, error.offset]).toEqual(['ERR_SIZE_TOO_LARGE', 4]);
    }
  });

  it('refuses anything but digits after the code', () => {
    for (const [reply, offset] of [
      ['213', 3],
      ['213 ', 4],
      ['213 -5', 4],
      ['213 +5', 4],
      ['213 1.5', 5],
      ['213 1,234', 5],
      ['213 12abc', 6],
      ['213 0x10', 5],
      ['213 File size: 12', 4],
      ['213 ١٢', 4],
    ] as const) {
      const error = replyErrorOf(() => parseSizeReply(reply));
      expect([reply, error.code, error.offset]).toEqual([reply, 'ERR_INVALID_SIZE_REPLY', offset]);
    }
  });

  it('refuses a multi-line 213 (RFC 3659 §4 defines one line) and another code', () => {
    expect(replyErrorOf(() => parseSizeReply('213-Status\r\n213 18')).code).toBe(
      'ERR_INVALID_SIZE_REPLY',
    );
    expect(replyErrorOf(() => parseSizeReply('550 Could not get file size.')).code).toBe(
      'ERR_UNEXPECTED_REPLY_CODE',
    );
  });
});
