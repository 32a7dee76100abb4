// Issue 12: what one client can make the proxy hold, and for how long. Each test is a regression
// test of a defect the adversarial review found; each fails against the build before the fix
// (run it with FTPWIRE_PROXY_CLI=<that build's dist/cli.js>).
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, TRUST_PASV } from '../harness/curl.js';
import { PROXY_HOST } from '../harness/proxy.js';
import { openData, RawFtp, readAll } from '../harness/raw-client.js';
import { MiB } from '../harness/temp.js';
import { waitFor } from '../harness/wait.js';
import { type Battery, quiet, startBattery, UPSTREAMS } from './upstreams.js';

/** Resident memory of a process now, in bytes. */
function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** A connection that reads nothing and writes `total` bytes of `line` as fast as it is let. */
function flood(
  port: number,
  line: string,
  total: number,
): { socket: Socket; written: () => number } {
  const socket = connect({ host: PROXY_HOST, port });
  socket.on('error', () => {});
  socket.pause();
  const chunk = Buffer.from(line.repeat(Math.ceil(65536 / line.length)));
  let written = 0;
  const pump = () => {
    while (written < total && !socket.destroyed) {
      written += chunk.length;
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  socket.once('connect', pump);
  return { socket, written: () => written };
}

function connectFrom(
  localAddress: string,
  port: number,
): Promise<{ socket: Socket; text: () => string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host: PROXY_HOST, port, localAddress });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, text: () => text }));
    socket.once('error', reject);
  });
}

const PUBLIC_227 = /^227 Entering Passive Mode \(127,0,0,3,(\d+),(\d+)\)\.$/;

for (const upstream of UPSTREAMS) {
  describe.skipIf(upstream.skip)(`limits through the proxy to ${upstream.name}`, () => {
    let battery: Battery;
    const url = (name: string, host = PROXY_HOST) =>
      `ftp://anonymous:x@${host}:${battery.proxy.port}/${name}`;

    beforeAll(async () => {
      battery = await startBattery(upstream, 'limits', ['--quiet']);
    }, 60_000);

    afterAll(async () => {
      expect(await battery?.stop()).toBe(0);
    });

    it('defect 1: 20 MB of locally answered commands from a client that never reads: RSS grows < 32 MiB, others keep transferring', async () => {
      const pid = battery.proxy.child.pid!;
      const before = rss(pid);
      let peak = before;
      const attacker = flood(battery.proxy.port, 'LPSV\r\n', 20 * MiB);
      const sample = setInterval(() => {
        peak = Math.max(peak, rss(pid));
      }, 50);
      try {
        // Other sessions go on while the flood lasts.
        for (let i = 0; i < 5; i++) {
          const result = await curl([...TRUST_PASV, url(battery.file.name)]);
          expect(result.code, result.stderr).toBe(0);
          expect(result.stdout.length).toBe(1000);
        }
        await quiet(1500);
      } finally {
        clearInterval(sample);
      }
      // The proxy stopped reading: most of the 20 MB never left the attacker.
      expect(attacker.written()).toBeLessThan(20 * MiB);
      expect(peak - before).toBeLessThan(32 * MiB);
      attacker.socket.destroy();
    }, 60_000);

    it('defect 3: empty lines are answered by the proxy and never desynchronise the pairing', async () => {
      const client = await RawFtp.connect(PROXY_HOST, battery.proxy.port);
      await client.reply();
      await client.login();
      client.socket.write('\r\n\r\n\r\nPASV\r\n');
      for (let i = 0; i < 3; i++) expect((await client.reply()).code).toBe(500);
      const pasv = (await client.reply()).lines[0]!;
      const match = PUBLIC_227.exec(pasv);
      expect(match, pasv).not.toBeNull();
      const data = await openData(PROXY_HOST, Number(match![1]) * 256 + Number(match![2]));
      client.send(`RETR ${battery.file.name}`);
      expect((await client.reply()).code).toBe(150);
      expect((await readAll(data.socket)).length).toBe(1000);
      expect((await client.reply()).code).toBe(226);
      client.close();
    }, 30_000);

    it('defect 10: passive ports are picked at random, not in order', async () => {
      const client = await RawFtp.connect(PROXY_HOST, battery.proxy.port);
      await client.reply();
      await client.login();
      const ports: number[] = [];
      for (let i = 0; i < 30; i++) ports.push((await client.pasv()).port);
      client.close();
      let consecutive = 0;
      for (let i = 1; i < ports.length; i++) if (ports[i] === ports[i - 1]! + 1) consecutive++;
      // In order, 29 of 29 steps are +1; at random over 100 ports, about one in a hundred is.
      expect(consecutive).toBeLessThan(8);
      expect(new Set(ports).size).toBeGreaterThan(10);
    }, 30_000);
  });
}

const vsftpdOrFtpSrv = UPSTREAMS.find((upstream) => !upstream.skip)!;

describe('limits on sessions and time', () => {
  let battery: Battery;

  afterAll(async () => {
    expect(await battery?.stop()).toBe(0);
  });

  it('defect 4: 300 silent connections from one address take 8 sessions; another address still gets in', async () => {
    battery = await startBattery(vsftpdOrFtpSrv, 'per-ip', ['--quiet']);
    const port = battery.proxy.port;
    const silent = await Promise.all(
      Array.from({ length: 300 }, () => connectFrom('127.0.0.1', port)),
    );
    await waitFor(
      () =>
        silent.filter((c) => c.text().startsWith('421 Too many connections from your address'))
          .length === 292,
      '292 of 300 to be refused',
    );
    const admitted = silent.filter((c) => c.text().startsWith('220'));
    expect(admitted).toHaveLength(8);
    // Another client, from another address, is served and can transfer.
    const other = await curl([
      ...TRUST_PASV,
      '--interface',
      '127.0.0.9',
      `ftp://anonymous:x@${PROXY_HOST}:${port}/${battery.file.name}`,
    ]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout.length).toBe(1000);
    for (const c of silent) c.socket.destroy();
    expect(await battery.stop()).toBe(0);
  }, 60_000);

  it('defect 5: bytes dripping in without a line end do not keep a session past --idle-timeout', async () => {
    battery = await startBattery(vsftpdOrFtpSrv, 'drip', [
      '--idle-timeout',
      '2',
      '--max-per-ip',
      '32',
      '--quiet',
    ]);
    const drips = await Promise.all(
      Array.from({ length: 20 }, () => connectFrom('127.0.0.1', battery.proxy.port)),
    );
    const started = Date.now();
    const timer = setInterval(() => {
      for (const drip of drips) if (!drip.socket.destroyed) drip.socket.write('N');
    }, 200);
    try {
      await waitFor(
        () => drips.every((drip) => drip.socket.destroyed || drip.socket.readableEnded),
        'every drip to be closed',
        8000,
      );
    } finally {
      clearInterval(timer);
    }
    expect(Date.now() - started).toBeLessThan(6000);
    for (const drip of drips)
      expect(drip.text()).toMatch(/\r\n421 Timeout: the session was idle too long\.\r\n$/);
    expect(await battery.stop()).toBe(0);
  }, 60_000);

  it('--line-timeout: a line begun and never ended closes the session even while it is not idle', async () => {
    battery = await startBattery(vsftpdOrFtpSrv, 'line', ['--line-timeout', '1', '--quiet']);
    const drip = await connectFrom('127.0.0.1', battery.proxy.port);
    const timer = setInterval(() => drip.socket.write('N'), 100);
    const started = Date.now();
    await new Promise((resolve) => drip.socket.once('close', resolve));
    clearInterval(timer);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(drip.text()).toMatch(/421 Timeout: a command line took too long to arrive\.\r\n$/);
    expect(await battery.stop()).toBe(0);
  }, 30_000);

  it('--login-timeout: a client that does not log in is closed with 421; one that did stays', async () => {
    battery = await startBattery(vsftpdOrFtpSrv, 'login', ['--login-timeout', '1', '--quiet']);
    const idle = await RawFtp.connect(PROXY_HOST, battery.proxy.port);
    const user = await RawFtp.connect(PROXY_HOST, battery.proxy.port);
    await idle.reply();
    await user.reply();
    await user.login();
    expect((await idle.reply()).lines).toEqual(['421 Timeout: not logged in in time.']);
    await idle.closed;
    await quiet(300);
    expect((await user.command('NOOP')).code).toBe(200);
    user.close();
    expect(await battery.stop()).toBe(0);
  }, 30_000);
});
