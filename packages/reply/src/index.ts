/**
 * Parses and formats FTP server replies (RFC 959 §4.2): single-line and multi-line, one-shot
 * (`parseReply`) and streaming (`ReplyParser`, `ReplyParserStream`), plus the meaning of a
 * reply code's digits and of the replies a client acts on: the path of a 257, the features of
 * FEAT, the size and time of SIZE and MDTM, the transfer size of a 150, RFC 3659 time-vals.
 * Strict where RFC 959 is, bounded in memory, and the same output for any way the bytes are cut.
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
export { formatFeatureReply, parseFeatureReply } from './features.js';
export { formatReply } from './format.js';
export { ReplyFraming, type ReplyFramingOptions } from './framing.js';
export { parseModificationTimeReply } from './modification-time.js';
export { parseReply, type ReplyHandler, ReplyParser, type ReplyParserOptions } from './parse.js';
export { formatPathnameReply, parsePathnameReply } from './pathname.js';
export type { Reply } from './reply.js';
export { parseSizeReply } from './size.js';
export { ReplyParserStream } from './stream.js';
export { formatTimeVal, parseTimeVal } from './time-val.js';
export { parseTransferSize } from './transfer-size.js';
