/**
 * What a NAT, firewall or proxy puts on the clear FTP control stream so that passive and
 * active FTP work through address translation: 227 replies rewritten to a public address
 * only when they answer a PASV, PORT and EPRT rewritten only when they name the client,
 * bounces refused, everything else passed byte for byte. `NatSession` for Web Streams,
 * `NatRewriter` for your own I/O, `@ftpwire/nat/node` for `node:stream`.
 *
 * @module \@ftpwire/nat
 */
export type { NatStreamOptions } from './deliver.js';
export { NatError, type NatErrorCode } from './errors.js';
export type { StreamRewriter } from './line-rewriter.js';
export type {
  HostMap,
  NatDirection,
  NatOptions,
  NatState,
  PortMap,
  PortRange,
  RewriteEvent,
  SkipEvent,
  SkipReason,
  StateChangeEvent,
} from './options.js';
export { NatRewriter, ReplyRewriter } from './session.js';
export type { Emit } from './state.js';
export { createReplyRewriteStream, NatSession, ReplyRewriteStream } from './stream.js';
