// /metrics and /healthz of a running proxy, scraped over HTTP while a session runs through it to
// the scripted server: the exposition parses, and the counts move as the session does.
import { FtpProxy } from '@ftpwire/proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from '../e2e/harness/fake-server.js';
import { type HttpAnswer, http as httpRequest } from '../e2e/harness/http.js';
import { PROXY_HOST } from '../e2e/harness/proxy.js';
import { openData, RawFtp, readAll } from '../e2e/harness/raw-client.js';
import { waitFor } from '../e2e/harness/wait.js';
import { parseExposition, sampleValue } from './exposition.ts';

function http(port: number, path: string, method = 'GET'): Promise<HttpAnswer> {
  return httpRequest(PROXY_HOST, port, path, method);
}

describe('the metrics endpoint', () => {
  let server: FakeServer;
  let proxy: FtpProxy;
  let port: number;

  const scrape = async () => {
    const answer = await http(port, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(answer.body);
  };

  beforeAll(async () => {
    server = await startFakeServer();
    proxy = new FtpProxy({
      listen: { host: PROXY_HOST, port: 0 },
      upstream: { host: '127.0.0.1', port: server.port },
      metrics: { host: PROXY_HOST, port: 0 },
    });
    await proxy.listen();
    port = proxy.metricsAddress()!.port;
  });

  afterAll(async () => {
    await proxy.close();
    await server.stop();
  });

  it('answers /healthz with 200 ok, unknown paths 404, other methods 405, HEAD without a body', async () => {
    expect(await http(port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await http(port, '/')).status).toBe(404);
    expect((await http(port, '/metricsx')).status).toBe(404);
    const post = await http(port, '/metrics', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    const head = await http(port, '/metrics', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(1000);
    expect((await http(port, '/metrics?name=x')).status).toBe(200);
  });

  it('counts a session as it runs: commands, replies, rewrite, data bytes, set-up, close', async () => {
    const before = await scrape();
    const at = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(before, name, labels) ?? 0;

    const client = await RawFtp.connect(PROXY_HOST, (proxy.address() as { port: number }).port);
    expect((await client.reply()).code).toBe(220);
    await client.login();
    const during = await scrape();
    expect(sampleValue(during, 'ftpwire_proxy_sessions_open')).toBe(1);
    expect(sampleValue(during, 'ftpwire_proxy_sessions_total')).toBe(
      at('ftpwire_proxy_sessions_total') + 1,
    );
    expect(
      sampleValue(during, 'ftpwire_proxy_upstream_up', { upstream: `127.0.0.1:${server.port}` }),
    ).toBe(1);

    const { host, port: dataPort } = await client.pasv();
    const data = await openData(host, dataPort);
    const size = 300_001;
    const received = readAll(data.socket);
    expect((await client.command(`RETR bytes-${size}`)).code).toBe(150);
    expect((await received).length).toBe(size);
    expect((await client.reply()).code).toBe(226);
    client.send('BOGUS');
    expect((await client.reply()).code).toBe(502);
    expect((await client.command('QUIT')).code).toBe(221);
    await client.closed;
    await waitFor(() => proxy.stats().sessions === 0, 'the session to close');

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sampleValue(after, name, labels) ?? 0) - at(name, labels);
    expect(moved('ftpwire_proxy_commands_total', { class: 'access', outcome: 'forwarded' })).toBe(
      2,
    );
    expect(moved('ftpwire_proxy_commands_total', { class: 'transfer', outcome: 'forwarded' })).toBe(
      1,
    );
    expect(moved('ftpwire_proxy_commands_total', { class: 'other', outcome: 'answered' })).toBe(1);
    expect(moved('ftpwire_proxy_replies_total', { source: 'server', class: '1xx' })).toBe(1);
    expect(moved('ftpwire_proxy_replies_total', { source: 'proxy', class: '5xx' })).toBe(1);
    expect(moved('ftpwire_proxy_logins_total', { result: 'accepted' })).toBe(1);
    expect(moved('ftpwire_proxy_address_rewrites_total', { what: '227' })).toBe(1);
    expect(moved('ftpwire_proxy_data_connections_opened_total', { mode: 'passive' })).toBe(1);
    expect(
      moved('ftpwire_proxy_data_bytes_total', { direction: 'to_client', protection: 'clear' }),
    ).toBe(size);
    expect(moved('ftpwire_proxy_data_connection_setup_seconds_count', { mode: 'passive' })).toBe(1);
    // USER (the scripted server takes it without PASS), PASV, RETR, QUIT: one first reply each.
    expect(moved('ftpwire_proxy_reply_latency_seconds_count')).toBe(4);
    expect(moved('ftpwire_proxy_sessions_closed_total', { reason: 'ok' })).toBe(1);
    expect(
      moved('ftpwire_proxy_control_bytes_total', { direction: 'to_server', protection: 'clear' }),
    ).toBe('USER anonymous\r\nPASV\r\nRETR bytes-300001\r\nBOGUS\r\nQUIT\r\n'.length);
    expect(sampleValue(after, 'ftpwire_proxy_sessions_open')).toBe(0);
  });

  it('counts a data connection from a foreign address as refused', async () => {
    const client = await RawFtp.connect(PROXY_HOST, (proxy.address() as { port: number }).port);
    expect((await client.reply()).code).toBe(220);
    await client.login();
    const before = sampleValue(await scrape(), 'ftpwire_proxy_data_connections_failed_total', {
      mode: 'passive',
      reason: 'foreign_peer',
    });
    const { host, port: dataPort } = await client.pasv();
    // The client's control connection comes from 127.0.0.1; this one from 127.0.0.5.
    const { connect } = await import('node:net');
    const stranger = connect({ host, port: dataPort, localAddress: '127.0.0.5' });
    stranger.on('error', () => {});
    await new Promise((resolve) => stranger.once('close', resolve));
    const after = sampleValue(await scrape(), 'ftpwire_proxy_data_connections_failed_total', {
      mode: 'passive',
      reason: 'foreign_peer',
    });
    expect(after).toBe((before ?? 0) + 1);
    client.close();
    await waitFor(() => proxy.stats().sessions === 0, 'the session to close');
  });

  it('answers /healthz 503 draining while the proxy drains', async () => {
    const drainer = new FtpProxy({
      listen: { host: PROXY_HOST, port: 0 },
      upstream: { host: '127.0.0.1', port: server.port },
      metrics: { host: PROXY_HOST, port: 0 },
      drainTimeout: 5_000,
    });
    await drainer.listen();
    const metricsPort = drainer.metricsAddress()!.port;
    const client = await RawFtp.connect(PROXY_HOST, drainer.address()!.port);
    expect((await client.reply()).code).toBe(220);
    await client.login();
    const { host, port: dataPort } = await client.pasv();
    const data = await openData(host, dataPort);
    data.socket.pause();
    // A transfer the client reads slowly keeps the session, and the drain, under way.
    expect((await client.command('RETR bytes-8388608')).code).toBe(150);
    const drained = drainer.drain();
    expect(await http(metricsPort, '/healthz')).toMatchObject({ status: 503, body: 'draining\n' });
    const metrics = parseExposition((await http(metricsPort, '/metrics')).body);
    expect(sampleValue(metrics, 'ftpwire_proxy_draining')).toBe(1);
    const bytes = readAll(data.socket);
    expect((await bytes).length).toBe(8388608);
    expect((await client.reply()).code).toBe(226);
    expect((await client.reply()).code).toBe(421);
    await drained;
    await expect(http(metricsPort, '/healthz')).rejects.toThrow();
  });
});
