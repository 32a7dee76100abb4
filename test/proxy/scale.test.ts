// The gateway behind a load balancer and in front of several servers, in process, against
// scripted servers on loopback: PROXY headers in (trusted peers only) and out, per-address
// limits on the real client, failover and health probes, and by-user routing.
import { createServer, type Server, type Socket } from 'node:net';
import { formatProxyHeader, type ProxyHeader, parseProxyHeader } from '@ftpwire/proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/harness/ports.js';
import { type InProcessProxy, PROXY_HOST, startProxy } from '../e2e/harness/proxy.js';
import { RawFtp, readAll } from '../e2e/harness/raw-client.js';
import { waitFor } from '../e2e/harness/wait.js';
import { startScriptedServer } from './scripted-server.js';

const BALANCER = '127.0.0.20';
const CLIENT = '127.0.0.9';

/** A server that says who it is in every reply, and keeps the first bytes of each connection. */
interface NamedServer {
  readonly name: string;
  readonly port: number;
  readonly prefaces: Uint8Array[];
  readonly users: string[];
  stop(): Promise<void>;
}

async function namedServer(name: string, port?: number): Promise<NamedServer> {
  const prefaces: Uint8Array[] = [];
  const users: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let first = true;
    let buffer = '';
    socket.write(`220 ${name} ready\r\n`);
    socket.on('data', (chunk: Buffer) => {
      if (first) {
        prefaces.push(new Uint8Array(chunk));
        first = false;
      }
      buffer += chunk.toString('latin1');
      // The proxy's PROXY header comes before any command: skip it as the server would.
      const header = parseHeader(buffer);
      if (header) buffer = buffer.slice(header.length);
      for (let lf = buffer.indexOf('\n'); lf >= 0; lf = buffer.indexOf('\n')) {
        const line = buffer.slice(0, lf).replace(/\r$/, '');
        buffer = buffer.slice(lf + 1);
        const [verb = '', ...rest] = line.split(' ');
        if (verb === 'USER') {
          users.push(rest.join(' '));
          socket.write(`331 ${name} wants a password\r\n`);
        } else if (verb === 'PASS') socket.write(`230 ${name} logged in\r\n`);
        else if (verb === 'QUIT') socket.end(`221 ${name} bye\r\n`);
        else socket.write(`200 ${name} ok\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) =>
    server.listen({ host: '127.0.0.1', port: port ?? 0 }, resolve),
  );
  return {
    name,
    port: (server.address() as { port: number }).port,
    prefaces,
    users,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseHeader(buffer: string): ProxyHeader | undefined {
  if (!buffer.startsWith('PROXY') && !buffer.startsWith('\r\n\r\n\0')) return undefined;
  try {
    return parseProxyHeader(Buffer.from(buffer, 'latin1'));
  } catch {
    return undefined;
  }
}

/** Resolves once `socket` has closed, with every byte it received. */
function received(ftp: RawFtp): Promise<string> {
  let text = '';
  ftp.socket.on('data', (chunk: string | Buffer) => {
    text += chunk.toString();
  });
  return ftp.closed.then(() => text);
}

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function serve(
  servers: NamedServer[],
  options: Partial<Parameters<typeof startProxy>[0]> = {},
): Promise<InProcessProxy> {
  const proxy = await startProxy({
    upstream: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    ...options,
  });
  stops.push(() => proxy.stop());
  return proxy;
}

async function named(name: string, port?: number): Promise<NamedServer> {
  const server = await namedServer(name, port);
  stops.push(() => server.stop());
  return server;
}

const v2From = (host: string, port = 50000) =>
  formatProxyHeader({
    version: 2,
    source: { host, port },
    destination: { host: '203.0.113.1', port: 21 },
  });

describe('PROXY protocol from a trusted balancer', () => {
  it('the header names the client: in the log, and for --max-per-ip, not the balancer', async () => {
    const a = await named('A');
    const proxy = await serve([a], { proxyProtocolFrom: [`${BALANCER}/32`], maxPerIp: 1 });
    const first = await RawFtp.connect(PROXY_HOST, proxy.port, BALANCER, v2From('198.51.100.7'));
    expect((await first.reply()).lines[0]).toBe('220 A ready');
    // Another client through the same balancer is another address: admitted.
    const second = await RawFtp.connect(PROXY_HOST, proxy.port, BALANCER, v2From('198.51.100.8'));
    expect((await second.reply()).lines[0]).toBe('220 A ready');
    // The first client again: its own address is at the limit.
    const third = await RawFtp.connect(
      PROXY_HOST,
      proxy.port,
      BALANCER,
      v2From('198.51.100.7', 50001),
    );
    expect((await third.reply()).lines[0]).toBe(
      '421 Too many connections from your address, try again later.',
    );
    expect(proxy.lines.join('\n')).toContain(`open from 198.51.100.7:50000 via ${BALANCER}`);
    expect(proxy.lines.join('\n')).toContain('1 sessions open from 198.51.100.7');
    for (const ftp of [first, second, third]) ftp.close();
  });

  it('a version 1 header split over writes is read whole; the bytes behind it are commands', async () => {
    const a = await named('A');
    const proxy = await serve([a], { proxyProtocolFrom: [BALANCER] });
    const ftp = await RawFtp.connect(
      PROXY_HOST,
      proxy.port,
      BALANCER,
      Buffer.from('PROXY TCP4 198.51.'),
    );
    ftp.socket.write('100.7 203.0.113.1 50000 21\r\nNOOP\r\n');
    expect((await ftp.reply()).lines[0]).toBe('220 A ready');
    expect((await ftp.reply()).lines[0]).toBe('200 A ok');
    ftp.close();
  });

  it('a trusted peer without a header, or with a broken one, is cut off before any FTP byte', async () => {
    const a = await named('A');
    const proxy = await serve([a], { proxyProtocolFrom: [BALANCER], connectTimeout: 500 });
    const missing = await RawFtp.connect(
      PROXY_HOST,
      proxy.port,
      BALANCER,
      Buffer.from('USER x\r\n'),
    );
    expect(await received(missing)).toBe('');
    const broken = await RawFtp.connect(
      PROXY_HOST,
      proxy.port,
      BALANCER,
      Buffer.from('PROXY TCP4 198.51.100.07 203.0.113.1 1 21\r\n'),
    );
    expect(await received(broken)).toBe('');
    const silent = await RawFtp.connect(PROXY_HOST, proxy.port, BALANCER);
    expect(await received(silent)).toBe('');
    expect(proxy.lines.filter((line) => line.startsWith(`refused ${BALANCER}:`))).toHaveLength(3);
    expect(a.prefaces).toHaveLength(0);
  });

  it('a peer not trusted is a client like any other, and a header from it ends its connection', async () => {
    const a = await named('A');
    const proxy = await serve([a], { proxyProtocolFrom: [BALANCER] });
    const plain = await RawFtp.connect(PROXY_HOST, proxy.port, CLIENT);
    expect((await plain.reply()).lines[0]).toBe('220 A ready');
    expect((await plain.command('NOOP')).code).toBe(200);
    const spoof = await RawFtp.connect(PROXY_HOST, proxy.port, CLIENT);
    const spoofed = received(spoof);
    await spoof.reply();
    spoof.socket.write('PROXY TCP4 10.9.9.9 203.0.113.1 1 21\r\nNOOP\r\n');
    // The greeting, then nothing: not the NOOP's 200.
    expect(await spoofed).toBe('220 A ready\r\n');
    const binary = await RawFtp.connect(PROXY_HOST, proxy.port, CLIENT, v2From('10.9.9.9'));
    const binaryGot = received(binary);
    expect(await binaryGot).toBe('220 A ready\r\n');
    expect(
      proxy.lines.filter((line) =>
        line.includes('refused: a PROXY header from a peer not trusted'),
      ),
    ).toHaveLength(2);
    // The server saw no line of theirs (each sent NOOP after its header).
    expect(a.prefaces.map((bytes) => Buffer.from(bytes).toString())).toEqual(['NOOP\r\n']);
    plain.close();
  });
});

describe('PROXY protocol to the server', () => {
  it.each([
    ['v1', 1],
    ['v2', 2],
  ] as const)(
    "--upstream-proxy-protocol %s sends the client's real address first",
    async (version, number) => {
      const a = await named('A');
      const proxy = await serve([a], {
        proxyProtocolFrom: [BALANCER],
        upstreamProxyProtocol: version,
      });
      const ftp = await RawFtp.connect(
        PROXY_HOST,
        proxy.port,
        BALANCER,
        v2From('198.51.100.7', 50123),
      );
      await ftp.reply();
      await ftp.command('NOOP');
      const header = parseProxyHeader(a.prefaces[0]!);
      expect(header).toMatchObject({
        version: number,
        command: 'proxy',
        source: { host: '198.51.100.7', port: 50123 },
        destination: { host: '203.0.113.1', port: 21 },
      });
      // Without a balancer, the client's own connection.
      const direct = await RawFtp.connect(PROXY_HOST, proxy.port, CLIENT);
      await direct.reply();
      await direct.command('NOOP');
      expect(parseProxyHeader(a.prefaces[1]!)?.source?.host).toBe(CLIENT);
      expect(parseProxyHeader(a.prefaces[1]!)?.destination?.host).toBe(PROXY_HOST);
      ftp.close();
      direct.close();
    },
  );
});

describe('several upstreams', () => {
  it('round-robin spreads sessions; a server that refuses is taken out, probed, and back once it greets', async () => {
    const deadPort = await freePort();
    const a = await named('A');
    const proxy = await startProxy({
      upstream: [
        { host: '127.0.0.1', port: deadPort },
        { host: '127.0.0.1', port: a.port },
      ],
      healthInterval: 200,
    });
    stops.push(() => proxy.stop());
    const greetings: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
      greetings.push((await ftp.reply()).lines[0]!);
      ftp.close();
    }
    expect(greetings).toEqual(['220 A ready', '220 A ready', '220 A ready']);
    expect(
      proxy.lines.filter((line) => line.includes(`upstream 127.0.0.1:${deadPort} taken out`)),
    ).toHaveLength(1);
    const b = await named('B', deadPort);
    await waitFor(
      () =>
        proxy.lines.some((line) => line.includes(`upstream 127.0.0.1:${deadPort} greets again`)),
      'the probe to bring the server back',
    );
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
      seen.add((await ftp.reply()).lines[0]!);
      ftp.close();
    }
    expect([...seen].sort()).toEqual(['220 A ready', '220 B ready']);
    expect(proxy.proxy.metricsText()).toContain(
      `ftpwire_proxy_upstream_up{upstream="127.0.0.1:${b.port}"} 1`,
    );
  });

  it('with no healthy server the client gets 421', async () => {
    const proxy = await startProxy({
      upstream: [
        { host: '127.0.0.1', port: await freePort() },
        { host: '127.0.0.1', port: await freePort() },
      ],
    });
    stops.push(() => proxy.stop());
    for (let i = 0; i < 2; i++) {
      const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
      expect((await ftp.reply()).lines[0]).toBe(
        '421 Service not available: the FTP server cannot be reached.',
      );
      ftp.close();
    }
    expect(proxy.lines.join('\n')).toContain('no upstream server is healthy');
  });

  it('by-user: the proxy greets, answers before USER, and a user always reaches the same server', async () => {
    const servers = [await named('A'), await named('B')];
    const proxy = await serve(servers, { balance: 'by-user' });
    const serverOf = async (user: string) => {
      const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
      expect((await ftp.reply()).lines[0]).toBe('220 ftpwire-proxy ready.');
      const reply = await ftp.command(`USER ${user}`);
      expect((await ftp.command('PASS x')).code).toBe(230);
      await ftp.command('QUIT');
      ftp.close();
      return reply.lines[0]!.split(' ')[1]!;
    };
    const chosen = new Map<string, string>();
    for (let i = 0; i < 12; i++) chosen.set(`user${i}`, await serverOf(`user${i}`));
    expect(new Set(chosen.values())).toEqual(new Set(['A', 'B']));
    for (const [user, server] of [...chosen].slice(0, 4)) expect(await serverOf(user)).toBe(server);
    // The servers saw each user once per session, and nothing before USER.
    expect(servers.flatMap((server) => server.users).sort()).toHaveLength(16);
    const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
    await ftp.reply();
    expect((await ftp.command('FEAT')).lines).toEqual(['211-Features:', '211 End']);
    expect((await ftp.command('NOOP')).code).toBe(200);
    expect((await ftp.command('SYST')).lines[0]).toBe('530 Please login with USER first.');
    expect((await ftp.command('PBSZ 0')).code).toBe(503);
    expect((await ftp.command('AUTH TLS')).code).toBe(502);
    expect((await ftp.command('QUIT')).code).toBe(221);
    ftp.close();
  });

  it('by-user: at most 32 commands before USER', async () => {
    const proxy = await serve([await named('A')], { balance: 'by-user' });
    const ftp = await RawFtp.connect(PROXY_HOST, proxy.port);
    await ftp.reply();
    ftp.socket.write('NOOP\r\n'.repeat(40));
    const replies = [];
    for (let i = 0; i < 33; i++) replies.push((await ftp.reply()).code);
    expect(replies.slice(0, 32).every((code) => code === 200)).toBe(true);
    expect(replies[32]).toBe(421);
    await ftp.closed;
  });
});

describe('PROXY protocol with --upstream-data passive', () => {
  it('an active-mode client behind a balancer is dialled at the address its header names', async () => {
    const upstream = await startScriptedServer();
    stops.push(() => upstream.stop());
    const proxy = await startProxy({
      upstream: { host: '127.0.0.1', port: upstream.port },
      proxyProtocolFrom: [BALANCER],
      upstreamData: 'passive',
    });
    stops.push(() => proxy.stop());
    // The client listens on its own address; nothing listens on the balancer's at that port.
    const listener = createServer();
    const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
    await new Promise<void>((done) => listener.listen({ host: CLIENT, port: 0 }, done));
    stops.push(() => new Promise((done) => listener.close(done)));
    const port = (listener.address() as { port: number }).port;
    const ftp = await RawFtp.connect(PROXY_HOST, proxy.port, BALANCER, v2From(CLIENT));
    stops.push(async () => ftp.close());
    const peer = await upstream.accept();
    await ftp.reply();
    ftp.send(`PORT ${CLIENT.replaceAll('.', ',')},${port >> 8},${port & 255}`);
    expect(await peer.next()).toBe('PASV\r\n');
    const serverData = createServer();
    await new Promise<void>((done) => serverData.listen({ host: '127.0.0.1', port: 0 }, done));
    stops.push(() => new Promise((done) => serverData.close(done)));
    const dataPort = (serverData.address() as { port: number }).port;
    serverData.once('connection', (socket) => socket.end('the bytes of the file'));
    peer.send(`227 Entering Passive Mode (127,0,0,1,${dataPort >> 8},${dataPort & 255}).\r\n`);
    expect((await ftp.reply()).code).toBe(200);
    ftp.send('RETR file');
    expect(await peer.next()).toBe('RETR file\r\n');
    peer.send('150 Here it comes.\r\n');
    const toClient = await accepted;
    // The end of the file reaches the client once the server's 226 says it is whole.
    const file = readAll(toClient);
    peer.send('226 Done.\r\n');
    expect((await file).toString()).toBe('the bytes of the file');
    expect((await ftp.reply()).code).toBe(150);
    expect((await ftp.reply()).code).toBe(226);
    expect(proxy.lines.join('\n')).toMatch(
      new RegExp(`data active-passive .*${CLIENT.replaceAll('.', '\\.')}:${port}`),
    );
  });
});
