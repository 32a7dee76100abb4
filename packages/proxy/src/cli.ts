#!/usr/bin/env node
// `ftpwire-proxy`: the command-line face of FtpProxy. Reads options (see --help), loads the TLS
// files, logs one line per session event and per rewrite to stderr, and shuts down cleanly on
// SIGINT or SIGTERM (a second signal exits at once).
import { readFileSync } from 'node:fs';
// The package by its own name: the built CLI then shares dist/index.js instead of a copy.
import {
  createStreamLogger,
  FtpProxy,
  type ParsedArguments,
  ProxyError,
  type ProxyOptions,
  parseProxyArguments,
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
    parsed = parseProxyArguments(argv);
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
  const log = createStreamLogger((text) => process.stderr.write(text));
  let proxy: FtpProxy;
  try {
    const options: ProxyOptions = {
      ...parsed.options,
      ...(parsed.tlsCertFile && parsed.tlsKeyFile
        ? {
            tls: {
              cert: readPem(parsed.tlsCertFile, 'certificate'),
              key: readPem(parsed.tlsKeyFile, 'key'),
            },
          }
        : {}),
      upstreamTls: {
        ...parsed.options.upstreamTls,
        ...(parsed.upstreamCaFile ? { ca: readPem(parsed.upstreamCaFile, 'CA file') } : {}),
      },
      log: parsed.quiet
        ? // Per-session lines only when something went wrong; start and stop always.
          (line) =>
            !line.startsWith('session ') || /ERR_|refused/.test(line) ? log(line) : undefined
        : log,
    };
    proxy = new FtpProxy(options);
    await proxy.listen();
  } catch (error) {
    let message = (error as Error).message;
    if (parsed.upstreamCaFile && message.startsWith('the upstream CA')) {
      message += ` (--upstream-ca ${parsed.upstreamCaFile})`;
    }
    process.stderr.write(`ftpwire-proxy: ${message}\n`);
    return error instanceof ProxyError && error.code === 'ERR_INVALID_OPTION' ? 2 : 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`${signal} again: exiting at once`);
        process.exit(1);
      }
      stopping = true;
      log(`${signal}: closing every session`);
      proxy.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
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
