// Issue 12, defect 2 (high): the bounce check bypassed by spelling. The old proxy recognised
// PORT and EPRT only as the exact bytes before the first space, while ftp-srv drops `"` and trims
// the verb: `\tPORT`, `PO"RT`, `"PORT"` and `EP"RT` reached it, and it delivered a file to a
// listener of the attacker's choice. Now every line is parsed once and only its re-formatting is
// forwarded, so each spelling is either read as the server reads it (and judged) or refused.
// Checked on what the servers actually received and did, not on the replies alone.
import { formatCommand, parseCommand } from '@ftpwire/command';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_HOST } from '../harness/proxy.js';
import { RawFtp } from '../harness/raw-client.js';
import {
  type Battery,
  type Listener,
  quiet,
  startBattery,
  startListener,
  UPSTREAMS,
} from './upstreams.js';

const ATTACKER = '127.0.0.5';
const IAC_NOP = '\xff\xf1';

/** `PORT`-style and `EPRT`-style arguments naming `host:port`. */
const portArgument = (host: string, port: number) =>
  `${host.replaceAll('.', ',')},${port >> 8},${port & 255}`;
const eprtArgument = (host: string, port: number) => `|1|${host}|${port}|`;

/** Every spelling a server might read as PORT or EPRT, naming the attacker's listener. */
function bounceSpellings(port: number): string[] {
  const p = portArgument(ATTACKER, port);
  const e = eprtArgument(ATTACKER, port);
  return [
    `PORT ${p}`,
    `port ${p}`,
    `PoRt ${p}`,
    `\tPORT ${p}`,
    ` PORT ${p}`,
    `PO"RT ${p}`,
    `"PORT" ${p}`,
    `PORT\t${p}`,
    `PO${IAC_NOP}RT ${p}`,
    `PORT\0 ${p}`,
    `EPRT ${e}`,
    `eprt ${e}`,
    `EP"RT ${e}`,
    `\tEPRT ${e}`,
    `"EPRT" ${e}`,
  ];
}

/** A server only ever sees canonical lines: the re-formatting of what the proxy parsed. */
function expectCanonical(commands: readonly string[]): void {
  for (const line of commands) {
    if (line.startsWith('PASS ')) continue;
    const command = parseCommand(Buffer.from(line, 'latin1'));
    const argument = String.fromCharCode(...command.rawArgument);
    expect(formatCommand(command.verb, argument, { strictVerb: false })).toBe(`${line}\r\n`);
  }
}

async function session(battery: Battery): Promise<RawFtp> {
  const client = await RawFtp.connect(PROXY_HOST, battery.proxy.port);
  await client.reply();
  await client.login();
  return client;
}

/** Sends `line` as bytes (latin1: a Telnet IAC is one byte) and returns the reply's code. */
async function sendRaw(client: RawFtp, line: string): Promise<number> {
  client.socket.write(Buffer.from(`${line}\r\n`, 'latin1'));
  return (await client.reply()).code;
}

for (const upstream of UPSTREAMS) {
  describe.skipIf(upstream.skip)(`verb spellings through the proxy to ${upstream.name}`, () => {
    let battery: Battery;
    let listener: Listener;
    let privileged: Listener;

    beforeAll(async () => {
      battery = await startBattery(upstream, 'spellings');
      listener = await startListener(ATTACKER);
      // A privileged port, as the review's bounce reached (BGP's 179 on the attacker's host).
      privileged = await startListener(ATTACKER, 179);
    }, 60_000);

    afterAll(async () => {
      await listener?.close();
      await privileged?.close();
      expect(await battery?.stop()).toBe(0);
    });

    it('no spelling of PORT or EPRT makes the server connect to a third host, privileged or not', async () => {
      for (const target of [listener, privileged]) {
        for (const spelling of bounceSpellings(target.port)) {
          const client = await session(battery);
          const code = await sendRaw(client, spelling);
          expect(code, spelling).toBeGreaterThanOrEqual(500);
          // Whatever the server now holds as its data address, a transfer must not reach it.
          client.send(`RETR ${battery.file.name}`);
          expect((await client.reply()).code, spelling).toBeGreaterThanOrEqual(400);
          client.close();
        }
      }
      await quiet(300);
      expect(listener.connections).toBe(0);
      expect(privileged.connections).toBe(0);
      const seen = battery.server.commands();
      expect(seen.filter((line) => line.includes('127,0,0,5') || line.includes(ATTACKER))).toEqual(
        [],
      );
      expectCanonical(seen);
    }, 60_000);

    it('no spelling of PASV or EPSV gets the client the server’s own address', async () => {
      for (const spelling of [
        'pasv',
        '\tPASV',
        ' PASV',
        'PA"SV',
        '"PASV"',
        'epsv',
        '"EPSV"',
        `EP${IAC_NOP}SV`,
      ]) {
        const client = await session(battery);
        client.socket.write(Buffer.from(`${spelling}\r\n`, 'latin1'));
        const reply = await client.reply();
        const line = reply.lines[0]!;
        expect(line, spelling).not.toContain('127,0,0,2');
        if (reply.code === 227) expect(line).toContain('(127,0,0,3,');
        else if (reply.code === 229)
          expect(line).toMatch(/^229 Entering Extended Passive Mode \(\|\|\|\d+\|\)$/);
        else expect(reply.code, spelling).toBe(500);
        client.close();
      }
      expectCanonical(battery.server.commands());
    }, 60_000);

    it('CCC and REIN never reach the server, however spelled; AUTH and PROT reach it only canonical', async () => {
      for (const spelling of [
        'CCC',
        'ccc',
        '\tCCC',
        'C"CC',
        'REIN',
        'rein',
        ' REIN',
        'RE"IN',
        '"REIN"',
      ]) {
        const client = await session(battery);
        expect(await sendRaw(client, spelling), spelling).toBeGreaterThanOrEqual(500);
        client.close();
      }
      for (const spelling of ['\tPROT P', '"PROT" P', 'prot c', 'PRO"T P']) {
        const client = await session(battery);
        await sendRaw(client, spelling);
        client.close();
      }
      for (const spelling of ['"AUTH" TLS', '\tAUTH TLS', 'AU"TH TLS', 'auth tls']) {
        // Before logging in: servers take AUTH only then.
        const client = await RawFtp.connect(PROXY_HOST, battery.proxy.port);
        await client.reply();
        const code = await sendRaw(client, spelling);
        // Only the spelling the proxy reads as AUTH gets the handshake; the rest are refused.
        expect(code, spelling).toBe(spelling === 'auth tls' ? 234 : 500);
        client.close();
      }
      const seen = battery.server.commands();
      expect(seen.filter((line) => /CCC|REIN/i.test(line))).toEqual([]);
      expect(seen.filter((line) => /^PROT/i.test(line))).toEqual(['PROT c']);
      expect(seen.filter((line) => /AUTH/i.test(line))).toEqual(['AUTH tls']);
      expectCanonical(seen);
    }, 60_000);
  });
}
