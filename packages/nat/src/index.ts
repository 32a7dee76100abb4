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
