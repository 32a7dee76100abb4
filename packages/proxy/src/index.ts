/**
 * `ftpwire-proxy`: an FTP/FTPS application-level gateway for servers behind NAT, built on
 * `@ftpwire/nat`. It relays the control connection, rewrites the passive address, relays
 * passive and active data connections, and terminates TLS on both sides, so that FTPS works
 * through a NAT that cannot read the encrypted 227 reply. Node only. This is the API the CLI
 * is made of, for embedding the gateway in a program.
 *
 * @module \@ftpwire/proxy
 */
export {
  type ParsedArguments,
  type ProxyArguments,
  parseProxyArguments,
  USAGE,
} from './arguments.js';
export type { DataRelayResult } from './data-relay.js';
export { ProxyError, type ProxyErrorCode } from './errors.js';
export { FtpProxy, type ProxyStats } from './gateway.js';
export type { UpstreamDataPolicy, UpstreamTlsMode } from './legs.js';
export {
  createStreamLogger,
  type LogFormat,
  type LogLevel,
  type LogValue,
  type ProxyLogEvent,
} from './log.js';
export type {
  ActiveMode,
  Endpoint,
  PassiveMode,
  PortRange,
  ProxyLogger,
  ProxyOptions,
  ResolvedProxyOptions,
  TlsIdentity,
  UpstreamTlsOptions,
} from './options.js';
export type { TlsReload } from './tls-reload.js';
