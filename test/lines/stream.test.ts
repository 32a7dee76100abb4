import { LineError, type LineSplitterOptions, LineSplitterStream } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { chunksOf, latin1, readAll, show, streamOf } from './helpers.ts';

async function linesOf(chunks: Uint8Array[], options?: LineSplitterOptions): Promise<string[]> {
  const lines = await readAll(streamOf(chunks).pipeThrough(new LineSplitterStream(options)));
  return lines.map(show);
}

describe('LineSplitterStream', () => {
  it('turns a stream of chunks into one Uint8Array per line, the last one flushed at the end', async () => {
    const bytes = latin1('220-hello\r\n world\n220 end\r\nlast');
    for (const size of [1, 2, 5, bytes.length]) {
      expect(await linesOf(chunksOf(bytes, size))).toEqual([
        '220-hello',
        ' world',
        '220 end',
        'last',
      ]);
    }
  });

  it('passes its options on (maxLineLength, telnet)', async () => {
    expect(await linesOf([Uint8Array.of(0x61, 0xff, 0xff, 0x0a)], { telnet: true })).toEqual([
      'a\xff',
    ]);
    await expect(linesOf([latin1('abcdef\r\n')], { maxLineLength: 3 })).rejects.toMatchObject({
      code: 'ERR_LINE_TOO_LONG',
      offset: 3,
    });
  });

  it('errors the readable side with the LineError when a line is too long', async () => {
    const error = await linesOf(chunksOf(latin1('a'.repeat(9000)), 1000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineError);
    expect(error).toMatchObject({ code: 'ERR_LINE_TOO_LONG', offset: 8192 });
  });

  it('delivers the lines before an error, then errors', async () => {
    const readable = streamOf([latin1('ok\r\n'), latin1('abcdef')]).pipeThrough(
      new LineSplitterStream({ maxLineLength: 3 }),
    );
    const reader = readable.getReader();
    expect(show((await reader.read()).value!)).toBe('ok');
    await expect(reader.read()).rejects.toBeInstanceOf(LineError);
  });

  it('errors at the end when the last line is too long', async () => {
    await expect(
      linesOf([latin1('ab\r'), latin1('\r')], { maxLineLength: 2 }),
    ).rejects.toMatchObject({
      code: 'ERR_LINE_TOO_LONG',
    });
  });

  it('still emits lines when given an onLineRange handler (the stream owns delivery)', async () => {
    // The options type allows onLineRange; it must not divert lines away from the stream.
    const options = { onLineRange: () => {} } as LineSplitterOptions;
    expect(await linesOf([latin1('a\r\nb\r\n')], options)).toEqual(['a', 'b']);
  });
});
