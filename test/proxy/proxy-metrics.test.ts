// The proxy's metrics as a session core reports them: every count follows from a scripted
// exchange, with no socket, read back through the exposition format.
import { describe, expect, it } from 'vitest';
import { ProxyMetrics, verbClass } from '../../packages/proxy/src/proxy-metrics.ts';
import { STANDARD_VERBS } from '../../packages/proxy/src/verbs.ts';
import { greeted } from './core-harness.ts';
import { parseExposition, sampleValue } from './exposition.ts';

function metricsUnderTest() {
  const metrics = new ProxyMetrics(() => ({ sessions: 2, dataChannels: 1, passivePorts: 1 }));
  const read = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(parseExposition(metrics.registry.expose()), name, labels) ?? 0;
  return { metrics, read };
}

describe('ProxyMetrics', () => {
  it('names every family by Prometheus conventions, with HELP and TYPE', () => {
    const { metrics } = metricsUnderTest();
    const families = parseExposition(metrics.registry.expose());
    expect(families.size).toBeGreaterThan(20);
    for (const family of families.values()) {
      expect(family.name).toMatch(/^ftpwire_proxy_[a-z_]+$/);
      expect(family.help.length).toBeGreaterThan(10);
      if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
      else expect(family.name).not.toMatch(/_total$/);
      if (family.type === 'histogram') expect(family.name).toMatch(/_seconds$/);
    }
  });

  it('reads the gauges of what the proxy holds at each scrape', () => {
    const { read } = metricsUnderTest();
    expect(read('ftpwire_proxy_sessions_open')).toBe(2);
    expect(read('ftpwire_proxy_data_channels_open')).toBe(1);
    expect(read('ftpwire_proxy_passive_ports_in_use')).toBe(1);
  });

  it('shows no certificate expiry without a certificate', () => {
    const { metrics } = metricsUnderTest();
    const families = parseExposition(metrics.registry.expose());
    expect(families.get('ftpwire_proxy_tls_certificate_expiry_timestamp_seconds')?.samples).toEqual(
      [],
    );
    metrics.certificateExpiry = 1_800_000_000;
    expect(
      sampleValue(
        parseExposition(metrics.registry.expose()),
        'ftpwire_proxy_tls_certificate_expiry_timestamp_seconds',
      ),
    ).toBe(1_800_000_000);
  });

  it('classes every standard verb (no standard verb counts as "other")', () => {
    for (const verb of STANDARD_VERBS) expect(verbClass(verb), verb).not.toBe('other');
    expect(verbClass('RETR')).toBe('transfer');
    expect(verbClass('PASV')).toBe('transfer_parameters');
    expect(verbClass('XYZZY')).toBe('other');
    expect(verbClass(undefined)).toBe('malformed');
  });

  it('counts commands, replies, logins, rewrites and latency as a session runs', () => {
    const { metrics, read } = metricsUnderTest();
    const session = greeted({ observer: metrics.observer });
    session.client('USER anonymous\r\n');
    session.server('331 password please\r\n');
    session.client('PASS x\r\n');
    session.server('530 no\r\n');
    session.client('USER anonymous\r\nPASS y\r\n');
    session.server('331 password please\r\n230 in\r\n');
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    session.client('RETR file\r\n');
    session.server('150 sending\r\n226 done\r\n');
    session.client('XYZZY\r\n');
    session.client('\r\n');
    session.client('PORT 10,0,0,1,4,1\r\n');

    const commands = (cls: string, outcome: string) =>
      read('ftpwire_proxy_commands_total', { class: cls, outcome });
    expect(commands('access', 'forwarded')).toBe(4);
    expect(commands('transfer_parameters', 'forwarded')).toBe(1);
    expect(commands('transfer', 'forwarded')).toBe(1);
    expect(commands('other', 'answered')).toBe(1);
    expect(commands('malformed', 'answered')).toBe(1);
    // PORT naming another host than the client: an FTP bounce, answered here.
    expect(commands('transfer_parameters', 'answered')).toBe(1);

    const replies = (source: string, cls: string) =>
      read('ftpwire_proxy_replies_total', { source, class: cls });
    // 220 and 230, 227, 226 from the server; 150 too; 331 twice; 530.
    expect(replies('server', '1xx')).toBe(1);
    expect(replies('server', '2xx')).toBe(4);
    expect(replies('server', '3xx')).toBe(2);
    expect(replies('server', '5xx')).toBe(1);
    // 502 for XYZZY, 500 for the empty line, 501 for the bounce.
    expect(replies('proxy', '5xx')).toBe(3);

    expect(read('ftpwire_proxy_logins_total', { result: 'accepted' })).toBe(1);
    expect(read('ftpwire_proxy_logins_total', { result: 'refused' })).toBe(1);
    expect(read('ftpwire_proxy_address_rewrites_total', { what: '227' })).toBe(1);
    // One latency per forwarded command (the greeting answers none).
    expect(read('ftpwire_proxy_reply_latency_seconds_count')).toBe(6);
  });

  it('counts unsolicited data addresses withheld', () => {
    const { metrics, read } = metricsUnderTest();
    const session = greeted({ observer: metrics.observer });
    session.client('NOOP\r\n');
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    expect(read('ftpwire_proxy_replies_withheld_total', { code: '227' })).toBe(1);
    expect(read('ftpwire_proxy_replies_total', { source: 'proxy', class: '5xx' })).toBe(1);
  });

  it('marks an upstream up or down, and counts why it failed', () => {
    const { metrics, read } = metricsUnderTest();
    metrics.upstream('10.0.1.121:21', false, 'ERR_CONNECT_FAILED');
    expect(read('ftpwire_proxy_upstream_up', { upstream: '10.0.1.121:21' })).toBe(0);
    metrics.upstream('10.0.1.121:21', true);
    metrics.upstream('10.0.1.122:21', false, 'ERR_CONNECT_TIMEOUT');
    expect(read('ftpwire_proxy_upstream_up', { upstream: '10.0.1.121:21' })).toBe(1);
    expect(read('ftpwire_proxy_upstream_up', { upstream: '10.0.1.122:21' })).toBe(0);
    expect(
      read('ftpwire_proxy_upstream_failures_total', {
        upstream: '10.0.1.121:21',
        reason: 'ERR_CONNECT_FAILED',
      }),
    ).toBe(1);
  });
});
