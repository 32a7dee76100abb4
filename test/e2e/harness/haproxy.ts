// HAProxy (Debian's 2.6) in TCP mode in front of ftpwire-proxy instances, on loopback only: one
// frontend for the control port balancing over the instances, and for each instance one frontend
// for its passive range forwarding to it (a server without a port keeps the port the client
// dialled). Every backend connection leaves from SOURCE and starts with a PROXY v2 header.

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForListening } from './wait.js';

export const HAPROXY = '/usr/sbin/haproxy';
/** Where HAProxy's connections to the instances come from: what they trust. */
export const HAPROXY_SOURCE = '127.0.0.20';

/** Why HAProxy cases cannot run here, or undefined when they can. */
export function haproxyUnavailable(): string | undefined {
  return existsSync(HAPROXY) ? undefined : `${HAPROXY} is not installed (apt-get install haproxy)`;
}

export interface Instance {
  readonly host: string;
  readonly port: number;
  readonly passive: { readonly min: number; readonly max: number };
}

export interface HaproxyFrontends {
  /** The address clients reach HAProxy at: the instances' --public-host. */
  readonly host: string;
  /** Control port balancing round-robin over every instance. */
  readonly control: number;
  /** Control port going to the first instance only. */
  readonly firstOnly: number;
}

export interface Haproxy {
  log(): string;
  stop(): Promise<void>;
}

export async function startHaproxy(
  dir: string,
  frontends: HaproxyFrontends,
  instances: readonly Instance[],
): Promise<Haproxy> {
  const server = (name: string, instance: Instance, port = true) =>
    `  server ${name} ${instance.host}${port ? `:${instance.port}` : ''} send-proxy-v2`;
  const config = [
    'global',
    '  maxconn 256',
    'defaults',
    '  mode tcp',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    `  source ${HAPROXY_SOURCE}`,
    'frontend control',
    `  bind ${frontends.host}:${frontends.control}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    ...instances.map((instance, index) => server(`i${index}`, instance)),
    'frontend first_only',
    `  bind ${frontends.host}:${frontends.firstOnly}`,
    '  default_backend first_only',
    'backend first_only',
    server('i0', instances[0]!),
    ...instances.flatMap((instance, index) => [
      `frontend passive${index}`,
      `  bind ${frontends.host}:${instance.passive.min}-${instance.passive.max}`,
      `  default_backend passive${index}`,
      `backend passive${index}`,
      server(`i${index}`, instance, false),
    ]),
  ];
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, `${config.join('\n')}\n`);
  const child = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  await waitForListening('haproxy', frontends.host, frontends.control, child, 10_000, 50).catch(
    (error: Error) => {
      throw new Error(`${error.message}: ${output}`);
    },
  );
  return {
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
