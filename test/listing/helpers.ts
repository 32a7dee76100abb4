/** Helpers for the listing tests. */
import {
  type ListEntry,
  ListingError,
  ListingParser,
  type ListingParserOptions,
  type MlsxEntry,
} from '@ftpwire/listing';

export { chunksOf, concat, latin1, readAll, splitAt, streamOf, utf8 } from '../lines/helpers.ts';

/** A moment to date year-less Unix lines against, the same in every test. */
export const NOW = new Date('2026-11-27T12:00:00Z');

/** Runs `step` and returns the `ListingError` it throws; fails if it throws nothing or something else. */
export function listingErrorOf(step: () => unknown): ListingError {
  try {
    step();
  } catch (error) {
    if (error instanceof ListingError) return error;
    throw error;
  }
  throw new Error('expected a ListingError, nothing was thrown');
}

/** What a stream parser made of chunks: entries, skipped lines and the error, in order. */
export function parseChunks(
  chunks: readonly Uint8Array[],
  options: Omit<ListingParserOptions, 'onEntry' | 'onSkippedLine'> = {},
): (ListEntry | MlsxEntry | string)[] {
  const out: (ListEntry | MlsxEntry | string)[] = [];
  const parser = new ListingParser({
    ...options,
    onEntry: (entry) => out.push(entry),
    onSkippedLine: (line, offset) => out.push(`skipped ${offset} ${JSON.stringify(line)}`),
  });
  try {
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
    out.push(`error ${error.code} at ${error.offset}`);
  }
  return out;
}
