import type { Command } from './command.js';
import { CommandParser, type CommandParserOptions } from './parse.js';

/**
 * `CommandParser` as a Web `TransformStream`: bytes from the client in, commands out.
 * The stream errors with a `CommandError` on a line that is too long, or on a malformed line
 * unless `onMalformedLine` is given.
 *
 * @example
 * ```ts
 * import { CommandParserStream } from '@ftpwire/command';
 *
 * const client = new Blob(['USER anna\r\nPA', 'SS secret\r\nEPSV\r\n']).stream();
 * const verbs: string[] = [];
 * for await (const command of client.pipeThrough(new CommandParserStream({ telnet: true }))) {
 *   verbs.push(command.verb);
 * }
 * verbs; // => ['USER', 'PASS', 'EPSV']
 * ```
 */
export class CommandParserStream extends TransformStream<Uint8Array, Command> {
  /**
   * Takes the options of `CommandParser` but `onCommand`: every command goes to the readable
   * side. Throws `CommandError` `ERR_INVALID_OPTION` for a bad `maxLineLength`.
   */
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
