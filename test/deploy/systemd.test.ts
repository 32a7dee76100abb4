// examples/systemd: ExecStart names the launcher of an `npm install --prefix /opt/ftpwire-proxy`
// (the package's bin, which imports the built CLI), its --config is the example file and parses,
// reload sends SIGHUP, and systemd waits out a drain before it kills.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProxyArguments } from '@ftpwire/proxy';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './built.js';

const unitFile = join(root, 'examples/systemd/ftpwire-proxy.service');
const INSTALLED = '/opt/ftpwire-proxy/node_modules/@ftpwire/proxy/';
const CONFIG = '/etc/ftpwire-proxy/proxy.json';

/** The unit's keys by section (a key given twice keeps its last value, as systemd reads most). */
function readUnit(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(trimmed);
    if (header) {
      section = new Map();
      sections.set(header[1]!, section);
      continue;
    }
    const equals = trimmed.indexOf('=');
    section?.set(trimmed.slice(0, equals), trimmed.slice(equals + 1));
  }
  return sections;
}

describe('examples/systemd', () => {
  const service = readUnit(readFileSync(unitFile, 'utf8')).get('Service')!;
  const [node, launcher, ...args] = service.get('ExecStart')!.split(' ') as [
    string,
    string,
    ...string[],
  ];

  beforeAll(() => ensureBuilt(), 300_000);

  it('starts the launcher the package installs, which finds the built CLI', () => {
    expect(node).toBe('/usr/bin/node');
    expect(launcher.startsWith(INSTALLED)).toBe(true);
    const inPackage = launcher.slice(INSTALLED.length);
    const pkg = JSON.parse(readFileSync(join(root, 'packages/proxy/package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(Object.values(pkg.bin).map((file) => file.replace(/^\.\//, ''))).toContain(inPackage);
    expect(pkg.files).toContain(inPackage.split('/')[0]);
    expect(existsSync(join(root, 'packages/proxy', inPackage))).toBe(true);
    expect(readFileSync(join(root, 'packages/proxy', inPackage), 'utf8')).toContain(
      '../dist/cli.js',
    );
    expect(existsSync(join(root, 'packages/proxy/dist/cli.js'))).toBe(true);
  });

  it('reads the example config, which parses', () => {
    expect(args).toEqual(['--config', CONFIG]);
    const parsed = parseProxyArguments(args, (path) => {
      expect(path).toBe(CONFIG);
      return readFileSync(join(root, 'examples/systemd/proxy.json'), 'utf8');
    });
    expect(parsed).toMatchObject({ command: 'run', logFormat: 'json' });
  });

  it('reloads with SIGHUP, stops with SIGTERM, and waits longer than the drain', () => {
    expect(service.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(service.get('KillSignal')).toBe('SIGTERM');
    expect(service.get('RestartPreventExitStatus')).toBe('2');
    const parsed = parseProxyArguments(args, () =>
      readFileSync(join(root, 'examples/systemd/proxy.json'), 'utf8'),
    );
    if (parsed.command !== 'run') throw new Error('run expected');
    const drain = parsed.options.drainTimeout ?? 30_000;
    expect(Number(service.get('TimeoutStopSec')) * 1000).toBeGreaterThan(drain);
  });

  it.skipIf(
    spawnSync('systemd-analyze', ['--version']).status !== 0 || !existsSync('/usr/bin/node'),
  )('passes systemd-analyze verify', () => {
    const verify = spawnSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stderr).toBe('');
  });
});
