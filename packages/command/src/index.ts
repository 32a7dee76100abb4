/**
 * Parses and formats FTP client commands (RFC 959 §5.3): `VERB` or `VERB argument`, verbs
 * upper-cased, arguments kept byte for byte, one-shot (`parseCommand`) and streaming
 * (`CommandParser`, `CommandParserStream`). `formatCommand` refuses the CR, LF and NUL that
 * would let an argument smuggle in a second command.
 *
 * @module \@ftpwire/command
 */
export type { Command } from './command.js';
export { CommandError, type CommandErrorCode } from './errors.js';
export { type FormatCommandOptions, formatCommand } from './format.js';
export {
  type CommandHandler,
  CommandParser,
  type CommandParserOptions,
  parseCommand,
} from './parse.js';
export { CommandParserStream } from './stream.js';
