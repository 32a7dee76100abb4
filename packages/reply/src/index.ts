export {
  isPositiveReply,
  type ReplyClass,
  type ReplyGroup,
  replyClass,
  replyGroup,
} from './code.js';
export { ReplyError, type ReplyErrorCode } from './errors.js';
export { formatReply } from './format.js';
export { parseReply, type ReplyHandler, ReplyParser, type ReplyParserOptions } from './parse.js';
export type { Reply } from './reply.js';
export { ReplyParserStream } from './stream.js';
