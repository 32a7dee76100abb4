import { LineError } from '@ftpwire/lines';
import { type Reply, ReplyError, type ReplyParserOptions, ReplyParserStream } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { transcriptOf } from '../fixtures/replies.ts';
import { chunksOf, readAll, streamOf, summary, utf8 } from './helpers.ts';

async function repliesOf(chunks: Uint8Array[], options?: ReplyParserOptions): Promise<Reply[]> {
  return readAll(streamOf(chunks).pipeThrough(new ReplyParserStream(options)));
}

describe('ReplyParserStream', () => {
  it('turns a stream of byte chunks into replies', async () => {
    const vsftpd = transcriptOf('vsftpd');
    for (const size of [1, 7, 64, vsftpd.bytes.length]) {
      const replies = await repliesOf(chunksOf(vsftpd.bytes, size));
      expect(replies.map(summary)).toEqual(
        vsftpd.replies.map(({ code, lines }) => ({ code, lines })),
      );
    }
  });

  it('flushes a last reply without CRLF when the input ends', async () => {
    expect((await repliesOf([utf8('220 a\r\n221 bye')])).map((reply) => reply.code)).toEqual([
      220, 221,
    ]);
  });

  it('errors with ERR_MALFORMED_REPLY after the replies before it', async () => {
    const reader = streamOf([utf8('220 ok\r\n'), utf8('hello\r\n')])
      .pipeThrough(new ReplyParserStream())
      .getReader();
    expect((await reader.read()).value?.code).toBe(220);
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyError);
    expect(error).toMatchObject({ code: 'ERR_MALFORMED_REPLY', offset: 8 });
  });

  it('errors with ERR_UNCLOSED_REPLY when the input ends inside a multi-line reply', async () => {
    await expect(repliesOf([utf8('211-Features:\r\n EPSV\r\n')])).rejects.toMatchObject({
      code: 'ERR_UNCLOSED_REPLY',
    });
  });

  it('errors with ERR_LINE_TOO_LONG (cause: the LineError) on an endless line', async () => {
    const error = await repliesOf(chunksOf(utf8('2'.repeat(20000)), 1460)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_LINE_TOO_LONG', offset: 8192 });
    expect((error as ReplyError).cause).toBeInstanceOf(LineError);
  });

  it('passes its options on', async () => {
    await expect(
      repliesOf([utf8('211-a\r\n b\r\n211 c\r\n')], { maxReplyLines: 2 }),
    ).rejects.toMatchObject({
      code: 'ERR_TOO_MANY_LINES',
    });
    const replies = await repliesOf(
      [Uint8Array.of(...utf8('220 a'), 0xff, 0xf1, ...utf8('\r\n'))],
      { telnet: true },
    );
    expect(replies[0]?.lines).toEqual(['220 a']);
  });

  it('keeps delivering to the stream when the options carry an onReply handler', async () => {
    const options = { onReply: () => {} } as ReplyParserOptions;
    expect((await repliesOf([utf8('220 a\r\n')], options)).map((reply) => reply.code)).toEqual([
      220,
    ]);
  });
});
