// --config FILE: a JSON object of the command line's options, built on the same table and the
// same checks, so an option added to option-specs.ts works in a file with no code of its own.
import { ProxyError, parseProxyArguments } from '@ftpwire/proxy';
import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../packages/proxy/src/option-specs.ts';

const UPSTREAM = '10.0.1.121:21';

function withFile(text: string) {
  const read: string[] = [];
  return {
    read,
    reader: (path: string) => {
      read.push(path);
      if (path !== 'proxy.json') throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return text;
    },
  };
}

function parseWith(config: unknown, argv: string[] = []) {
  return parseProxyArguments(
    ['--config', 'proxy.json', ...argv],
    withFile(JSON.stringify(config)).reader,
  );
}

function failure(run: () => unknown): ProxyError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProxyError) return error;
    throw error;
  }
  throw new Error('expected a ProxyError');
}

/** A value of each kind the table names, valid on its own where the option allows it. */
const SAMPLES: Record<string, string> = {
  'HOST:PORT': '127.0.0.1:2100',
  IPV4: '127.0.0.3',
  'MIN-MAX': '40000-40099',
  MODE: 'relay',
  FILE: 'some.pem',
  VERB: 'SITE',
  SECS: '2.5',
  N: '64',
  FORMAT: 'json',
};

describe('--config', () => {
  it('reads the keys of the issue: the long names without --', () => {
    const parsed = parseWith({
      upstream: UPSTREAM,
      'passive-ports': '40000-40099',
      'allow-verb': ['SITE', 'XCHK'],
      'max-sessions': 64,
      'idle-timeout': 600,
      quiet: true,
      'insecure-upstream': false,
    });
    expect(parsed).toMatchObject({
      command: 'run',
      options: {
        upstream: { host: '10.0.1.121', port: 21 },
        passivePorts: { min: 40000, max: 40099 },
        allowVerbs: ['SITE', 'XCHK'],
        maxSessions: 64,
        idleTimeout: 600_000,
        upstreamTls: { verify: true },
      },
      quiet: true,
    });
  });

  it('lets the command line replace the file, a repeatable option entirely', () => {
    const parsed = parseWith(
      { upstream: UPSTREAM, 'allow-verb': ['SITE'], 'max-per-ip': 4, 'log-format': 'json' },
      ['--allow-verb', 'XCHK', '--max-per-ip', '2'],
    );
    if (parsed.command !== 'run') throw new Error('run expected');
    expect(parsed.options.allowVerbs).toEqual(['XCHK']);
    expect(parsed.options.maxPerIp).toBe(2);
    expect(parsed.logFormat).toBe('json');
    expect(parsed.options.upstream).toEqual({ host: '10.0.1.121', port: 21 });
  });

  it('takes one string for a repeatable option', () => {
    const parsed = parseWith({ upstream: UPSTREAM, 'allow-verb': 'SITE' });
    expect(parsed).toMatchObject({ options: { allowVerbs: ['SITE'] } });
  });

  it('refuses an unknown key, naming it (with a hint for a key written with --)', () => {
    expect(failure(() => parseWith({ upstream: UPSTREAM, 'passive-port': '1-2' })).message).toBe(
      'proxy.json: unknown key "passive-port"',
    );
    expect(failure(() => parseWith({ '--upstream': UPSTREAM })).message).toBe(
      'proxy.json: unknown key "--upstream" (write "upstream")',
    );
    for (const key of ['help', 'version', 'config']) {
      expect(failure(() => parseWith({ upstream: UPSTREAM, [key]: true })).message).toBe(
        `proxy.json: "${key}" cannot be set in a config file`,
      );
    }
  });

  it('refuses values of the wrong kind', () => {
    expect(failure(() => parseWith({ upstream: UPSTREAM, quiet: 'yes' })).message).toBe(
      'proxy.json: "quiet" takes true or false, got "yes"',
    );
    expect(failure(() => parseWith({ upstream: UPSTREAM, listen: ['127.0.0.1:21'] })).message).toBe(
      'proxy.json: "listen" takes one value, got a list',
    );
    expect(failure(() => parseWith({ upstream: { host: 'x' } })).message).toBe(
      'proxy.json: "upstream" takes a string or a number, got an object',
    );
    expect(failure(() => parseWith({ upstream: null })).message).toBe(
      'proxy.json: "upstream" takes a string or a number, got null',
    );
  });

  it('names the file and the key of a value that does not check, with offset -1', () => {
    const error = failure(() => parseWith({ upstream: UPSTREAM, 'passive-ports': '40099-40000' }));
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.offset).toBe(-1);
    expect(error.message).toBe(
      'proxy.json, key "passive-ports": --passive-ports expects MIN-MAX with MIN <= MAX, got "40099-40000"',
    );
    // A value on the command line keeps its argument's index.
    expect(failure(() => parseWith({ upstream: UPSTREAM }, ['--max-per-ip', '0'])).offset).toBe(3);
  });

  it('refuses a file that is not a JSON object, and says when it cannot be read', () => {
    const notJson = failure(() =>
      parseProxyArguments(['--config', 'proxy.json'], withFile('{upstream:').reader),
    );
    expect(notJson.message).toMatch(/^proxy\.json: not JSON: /);
    expect(failure(() => parseWith([UPSTREAM])).message).toBe(
      'proxy.json: expected a JSON object of options, got a list',
    );
    const missing = failure(() =>
      parseProxyArguments(['--upstream', UPSTREAM, '--config', 'gone.json'], withFile('{}').reader),
    );
    expect(missing.message).toBe('cannot read the config file gone.json: ENOENT');
    expect(missing.offset).toBe(3);
    expect(failure(() => parseProxyArguments(['--config', 'proxy.json'])).message).toMatch(
      /--config needs a way to read the file/,
    );
  });

  it('answers --help without reading the file', () => {
    const file = withFile('{}');
    expect(parseProxyArguments(['--config', 'proxy.json', '--help'], file.reader)).toEqual({
      command: 'help',
    });
    expect(file.read).toEqual([]);
  });

  it('law: every option of the table means the same in a file as on the command line', () => {
    for (const spec of OPTION_SPECS) {
      const key = spec.name.slice(2);
      if (['help', 'version', 'config', 'upstream'].includes(key)) continue;
      const sample = spec.value === undefined ? undefined : (SAMPLES[spec.value] ?? 'x');
      const argv = ['--upstream', UPSTREAM, spec.name, ...(sample === undefined ? [] : [sample])];
      const config = {
        upstream: UPSTREAM,
        [key]: sample === undefined ? true : spec.repeatable ? [sample] : sample,
      };
      let expected: unknown;
      try {
        expected = parseProxyArguments(argv);
      } catch (error) {
        const fromFile = failure(() => parseWith(config));
        expect(fromFile.code, spec.name).toBe((error as ProxyError).code);
        expect(fromFile.message, spec.name).toContain((error as ProxyError).message);
        continue;
      }
      expect(parseWith(config), spec.name).toEqual(expected);
    }
  });
});
