import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../packages/proxy/src/metrics.ts';
import { parseExposition, sampleValue } from './exposition.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 300);

describe('metrics exposition laws', () => {
  it('any label value survives the exposition: parse(expose(v)) names v', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (value, help) => {
        const registry = new MetricsRegistry();
        registry.counter('app_total', help, ['value']).labels(value).inc(3);
        const families = parseExposition(registry.expose());
        expect(families.get('app_total')!.help).toBe(help);
        expect(sampleValue(families, 'app_total', { value })).toBe(3);
      }),
      { numRuns: RUNS },
    );
  });

  it('histogram buckets equal a count of the observations at or below each bound', () => {
    const bounds = [0.001, 0.01, 0.1, 1, 10];
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 200 }),
        (values) => {
          const registry = new MetricsRegistry();
          const histogram = registry.histogram('app_seconds', 'x', bounds).labels();
          for (const value of values) histogram.observe(value);
          const families = parseExposition(registry.expose());
          for (const bound of bounds) {
            expect(sampleValue(families, 'app_seconds_bucket', { le: String(bound) })).toBe(
              values.filter((value) => value <= bound).length,
            );
          }
          expect(sampleValue(families, 'app_seconds_count')).toBe(values.length);
          const sum = sampleValue(families, 'app_seconds_sum')!;
          expect(sum).toBeCloseTo(
            values.reduce((a, b) => a + b, 0),
            6,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a counter shows the sum of its increments, whatever their order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(1000)), { maxLength: 100 }),
        (steps) => {
          const registry = new MetricsRegistry();
          const counter = registry.counter('app_total', 'x', ['k']);
          for (const [key, amount] of steps) counter.labels(key).inc(amount);
          const families = parseExposition(registry.expose());
          for (const key of ['a', 'b', 'c']) {
            const expected = steps.filter(([k]) => k === key).reduce((n, [, a]) => n + a, 0);
            const shown = sampleValue(families, 'app_total', { k: key });
            expect(shown ?? 0).toBe(expected);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
