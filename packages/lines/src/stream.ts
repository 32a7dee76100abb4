import { LineSplitter, type LineSplitterOptions } from './splitter.js';

/**
 * `LineSplitter` as a Web `TransformStream`: bytes in, one `Uint8Array` per line out.
 *
 * It errors with a `LineError` when a line passes `maxLineLength`.
 *
 * @example
 * ```ts
 * import { LineSplitterStream } from '@ftpwire/lines';
 *
 * const control = new Blob(['220-Welcome\r\n', '220 ready\r\n']).stream();
 * const lines: string[] = [];
 * for await (const line of control.pipeThrough(new LineSplitterStream())) {
 *   lines.push(new TextDecoder().decode(line));
 * }
 * lines; // => ['220-Welcome', '220 ready']
 * ```
 */
export class LineSplitterStream extends TransformStream<Uint8Array, Uint8Array> {
  /**
   * Takes the options of `LineSplitter` but its handlers: every line goes to the readable
   * side. Throws `LineError` `ERR_INVALID_OPTION` for a bad `maxLineLength`.
   */
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
