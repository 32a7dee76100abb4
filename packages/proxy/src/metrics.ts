import { ProxyError } from './errors.js';

/**
 * A small metrics registry written out in the Prometheus text exposition format (version
 * 0.0.4), without a dependency. Any part of the proxy can hold a family and count into it.
 *
 * The hot paths (bytes relayed per chunk) hold a resolved child and add to its `value`: a number
 * property, no lookup, no allocation. Looking a child up by its label values allocates a key and
 * is for events (a session, a command), not for chunks.
 */

/** A series' current value and how to move it. */
export interface CounterChild {
  /** The count so far; add to it directly on a hot path. */
  value: number;
  /** Adds `amount` (default 1); a counter never goes down. */
  inc(amount?: number): void;
}

export interface GaugeChild {
  value: number;
  set(value: number): void;
  inc(amount?: number): void;
  dec(amount?: number): void;
}

export interface HistogramChild {
  observe(value: number): void;
}

type Kind = 'counter' | 'gauge' | 'histogram';

// Prometheus data model: metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*,
// with names beginning "__" reserved. Checked once, when a family is made, on our own names only.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function invalid(message: string): ProxyError {
  return new ProxyError('ERR_INVALID_OPTION', message);
}

/** HELP text: backslash and line feed escaped (the format's only two for docstrings). */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value: backslash, double quote and line feed escaped. */
export function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as the format writes floats: `+Inf`, `-Inf`, `NaN`, else the shortest decimal. */
export function formatSampleValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

abstract class Family<Child> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly kind: Kind;
  /** Children by their label values (in order of first use, which is the order written). */
  protected readonly children: Map<string, { labels: string; child: Child }> = new Map();

  constructor(name: string, help: string, labelNames: readonly string[]) {
    if (!METRIC_NAME.test(name)) throw invalid(`not a Prometheus metric name: ${name}`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) {
        throw invalid(`not a Prometheus label name: ${label}`);
      }
    }
    if (new Set(labelNames).size !== labelNames.length) {
      throw invalid(`${name} names a label twice`);
    }
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  /** The child for these label values, in the order of `labelNames`; made on first use. */
  labels(...values: string[]): Child {
    if (values.length !== this.labelNames.length) {
      throw invalid(
        `${this.name} takes ${this.labelNames.length} label values, got ${values.length}`,
      );
    }
    const key = values.length === 1 ? values[0]! : values.join('\u0000');
    const found = this.children.get(key);
    if (found) return found.child;
    const labels = this.labelNames
      .map((label, i) => `${label}="${escapeLabelValue(values[i]!)}"`)
      .join(',');
    const child = this.create();
    this.children.set(key, { labels, child });
    return child;
  }

  protected abstract create(): Child;

  /** The family's sample lines, each ended with LF. */
  abstract samples(): string;

  write(): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.kind}\n${this.samples()}`;
  }
}

class CounterValue implements CounterChild {
  value = 0;

  inc(amount = 1): void {
    if (!(amount >= 0)) throw invalid(`a counter cannot go down (by ${amount})`);
    this.value += amount;
  }
}

class GaugeValue implements GaugeChild {
  value = 0;

  set(value: number): void {
    this.value = value;
  }

  inc(amount = 1): void {
    this.value += amount;
  }

  dec(amount = 1): void {
    this.value -= amount;
  }
}

class HistogramValue implements HistogramChild {
  readonly bounds: readonly number[];
  /** Per bucket, not cumulative: one increment per observation. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    // A dozen bounds: a scan is cheaper than a binary search's branches at this size.
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A monotonic count, written `name{labels} value`. By convention its name ends in `_total`. */
export class Counter extends Family<CounterChild> {
  readonly kind = 'counter';

  protected create(): CounterChild {
    return new CounterValue();
  }

  samples(): string {
    let out = '';
    for (const { labels, child } of this.children.values()) {
      out += `${this.name}${labels ? `{${labels}}` : ''} ${formatSampleValue(child.value)}\n`;
    }
    return out;
  }
}

/**
 * A value that goes up and down. `collect`, when given, runs before each exposition to set the
 * children from state the proxy keeps anyway (sessions open), so nothing counts twice.
 */
export class Gauge extends Family<GaugeChild> {
  readonly kind = 'gauge';
  readonly #collect: ((gauge: Gauge) => void) | undefined;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    collect?: (gauge: Gauge) => void,
  ) {
    super(name, help, labelNames);
    this.#collect = collect;
  }

  /** Whether a collector sets the gauge's series at each exposition. */
  get collects(): boolean {
    return this.#collect !== undefined;
  }

  protected create(): GaugeChild {
    return new GaugeValue();
  }

  samples(): string {
    this.#collect?.(this);
    let out = '';
    for (const { labels, child } of this.children.values()) {
      out += `${this.name}${labels ? `{${labels}}` : ''} ${formatSampleValue(child.value)}\n`;
    }
    return out;
  }
}

/** Observations counted into buckets by upper bound, written as cumulative `_bucket` series. */
export class Histogram extends Family<HistogramChild> {
  readonly kind = 'histogram';
  readonly #bounds: readonly number[];

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    bounds: readonly number[],
  ) {
    super(name, help, labelNames);
    if (labelNames.includes('le')) throw invalid(`${name}: "le" is the bucket label`);
    for (let i = 0; i < bounds.length; i++) {
      if (!Number.isFinite(bounds[i]) || (i > 0 && bounds[i]! <= bounds[i - 1]!)) {
        throw invalid(`${name}: bucket bounds must be finite and increasing`);
      }
    }
    this.#bounds = [...bounds];
  }

  protected create(): HistogramChild {
    return new HistogramValue(this.#bounds);
  }

  samples(): string {
    let out = '';
    for (const { labels, child } of this.children.values()) {
      const value = child as HistogramValue;
      const prefix = labels ? `${labels},` : '';
      let cumulative = 0;
      for (let i = 0; i < value.bounds.length; i++) {
        cumulative += value.counts[i]!;
        out += `${this.name}_bucket{${prefix}le="${formatSampleValue(value.bounds[i]!)}"} ${cumulative}\n`;
      }
      out += `${this.name}_bucket{${prefix}le="+Inf"} ${value.count}\n`;
      const braces = labels ? `{${labels}}` : '';
      out += `${this.name}_sum${braces} ${formatSampleValue(value.sum)}\n`;
      out += `${this.name}_count${braces} ${value.count}\n`;
    }
    return out;
  }
}

/** The families of one proxy, written in the order they were made. */
export class MetricsRegistry {
  readonly #families = new Map<string, Family<unknown>>();

  #add<F extends Family<unknown>>(family: F): F {
    if (this.#families.has(family.name)) throw invalid(`metric ${family.name} exists already`);
    this.#families.set(family.name, family);
    // A family without labels has one series, written from the start (0 is a value too),
    // unless a collector sets it: that one shows only what it knows (no expiry without a cert).
    if (family.labelNames.length === 0 && !(family instanceof Gauge && family.collects)) {
      family.labels();
    }
    return family;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }

  gauge(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    collect?: (gauge: Gauge) => void,
  ): Gauge {
    return this.#add(new Gauge(name, help, labelNames, collect));
  }

  histogram(
    name: string,
    help: string,
    bounds: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    return this.#add(new Histogram(name, help, labelNames, bounds));
  }

  /** Every family in the text exposition format, `Content-Type: text/plain; version=0.0.4`. */
  expose(): string {
    let out = '';
    for (const family of this.#families.values()) out += family.write();
    return out;
  }
}

/** What `/metrics` answers with: the text format's media type (Prometheus' own name for it). */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
