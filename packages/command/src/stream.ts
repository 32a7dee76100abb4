import type { Command } from './command.js';
import { CommandParser, type CommandParserOptions } from './parse.js';

/**
 * `CommandParser` as a Web `TransformStream`: bytes from the client in, commands out.
 * The stream errors with a `CommandError` on a line that is too long, or on a malformed line
 * unless `onMalformedLine` is given.
 *
 * @example
 * ```ts
 * const commands = clientBytes.pipeThrough(new CommandParserStream({ telnet: true }));
 * for await (const command of commands) console.log(command.verb, command.argument);
 * ```
 */
export class CommandParserStream extends TransformStream<Uint8Array, Command> {
  constructor(options: Omit<CommandParserOptions, 'onCommand'> = {}) {
    let parser: CommandParser;
    super({
      start(controller) {
        parser = new CommandParser({
          ...options,
          onCommand: (command) => controller.enqueue(command),
        });
      },
      transform(chunk) {
        parser.push(chunk);
      },
      flush() {
        parser.end();
      },
    });
  }
}
