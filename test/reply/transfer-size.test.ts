import { parseReply, parseTransferSize } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { transferSizeReplies } from '../fixtures/reply-meanings.ts';
import { replyErrorOf } from './helpers.ts';

describe('parseTransferSize', () => {
  it.each(transferSizeReplies)('reads $reply ($source)', ({ reply, size }) => {
    expect(parseTransferSize(reply)).toBe(size);
    expect(parseTransferSize(`${reply}\r\n`)).toBe(size);
    expect(parseTransferSize(parseReply(reply))).toBe(size);
  });

  it('takes the last " (<digits> bytes)" on the line, as greedy ".*" does', () => {
    expect(parseTransferSize('150 f (1 bytes) (2 bytes)')).toBe(2);
    expect(parseTransferSize('150 f (1 bytes) (x bytes)')).toBe(1);
    expect(parseTransferSize('150 f (1 bytes) (2 bytes) trailing')).toBe(2);
  });

  it('matches "bytes" in any ASCII case, and only ASCII digits', () => {
    expect(parseTransferSize('150 f (7 BYTES)')).toBe(7);
    expect(parseTransferSize('150 f (7 ByTeS)')).toBe(7);
    expect(parseTransferSize('150 f (٧ bytes)')).toBeUndefined();
    expect(parseTransferSize('150 f (7 byteſ)')).toBeUndefined();
  });

  it('needs the space before "(" and after the digits, and the " (" after "150 "', () => {
    expect(parseTransferSize('150 f(7 bytes)')).toBeUndefined();
    expect(parseTransferSize('150 f (7bytes)')).toBeUndefined();
    expect(parseTransferSize('150 f ( 7 bytes)')).toBeUndefined();
    expect(parseTransferSize('150 f (7 bytes')).toBeUndefined();
    expect(parseTransferSize('150 (7 bytes)')).toBeUndefined();
    expect(parseTransferSize('150  (7 bytes)')).toBe(7);
    expect(parseTransferSize('150 f (7 bytes)x')).toBe(7);
  });

  it('gives undefined for a multi-line 150: its first line opens with "150-"', () => {
    expect(parseTransferSize('150-f (7 bytes)\r\n150 f (8 bytes)')).toBeUndefined();
  });

  it('reads counts up to Number.MAX_SAFE_INTEGER and refuses larger ones', () => {
    expect(parseTransferSize('150 f (9007199254740991 bytes)')).toBe(Number.MAX_SAFE_INTEGER);
    const error = replyErrorOf(() => parseTransferSize('150 f (9007199254740992 bytes)'));
    expect([error.code, error.offset]).toEqual(['ERR_SIZE_TOO_LARGE', 7]);
  });

  it('refuses another code, as ftplib raises error_reply', () => {
    for (const reply of ['125 Data connection already open (7 bytes)', '226 Done (7 bytes)']) {
      expect(replyErrorOf(() => parseTransferSize(reply)).code).toBe('ERR_UNEXPECTED_REPLY_CODE');
    }
  });
});
