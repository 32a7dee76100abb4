import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../packages/proxy/src/errors.ts';
import {
  escapeLabelValue,
  formatSampleValue,
  MetricsRegistry,
} from '../../packages/proxy/src/metrics.ts';
import { parseExposition, sampleValue } from './exposition.ts';

describe('MetricsRegistry', () => {
  it('writes HELP and TYPE before the samples, a family without labels from 0', () => {
    const registry = new MetricsRegistry();
    registry.counter('app_events_total', 'Events seen.');
    registry.gauge('app_open', 'Open things.');
    expect(registry.expose()).toBe(
      '# HELP app_events_total Events seen.\n# TYPE app_events_total counter\napp_events_total 0\n' +
        '# HELP app_open Open things.\n# TYPE app_open gauge\napp_open 0\n',
    );
  });

  it('counts per label values, in order of first use, each child resolved once', () => {
    const registry = new MetricsRegistry();
    const refused = registry.counter('app_refused_total', 'Refused.', ['reason']);
    const tooMany = refused.labels('too_many');
    tooMany.inc();
    tooMany.value += 2;
    refused.labels('draining').inc(5);
    expect(refused.labels('too_many')).toBe(tooMany);
    const families = parseExposition(registry.expose());
    expect(sampleValue(families, 'app_refused_total', { reason: 'too_many' })).toBe(3);
    expect(sampleValue(families, 'app_refused_total', { reason: 'draining' })).toBe(5);
    expect(registry.expose()).toContain(
      'app_refused_total{reason="too_many"} 3\napp_refused_total{reason="draining"} 5\n',
    );
  });

  it('escapes label values (backslash, quote, LF) and HELP text (backslash, LF)', () => {
    const registry = new MetricsRegistry();
    registry.counter('app_total', 'Two\nlines \\ here.', ['path']).labels('C:\\a "b"\nc').inc();
    const text = registry.expose();
    expect(text).toContain('# HELP app_total Two\\nlines \\\\ here.\n');
    expect(text).toContain('app_total{path="C:\\\\a \\"b\\"\\nc"} 1\n');
    const family = parseExposition(text).get('app_total')!;
    expect(family.help).toBe('Two\nlines \\ here.');
    expect(family.samples[0]!.labels).toEqual({ path: 'C:\\a "b"\nc' });
  });

  it('writes histograms as cumulative buckets, +Inf, _sum and _count', () => {
    const registry = new MetricsRegistry();
    const latency = registry.histogram('app_seconds', 'Latency.', [0.1, 1], ['mode']);
    for (const value of [0.05, 0.1, 0.5, 3]) latency.labels('passive').observe(value);
    expect(registry.expose()).toBe(
      '# HELP app_seconds Latency.\n# TYPE app_seconds histogram\n' +
        'app_seconds_bucket{mode="passive",le="0.1"} 2\n' +
        'app_seconds_bucket{mode="passive",le="1"} 3\n' +
        'app_seconds_bucket{mode="passive",le="+Inf"} 4\n' +
        'app_seconds_sum{mode="passive"} 3.65\n' +
        'app_seconds_count{mode="passive"} 4\n',
    );
    parseExposition(registry.expose());
  });

  it('reads gauges from the state at each exposition', () => {
    let open = 1;
    const registry = new MetricsRegistry();
    registry.gauge('app_sessions', 'Open.', [], (gauge) => gauge.labels().set(open));
    expect(sampleValue(parseExposition(registry.expose()), 'app_sessions')).toBe(1);
    open = 7;
    expect(sampleValue(parseExposition(registry.expose()), 'app_sessions')).toBe(7);
  });

  it('shows a collected gauge only once its collector sets it', () => {
    let expiry: number | undefined;
    const registry = new MetricsRegistry();
    registry.gauge('app_expiry_seconds', 'Expiry.', [], (gauge) => {
      if (expiry !== undefined) gauge.labels().set(expiry);
    });
    expect(sampleValue(parseExposition(registry.expose()), 'app_expiry_seconds')).toBeUndefined();
    expiry = 1_800_000_000;
    expect(sampleValue(parseExposition(registry.expose()), 'app_expiry_seconds')).toBe(expiry);
  });

  it('refuses names outside the data model, reserved labels, a counter going down', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter('9lives', 'x')).toThrow(ProxyError);
    expect(() => registry.counter('app-total', 'x')).toThrow(/not a Prometheus metric name/);
    expect(() => registry.counter('app_total', 'x', ['__name'])).toThrow(/label name/);
    expect(() => registry.counter('app_total', 'x', ['a', 'a'])).toThrow(/twice/);
    expect(() => registry.histogram('app_h', 'x', [1], ['le'])).toThrow(/bucket label/);
    expect(() => registry.histogram('app_h2', 'x', [2, 1])).toThrow(/increasing/);
    const counter = registry.counter('app_total', 'x', ['a']);
    expect(() => registry.counter('app_total', 'again')).toThrow(/exists already/);
    expect(() => counter.labels()).toThrow(/takes 1 label values, got 0/);
    expect(() => counter.labels('x').inc(-1)).toThrow(/cannot go down/);
  });

  it('writes special values as the format spells them', () => {
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
    expect(formatSampleValue(0.25)).toBe('0.25');
    expect(escapeLabelValue('plain')).toBe('plain');
  });
});
