import { ListingError, parseFacts } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { listingErrorOf } from './helpers.js';

describe('ListingError', () => {
  it('is an Error named ListingError with a stable code, an offset and an optional cause', () => {
    const cause = new Error('underneath');
    const error = new ListingError('ERR_INVALID_FACT', 'bad size', 7, { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.offset, error.message]).toEqual([
      'ListingError',
      'ERR_INVALID_FACT',
      7,
      'bad size',
    ]);
    expect(error.cause).toBe(cause);
  });

  it('quotes at most 40 characters of a hostile line in its message', () => {
    const error = listingErrorOf(() => parseFacts(`type=file;${'x'.repeat(100_000)}`));
    expect(error.message.length).toBeLessThan(160);
    expect(error.message).toContain('...');
  });
});
