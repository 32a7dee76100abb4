import { type NatOptions, NatRewriter, type RewriteEvent, type SkipEvent } from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';
import { bytes, concat, isViewOf, pushText, run, text } from './helpers.js';

function session(options: NatOptions = {}) {
  const rewrites: RewriteEvent[] = [];
  const skips: SkipEvent[] = [];
  const nat = new NatRewriter({
    clientAddress: '192.168.1.20',
    clientPublicHost: '198.51.100.20',
    onRewrite: (event) => rewrites.push(event),
    onSkip: (event) => skips.push(event),
    ...options,
  });
  pushText(nat.replies, '220 ready\r\n');
  const command = (line: string) => pushText(nat.commands, line);
  const reply = (line: string) => pushText(nat.replies, line);
  return { nat, rewrites, skips, command, reply };
}

describe('command side: PORT and EPRT', () => {
  it("rewrites a PORT naming the client's own address, keeping verb case and terminator", () => {
    const { command, rewrites } = session();
    expect(command('PORT 192,168,1,20,195,80\r\n')).toBe('PORT 198,51,100,20,195,80\r\n');
    expect(command('port 192,168,1,20,195,81\n')).toBe('port 198,51,100,20,195,81\n');
    expect(rewrites[0]).toEqual({
      direction: 'command',
      before: 'PORT 192,168,1,20,195,80',
      after: 'PORT 198,51,100,20,195,80',
      offset: 0,
      original: { host: '192.168.1.20', port: 50000 },
      rewritten: { host: '198.51.100.20', port: 50000 },
    });
  });

  it('rewrites EPRT for IPv4 and IPv6, keeping the delimiter the client chose', () => {
    const v4 = session();
    expect(v4.command('EPRT |1|192.168.1.20|50000|\r\n')).toBe('EPRT |1|198.51.100.20|50000|\r\n');
    expect(v4.command('EPRT !1!192.168.1.20!50000!\r\n')).toBe('EPRT !1!198.51.100.20!50000!\r\n');
    const v6 = session({ clientAddress: 'fd00::20', clientPublicHost: '2001:db8::20' });
    expect(v6.command('EPRT |2|FD00:0::20|50000|\r\n')).toBe('EPRT |2|2001:db8::20|50000|\r\n');
    // A delimiter that cannot stand in the new address falls back to "|" (RFC 2428 §2).
    const mixed = session({ clientPublicHost: '2001:db8::20' });
    expect(mixed.command('EPRT :1:192.168.1.20:50000:\r\n')).toBe(
      'EPRT |2|2001:db8::20|50000|\r\n',
    );
  });

  it('cannot put an IPv6 public host into PORT: passes it and reports family-mismatch', () => {
    const { command, skips } = session({ clientPublicHost: '2001:db8::20' });
    expect(command('PORT 192,168,1,20,195,80\r\n')).toBe('PORT 192,168,1,20,195,80\r\n');
    expect(skips).toMatchObject([{ reason: 'family-mismatch' }]);
  });

  it('FTP bounce (RFC 2577): a PORT naming another host passes unchanged and is reported', () => {
    const { command, skips, rewrites } = session();
    expect(command('PORT 10,9,9,9,195,80\r\n')).toBe('PORT 10,9,9,9,195,80\r\n');
    expect(command('EPRT |1|203.0.113.9|50000|\r\n')).toBe('EPRT |1|203.0.113.9|50000|\r\n');
    expect(rewrites).toEqual([]);
    expect(skips.map((skip) => skip.reason)).toEqual(['foreign-host', 'foreign-host']);
  });

  it("FTP bounce (RFC 2577): bounce 'refuse' refuses a PORT naming another host", () => {
    const { command } = session({ bounce: 'refuse' });
    command('NOOP\r\n');
    expect(() => command('PORT 10,9,9,9,195,80\r\n')).toThrowError(
      expect.objectContaining({ name: 'NatError', code: 'ERR_BOUNCE_REFUSED', offset: 6 }),
    );
  });

  it('FTP bounce to a service (RFC 2577 §3): PORT and EPRT below port 1024 are refused', () => {
    for (const line of [
      'PORT 192,168,1,20,0,25\r\n',
      'EPRT |1|192.168.1.20|21|\r\n',
      'PORT 10,9,9,9,3,255\r\n',
    ]) {
      const { command } = session();
      expect(() => command(line), line).toThrowError(
        expect.objectContaining({ code: 'ERR_PORT_REFUSED', offset: 0 }),
      );
    }
    // Refused even when the session rewrites nothing.
    const plain = new NatRewriter();
    expect(() => pushText(plain.commands, 'PORT 127,0,0,1,0,80\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_PORT_REFUSED' }),
    );
    // 1024 is the first port allowed.
    expect(session().command('PORT 10,9,9,9,4,0\r\n')).toBe('PORT 10,9,9,9,4,0\r\n');
  });

  it('passes a PORT or EPRT that does not decode, and reports it', () => {
    const { command, skips } = session();
    for (const line of [
      'PORT 192,168,1,20,300,1\r\n',
      'PORT\r\n',
      'EPRT |3|x|1|\r\n',
      'PORT  1,2\r\n',
    ]) {
      expect(command(line)).toBe(line);
    }
    expect(skips.map((skip) => skip.reason)).toEqual(['unparsable', 'unparsable', 'unparsable']);
  });

  it('translates the port of a rewritten PORT with clientPortMap', () => {
    const { command } = session({
      clientPortMap: { privateStart: 50000, publicStart: 40000, count: 10 },
    });
    expect(command('PORT 192,168,1,20,195,80\r\n')).toBe('PORT 198,51,100,20,156,64\r\n');
    const bad = session({ clientPortMap: () => 0 });
    expect(() => bad.command('PORT 192,168,1,20,195,80\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_MAPPING' }),
    );
  });

  it('without clientPublicHost, PORT naming the client passes silently', () => {
    const { command, skips } = session({ clientPublicHost: undefined as unknown as string });
    expect(command('PORT 192,168,1,20,195,80\r\n')).toBe('PORT 192,168,1,20,195,80\r\n');
    expect(skips).toEqual([]);
  });

  it('holds only PORT and EPRT lines: other commands pass as views at once', () => {
    const { nat } = session();
    const chunk = bytes('USER anonymous\r\nPASS secret\r\nRETR a very long file name');
    expect(run(nat.commands, [chunk])).toEqual([chunk]);
    expect(text(concat(run(nat.commands, [`${'x'.repeat(20_000)}\r\nPO`])))).toBe(
      `${'x'.repeat(20_000)}\r\n`,
    );
    expect(text(concat(run(nat.commands, ['RT 192,168,1,20,195,80'])))).toBe('');
    const last = bytes('\r\nNOOP\r\n');
    const pieces = run(nat.commands, [last]);
    expect(text(concat(pieces))).toBe('PORT 198,51,100,20,195,80\r\nNOOP\r\n');
    // The held line came out of the session's buffer; what follows it is a view of the input.
    expect(isViewOf(pieces.at(-1)!, last)).toBe(true);
    expect(text(pieces.at(-1)!)).toBe('NOOP\r\n');
  });

  it('releases a held start as soon as it cannot be PORT or EPRT', () => {
    const { nat } = session();
    expect(text(concat(run(nat.commands, ['P'])))).toBe('');
    expect(text(concat(run(nat.commands, ['W'])))).toBe('PW');
    expect(text(concat(run(nat.commands, ['D\r\nEP'])))).toBe('D\r\n');
    expect(text(concat(run(nat.commands, ['SV\r\n'])))).toBe('EPSV\r\n');
  });

  it('holds a PORT line at most maxLineLength bytes', () => {
    const { command } = session({ maxLineLength: 40 });
    expect(() => command(`PORT ${'1,'.repeat(40)}`)).toThrowError(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', offset: 40 }),
    );
  });
});

describe('command side: what replies answer', () => {
  it('bounds the commands awaiting a reply (ERR_TOO_MANY_PENDING_COMMANDS)', () => {
    const { command } = session({ maxPendingCommands: 3 });
    command('NOOP\r\nNOOP\r\nNOOP\r\n');
    expect(() => command('NOOP\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_TOO_MANY_PENDING_COMMANDS', offset: 18 }),
    );
    // Answered commands free their place.
    const other = session({ maxPendingCommands: 3 });
    other.command('NOOP\r\nNOOP\r\n');
    other.reply('200 ok\r\n200 ok\r\n');
    expect(other.command('NOOP\r\nNOOP\r\nNOOP\r\n')).toBe('NOOP\r\nNOOP\r\nNOOP\r\n');
  });

  it('grows the queue of pending commands in order past its first capacity', () => {
    const nat = new NatRewriter({ publicHost: '193.21.1.121' });
    pushText(nat.replies, '220 ready\r\n');
    pushText(nat.commands, `${'NOOP\r\n'.repeat(40)}PASV\r\n`);
    expect(pushText(nat.replies, `${'200 ok\r\n'.repeat(40)}227 (10,0,0,2,4,1)\r\n`)).toBe(
      `${'200 ok\r\n'.repeat(40)}227 (193,21,1,121,4,1)\r\n`,
    );
  });
});

describe('pasvViaEpsv', () => {
  function epsvSession() {
    return session({ publicHost: '193.21.1.121', pasvViaEpsv: true });
  }

  it("sends a client's PASV as EPSV and answers with a 227 built from publicHost and the EPSV port", () => {
    const { command, reply, rewrites } = epsvSession();
    expect(command('PASV\r\n')).toBe('EPSV\r\n');
    expect(command('pasv\n')).toBe('EPSV\n');
    expect(reply('229 Entering Extended Passive Mode (|||30004|)\r\n')).toBe(
      '227 Entering Passive Mode (193,21,1,121,117,52).\r\n',
    );
    expect(reply('229 EPSV OK (|||2121|)\r\n')).toBe(
      '227 Entering Passive Mode (193,21,1,121,8,73).\r\n',
    );
    expect(rewrites.map((event) => event.after)).toEqual([
      'EPSV',
      'EPSV',
      '227 Entering Passive Mode (193,21,1,121,117,52).',
      '227 Entering Passive Mode (193,21,1,121,8,73).',
    ]);
    expect(rewrites[2]?.original).toEqual({ host: '', port: 30004 });
  });

  it("passes the server's refusal, and a 229 that does not decode, as they came", () => {
    const { command, reply, skips } = epsvSession();
    command('PASV\r\n');
    expect(reply('500 Unknown command.\r\n')).toBe('500 Unknown command.\r\n');
    command('PASV\r\n');
    expect(reply('229 Entering Extended Passive Mode (|||99999|)\r\n')).toBe(
      '229 Entering Extended Passive Mode (|||99999|)\r\n',
    );
    expect(skips).toMatchObject([{ reason: 'unparsable' }]);
  });

  it('passes a 229 that answers an EPSV the client sent itself', () => {
    const { command, reply } = epsvSession();
    command('EPSV\r\n');
    expect(reply('229 Entering Extended Passive Mode (|||30004|)\r\n')).toBe(
      '229 Entering Extended Passive Mode (|||30004|)\r\n',
    );
  });
});
