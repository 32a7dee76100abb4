// A strict reader of the Prometheus text exposition format (0.0.4), written for the tests from the
// format's description, not from the proxy's writer: every line is a HELP, a TYPE or a sample;
// names and labels follow the data model; label values are unescaped; each family's HELP and
// TYPE come before its samples; histograms have cumulative buckets ending in +Inf equal to
// _count. Anything else throws, naming the line.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new Error(`line ${line}: not a sample value: ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** Reads `{a="x",b="y\"z"}` from `at` (the brace); returns the labels and where it ended. */
function parseLabels(
  text: string,
  at: number,
  line: number,
): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  const fail = (why: string): never => {
    throw new Error(`line ${line}: ${why} at column ${i}: ${JSON.stringify(text)}`);
  };
  while (text[i] !== '}') {
    const equals = text.indexOf('=', i);
    if (equals < 0) fail('label without =');
    const name = text.slice(i, equals);
    if (!LABEL.test(name)) fail(`bad label name ${JSON.stringify(name)}`);
    if (name in labels) fail(`label ${name} twice`);
    i = equals + 1;
    if (text[i] !== '"') fail('label value not quoted');
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('unclosed label value');
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else fail(`bad escape \\${next}`);
        i += 2;
        continue;
      }
      if (c === '\n') fail('raw line feed in a label value');
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail('expected , or }');
  }
  return { labels, end: i + 1 };
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** The base name of a sample: histogram series belong to the family without their suffix. */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(name);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const family = families.get(name.slice(0, -suffix.length));
      if (family?.type === 'histogram' || family?.type === 'summary') return family;
    }
  }
  return undefined;
}

export function parseExposition(text: string): Map<string, Family> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with LF');
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.startsWith('# HELP ')) {
      const rest = raw.slice(7);
      const space = rest.indexOf(' ');
      const name = space < 0 ? rest : rest.slice(0, space);
      if (!NAME.test(name)) throw new Error(`line ${line}: bad metric name in HELP`);
      if (helps.has(name) || families.has(name)) throw new Error(`line ${line}: ${name} again`);
      helps.set(name, space < 0 ? '' : unescapeHelp(rest.slice(space + 1)));
      return;
    }
    if (raw.startsWith('# TYPE ')) {
      const [name = '', type = '', extra] = raw.slice(7).split(' ');
      if (!NAME.test(name) || extra !== undefined) throw new Error(`line ${line}: bad TYPE`);
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) {
        throw new Error(`line ${line}: unknown type ${type}`);
      }
      if (families.has(name)) throw new Error(`line ${line}: TYPE of ${name} again`);
      families.set(name, {
        name,
        help: helps.get(name) ?? '',
        type: type as Family['type'],
        samples: [],
      });
      return;
    }
    if (raw.startsWith('#') || raw === '') throw new Error(`line ${line}: stray ${raw}`);
    const brace = raw.indexOf('{');
    const firstSpace = raw.indexOf(' ');
    const nameEnd = brace >= 0 && brace < firstSpace ? brace : firstSpace;
    const name = raw.slice(0, nameEnd);
    if (!NAME.test(name)) throw new Error(`line ${line}: bad sample name ${JSON.stringify(name)}`);
    let labels: Record<string, string> = {};
    let rest = nameEnd;
    if (raw[nameEnd] === '{') ({ labels, end: rest } = parseLabels(raw, nameEnd, line));
    if (raw[rest] !== ' ') throw new Error(`line ${line}: expected a space before the value`);
    const [valueText = '', timestamp, extra] = raw.slice(rest + 1).split(' ');
    if (extra !== undefined || (timestamp !== undefined && !/^-?\d+$/.test(timestamp))) {
      throw new Error(`line ${line}: trailing text`);
    }
    const family = familyOf(name, families);
    if (family === undefined) throw new Error(`line ${line}: ${name} has no TYPE before it`);
    family.samples.push({ name, labels, value: parseValue(valueText, line) });
  });
  for (const family of families.values()) checkFamily(family);
  return families;
}

/** What the format requires of each family's samples. */
function checkFamily(family: Family): void {
  if (family.type === 'counter') {
    for (const sample of family.samples) {
      if (!(sample.value >= 0)) throw new Error(`${sample.name}: a counter below 0`);
    }
  }
  if (family.type !== 'histogram') return;
  const series = new Map<string, Sample[]>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), sample]);
  }
  for (const samples of series.values()) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`);
    const count = samples.find((s) => s.name === `${family.name}_count`);
    const sum = samples.find((s) => s.name === `${family.name}_sum`);
    if (!count || !sum || buckets.length === 0) throw new Error(`${family.name}: incomplete`);
    let previous = Number.NEGATIVE_INFINITY;
    let cumulative = 0;
    for (const bucket of buckets) {
      const le = parseValue(bucket.labels['le'] ?? '', 0);
      if (!(le > previous)) throw new Error(`${family.name}: buckets out of order`);
      if (bucket.value < cumulative) throw new Error(`${family.name}: buckets not cumulative`);
      previous = le;
      cumulative = bucket.value;
    }
    if (previous !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}: no +Inf bucket`);
    if (cumulative !== count.value) throw new Error(`${family.name}: +Inf bucket is not _count`);
  }
}

/** The value of one series, or undefined when it is not there. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      const keys = Object.keys(sample.labels);
      if (
        keys.length === Object.keys(labels).length &&
        keys.every((key) => sample.labels[key] === labels[key])
      ) {
        return sample.value;
      }
    }
  }
  return undefined;
}
