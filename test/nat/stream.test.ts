import { createReplyRewriteStream, NatSession, ReplyRewriteStream } from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';
import { bytes, concat, text } from './helpers.js';

async function through(
  stream: TransformStream<Uint8Array, Uint8Array>,
  chunks: readonly string[],
): Promise<string> {
  const writer = stream.writable.getWriter();
  const reading = (async () => {
    const pieces: Uint8Array[] = [];
    for await (const piece of stream.readable) pieces.push(piece);
    return text(concat(pieces));
  })();
  const writing = (async () => {
    for (const chunk of chunks) await writer.write(bytes(chunk));
    await writer.close();
  })();
  // The reading side reports the stream's error; the writing side only echoes it.
  writing.catch(() => undefined);
  return reading;
}

describe('NatSession', () => {
  it('rewrites the 227 answering a PASV that went through `commands`', async () => {
    const nat = new NatSession({ publicHost: '193.21.1.121' });
    const replies = nat.replies.writable.getWriter();
    const commands = nat.commands.writable.getWriter();
    const replyReader = nat.replies.readable.getReader();
    const commandReader = nat.commands.readable.getReader();
    // A TransformStream takes a chunk once its reader asks: write, then read.
    void replies.write(bytes('220 ready\r\n'));
    expect(text((await replyReader.read()).value!)).toBe('220 ready\r\n');
    void commands.write(bytes('PASV\r\n'));
    expect(text((await commandReader.read()).value!)).toBe('PASV\r\n');
    void replies.write(bytes('227 Entering Passive Mode (10,0,0,2,117,51).\r\n'));
    expect(text((await replyReader.read()).value!)).toBe(
      '227 Entering Passive Mode (193,21,1,121,117,51).\r\n',
    );
    expect(nat.state).toBe('clear');
  });

  it('reports AUTH TLS through state, and resumeClear() returns to clear', async () => {
    const nat = new NatSession({});
    const replies = nat.replies.writable.getWriter();
    const commands = nat.commands.writable.getWriter();
    const replyReader = nat.replies.readable.getReader();
    const commandReader = nat.commands.readable.getReader();
    void replies.write(bytes('220 ready\r\n'));
    await replyReader.read();
    void commands.write(bytes('AUTH TLS\r\n'));
    await commandReader.read();
    void replies.write(bytes('234 go\r\n'));
    await replyReader.read();
    expect(nat.state).toBe('secure');
    nat.resumeClear();
    expect(nat.state).toBe('clear');
  });

  it('errors the stream with the NatError', async () => {
    const nat = new NatSession({});
    await expect(through(nat.commands, ['PORT 10,0,0,1,0,21\r\n'])).rejects.toMatchObject({
      name: 'NatError',
      code: 'ERR_PORT_REFUSED',
    });
  });
});

describe('stream adapters: delivery', () => {
  async function pieces(
    coalesce: boolean | undefined,
    chunks: Uint8Array[],
  ): Promise<Uint8Array[]> {
    const stream = createReplyRewriteStream(
      coalesce === undefined
        ? { publicHost: '193.21.1.121' }
        : { publicHost: '193.21.1.121', coalesce },
    );
    const writer = stream.writable.getWriter();
    const out: Uint8Array[] = [];
    const reading = (async () => {
      for await (const piece of stream.readable) out.push(piece);
    })();
    for (const chunk of chunks) await writer.write(chunk);
    await writer.close();
    await reading;
    return out;
  }

  it('delivers each chunk as one array by default: the chunk itself when nothing changed', async () => {
    const plain = bytes('150 ok\r\n226 done\r\n');
    const rewritten = bytes('227 (10,0,0,2,4,1)\r\n226 done\r\n');
    const out = await pieces(undefined, [plain, rewritten]);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(plain);
    expect(text(out[1]!)).toBe('227 (193,21,1,121,4,1)\r\n226 done\r\n');
  });

  it('with coalesce: false delivers the core pieces: views of the input around new bytes', async () => {
    const rewritten = bytes('227 (10,0,0,2,4,1)\r\n226 done\r\n');
    const out = await pieces(false, [rewritten]);
    expect(out.map(text)).toEqual(['227 (', '193,21,1,121', ',4,1)\r\n226 done\r\n']);
    expect(out[0]!.buffer).toBe(rewritten.buffer);
    expect(out[2]!.buffer).toBe(rewritten.buffer);
  });
});

describe('createReplyRewriteStream', () => {
  it('rewrites single-line 227 replies at reply boundaries across chunks', async () => {
    const stream = createReplyRewriteStream({ publicHost: '193.21.1.121' });
    expect(stream).toBeInstanceOf(ReplyRewriteStream);
    expect(
      await through(stream, [
        '150 ok\r\n22',
        '7 PASV OK (10,0,0',
        ',2,4,1)\r\n211-a\r\n227 (10,0,0,2,4,1)\r\n211 b\r\n',
      ]),
    ).toBe('150 ok\r\n227 PASV OK (193,21,1,121,4,1)\r\n211-a\r\n227 (10,0,0,2,4,1)\r\n211 b\r\n');
  });

  it('flushes a held line at the end of the stream', async () => {
    expect(
      await through(createReplyRewriteStream({ publicHost: '193.21.1.121' }), ['227 (1']),
    ).toBe('227 (1');
  });

  it('says when the stream became secure', async () => {
    const stream = createReplyRewriteStream({});
    await through(stream, ['234 go\r\n']);
    expect(stream.state).toBe('secure');
    stream.resumeClear();
    expect(stream.state).toBe('clear');
  });
});
