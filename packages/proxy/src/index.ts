export {
  type ParsedArguments,
  type ProxyArguments,
  parseProxyArguments,
  USAGE,
} from './arguments.js';
export type { DataRelayResult } from './data-relay.js';
export { ProxyError, type ProxyErrorCode } from './errors.js';
export { FtpProxy, type ProxyStats } from './gateway.js';
export { createStreamLogger } from './log.js';
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
