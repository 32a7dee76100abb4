import { LineError } from './errors.js';

/** CPython's ftplib `_MAXLINE`, the limit it adopted after unbounded lines let a server exhaust client memory. */
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
