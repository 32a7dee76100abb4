import { NatRewriter, type RewriteEvent } from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';
import {
  allTranscripts,
  readTranscript,
  type Transcript,
} from '../fixtures/transcripts/transcripts.js';
import { bytes, concat, run, text } from './helpers.js';

const PUBLIC = '193.21.1.121';
const CLIENT_PUBLIC = '198.51.100.20';
const transcripts = allTranscripts();

/**
 * What a correct NAT sends on, computed independently of the implementation from the
 * transcript's request-response order: a server line is rewritten only when it is a
 * single-line 227 and the client's last command was PASV; PORT and EPRT naming the client
 * get its public host.
 */
function expected(transcript: Transcript, active: boolean): { client: string; server: string } {
  let client = '';
  let server = '';
  let lastCommand = '';
  let openCode = '';
  for (const { from, text: line } of transcript.lines) {
    if (from === 'client') {
      lastCommand = line.toUpperCase();
      let out = line;
      if (active && /^PORT 127,0,0,1,/.test(line)) out = line.replace('127,0,0,1', '198,51,100,20');
      if (active && /^EPRT \|1\|127\.0\.0\.1\|/.test(line))
        out = line.replace('127.0.0.1', CLIENT_PUBLIC);
      client += `${out}\r\n`;
      continue;
    }
    let out = line;
    const startsReply = openCode === '';
    if (startsReply && /^\d{3}-/.test(line)) openCode = line.slice(0, 3);
    else if (!startsReply && line.startsWith(`${openCode} `)) openCode = '';
    if (startsReply && lastCommand === 'PASV' && line.startsWith('227 ')) {
      out = line.replace(/\d+,\d+,\d+,\d+,(\d+,\d+)/, '193,21,1,121,$1');
    }
    server += `${out}\r\n`;
  }
  return { client, server };
}

/** Replays the transcript in wire order, each run of lines from one side as `split` says. */
function replay(
  transcript: Transcript,
  nat: NatRewriter,
  split: (run: string) => string[],
): { client: string; server: string } {
  const client: Uint8Array[] = [];
  const server: Uint8Array[] = [];
  const lines = transcript.lines;
  for (let i = 0; i < lines.length; ) {
    const from = lines[i]!.from;
    let chunk = '';
    while (i < lines.length && lines[i]!.from === from) chunk += `${lines[i++]!.text}\r\n`;
    const pieces = split(chunk).map(bytes);
    if (from === 'client') client.push(...run(nat.commands, pieces));
    else server.push(...run(nat.replies, pieces));
  }
  return { client: text(concat(client)), server: text(concat(server)) };
}

describe('transcripts from real servers replayed through NatSession', () => {
  it('has the five servers the issue names', () => {
    expect(transcripts.map((t) => t.name)).toEqual(
      expect.arrayContaining(['ftp-srv', 'iis', 'proftpd', 'pure-ftpd', 'vsftpd']),
    );
    for (const transcript of transcripts) expect(transcript.source).not.toBe('');
  });

  for (const transcript of transcripts) {
    it(`${transcript.name}: the 227 answering each PASV is rewritten, every other byte is unchanged`, () => {
      const rewrites: RewriteEvent[] = [];
      const nat = new NatRewriter({ publicHost: PUBLIC, onRewrite: (e) => rewrites.push(e) });
      const out = replay(transcript, nat, (chunk) => [chunk]);
      const want = expected(transcript, false);
      expect(out.server).toBe(want.server);
      expect(out.client).toBe(want.client);
      const pasvCount = transcript.lines.filter(
        (l) => l.from === 'client' && l.text === 'PASV',
      ).length;
      expect(rewrites).toHaveLength(pasvCount);
      for (const event of rewrites) expect(event.rewritten?.host).toBe(PUBLIC);
    });

    it(`${transcript.name}: the same output whatever the packet boundaries`, () => {
      const whole = replay(transcript, new NatRewriter({ publicHost: PUBLIC }), (c) => [c]);
      for (const size of [1, 2, 3, 5, 7, 13, 64]) {
        const pieces = (chunk: string) => chunk.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
        expect(replay(transcript, new NatRewriter({ publicHost: PUBLIC }), pieces)).toEqual(whole);
      }
    });

    it(`${transcript.name}: PORT and EPRT naming the client get its public host`, () => {
      const nat = new NatRewriter({
        publicHost: PUBLIC,
        clientAddress: '127.0.0.1',
        clientPublicHost: CLIENT_PUBLIC,
      });
      expect(replay(transcript, nat, (chunk) => [chunk])).toEqual(expected(transcript, true));
    });

    it(`${transcript.name}: with no PASV seen, the replies pass byte for byte`, () => {
      // Only replies are fed: no command, so no 227 answers a PASV the session saw.
      const nat = new NatRewriter({ publicHost: PUBLIC, rewriteHosts: 'all' });
      const replies = transcript.lines
        .filter((l) => l.from === 'server')
        .map((l) => `${l.text}\r\n`)
        .join('');
      const input = bytes(replies);
      const pieces = run(nat.replies, [input]);
      expect(pieces).toEqual([input]);
    });
  }

  it('vsftpd AUTH TLS: after the 234 the session passes the TLS bytes unread', () => {
    const transcript = readTranscript('vsftpd-auth-tls');
    const states: string[] = [];
    const nat = new NatRewriter({
      publicHost: PUBLIC,
      onStateChange: (event) => states.push(event.state),
    });
    const out = replay(transcript, nat, (chunk) => [chunk]);
    expect(out.server).toBe('220 (vsFTPd 3.0.3)\r\n234 Proceed with negotiation.\r\n');
    expect(nat.state).toBe('secure');
    expect(states).toEqual(['secure']);
    // A TLS ClientHello (record type 22, TLS 1.0 record version), then the server's answer.
    const hello = Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00);
    expect(run(nat.commands, [hello])).toEqual([hello]);
    const fake = bytes('227 Entering Passive Mode (127,0,0,2,117,51).\r\n');
    expect(run(nat.replies, [fake])).toEqual([fake]);
  });
});
