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
