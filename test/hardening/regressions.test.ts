/**
 * Regression transcripts, one per historical bug of FTP clients, servers and NAT helpers that
 * is not already replayed elsewhere (see README.md for the index of those that are). Each test
 * is named after its bug and fails on an implementation that has it.
 */
import { choosePassiveHost, parsePasvReply } from '@ftpwire/address';
import { CommandError, formatCommand } from '@ftpwire/command';
import { NatRewriter, type RewriteEvent, type SkipEvent } from '@ftpwire/nat';
import { type Reply, ReplyParser } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { transcriptOf } from '../fixtures/replies.js';
import { countCharacterReads, KIB, MIB } from './work.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function repliesOf(bytes: Uint8Array, maxLineLength?: number): Reply[] {
  const parser = new ReplyParser(maxLineLength === undefined ? {} : { maxLineLength });
  return [...parser.push(bytes), ...parser.end()];
}

/** A client's choice of data host for each 227 of a transcript, under the default policy. */
function passiveHosts(bytes: Uint8Array, controlPeer: string): string[] {
  return repliesOf(bytes)
    .filter((reply) => reply.code === 227)
    .map((reply) => choosePassiveHost({ reply: parsePasvReply(reply), controlPeer }).host);
}

describe('regressions: trusting the PASV address', () => {
  it('curl CVE-2020-8284: a vsftpd transcript whose 227 names 127.0.0.2 is dialled at the control peer', () => {
    // Recorded on loopback from vsftpd 3.0.3 with pasv_address=127.0.0.2.
    const { bytes } = transcriptOf('vsftpd');
    const hosts = passiveHosts(bytes, '127.0.0.1');
    expect(hosts.length).toBeGreaterThan(0);
    expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
  });

  it('CPython CVE-2021-4189: a 227 naming a public third-party host is ignored by default', () => {
    const session = encoder.encode(
      '220 ready\r\n230 ok\r\n227 Entering Passive Mode (198,51,100,7,4,1).\r\n',
    );
    expect(passiveHosts(session, '203.0.113.10')).toEqual(['203.0.113.10']);
  });
});

describe('regressions: quadratic and unbounded reads', () => {
  // basic-ftp's parsePasvResponse matched /([-\d]+,[-\d]+,[-\d]+,[-\d]+),([-\d]+),([-\d]+)/
  // from every digit of a long run (fixed upstream by only starting at a number's start):
  // O(n²) on a 227 of digits and commas. Ours is counted in characters read.
  for (const [name, body] of [
    ['"1," repeated', (n: number) => '1,'.repeat(n / 2)],
    ['digits without a comma', (n: number) => '1'.repeat(n)],
    ['five-number groups', (n: number) => '1,1,1,1,1 '.repeat(n / 10)],
  ] as const) {
    it(`basic-ftp quadratic PASV regex: a 227 of ${name}, read off the wire, costs linear work (1 MiB vs 256 KiB)`, () => {
      const read = (size: number) => {
        const wire = encoder.encode(`227 Entering Passive Mode (${body(size)}\r\n`);
        // The line limit is lifted to let the hostile line reach the address parser.
        const [reply] = repliesOf(wire, 2 * MIB);
        return countCharacterReads(() => {
          try {
            parsePasvReply(reply!);
          } catch {
            // Refusing it is fine; only the cost matters.
          }
        });
      };
      const small = read(256 * KIB);
      const large = read(MIB);
      expect(large).toBeLessThanOrEqual(4.5 * small + 256);
      expect(large).toBeLessThanOrEqual(6 * MIB);
    });
  }
});

describe('regressions: CRLF injection into commands', () => {
  it('curl CVE-2018-1000120: a CR LF decoded from a URL path (%0D%0A) never reaches the control connection', () => {
    // curl sent the decoded path of ftp://host/dir%0D%0ADELE%20x to CWD as is.
    const path = decodeURIComponent('dir%0D%0ADELE%20x');
    expect(() => formatCommand('CWD', path)).toThrowError(
      expect.objectContaining({ name: 'CommandError', code: 'ERR_INVALID_ARGUMENT', offset: 3 }),
    );
    for (const injected of ['%0A', '%0D', '%00']) {
      const argument = decodeURIComponent(`file${injected}STOR x`);
      expect(() => formatCommand('RETR', argument)).toThrow(CommandError);
    }
  });
});

describe('regressions: NAT Slipstreaming', () => {
  /**
   * Samy Kamkar's NAT Slipstreaming (2020): a browser is made to send a long line (an HTTP
   * POST body) whose bytes a TCP segment boundary cuts so that `PORT ...` or `227 ...` begins
   * a packet. A helper that reads packets instead of lines opens a port to the victim.
   */
  function session() {
    const rewrites: RewriteEvent[] = [];
    const skips: SkipEvent[] = [];
    const nat = new NatRewriter({
      publicHost: '193.21.1.121',
      clientAddress: '10.0.0.5',
      clientPublicHost: '198.51.100.20',
      bounce: 'refuse',
      onRewrite: (event) => rewrites.push(event),
      onSkip: (event) => skips.push(event),
    });
    const send = (side: 'commands' | 'replies', chunks: readonly string[]): string => {
      const out: string[] = [];
      for (const chunk of chunks)
        nat[side].push(encoder.encode(chunk), (piece) => out.push(decoder.decode(piece)));
      return out.join('');
    };
    send('replies', ['220 ready\r\n']);
    return { send, rewrites, skips };
  }

  it('NAT Slipstreaming: a PORT that a packet boundary puts at a packet start mid-line is neither rewritten nor refused', () => {
    const { send, rewrites, skips } = session();
    const padding = `POST /x HTTP/1.1 ${'A'.repeat(1400)}`;
    for (const target of ['10,0,0,5,0,80', '10,0,0,9,0,25']) {
      const packets = [padding, `PORT ${target}\r\n`];
      expect(send('commands', packets)).toBe(packets.join(''));
    }
    expect(send('commands', [`x EPRT |1|10.0.0.5|80|\r\n`])).toBe('x EPRT |1|10.0.0.5|80|\r\n');
    expect(rewrites).toEqual([]);
    expect(skips).toEqual([]);
  });

  it('NAT Slipstreaming: a 227 that a packet boundary puts at a packet start mid-line is not rewritten, even after a PASV', () => {
    const { send, rewrites } = session();
    send('commands', ['PASV\r\n']);
    const packets = [
      `200 ${'A'.repeat(1400)}`,
      '227 Entering Passive Mode (10,0,1,121,0,80)\r\n',
      '227 Entering Passive Mode (10,0,1,121,15,6)\r\n',
    ];
    const out = send('replies', packets);
    // The 200 line is what answers the PASV; the 227 mid-line and the unsolicited one pass.
    expect(out).toBe(packets.join(''));
    expect(rewrites).toEqual([]);
  });
});
