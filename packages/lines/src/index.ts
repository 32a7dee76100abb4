/**
 * Splits the bytes of an FTP control connection into lines: CRLF ends a line, a bare LF is
 * tolerated, a line longer than `maxLineLength` is an error as soon as it passes the limit, and
 * Telnet commands (RFC 854) can be taken out first. The other ftpwire packages read through it.
 *
 * @module \@ftpwire/lines
 */
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
export { isLosslessDecoding } from './text.js';
