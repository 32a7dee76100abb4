import { X509Certificate } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { ProxyError } from './errors.js';
import { proxyEvent } from './log.js';
import type { ProxyLogger, ResolvedProxyOptions, TlsIdentity } from './options.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import { createClientContext, type UpstreamTlsParameters, upstreamTlsParameters } from './tls.js';

/**
 * What {@link FtpProxy.reloadTls} replaces: the identity shown to clients, the CAs trusted for
 * the server, or both. What is left out stays as it was.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { TlsReload } from '@ftpwire/proxy';
 *
 * // What the CLI reads again on SIGHUP: the files named by --tls-cert, --tls-key, --upstream-ca.
 * function reread(cert: string, key: string, ca?: string): TlsReload {
 *   return {
 *     tls: { cert: readFileSync(cert), key: readFileSync(key) },
 *     ...(ca === undefined ? {} : { upstreamCa: readFileSync(ca) }),
 *   };
 * }
 * const nothing: TlsReload = {};
 * Object.keys(nothing).length; // => 0
 * typeof reread; // => 'function'
 * ```
 */
export interface TlsReload {
  /** A new certificate and key for clients. The proxy must have started with `tls`. */
  readonly tls?: TlsIdentity;
  /** New PEM certificates to trust for the server (as `upstreamTls.ca`). */
  readonly upstreamCa?: string | Uint8Array;
}

/**
 * The TLS material new sessions are given. A reload builds everything first and swaps only
 * when all of it loaded, so a half-written file never leaves the proxy with half a change.
 */
export class TlsState {
  #clientContext: SecureContext | undefined;
  #upstreamTls: UpstreamTlsParameters;
  readonly #metrics: ProxyMetrics;

  constructor(options: ResolvedProxyOptions, metrics: ProxyMetrics) {
    this.#metrics = metrics;
    this.#clientContext = options.tls ? createClientContext(options.tls) : undefined;
    this.#upstreamTls = upstreamTlsParameters(options);
    if (options.tls) this.#showExpiry(options.tls);
  }

  get clientContext(): SecureContext | undefined {
    return this.#clientContext;
  }

  get upstreamTls(): UpstreamTlsParameters {
    return this.#upstreamTls;
  }

  /** Loads what `load` gives; returns the options new sessions run with. Throws on failure. */
  reload(
    load: () => TlsReload,
    options: ResolvedProxyOptions,
    log: ProxyLogger | undefined,
  ): ResolvedProxyOptions {
    try {
      const material = load();
      if (material.tls !== undefined && options.tls === undefined) {
        throw new ProxyError(
          'ERR_INVALID_OPTION',
          'the proxy started without a TLS certificate; a reload cannot add one',
        );
      }
      const clientContext = material.tls ? createClientContext(material.tls) : this.#clientContext;
      const next: ResolvedProxyOptions = {
        ...options,
        tls: material.tls ?? options.tls,
        upstreamTls:
          material.upstreamCa === undefined
            ? options.upstreamTls
            : { ...options.upstreamTls, ca: material.upstreamCa },
      };
      // Checks the CA file as at start: one that holds no certificate would verify nothing.
      const upstreamTls = upstreamTlsParameters(next);
      this.#clientContext = clientContext;
      this.#upstreamTls = upstreamTls;
      if (material.tls) this.#showExpiry(material.tls);
      this.#metrics.tlsReloads.labels('ok').inc();
      const what = [material.tls && 'certificate and key', material.upstreamCa && 'upstream CA']
        .filter(Boolean)
        .join(' and ');
      proxyEvent(log, `TLS reloaded: ${what || 'nothing to reload'}, for new sessions`, {
        event: 'tls_reload',
        fields: {
          result: 'ok',
          certificate: material.tls !== undefined,
          upstream_ca: material.upstreamCa !== undefined,
        },
      });
      return next;
    } catch (error) {
      // A file that cannot be read (ENOENT, EACCES) is a configuration error like a bad one.
      const failure =
        error instanceof ProxyError
          ? error
          : new ProxyError('ERR_INVALID_OPTION', (error as Error).message ?? String(error));
      this.#metrics.tlsReloads.labels('failed').inc();
      proxyEvent(log, `TLS reload failed, keeping the previous material: ${failure.message}`, {
        event: 'tls_reload',
        level: 'error',
        fields: { result: 'failed', code: failure.code, error: failure.message },
      });
      throw failure;
    }
  }

  #showExpiry(identity: TlsIdentity): void {
    try {
      const cert = new X509Certificate(
        typeof identity.cert === 'string' ? identity.cert : Buffer.from(identity.cert),
      );
      this.#metrics.certificateExpiry = Math.floor(Date.parse(cert.validTo) / 1000);
    } catch {
      // The context loaded it, so Node reads it; a form X509Certificate cannot read only loses the gauge.
    }
  }
}
