/**
 * Parses and formats FTP server replies (RFC 959 §4.2): single-line and multi-line, one-shot
 * (`parseReply`) and streaming (`ReplyParser`, `ReplyParserStream`), plus the meaning of a
 * reply code's digits. Strict where RFC 959 is, bounded in memory, and the same output for any
 * way the bytes are cut.
 *
 * @module \@ftpwire/reply
 */
export {
  isPositiveReply,
  type ReplyClass,
  type ReplyGroup,
  replyClass,
  replyGroup,
} from './code.js';
export { ReplyError, type ReplyErrorCode } from './errors.js';
export { formatReply } from './format.js';
export { ReplyFraming, type ReplyFramingOptions } from './framing.js';
export { parseReply, type ReplyHandler, ReplyParser, type ReplyParserOptions } from './parse.js';
export type { Reply } from './reply.js';
export { ReplyParserStream } from './stream.js';
