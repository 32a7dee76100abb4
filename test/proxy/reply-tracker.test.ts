import { describe, expect, it } from 'vitest';
import { ReplyTracker, type ReplyTrackerHandlers } from '../../packages/proxy/src/reply-tracker.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

function track(chunks: string[], handlers: Partial<ReplyTrackerHandlers> = {}, max = 8192) {
  const out: string[] = [];
  const complete: number[] = [];
  const tracker = new ReplyTracker(max, {
    hold: handlers.hold ?? (() => false),
    rewrite: handlers.rewrite ?? ((line) => line),
    complete: (code) => {
      complete.push(code);
      handlers.complete?.(code);
    },
  });
  for (const chunk of chunks)
    tracker.push(encoder.encode(chunk), (bytes) => out.push(decoder.decode(bytes)));
  return { out: out.join(''), pieces: out, complete, tracker };
}

describe('ReplyTracker', () => {
  it('reports each reply once its final line has gone on, 1yz included', () => {
    const { out, complete } = track(['220 ready\r\n150 opening\r\n226 done\r\n']);
    expect(out).toBe('220 ready\r\n150 opening\r\n226 done\r\n');
    expect(complete).toEqual([220, 150, 226]);
  });

  it('closes a multi-line reply only on "ddd " with its own code (RFC 959 §4.2)', () => {
    const { complete } = track([
      '211-Features:\r\n',
      ' 227 looks like a reply\r\n',
      '200 another code is just text\r\n',
      '211-still open\r\n',
      '211 End\r\n',
    ]);
    expect(complete).toEqual([211]);
  });

  it('passes bytes on without waiting for the line end', () => {
    const { pieces, complete } = track(['230 Login succ', 'essful.\r\n']);
    expect(pieces.join('')).toBe('230 Login successful.\r\n');
    expect(pieces[0]).toBe('230 ');
    expect(complete).toEqual([230]);
  });

  it('waits for four bytes to know a line, then sends them on', () => {
    const { pieces, complete, tracker } = track(['22', '9']);
    expect(pieces).toEqual([]);
    expect(tracker.midLine).toBe(true);
    expect(complete).toEqual([]);
  });

  it('takes a bare "ddd" line as a reply, and lines without a code as text', () => {
    expect(track(['200\r\n']).complete).toEqual([200]);
    expect(track(['hello\r\n', '099 no\r\n', '20 no\r\n']).complete).toEqual([]);
  });

  it('holds a final line the owner asks for and sends the rewrite instead', () => {
    const { out, complete } = track(
      ['150 ok\r\n229 Entering Extended Passive Mode (|||', '30004|)\r\n226 done\r\n'],
      {
        hold: (code) => code === 229,
        rewrite: (line) => {
          expect(decoder.decode(line)).toBe('229 Entering Extended Passive Mode (|||30004|)\r\n');
          return encoder.encode('229 Entering Extended Passive Mode (|||40000|)\r\n');
        },
      },
    );
    expect(out).toBe('150 ok\r\n229 Entering Extended Passive Mode (|||40000|)\r\n226 done\r\n');
    expect(complete).toEqual([150, 229, 226]);
  });

  it('never asks about middle lines of a multi-line reply', () => {
    const asked: number[] = [];
    track(['229-a\r\n229-b\r\n229 end\r\n'], {
      hold: (code) => {
        asked.push(code);
        return false;
      },
    });
    expect(asked).toEqual([229]);
  });

  it('refuses a line longer than maxLineLength as soon as it passes it, held or not', () => {
    expect(track(['220 12345\r\n'], {}, 9).complete).toEqual([220]);
    expect(() => track(['220 123456\r\n'], {}, 9)).toThrow(
      expect.objectContaining({ name: 'ProxyError', code: 'ERR_LINE_TOO_LONG', offset: 0 }),
    );
    expect(() => track(['200 ok\r\n', '230-', 'a'.repeat(20)], {}, 9)).toThrow(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', offset: 8 }),
    );
    expect(() => track(['229 ', 'x'.repeat(20)], { hold: () => true }, 9)).toThrow(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG' }),
    );
  });
});
