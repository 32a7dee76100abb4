import { LineSplitter, type LineSplitterOptions } from './splitter.js';

/**
 * `LineSplitter` as a Web `TransformStream`: bytes in, one `Uint8Array` per line out.
 *
 * @example
 * ```ts
 * for await (const line of response.body.pipeThrough(new LineSplitterStream())) {
 *   console.log(new TextDecoder().decode(line));
 * }
 * ```
 */
export class LineSplitterStream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(options: Omit<LineSplitterOptions, 'onLine' | 'onLineRange'> = {}) {
    // The stream delivers every line itself: a handler left in the options (onLineRange takes
    // precedence over onLine) would divert the lines away from the readable side.
    const {
      onLine: _onLine,
      onLineRange: _onLineRange,
      ...splitterOptions
    } = options as LineSplitterOptions;
    let splitter: LineSplitter;
    super({
      start(controller) {
        splitter = new LineSplitter({
          ...splitterOptions,
          onLine: (line) => controller.enqueue(line),
        });
      },
      transform(chunk) {
        splitter.push(chunk);
      },
      flush() {
        splitter.end();
      },
    });
  }
}
