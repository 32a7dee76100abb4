import { type NatOptions, NatRewriter, type RewriteEvent, type SkipEvent } from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';
import { bytes, concat, isViewOf, pushText, run, text } from './helpers.js';

const PUBLIC = '193.21.1.121';

/** A logged-in session whose greeting has been answered. */
function session(options: NatOptions = {}) {
  const rewrites: RewriteEvent[] = [];
  const skips: SkipEvent[] = [];
  const nat = new NatRewriter({
    publicHost: PUBLIC,
    onRewrite: (event) => rewrites.push(event),
    onSkip: (event) => skips.push(event),
    ...options,
  });
  pushText(nat.replies, '220 (vsFTPd 3.0.3)\r\n');
  const command = (line: string) => pushText(nat.commands, line);
  const reply = (line: string) => pushText(nat.replies, line);
  return { nat, rewrites, skips, command, reply };
}

describe('reply side: which 227 is rewritten', () => {
  it('rewrites the 227 that answers a PASV, keeping the text around the numbers', () => {
    const { command, reply, rewrites } = session();
    command('PASV\r\n');
    expect(reply('227 Entering Passive Mode (10,0,1,121,15,6).\r\n')).toBe(
      '227 Entering Passive Mode (193,21,1,121,15,6).\r\n',
    );
    command('PASV\r\n');
    expect(reply('227 PASV OK (10,0,1,121,15,7)\r\n')).toBe('227 PASV OK (193,21,1,121,15,7)\r\n');
    command('PASV\r\n');
    expect(reply('227 =10,0,1,121,15,8\n')).toBe('227 =193,21,1,121,15,8\n');
    // The tuple is where parsePasvReply finds it: the first number followed by a comma.
    command('PASV\r\n');
    expect(reply('227 v2 (10,0,1,121,15,9)\r\n')).toBe('227 v2 (193,21,1,121,15,9)\r\n');
    expect(rewrites).toHaveLength(4);
    expect(rewrites[0]).toEqual({
      direction: 'reply',
      before: '227 Entering Passive Mode (10,0,1,121,15,6).',
      after: '227 Entering Passive Mode (193,21,1,121,15,6).',
      offset: 20,
      original: { host: '10.0.1.121', port: 3846 },
      rewritten: { host: PUBLIC, port: 3846 },
    });
  });

  it('an unsolicited 227 is never rewritten (and is reported)', () => {
    const { command, reply, skips } = session();
    const line = '227 Entering Passive Mode (10,0,1,121,15,6).\r\n';
    expect(reply(line)).toBe(line);
    command('TYPE I\r\n');
    expect(reply(`200 Switching to Binary mode.\r\n${line}`)).toBe(
      `200 Switching to Binary mode.\r\n${line}`,
    );
    expect(skips.map((skip) => skip.reason)).toEqual(['unsolicited', 'unsolicited']);
  });

  it('NAT Slipstreaming: a 227 mid-line is never rewritten', () => {
    const { command, reply, rewrites } = session();
    command('PASV\r\n');
    // The PASV is answered by a line that merely contains a 227 text...
    const line = '500 Unknown command 227 Entering Passive Mode (10,0,1,121,15,6).\r\n';
    expect(reply(line)).toBe(line);
    command('PASV\r\n');
    // ...or whose 227 starts a new packet but not a new line (what Slipstreaming relied on).
    expect(reply(`550 ${'A'.repeat(1452)}`)).toBe(`550 ${'A'.repeat(1452)}`);
    expect(reply('227 Entering Passive Mode (10,0,1,121,15,6).\r\n')).toBe(
      '227 Entering Passive Mode (10,0,1,121,15,6).\r\n',
    );
    expect(rewrites).toEqual([]);
  });

  it('a 227 line inside a multi-line reply is never rewritten (RFC 959 §4.2)', () => {
    const { command, reply, rewrites, skips } = session();
    command('PASV\r\n');
    const multi =
      '211-Status\r\n227 Entering Passive Mode (10,0,1,121,15,6).\r\n 227 x (10,0,1,121,15,6)\r\n211 End\r\n';
    expect(reply(multi)).toBe(multi);
    command('PASV\r\n');
    // A multi-line 227 answers the PASV, but is not rewritten either.
    const multi227 = '227-Entering Passive Mode\r\n227 (10,0,1,121,15,6)\r\n';
    expect(reply(multi227)).toBe(multi227);
    expect(rewrites).toEqual([]);
    expect(skips.map((skip) => skip.reason)).toEqual(['multi-line']);
  });

  it("lenientClose reads glFTPd's 553- reply closed by a 150 as curl does, so the next PASV is answered", () => {
    const glftpd =
      '553-\r\n553- Directory excluded (precheck).\r\n150 Opening BINARY mode data connection.\r\n226 Transfer complete.\r\n';
    const pasv = '227 Entering Passive Mode (10,0,1,121,15,6).\r\n';
    const lenient = session({ lenientClose: true });
    lenient.command('STOR x\r\nPASV\r\n');
    expect(lenient.reply(glftpd + pasv)).toBe(
      `${glftpd}227 Entering Passive Mode (193,21,1,121,15,6).\r\n`,
    );
    // Read strictly, the 553 reply is still open: every later line is inside it.
    const strict = session();
    strict.command('STOR x\r\nPASV\r\n');
    expect(strict.reply(glftpd + pasv)).toBe(glftpd + pasv);
    expect(strict.rewrites).toEqual([]);
  });

  it('answers commands in order: 1yz replies answer nothing, pipelined PASVs each get their 227', () => {
    const { command, reply } = session();
    command('PASV\r\nLIST\r\nPASV\r\n');
    expect(
      reply(
        '227 Entering Passive Mode (10,0,0,2,4,1).\r\n150 Here comes the directory listing.\r\n226 Directory send OK.\r\n227 Entering Passive Mode (10,0,0,2,4,2).\r\n',
      ),
    ).toBe(
      '227 Entering Passive Mode (193,21,1,121,4,1).\r\n150 Here comes the directory listing.\r\n226 Directory send OK.\r\n227 Entering Passive Mode (193,21,1,121,4,2).\r\n',
    );
  });

  it('the greeting answers the connection, not an early PASV', () => {
    const nat = new NatRewriter({ publicHost: PUBLIC });
    pushText(nat.commands, 'PASV\r\n');
    const line = '227 Entering Passive Mode (10,0,0,2,4,1).\r\n';
    expect(pushText(nat.replies, line)).toBe(line);
    expect(pushText(nat.replies, line)).toBe('227 Entering Passive Mode (193,21,1,121,4,1).\r\n');
  });

  it('reads the PASV verb case-insensitively and ignores other verbs that start alike', () => {
    const { command, reply } = session();
    command('pasv\r\nPASSX\r\n');
    expect(reply('227 (10,0,0,2,4,1)\r\n500 ?\r\n')).toBe('227 (193,21,1,121,4,1)\r\n500 ?\r\n');
    command('PAS\r\n');
    expect(reply('227 (10,0,0,2,4,1)\r\n')).toBe('227 (10,0,0,2,4,1)\r\n');
  });

  it('passes a 229 EPSV reply unchanged', () => {
    const { command, reply } = session();
    command('EPSV\r\n');
    const line = '229 Entering Extended Passive Mode (|||30004|)\r\n';
    expect(reply(line)).toBe(line);
  });

  it('6yz protected replies (RFC 2228) answer no command the session can see', () => {
    const { command, reply } = session();
    command('PASV\r\n');
    expect(reply('631 c2VjcmV0\r\n227 (10,0,0,2,4,1)\r\n')).toBe(
      '631 c2VjcmV0\r\n227 (193,21,1,121,4,1)\r\n',
    );
  });

  it('leaves a 227 alone when its address does not decode, and says why', () => {
    const { command, reply, skips } = session();
    for (const line of [
      '227 Entering Passive Mode (10,0,0,300,4,1)\r\n',
      '227 Entering Passive Mode (10,0,0,2,4,1,7)\r\n',
      '227 Entering Passive Mode\r\n',
      '227 Mode 2,1 (10,0,0,2,4,1)\r\n',
      // Port 0 is no data address (@ftpwire/address refuses it, as nf_conntrack_ftp does).
      '227 Entering Passive Mode (10,0,0,2,0,0)\r\n',
    ]) {
      command('PASV\r\n');
      expect(reply(line)).toBe(line);
    }
    expect(skips.map((skip) => skip.reason)).toEqual([
      'unparsable',
      'unparsable',
      'unparsable',
      'unparsable',
      'unparsable',
    ]);
    expect(skips[0]?.line).toBe('227 Entering Passive Mode (10,0,0,300,4,1)');
  });
});

describe('reply side: which address is advertised', () => {
  it("rewriteHosts 'private' (default) leaves a public advertised host alone", () => {
    const { command, reply, skips } = session();
    command('PASV\r\n');
    expect(reply('227 (198,51,100,7,4,1)\r\n')).toBe('227 (198,51,100,7,4,1)\r\n');
    expect(skips).toMatchObject([{ reason: 'public-host', line: '227 (198,51,100,7,4,1)' }]);
    for (const hidden of [
      '192,168,1,2',
      '172,16,0,1',
      '100,64,0,1',
      '169,254,1,1',
      '127,0,0,2',
      '0,0,0,0',
    ]) {
      command('PASV\r\n');
      expect(reply(`227 (${hidden},4,1)\r\n`)).toBe('227 (193,21,1,121,4,1)\r\n');
    }
  });

  it("rewriteHosts 'all' replaces every advertised host", () => {
    const { command, reply } = session({ rewriteHosts: 'all' });
    command('PASV\r\n');
    expect(reply('227 (198,51,100,7,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
  });

  it('a host map (record, Map or function) wins over publicHost, whatever rewriteHosts says', () => {
    for (const hostMap of [
      { '10.0.0.2': '203.0.113.2', '198.51.100.7': '203.0.113.7' },
      new Map([
        ['10.0.0.2', '203.0.113.2'],
        ['198.51.100.7', '203.0.113.7'],
      ]),
      (host: string) =>
        ({ '10.0.0.2': '203.0.113.2', '198.51.100.7': '203.0.113.7' })[host] as string | undefined,
    ]) {
      const { command, reply } = session({ hostMap });
      command('PASV\r\n');
      expect(reply('227 (10,0,0,2,4,1)\r\n')).toBe('227 (203,0,113,2,4,1)\r\n');
      command('PASV\r\n');
      expect(reply('227 (198,51,100,7,4,1)\r\n')).toBe('227 (203,0,113,7,4,1)\r\n');
      command('PASV\r\n');
      expect(reply('227 (10,0,0,3,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
    }
  });

  it('without publicHost only host map entries are rewritten', () => {
    const { command, reply, skips } = session({ publicHost: undefined as unknown as string });
    command('PASV\r\n');
    expect(reply('227 (10,0,0,2,4,1)\r\n')).toBe('227 (10,0,0,2,4,1)\r\n');
    expect(skips).toMatchObject([{ reason: 'unmapped' }]);
  });

  it('translates the port with a port range, and with a function', () => {
    const range = session({ portMap: { privateStart: 30000, publicStart: 60000, count: 100 } });
    range.command('PASV\r\n');
    // 117*256+51 = 30003 -> 60003 = 234*256+99
    expect(range.reply('227 Entering Passive Mode (10,0,0,2,117,51).\r\n')).toBe(
      '227 Entering Passive Mode (193,21,1,121,234,99).\r\n',
    );
    range.command('PASV\r\n');
    expect(range.reply('227 (10,0,0,2,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
    const fn = session({ portMap: (port) => port + 1 });
    fn.command('PASV\r\n');
    expect(fn.reply('227 (10,0,0,2,4,1)\r\n')).toBe('227 (193,21,1,121,4,2)\r\n');
    expect(fn.rewrites[0]?.rewritten).toEqual({ host: PUBLIC, port: 1026 });
  });

  it('changes only the host bytes when the port stays, keeping the port bytes as sent', () => {
    const { command, reply } = session();
    command('PASV\r\n');
    expect(reply('227 (10,0,0,2,004,01)\r\n')).toBe('227 (193,21,1,121,004,01)\r\n');
  });

  it('does not rewrite when the mapped address is the advertised one', () => {
    const { command, reply, rewrites } = session({ rewriteHosts: 'all' });
    command('PASV\r\n');
    expect(reply('227 (193,21,1,121,4,1)\r\n')).toBe('227 (193,21,1,121,4,1)\r\n');
    expect(rewrites).toEqual([]);
  });

  it('a map that gives what a 227 cannot carry is an error (ERR_INVALID_MAPPING)', () => {
    const { command, reply } = session({ hostMap: () => '2001:db8::1' });
    command('PASV\r\n');
    expect(() => reply('227 (10,0,0,2,4,1)\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_MAPPING', offset: 20 }),
    );
    const ports = session({ portMap: () => 70000 });
    ports.command('PASV\r\n');
    expect(() => ports.reply('227 (10,0,0,2,4,1)\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_MAPPING' }),
    );
  });
});

describe('reply side: what is held and what passes at once', () => {
  it('passes a chunk without a line to rewrite as the chunk itself', () => {
    const { nat } = session();
    const chunk = bytes('331 Please specify the password.\r\n230 Login successful.\r\n150 Here');
    const pieces = run(nat.replies, [chunk]);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toBe(chunk);
  });

  it('forwards partial lines at once unless they may be the awaited 227', () => {
    const { nat, command } = session();
    command('PASV\r\n');
    expect(run(nat.replies, ['1'])).toHaveLength(1); // "1" cannot start a 227
    expect(text(concat(run(nat.replies, ['50 x\r\n2'])))).toBe('50 x\r\n'); // "2" may
    expect(text(concat(run(nat.replies, ['27 Entering Passive Mode (10,0,0,2'])))).toBe('');
    expect(text(concat(run(nat.replies, [',4,1).\r\n226 ok'])))).toBe(
      '227 Entering Passive Mode (193,21,1,121,4,1).\r\n226 ok',
    );
  });

  it('releases a held line start as soon as it cannot be the 227', () => {
    const { nat, command } = session();
    command('PASV\r\n');
    expect(text(concat(run(nat.replies, ['22'])))).toBe('');
    // The byte that settles it goes out with the held ones.
    expect(run(nat.replies, ['6 Transfer complete.\r\n']).map(text)).toEqual([
      '226',
      ' Transfer complete.\r\n',
    ]);
  });

  it('emits views of the input around a rewritten address, and a new array only for it', () => {
    const { nat, command } = session();
    command('NOOP\r\nPASV\r\nNOOP\r\n');
    const chunk = bytes('200 NOOP ok.\r\n227 (10,0,0,2,4,1)\r\n200 NOOP ok.\r\n');
    const pieces = run(nat.replies, [chunk]);
    expect(pieces.map(text)).toEqual([
      '200 NOOP ok.\r\n227 (',
      '193,21,1,121',
      ',4,1)\r\n200 NOOP ok.\r\n',
    ]);
    expect(isViewOf(pieces[0]!, chunk)).toBe(true);
    expect(isViewOf(pieces[1]!, chunk)).toBe(false);
    expect(isViewOf(pieces[2]!, chunk)).toBe(true);
  });

  it('copies out of its own buffer what it held across chunks', () => {
    const { nat, command } = session();
    command('PASV\r\n');
    const first = bytes('227 (10,0');
    const second = bytes(',0,2,4,1)\r\n');
    expect(run(nat.replies, [first])).toEqual([]);
    const pieces = run(nat.replies, [second]);
    expect(text(concat(pieces))).toBe('227 (193,21,1,121,4,1)\r\n');
    for (const piece of pieces) expect(isViewOf(piece, second)).toBe(false);
  });

  it('holds a 227 line at most maxLineLength bytes (ERR_LINE_TOO_LONG), other lines never', () => {
    const { nat, command } = session({ maxLineLength: 64 });
    // A long line that cannot be rewritten passes, however long.
    expect(pushText(nat.replies, `211 ${'x'.repeat(100_000)}\r\n`)).toHaveLength(100_006);
    command('PASV\r\n');
    expect(() => pushText(nat.replies, `227 ${'x'.repeat(100)}`)).toThrowError(
      expect.objectContaining({
        name: 'NatError',
        code: 'ERR_LINE_TOO_LONG',
        offset: 20 + 100_006 + 64,
      }),
    );
    // The rewriter stays failed.
    expect(() => pushText(nat.replies, '200 ok\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG' }),
    );
  });

  it('end() passes a held line that never ended unchanged', () => {
    const { nat, command } = session();
    command('PASV\r\n');
    expect(pushText(nat.replies, '227 (10,0,0,2,4,1)')).toBe('');
    const pieces: Uint8Array[] = [];
    nat.replies.end((piece) => pieces.push(piece));
    expect(text(concat(pieces))).toBe('227 (10,0,0,2,4,1)');
  });
});
