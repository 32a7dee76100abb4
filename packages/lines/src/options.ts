import { LineError } from './errors.js';

/**
 * The default `maxLineLength`, 8192 bytes: CPython's ftplib `_MAXLINE`, the limit it adopted
 * after unbounded lines let a server exhaust client memory. Every ftpwire package that reads
 * lines uses it unless told otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_LINE_LENGTH, LineSplitter } from '@ftpwire/lines';
 *
 * DEFAULT_MAX_LINE_LENGTH; // => 8192
 * // A server that accepts long SITE commands can allow more, and is still bounded.
 * const splitter = new LineSplitter({ maxLineLength: 4 * DEFAULT_MAX_LINE_LENGTH });
 * splitter.push(new TextEncoder().encode(`SITE ${'x'.repeat(20000)}\r\n`)).length; // => 1
 * ```
 */
export const DEFAULT_MAX_LINE_LENGTH = 8192;

/** Validates a length limit given by the user; shared by every package that takes one. */
export function checkLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new LineError(
      'ERR_INVALID_OPTION',
      `${name} must be a positive integer, got ${value}`,
      0,
    );
  }
  return value;
}
