// Watching the real CLI: curl moves files over FTPS through `ftpwire-proxy --metrics ...
// --log-format json` to vsftpd; /metrics is scraped and parsed, and every stderr line is a JSON
// object of the documented schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../proxy/exposition.js';
import { curl, FTPS, TRUST_PASV } from './harness/curl.js';
import { http, loggedMetricsPort } from './harness/http.js';
import { type ChildProxy, PROXY_HOST, proxyArguments, startChildProxy } from './harness/proxy.js';
import {
  createScratch,
  createTestFiles,
  createTlsFiles,
  MiB,
  type Scratch,
  sha256,
  type TestFile,
} from './harness/temp.js';
import { startVsftpd, type Vsftpd, vsftpdCases } from './harness/vsftpd.js';
import { waitFor } from './harness/wait.js';

const vsftpd = vsftpdCases();

/** The JSON log schema, key for key and in order (README "Logs"). */
const KEYS = ['time', 'level', 'session', 'client', 'upstream', 'event', 'message', 'fields'];

describe.skipIf(vsftpd.skip)(
  'ftpwire-proxy watched: /metrics and JSON logs, curl to vsftpd',
  () => {
    let scratch: Scratch;
    let server: Vsftpd;
    let proxy: ChildProxy;
    let file: TestFile;
    let metricsPort: number;

    const scrape = async () => {
      const answer = await http(PROXY_HOST, metricsPort, '/metrics');
      expect(answer.status).toBe(200);
      return parseExposition(answer.body);
    };

    beforeAll(async () => {
      scratch = createScratch('observability');
      const tls = createTlsFiles(scratch.dir);
      server = await startVsftpd(scratch.dir, { tls });
      [file] = createTestFiles(server.root, [MiB]) as [TestFile];
      proxy = await startChildProxy([
        ...proxyArguments(server.port, tls),
        '--upstream-ca',
        tls.certFile,
        '--metrics',
        `${PROXY_HOST}:0`,
        '--log-format',
        'json',
      ]);
      await waitFor(() => loggedMetricsPort(proxy.log()) !== undefined, 'the metrics listener');
      metricsPort = loggedMetricsPort(proxy.log())!;
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await server?.stop();
      scratch?.remove();
    });

    it('counts an FTPS download by curl: TLS bytes to the client, a 227 rewrite, one login', async () => {
      const before = await scrape();
      const url = `ftp://${PROXY_HOST}:${proxy.port}/${file.name}`;
      const result = await curl([...FTPS, ...TRUST_PASV, url]);
      expect(result.code, result.stderr).toBe(0);
      expect(sha256(result.stdout)).toBe(file.sha256);
      await waitFor(() => /"event":"session_close"/.test(proxy.log()), 'the session to close');

      const after = await scrape();
      const moved = (name: string, labels: Record<string, string> = {}) =>
        (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
      expect(moved('ftpwire_proxy_sessions_total')).toBe(1);
      expect(
        moved('ftpwire_proxy_data_bytes_total', { direction: 'to_client', protection: 'tls' }),
      ).toBe(file.size);
      expect(
        moved('ftpwire_proxy_data_bytes_total', { direction: 'to_client', protection: 'clear' }),
      ).toBe(0);
      expect(moved('ftpwire_proxy_address_rewrites_total', { what: '227' })).toBe(1);
      expect(moved('ftpwire_proxy_logins_total', { result: 'accepted' })).toBe(1);
      expect(
        moved('ftpwire_proxy_commands_total', { class: 'security', outcome: 'forwarded' }),
      ).toBe(3);
      expect(moved('ftpwire_proxy_data_connections_opened_total', { mode: 'passive' })).toBe(1);
      expect(moved('ftpwire_proxy_data_connection_setup_seconds_count', { mode: 'passive' })).toBe(
        1,
      );
      // Control bytes after AUTH TLS count as protected.
      expect(
        moved('ftpwire_proxy_control_bytes_total', { direction: 'to_client', protection: 'tls' }),
      ).toBeGreaterThan(0);
      expect(
        sampleValue(after, 'ftpwire_proxy_upstream_up', { upstream: `127.0.0.1:${server.port}` }),
      ).toBe(1);
      expect(
        sampleValue(after, 'ftpwire_proxy_tls_certificate_expiry_timestamp_seconds'),
      ).toBeGreaterThan(Date.now() / 1000);
    }, 60_000);

    it('counts a client whose TLS handshake fails', async () => {
      const before = await scrape();
      // Without -k curl refuses the self-signed certificate and aborts the handshake.
      const result = await curl(['--ssl-reqd', `ftp://${PROXY_HOST}:${proxy.port}/${file.name}`]);
      expect(result.code).not.toBe(0);
      await waitFor(
        () => (proxy.log().match(/"event":"session_close"/g) ?? []).length >= 2,
        'the session to close',
      );
      const after = await scrape();
      const failed = (snapshot: typeof after) =>
        sampleValue(snapshot, 'ftpwire_proxy_tls_handshakes_failed_total', {
          peer: 'client',
          channel: 'control',
        }) ?? 0;
      expect(failed(after) - failed(before)).toBe(1);
      expect(
        (sampleValue(after, 'ftpwire_proxy_sessions_closed_total', { reason: 'ERR_TLS' }) ?? 0) +
          (sampleValue(after, 'ftpwire_proxy_sessions_closed_total', {
            reason: 'ERR_PEER_CLOSED',
          }) ?? 0),
      ).toBeGreaterThan(0);
    }, 60_000);

    it('writes every event as one JSON object of the documented schema', () => {
      const records = proxy
        .log()
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const record of records) {
        expect(Object.keys(record)).toEqual(KEYS);
        expect(record['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(['info', 'warn', 'error']).toContain(record['level']);
        expect(record['event']).toMatch(/^[a-z_]+$/);
        expect(typeof record['message']).toBe('string');
        expect(typeof record['fields']).toBe('object');
        if (record['session'] !== null) {
          expect(record['session']).toBeTypeOf('number');
          expect(record['client']).toMatch(/^127\.0\.0\.1:\d+$/);
          expect(record['upstream']).toBe(`127.0.0.1:${server.port}`);
        }
      }
      const events = records.map((record) => record['event']);
      for (const event of [
        'listening',
        'metrics_listening',
        'session_open',
        'upstream_connected',
        'tls',
        'rewrite',
        'data_open',
        'data_done',
        'session_close',
      ]) {
        expect(events, event).toContain(event);
      }
      const rewrite = records.find((record) => record['event'] === 'rewrite')!;
      expect(rewrite['fields']).toMatchObject({
        what: '227',
        to: expect.stringMatching(/^127\.0\.0\.3:\d+$/),
      });
      const done = records.find((record) => record['event'] === 'data_done')!;
      expect(done['fields']).toMatchObject({
        mode: 'passive',
        to_client_bytes: file.size,
        code: null,
      });
      // No record is left without a name of its own.
      expect(events).not.toContain('note');
    });
  },
);
