import { ReplyParser, type ReplyParserOptions } from './parse.js';
import type { Reply } from './reply.js';

/**
 * `ReplyParser` as a Web `TransformStream`: bytes of the control connection in, replies out.
 * The stream errors with a `ReplyError` on malformed input or an unclosed reply at the end.
 *
 * @example
 * ```ts
 * const replies = controlBytes.pipeThrough(new ReplyParserStream());
 * for await (const reply of replies) console.log(reply.code, reply.text);
 * ```
 */
export class ReplyParserStream extends TransformStream<Uint8Array, Reply> {
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
