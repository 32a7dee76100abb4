// Free ports picked at run time, so that test files and other runs on the machine never collide.
import { createServer } from 'node:net';

/** A port free on `host` right now (the system's pick). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A range of `count` consecutive ports free on every host given, chosen at random between
 * 20000 and 32000 (below Linux's ephemeral range, so outgoing connections do not take them).
 */
export async function freePortRange(
  count: number,
  hosts: readonly string[] = ['127.0.0.1'],
): Promise<{ min: number; max: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = 20000 + Math.floor(Math.random() * (12000 - count));
    let free = true;
    for (let port = min; port < min + count && free; port++) {
      for (const host of hosts) {
        if (!(await isFree(host, port))) {
          free = false;
          break;
        }
      }
    }
    if (free) return { min, max: min + count - 1 };
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
