import { ReplyParser, type ReplyParserOptions } from './parse.js';
import type { Reply } from './reply.js';

/**
 * `ReplyParser` as a Web `TransformStream`: bytes of the control connection in, replies out.
 * The stream errors with a `ReplyError` on malformed input or an unclosed reply at the end.
 *
 * @example
 * ```ts
 * import { ReplyParserStream } from '@ftpwire/reply';
 *
 * const control = new Blob(['220 (vsFTPd 3.0.3)\r\n211-Features:\r\n', ' EPSV\r\n211 End\r\n']);
 * const codes: number[] = [];
 * for await (const reply of control.stream().pipeThrough(new ReplyParserStream())) {
 *   codes.push(reply.code);
 * }
 * codes; // => [220, 211]
 * ```
 */
export class ReplyParserStream extends TransformStream<Uint8Array, Reply> {
  /**
   * Takes the options of `ReplyParser` but `onReply`: every reply goes to the readable side.
   * Throws `ReplyError` `ERR_INVALID_OPTION` for a limit that is not a positive integer.
   */
  constructor(options: Omit<ReplyParserOptions, 'onReply'> = {}) {
    let parser: ReplyParser;
    super({
      start(controller) {
        parser = new ReplyParser({ ...options, onReply: (reply) => controller.enqueue(reply) });
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
