import {
  NatError,
  NatRewriter,
  ReplyRewriter,
  type RewriteEvent,
  type StateChangeEvent,
} from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';
import { bytes, concat, pushText, run, text } from './helpers.js';

const PUBLIC = '193.21.1.121';
const CLIENT_HELLO = Uint8Array.of(
  0x16,
  0x03,
  0x01,
  0x02,
  0x00,
  0x01,
  0x00,
  0x01,
  0xfc,
  0x03,
  0x03,
);
const SERVER_HELLO = Uint8Array.of(
  0x16,
  0x03,
  0x03,
  0x00,
  0x7a,
  0x02,
  0x00,
  0x00,
  0x76,
  0x03,
  0x03,
);

function session() {
  const states: StateChangeEvent[] = [];
  const nat = new NatRewriter({ publicHost: PUBLIC, onStateChange: (e) => states.push(e) });
  pushText(nat.replies, '220 (vsFTPd 3.0.3)\r\n');
  return { nat, states };
}

describe('NatRewriter: AUTH TLS and CCC', () => {
  it('after a 234 answering AUTH both directions pass bytes unread, and say so', () => {
    const { nat, states } = session();
    expect(nat.state).toBe('clear');
    pushText(nat.commands, 'AUTH TLS\r\n');
    expect(pushText(nat.replies, '234 Proceed with negotiation.\r\n')).toBe(
      '234 Proceed with negotiation.\r\n',
    );
    expect(nat.state).toBe('secure');
    expect(states).toEqual([{ state: 'secure', offset: 20 }]);
    expect(run(nat.commands, [CLIENT_HELLO])).toEqual([CLIENT_HELLO]);
    expect(run(nat.replies, [SERVER_HELLO])).toEqual([SERVER_HELLO]);
    // Inside TLS nothing is read: not even bytes that look like a PASV and its 227.
    const pasv = bytes('PASV\r\n');
    const reply = bytes('227 Entering Passive Mode (10,0,0,2,4,1).\r\n');
    expect(run(nat.commands, [pasv])).toEqual([pasv]);
    expect(run(nat.replies, [reply])).toEqual([reply]);
  });

  it('a refused AUTH leaves the session reading the stream', () => {
    const { nat } = session();
    pushText(nat.commands, 'AUTH TLS\r\n');
    expect(pushText(nat.replies, '500 AUTH not understood\r\n')).toBe(
      '500 AUTH not understood\r\n',
    );
    expect(nat.state).toBe('clear');
    pushText(nat.commands, 'PASV\r\n');
    expect(pushText(nat.replies, '227 (10,0,0,2,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
  });

  it('a 234 that answers no AUTH changes nothing', () => {
    const { nat } = session();
    pushText(nat.commands, 'NOOP\r\n');
    pushText(nat.replies, '234 surprise\r\n');
    expect(nat.state).toBe('clear');
  });

  it('STARTTLS injection (CVE-2021-22947 class): server bytes in the same chunk as the 234 are refused', () => {
    const { nat } = session();
    pushText(nat.commands, 'AUTH TLS\r\n');
    const pieces: Uint8Array[] = [];
    expect(() =>
      nat.replies.push(bytes('234 Proceed.\r\n227 (10,0,0,2,4,1)\r\n'), (p) => pieces.push(p)),
    ).toThrowError(expect.objectContaining({ code: 'ERR_DATA_AFTER_AUTH', offset: 34 }));
    // The 234 itself went out before the refusal.
    expect(text(concat(pieces))).toBe('234 Proceed.\r\n');
  });

  it('STARTTLS injection: server bytes before the client began the handshake are refused', () => {
    const { nat } = session();
    pushText(nat.commands, 'AUTH TLS\r\n');
    pushText(nat.replies, '234 Proceed.\r\n');
    expect(() => pushText(nat.replies, '200 injected\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_DATA_AFTER_AUTH', offset: 34 }),
    );
  });

  it('STARTTLS injection (Postfix CVE-2011-0411 class): client bytes after AUTH before its reply are refused', () => {
    const same = session();
    expect(() => pushText(same.nat.commands, 'AUTH TLS\r\nUSER evil\r\n')).toThrowError(
      expect.objectContaining({ name: 'NatError', code: 'ERR_DATA_AFTER_AUTH', offset: 10 }),
    );
    const later = session();
    pushText(later.nat.commands, 'AUTH TLS\r\n');
    expect(() => pushText(later.nat.commands, 'USER evil\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_DATA_AFTER_AUTH', offset: 10 }),
    );
  });

  it('resumeClear() after CCC reads the stream again, forgetting commands sent inside TLS', () => {
    const { nat, states } = session();
    pushText(nat.commands, 'AUTH TLS\r\n');
    pushText(nat.replies, '234 Proceed.\r\n');
    run(nat.commands, [CLIENT_HELLO]);
    run(nat.replies, [SERVER_HELLO]);
    nat.resumeClear();
    expect(nat.state).toBe('clear');
    expect(states.map((s) => s.state)).toEqual(['secure', 'clear']);
    expect(states[1]?.offset).toBe(34 + SERVER_HELLO.length);
    pushText(nat.commands, 'PASV\r\n');
    expect(pushText(nat.replies, '227 (10,0,0,2,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
  });
});

describe('NatRewriter: errors', () => {
  it('stays failed after an error, in the direction that failed only', () => {
    const { nat } = session();
    expect(() => pushText(nat.commands, 'PORT 10,0,0,1,0,21\r\n')).toThrowError(NatError);
    expect(() => pushText(nat.commands, 'NOOP\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_PORT_REFUSED' }),
    );
    expect(() => nat.commands.end(() => undefined)).toThrowError(NatError);
    expect(pushText(nat.replies, '200 ok\r\n')).toBe('200 ok\r\n');
  });

  it('counts offsets per direction', () => {
    const { nat } = session();
    pushText(nat.commands, 'NOOP\r\n');
    expect(nat.commands.offset).toBe(6);
    expect(nat.replies.offset).toBe(20);
  });
});

describe('ReplyRewriter (replies only)', () => {
  it('rewrites every well-formed single-line 227 at a reply boundary', () => {
    const rewrites: RewriteEvent[] = [];
    const rewriter = new ReplyRewriter({ publicHost: PUBLIC, onRewrite: (e) => rewrites.push(e) });
    expect(
      pushText(
        rewriter,
        '220 hi\r\n227 Entering Passive Mode (10,0,0,2,4,1).\r\n211-x\r\n227 (10,0,0,2,4,1)\r\n211 end\r\n',
      ),
    ).toBe(
      '220 hi\r\n227 Entering Passive Mode (193,21,1,121,4,1).\r\n211-x\r\n227 (10,0,0,2,4,1)\r\n211 end\r\n',
    );
    expect(pushText(rewriter, 'x 227 (10,0,0,2,4,1)\r\n')).toBe('x 227 (10,0,0,2,4,1)\r\n');
    expect(rewrites).toHaveLength(1);
  });

  it('a 227 right after a multi-line reply closes starts a reply (found by the chunking law)', () => {
    const rewriter = new ReplyRewriter({ publicHost: PUBLIC });
    expect(
      pushText(rewriter, '100-\r\n227 (10,0,0,0,4,0)\r\n100 end\r\n227 (10,0,0,2,4,1)\r\n'),
    ).toBe('100-\r\n227 (10,0,0,0,4,0)\r\n100 end\r\n227 (193,21,1,121,4,1)\r\n');
  });

  it('passes everything unread after a 234, refusing bytes that came with it', () => {
    const rewriter = new ReplyRewriter({ publicHost: PUBLIC });
    expect(pushText(rewriter, '234 go\r\n')).toBe('234 go\r\n');
    expect(rewriter.state).toBe('secure');
    expect(run(rewriter, [SERVER_HELLO])).toEqual([SERVER_HELLO]);
    rewriter.resumeClear();
    expect(pushText(rewriter, '227 (10,0,0,2,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
    const injected = new ReplyRewriter({ publicHost: PUBLIC });
    expect(() => pushText(injected, '234 go\r\n200 x\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_DATA_AFTER_AUTH', offset: 8 }),
    );
  });

  it('end() flushes a held line and resets', () => {
    const rewriter = new ReplyRewriter({ publicHost: PUBLIC });
    expect(pushText(rewriter, '227 (10,0')).toBe('');
    const pieces: Uint8Array[] = [];
    rewriter.end((piece) => pieces.push(piece));
    expect(text(concat(pieces))).toBe('227 (10,0');
    expect(rewriter.offset).toBe(9);
  });
});
