import { ListingError, ListingParserStream } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { NOW, readAll, streamOf, utf8 } from './helpers.js';

describe('ListingParserStream', () => {
  it('turns the bytes of a data connection into entries, cut anywhere', async () => {
    const chunks = [
      '-rw-r--r-- 1 a b 1 Nov 27 0',
      '9:12 one\r\ntotal 1\r\n',
      'drwxr-xr-x 2 a b 6 Jan  3  2020 d',
    ];
    const entries = await readAll(
      streamOf(chunks.map(utf8)).pipeThrough(new ListingParserStream({ now: NOW })),
    );
    expect(entries.map((entry) => [entry.name, 'type' in entry ? entry.type : undefined])).toEqual([
      ['one', 'file'],
      ['d', 'directory'],
    ]);
  });

  it('errors with the ListingError of a malformed MLSD line', async () => {
    const stream = streamOf([utf8('type=file; a\r\nbroken\r\n')]).pipeThrough(
      new ListingParserStream({ dialect: 'mlsd' }),
    );
    const error = await readAll(stream).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ListingError);
    expect((error as ListingError).code).toBe('ERR_MALFORMED_FACTS');
  });

  it('ignores an onEntry handed in anyway: every entry goes to the readable side', async () => {
    const options = { dialect: 'mlsd' as const, onEntry: () => undefined };
    const entries = await readAll(
      streamOf([utf8('type=file; a\r\n')]).pipeThrough(new ListingParserStream(options)),
    );
    expect(entries.map((entry) => entry.name)).toEqual(['a']);
  });
});
