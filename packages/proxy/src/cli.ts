#!/usr/bin/env node
// `ftpwire-proxy`: the command-line face of FtpProxy. Reads options (see --help; --config adds a
// JSON file under them), loads the TLS files, logs one event per session event and per rewrite
// to stderr (text or JSON lines), reloads the TLS files on SIGHUP, drains on SIGTERM and closes
// at once on SIGINT (a second signal exits at once).
import { readFileSync } from 'node:fs';
// The package by its own name: the built CLI then shares dist/index.js instead of a copy.
import {
  createStreamLogger,
  FtpProxy,
  type LogLevel,
  type ParsedArguments,
  ProxyError,
  type ProxyLogger,
  type ProxyOptions,
  parseProxyArguments,
  type TlsReload,
  USAGE,
} from '@ftpwire/proxy';

declare const __VERSION__: string | undefined;

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ProxyError(
      'ERR_INVALID_OPTION',
      `cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ParsedArguments;
  try {
    parsed = parseProxyArguments(argv, (file) => readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof ProxyError) {
      process.stderr.write(`ftpwire-proxy: ${error.message}\nTry 'ftpwire-proxy --help'.\n`);
      return 2;
    }
    throw error;
  }
  if (parsed.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.command === 'version') {
    process.stdout.write(
      `ftpwire-proxy ${typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'}\n`,
    );
    return 0;
  }
  const log = createStreamLogger((text) => process.stderr.write(text), parsed.logFormat);
  const { tlsCertFile, tlsKeyFile, upstreamCaFile } = parsed;
  // The TLS files as they are on disk now: at start, and again on each SIGHUP.
  const readTls = (): TlsReload => ({
    ...(tlsCertFile && tlsKeyFile
      ? {
          tls: {
            cert: readPem(tlsCertFile, 'certificate'),
            key: readPem(tlsKeyFile, 'key'),
          },
        }
      : {}),
    ...(upstreamCaFile ? { upstreamCa: readPem(upstreamCaFile, 'CA file') } : {}),
  });
  // SIGINT closes every session, SIGTERM drains, SIGHUP reloads the TLS files; resolves with the
  // exit code once stopped. A stop waits for `ready`, the listen under way.
  const handleSignals = (ready: Promise<unknown>) =>
    new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          note(log, `${signal} again: exiting at once`, 'signal', 'warn', { signal });
          process.exit(1);
        }
        stopping = true;
        // SIGTERM (what supervisors send) drains: transfers finish, up to --drain-timeout;
        // SIGINT (Ctrl-C) closes every session at once.
        const drain = signal === 'SIGTERM';
        note(
          log,
          `${signal}: ${drain ? 'draining, then closing' : 'closing every session'}`,
          'signal',
          'info',
          { signal },
        );
        ready
          .then(
            () => undefined,
            () => undefined,
          )
          .then(() => (drain ? proxy.drain() : proxy.close()))
          .then(
            () => resolve(0),
            () => resolve(1),
          );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      process.on('SIGHUP', () => {
        if (!tlsCertFile && !upstreamCaFile) {
          note(log, 'SIGHUP: no TLS files to reload', 'signal', 'info', { signal: 'SIGHUP' });
          return;
        }
        note(log, 'SIGHUP: reloading the TLS files', 'signal', 'info', { signal: 'SIGHUP' });
        try {
          proxy.reloadTls(readTls);
        } catch {
          // Logged by the proxy (tls_reload): it keeps the material it had.
        }
      });
    });
  let proxy: FtpProxy;
  let stopped: Promise<number>;
  try {
    const { tls, upstreamCa } = readTls();
    const options: ProxyOptions = {
      ...parsed.options,
      ...(tls ? { tls } : {}),
      upstreamTls: {
        ...parsed.options.upstreamTls,
        ...(upstreamCa ? { ca: upstreamCa } : {}),
      },
      log: parsed.quiet
        ? // Per-session events only when something went wrong; the proxy's own always.
          (line, event) =>
            event.session === undefined || event.level !== 'info' ? log(line, event) : undefined
        : log,
    };
    proxy = new FtpProxy(options);
    const ready = proxy.listen();
    // Signals are handled from before `listening on` is logged: whoever waits for that line (a
    // supervisor, a test) may signal at once.
    stopped = handleSignals(ready);
    await ready;
  } catch (error) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.removeAllListeners(signal);
    let message = (error as Error).message;
    if (parsed.upstreamCaFile && message.startsWith('the upstream CA')) {
      message += ` (--upstream-ca ${parsed.upstreamCaFile})`;
    }
    process.stderr.write(`ftpwire-proxy: ${message}\n`);
    return error instanceof ProxyError && error.code === 'ERR_INVALID_OPTION' ? 2 : 1;
  }
  return stopped;
}

/** A line of the CLI's own, as the proxy's are written. */
function note(
  log: ProxyLogger,
  message: string,
  event: string,
  level: LogLevel,
  fields: Record<string, string>,
): void {
  log(message, {
    level,
    event,
    session: undefined,
    client: undefined,
    upstream: undefined,
    message,
    fields,
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ftpwire-proxy: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
