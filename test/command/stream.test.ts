import { type Command, CommandParserStream } from '@ftpwire/command';
import { describe, expect, it } from 'vitest';

const encoder = new TextEncoder();

async function collect(chunks: string[], stream: CommandParserStream): Promise<Command[]> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const commands: Command[] = [];
  for await (const command of source.pipeThrough(stream)) commands.push(command);
  return commands;
}

describe('CommandParserStream', () => {
  it('turns client bytes into commands across chunk boundaries', async () => {
    const commands = await collect(
      ['USER anonymous\r', '\nPASS \r\nTY', 'PE I\r\nPASV\r\nQUIT'],
      new CommandParserStream(),
    );
    expect(commands.map((c) => [c.verb, c.argument])).toEqual([
      ['USER', 'anonymous'],
      ['PASS', ''],
      ['TYPE', 'I'],
      ['PASV', ''],
      ['QUIT', ''],
    ]);
  });

  it('errors the stream with a CommandError on a malformed line', async () => {
    await expect(collect(['NOOP\r\n\r\n'], new CommandParserStream())).rejects.toMatchObject({
      code: 'ERR_MALFORMED_COMMAND',
      offset: 6,
    });
  });

  it('reports malformed lines and goes on when onMalformedLine is given', async () => {
    const offsets: number[] = [];
    const commands = await collect(
      ['NOOP\r\n\r\nQUIT\r\n'],
      new CommandParserStream({ onMalformedLine: (error) => offsets.push(error.offset) }),
    );
    expect(commands.map((c) => c.verb)).toEqual(['NOOP', 'QUIT']);
    expect(offsets).toEqual([6]);
  });
});
