// ftp-srv 4.6.3 in this process, set up like the vsftpd harness: it listens (control and data) on
// 127.0.0.1 and advertises 127.0.0.2, which refuses connections.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FtpSrv } from 'ftp-srv';
import { freePort, freePortRange } from './ports.js';
import type { TlsFiles } from './temp.js';

export interface FtpSrvOptions {
  readonly tls?: TlsFiles;
  readonly implicit?: boolean;
  readonly pasvAddress?: string;
  readonly pasvPorts?: number;
  /** What LIST answers: `ls -l` lines (default) or EPLF (`ep`). */
  readonly fileFormat?: 'ls' | 'ep';
}

export interface FtpSrvServer {
  readonly port: number;
  readonly root: string;
  readonly uploads: string;
  /** Every command line ftp-srv has handled, as it received it (`raw`, before its own parse). */
  commands(): string[];
  stop(): Promise<void>;
}

/**
 * ftp-srv wants a bunyan logger; this one says nothing, but keeps the raw line of every command
 * ftp-srv traces as it handles it (`log.trace({ command }, 'Handle command')`).
 */
function recordingLogger(commands: string[]): Record<string, unknown> {
  const logger: Record<string, unknown> = {};
  for (const level of ['debug', 'info', 'warn', 'error', 'fatal']) logger[level] = () => {};
  logger['trace'] = (fields: { command?: { raw?: string; directive?: string } } | undefined) => {
    const command = fields?.command;
    if (command?.raw !== undefined) {
      commands.push(command.directive === 'PASS' ? 'PASS ********' : command.raw);
    }
  };
  logger['child'] = () => logger;
  return logger;
}

export async function startFtpSrv(dir: string, options: FtpSrvOptions = {}): Promise<FtpSrvServer> {
  const root = join(dir, 'ftpsrv-root');
  const uploads = join(root, 'pub');
  mkdirSync(uploads, { recursive: true });
  const port = await freePort();
  const range = await freePortRange(options.pasvPorts ?? 100);
  const pasvAddress = options.pasvAddress ?? '127.0.0.2';
  const commands: string[] = [];
  // ftp-srv installs process-wide SIGTERM/SIGINT/SIGQUIT handlers that exit the process; the
  // test runner owns its process, so they are taken off again below.
  const signals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const server = new FtpSrv({
    url: `${options.implicit ? 'ftps' : 'ftp'}://127.0.0.1:${port}`,
    // A function, so that ftp-srv advertises it even to local clients (see TOOLCHAIN.md).
    // biome-ignore lint/suspicious/noExplicitAny: typed as a string, but 4.6.3 calls a function.
    pasv_url: (() => pasvAddress) as any,
    pasv_min: range.min,
    pasv_max: range.max,
    anonymous: true,
    // biome-ignore lint/suspicious/noExplicitAny: typed as a function, but 4.6.3 also takes 'ls' and 'ep'.
    file_format: (options.fileFormat ?? 'ls') as any,
    greeting: ['ftp-srv for ftpwire tests'],
    ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}),
    // biome-ignore lint/suspicious/noExplicitAny: ftp-srv's typings want a real bunyan Logger.
    log: recordingLogger(commands) as any,
  });
  server.on('login', (_data, resolve) => resolve({ root }));
  // ftp-srv reports client socket errors here; without a listener they would be thrown.
  server.on('client-error', () => {});
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  await server.listen();
  return {
    port,
    root,
    uploads,
    commands: () => [...commands],
    stop: async () => {
      await server.close();
    },
  };
}
