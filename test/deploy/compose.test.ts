// examples/docker: HAProxy in front of two ftpwire-proxy instances in front of vsftpd. No
// container engine runs here, so the parts are checked against each other: every proxy command
// line parses with parseProxyArguments, the instances' passive ranges are disjoint and each goes
// through HAProxy to its own instance, health checks hit /healthz, and docker waits out a drain.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProxyArguments, parseProxyArguments } from '@ftpwire/proxy';
import { describe, expect, it } from 'vitest';
import { root } from './built.js';
import { readCompose } from './compose.js';

const dir = join(root, 'examples/docker');
const services = readCompose(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'));
const haproxy = readFileSync(join(dir, 'haproxy.cfg'), 'utf8');

const proxies = services
  .filter((service) => service.keys.get('build') === '../..')
  .map((service) => {
    const parsed = parseProxyArguments(service.command ?? []);
    if (parsed.command !== 'run') throw new Error(`${service.name} would not run a proxy`);
    return { service, parsed: parsed as ProxyArguments };
  });

describe('examples/docker', () => {
  it('builds two proxy instances from the repository Dockerfile, beside HAProxy and vsftpd', () => {
    expect(proxies).toHaveLength(2);
    expect(existsSync(join(dir, '../..', 'Dockerfile'))).toBe(true);
    const names = services.map((service) => service.name);
    expect(names).toContain('vsftpd');
    expect(services.find((s) => s.name === 'haproxy')?.keys.get('image')).toMatch(/^haproxy:/);
    expect(existsSync(join(dir, 'vsftpd.conf'))).toBe(true);
  });

  it('runs each instance against vsftpd, with its own passive range and the same public host', () => {
    const ranges = proxies.map(({ parsed }) => parsed.options.passivePorts!);
    expect(ranges[0]!.max).toBeLessThan(ranges[1]!.min);
    const hosts = new Set(proxies.map(({ parsed }) => parsed.options.publicHost));
    expect(hosts.size).toBe(1);
    for (const { parsed } of proxies) {
      expect(parsed.options.upstream).toEqual({ host: 'vsftpd', port: 21 });
      expect(parsed.options.metrics).toBeDefined();
      expect(parsed.logFormat).toBe('json');
    }
  });

  it('has HAProxy forward each passive range to its own instance, and check /healthz', () => {
    for (const { service, parsed } of proxies) {
      const { min, max } = parsed.options.passivePorts!;
      const frontend = new RegExp(
        `frontend (\\w+)\\n  bind :${min}-${max}\\n  default_backend (\\w+)`,
      ).exec(haproxy);
      expect(frontend, `${service.name}: a frontend for ${min}-${max}`).not.toBeNull();
      const backend = new RegExp(
        `backend ${frontend![2]}\\n(?:  #.*\\n)*  server (\\S+) (\\S+) send-proxy-v2\\n`,
      ).exec(haproxy);
      expect(backend?.[2], `${service.name}: its range goes to it alone`).toBe(service.name);
      const control = new RegExp(
        `server \\S+ ${service.name}:${parsed.options.listen.port} send-proxy-v2 check port ${parsed.options.metrics!.port}\\b`,
      );
      expect(haproxy).toMatch(control);
    }
    expect(haproxy).toMatch(/option httpchk GET \/healthz/);
    // The union of the ranges is what HAProxy publishes.
    const published = services.find((s) => s.name === 'haproxy')!.ports;
    const first = proxies[0]!.parsed.options.passivePorts!.min;
    const last = proxies[1]!.parsed.options.passivePorts!.max;
    expect(published).toContain(`${first}-${last}:${first}-${last}`);
  });

  it('has HAProxy send a PROXY header that each instance takes from HAProxy alone', () => {
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    const address = /haproxy:[\s\S]*?ipv4_address: ([\d.]+)/.exec(compose)?.[1];
    expect(address, "HAProxy's fixed address").toBeDefined();
    for (const { service, parsed } of proxies) {
      expect(parsed.options.proxyProtocolFrom, service.name).toEqual([`${address}/32`]);
    }
    // Control and passive backends alike: a data connection without its header is refused.
    const servers = haproxy.match(/^ {2}server .*$/gm) ?? [];
    expect(servers).toHaveLength(4);
    for (const line of servers) expect(line).toContain(' send-proxy-v2');
  });

  it('gives docker stop more time than the drain', () => {
    for (const { service, parsed } of proxies) {
      const grace = Number(/^(\d+)s$/.exec(service.keys.get('stop_grace_period') ?? '')?.[1]);
      expect(grace * 1000, service.name).toBeGreaterThan(parsed.options.drainTimeout ?? 30_000);
    }
  });

  it.skipIf(spawnSync('python3', ['-c', 'import yaml']).status !== 0)(
    'is read the same by a YAML parser (PyYAML) as by the reader above',
    () => {
      const dump = spawnSync(
        'python3',
        [
          '-c',
          'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)',
          join(dir, 'docker-compose.yml'),
        ],
        { encoding: 'utf8' },
      );
      expect(dump.status, dump.stderr).toBe(0);
      const parsed = JSON.parse(dump.stdout) as {
        services: Record<string, { command?: string[]; ports?: string[]; build?: unknown }>;
      };
      expect(Object.keys(parsed.services)).toEqual(services.map((service) => service.name));
      for (const service of services) {
        expect(parsed.services[service.name]!.command, service.name).toEqual(service.command);
        expect(parsed.services[service.name]!.ports ?? [], service.name).toEqual(service.ports);
      }
    },
  );

  it.skipIf(spawnSync('haproxy', ['-v']).status !== 0)('is a configuration HAProxy accepts', () => {
    const check = spawnSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], {
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
  });
});
