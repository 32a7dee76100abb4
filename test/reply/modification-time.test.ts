import { parseModificationTimeReply, parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { modificationTimeReplies } from '../fixtures/reply-meanings.ts';
import { replyErrorOf } from './helpers.ts';

const iso = (reply: string): string => parseModificationTimeReply(reply).toISOString();

describe('parseModificationTimeReply', () => {
  it.each(modificationTimeReplies)('reads $reply ($source)', ({ reply, time }) => {
    expect(iso(reply)).toBe(time);
    expect(iso(`${reply}\r\n`)).toBe(time);
    expect(parseModificationTimeReply(parseReply(reply)).toISOString()).toBe(time);
  });

  it('keeps a fraction to the millisecond, as some servers send one', () => {
    expect(iso('213 20240229134501.123')).toBe('2024-02-29T13:45:01.123Z');
    expect(iso('213 20240229134501.123456')).toBe('2024-02-29T13:45:01.123Z');
    expect(iso('213 20240229134501.5')).toBe('2024-02-29T13:45:01.500Z');
  });

  it('skips spaces before the time-val and ignores commentary after a space', () => {
    expect(iso('213  20240229134501')).toBe('2024-02-29T13:45:01.000Z');
    expect(iso('213 20240229134501 (UTC)')).toBe('2024-02-29T13:45:01.000Z');
  });

  it("reads the Y2K bug's 19100-19199 as 2000-2099 (Perl Net::FTP's reading)", () => {
    expect(iso('213 191000101000000')).toBe('2000-01-01T00:00:00.000Z');
    expect(iso('213 191240229134501')).toBe('2024-02-29T13:45:01.000Z');
    expect(iso('213 191990101000000.25')).toBe('2099-01-01T00:00:00.250Z');
    const error = replyErrorOf(() => parseModificationTimeReply('213 191231301000000'));
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_TIME_VAL', 9]);
    const day = replyErrorOf(() => parseModificationTimeReply('213 191230230000000'));
    expect([day.code, day.offset]).toEqual(['ERR_INVALID_TIME_VAL', 11]);
  });

  it('refuses other 15-digit times and invalid dates, at the offending field of the line', () => {
    for (const [reply, offset] of [
      ['213 202402291345011', 18],
      ['213 200240229134501', 18],
      ['213 20241301000000', 8],
      ['213 20230229000000', 10],
      ['213 20240229134561', 16],
      ['213 2024022913450', 17],
      ['213 ', 4],
      ['213', 3],
      ['213 2024-02-29 13:45:01', 8],
    ] as const) {
      const error = replyErrorOf(() => parseModificationTimeReply(reply));
      expect([reply, error.code, error.offset]).toEqual([reply, 'ERR_INVALID_TIME_VAL', offset]);
    }
  });

  it('refuses a multi-line 213 and another code', () => {
    expect(replyErrorOf(() => parseModificationTimeReply('213-x\r\n213 20240229134501')).code).toBe(
      'ERR_INVALID_TIME_VAL',
    );
    expect(
      replyErrorOf(() => parseModificationTimeReply('550 Could not get file modification time.'))
        .code,
    ).toBe('ERR_UNEXPECTED_REPLY_CODE');
  });
});
