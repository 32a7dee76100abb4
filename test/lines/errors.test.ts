import { LineError, LineSplitter, quoteBytes } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { latin1, lineErrorOf } from './helpers.ts';

describe('LineError', () => {
  it('carries a stable code, a message and an offset, and is an Error named LineError', () => {
    const error = new LineError('ERR_LINE_TOO_LONG', 'line longer than maxLineLength', 42);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LineError');
    expect(error.code).toBe('ERR_LINE_TOO_LONG');
    expect(error.offset).toBe(42);
    expect(error.message).toBe('line longer than maxLineLength');
    expect(String(error)).toBe('LineError: line longer than maxLineLength');
  });

  it('is what the splitter throws, with a message that says what was expected and no peer bytes', () => {
    const error = lineErrorOf(() =>
      new LineSplitter({ maxLineLength: 8 }).push(latin1('SECRET-PAYLOAD')),
    );
    expect(error.message).toMatch(/maxLineLength \(8 bytes\)/);
    expect(error.message).not.toContain('SECRET');
    expect(error.stack).toContain('LineError');
  });
});

describe('quoteBytes', () => {
  it('quotes at most 40 bytes, escaping control bytes, quotes and backslashes', () => {
    const bytes = new TextEncoder().encode(`a"b\\c\r\n${'x'.repeat(100)}`);
    expect(quoteBytes(bytes, 0, 3)).toBe('"a\\x22b"');
    expect(quoteBytes(bytes, 3, 7)).toBe('"\\x5cc\\x0d\\x0a"');
    expect(quoteBytes(bytes, 0, bytes.length)).toBe(
      `"a\\x22b\\x5cc\\x0d\\x0a${'x'.repeat(33)}..."`,
    );
  });
});
