export { LineError, type LineErrorCode } from './errors.js';
export { DEFAULT_MAX_LINE_LENGTH } from './options.js';
export { quoteBytes } from './quote.js';
export {
  type LineHandler,
  type LineRangeHandler,
  LineSplitter,
  type LineSplitterOptions,
  type TextLineHandler,
} from './splitter.js';
export { LineSplitterStream } from './stream.js';
export { type TelnetCommand, TelnetDecoder } from './telnet.js';
