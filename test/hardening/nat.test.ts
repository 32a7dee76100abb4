import {
  createReplyRewriteStream,
  NatError,
  type NatOptions,
  NatRewriter,
  NatSession,
  ReplyRewriter,
  type StreamRewriter,
} from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';
import {
  NAT_HOSTILE_COMMANDS as HOSTILE_COMMANDS,
  NAT_HOSTILE_REPLIES as HOSTILE_REPLIES,
} from './hostile.js';
import { heapGrowth } from './memory.js';
import { chunked, countWork, KIB, MIB, repeatTo } from './work.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PUBLIC = '193.21.1.121';
const REWRITING: NatOptions = {
  publicHost: PUBLIC,
  clientAddress: '10.0.0.5',
  clientPublicHost: '198.51.100.20',
};
const ignore = (): void => {};

/** A session that has seen the greeting; `pasv` PASV commands are pending. */
function session(pasv: number): NatRewriter {
  const nat = new NatRewriter({ ...REWRITING, maxPendingCommands: 10_000_000 });
  nat.replies.push(encoder.encode('220 ready\r\n'), ignore);
  nat.commands.push(encoder.encode('PASV\r\n'.repeat(pasv)), ignore);
  return nat;
}

function pushAll(rewriter: StreamRewriter, data: Uint8Array, chunkSize: number): void {
  try {
    for (const chunk of chunked(data, chunkSize)) rewriter.push(chunk, ignore);
    rewriter.end(ignore);
  } catch (error) {
    // Refusing the input (a line too long, a bounce) is a fine outcome; only its cost matters.
    if (!(error instanceof NatError)) throw error;
  }
}

type Case = [string, string | Uint8Array, (data: Uint8Array, chunkSize: number) => void];

describe('NAT: linear time on hostile input, counted in bytes of work', () => {
  const cases: Case[] = [
    ...Object.entries(HOSTILE_REPLIES).map(
      ([name, unit]): Case => [
        `NatRewriter replies, ${name}`,
        unit,
        (data, chunkSize) => pushAll(session(1).replies, data, chunkSize),
      ],
    ),
    ...Object.entries(HOSTILE_COMMANDS).map(
      ([name, unit]): Case => [
        `NatRewriter commands, ${name}`,
        unit,
        (data, chunkSize) => pushAll(session(0).commands, data, chunkSize),
      ],
    ),
    ...Object.entries(HOSTILE_REPLIES).map(
      ([name, unit]): Case => [
        `ReplyRewriter, ${name}`,
        unit,
        (data, chunkSize) => pushAll(new ReplyRewriter({ publicHost: PUBLIC }), data, chunkSize),
      ],
    ),
  ];
  for (const [name, unit, consume] of cases) {
    // 64 KiB chunks take the cores' text search for line feeds (chunks of 4096 bytes and more).
    for (const chunkSize of [7, 1460, 64 * KIB]) {
      it(`${name}, ${chunkSize}-byte chunks: 1 MiB costs at most 4.5x 256 KiB and 8 units a byte`, () => {
        const smallWork = countWork(() => consume(repeatTo(unit, 256 * KIB), chunkSize));
        const largeWork = countWork(() => consume(repeatTo(unit, MIB), chunkSize));
        expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
        expect(largeWork).toBeLessThanOrEqual(8 * MIB);
      }, 30_000);
    }
  }

  it('every PASV answered by its 227 in turn costs linear work (the pending queue)', () => {
    const exchange = (count: number) => {
      const nat = session(count);
      const replies = repeatTo('227 Entering Passive Mode (10,0,1,121,15,6)\r\n', count * 44);
      for (const chunk of chunked(replies, 1460)) nat.replies.push(chunk, ignore);
    };
    const smallWork = countWork(() => exchange(6 * KIB));
    expect(countWork(() => exchange(24 * KIB))).toBeLessThanOrEqual(4.5 * smallWork);
  });
});

/** Writes `prefix`, then `chunk` again and again until `total` bytes or an error. */
async function flood(
  stream: TransformStream<Uint8Array, Uint8Array>,
  prefix: string,
  chunk: Uint8Array,
  total: number,
): Promise<{ failure: unknown; received: number }> {
  let received = 0;
  const drained = stream.readable
    .pipeTo(
      new WritableStream({
        write(piece) {
          received += piece.length;
        },
      }),
    )
    .catch((error: unknown) => error);
  const writer = stream.writable.getWriter();
  let failure: unknown;
  try {
    await writer.write(encoder.encode(prefix));
    for (let written = 0; written < total; written += chunk.length) await writer.write(chunk);
    await writer.close();
  } catch (error) {
    failure = error;
  }
  const drainFailure = await drained;
  return { failure: failure ?? drainFailure, received };
}

/** A NatSession that has seen the greeting and the client's `command`. */
async function sessionAfter(command: string): Promise<NatSession> {
  const nat = new NatSession(REWRITING);
  const send = async (stream: TransformStream<Uint8Array, Uint8Array>, text: string) => {
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    // Read first: a TransformStream's write waits until its output is taken.
    const read = reader.read();
    await writer.write(encoder.encode(text));
    await read;
    writer.releaseLock();
    reader.releaseLock();
  };
  await send(nat.replies, '220 ready\r\n');
  await send(nat.commands, command);
  return nat;
}

describe('NAT: bounded memory', () => {
  const x = repeatTo('x', 64 * KIB);

  it('100 MiB without a newline in the 227 answering a PASV: ERR_LINE_TOO_LONG at the limit, heap growth under 1 MiB', async () => {
    let result: { failure: unknown; received: number } | undefined;
    const growth = await heapGrowth(async () => {
      const nat = await sessionAfter('PASV\r\n');
      result = await flood(nat.replies, '227 ', x, 100 * MIB);
    });
    expect(result!.failure).toBeInstanceOf(NatError);
    expect(result!.failure).toMatchObject({ code: 'ERR_LINE_TOO_LONG', offset: 11 + 8192 });
    expect(growth).toBeLessThan(MIB);
  });

  it('100 MiB without a newline in a PORT command: ERR_LINE_TOO_LONG at the limit, heap growth under 1 MiB', async () => {
    let result: { failure: unknown; received: number } | undefined;
    const growth = await heapGrowth(async () => {
      const nat = await sessionAfter('NOOP\r\n');
      result = await flood(nat.commands, 'PORT ', x, 100 * MIB);
    });
    expect(result!.failure).toMatchObject({ code: 'ERR_LINE_TOO_LONG', offset: 6 + 8192 });
    expect(growth).toBeLessThan(MIB);
  });

  it('100 MiB without a newline through createReplyRewriteStream: ERR_LINE_TOO_LONG at the limit', async () => {
    let result: { failure: unknown; received: number } | undefined;
    const growth = await heapGrowth(async () => {
      result = await flood(createReplyRewriteStream({ publicHost: PUBLIC }), '227 ', x, 100 * MIB);
    });
    expect(result!.failure).toMatchObject({ code: 'ERR_LINE_TOO_LONG', offset: 8192 });
    expect(growth).toBeLessThan(MIB);
  });

  it('100 MiB without a newline in a line it need not read passes through whole, heap growth under 1 MiB', async () => {
    let result: { failure: unknown; received: number } | undefined;
    const growth = await heapGrowth(async () => {
      const nat = await sessionAfter('PASV\r\n');
      result = await flood(nat.replies, '150 ', x, 100 * MIB);
    });
    expect(result!.failure).toBeUndefined();
    expect(result!.received).toBe(4 + 100 * MIB);
    expect(growth).toBeLessThan(MIB);
  });
});

describe('NAT: exact boundaries', () => {
  const limit = 64;

  function answer(line: string): string {
    const nat = new NatRewriter({ ...REWRITING, maxLineLength: limit });
    nat.replies.push(encoder.encode('220 ready\r\n'), ignore);
    nat.commands.push(encoder.encode('PASV\r\n'), ignore);
    const out: Uint8Array[] = [];
    nat.replies.push(encoder.encode(line), (piece) => out.push(piece.slice()));
    return out.map((piece) => decoder.decode(piece)).join('');
  }

  for (const terminator of ['\r\n', '\n']) {
    it(`a held 227 of exactly maxLineLength bytes is rewritten, one more fails (${JSON.stringify(terminator)})`, () => {
      const tuple = '(10,0,1,121,15,6)';
      const atLimit = `227 ${'x'.repeat(limit - 4 - tuple.length)}${tuple}`;
      expect(atLimit).toHaveLength(limit);
      expect(answer(`${atLimit}${terminator}`)).toBe(
        `${atLimit.replace('10,0,1,121', '193,21,1,121')}${terminator}`,
      );
      expect(() => answer(`227 x${atLimit.slice(4)}${terminator}`)).toThrowError(
        expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', offset: 11 + limit }),
      );
    });
  }

  it('PORT: ports 1-1023 are refused, 1024 and 65535 pass, 0 does not decode; host bytes 255 pass, 256 does not decode', () => {
    const command = (line: string) => {
      const nat = new NatRewriter(REWRITING);
      const out: Uint8Array[] = [];
      nat.commands.push(encoder.encode(line), (piece) => out.push(piece.slice()));
      return out.map((piece) => decoder.decode(piece)).join('');
    };
    expect(() => command('PORT 10,0,0,5,3,255\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_PORT_REFUSED', offset: 0 }),
    );
    expect(command('PORT 10,0,0,5,4,0\r\n')).toBe('PORT 198,51,100,20,4,0\r\n');
    expect(command('PORT 10,0,0,5,255,255\r\n')).toBe('PORT 198,51,100,20,255,255\r\n');
    expect(() => command('EPRT |1|10.0.0.5|1023|\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_PORT_REFUSED' }),
    );
    expect(() => command('PORT 10,0,0,5,0,1\r\n')).toThrowError(
      expect.objectContaining({ code: 'ERR_PORT_REFUSED' }),
    );
    // Port 0 is no data address (@ftpwire/address refuses it): the line is left to the server,
    // as any PORT or EPRT that does not decode, and rewritten never.
    expect(command('PORT 10,0,0,5,0,0\r\n')).toBe('PORT 10,0,0,5,0,0\r\n');
    expect(command('EPRT |1|10.0.0.5|0|\r\n')).toBe('EPRT |1|10.0.0.5|0|\r\n');
    expect(command('EPRT |1|10.0.0.5|65535|\r\n')).toBe('EPRT |1|198.51.100.20|65535|\r\n');
    // A third host: with bounce 'pass' (default) it goes on unchanged, 255 and 256 alike.
    expect(command('PORT 10,0,0,255,4,0\r\n')).toBe('PORT 10,0,0,255,4,0\r\n');
    expect(command('PORT 10,0,0,256,4,0\r\n')).toBe('PORT 10,0,0,256,4,0\r\n');
  });
});
