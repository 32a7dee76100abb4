import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { NatError } from '@ftpwire/nat';
import { createReplyRewriteTransform, NodeNatSession } from '@ftpwire/nat/node';
import { describe, expect, it } from 'vitest';

async function through(
  transform: NodeJS.ReadWriteStream,
  chunks: readonly string[],
): Promise<string> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out).toString('utf8');
}

describe('@ftpwire/nat/node', () => {
  it('NodeNatSession rewrites the 227 answering a PASV seen on commands', async () => {
    const nat = new NodeNatSession({ publicHost: '193.21.1.121' });
    const replies: string[] = [];
    nat.replies.on('data', (chunk: Buffer) => replies.push(chunk.toString()));
    const commands: string[] = [];
    nat.commands.on('data', (chunk: Buffer) => commands.push(chunk.toString()));
    nat.replies.write('220 ready\r\n');
    nat.commands.write('PASV\r\n');
    nat.replies.write('227 Entering Passive Mode (10,0,0,2,117,51).\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(commands.join('')).toBe('PASV\r\n');
    expect(replies.join('')).toBe(
      '220 ready\r\n227 Entering Passive Mode (193,21,1,121,117,51).\r\n',
    );
    expect(nat.state).toBe('clear');
  });

  it('passes a written Buffer on as a view of itself', async () => {
    const nat = new NodeNatSession({});
    const input = Buffer.from('220 ready\r\n331 password\r\n');
    const seen: Buffer[] = [];
    nat.replies.on('data', (chunk: Buffer) => seen.push(chunk));
    nat.replies.write(input);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.buffer).toBe(input.buffer);
  });

  it('errors the stream with the NatError', async () => {
    const nat = new NodeNatSession({});
    await expect(through(nat.commands, ['PORT 10,0,0,1,0,21\r\n'])).rejects.toBeInstanceOf(
      NatError,
    );
  });

  it('tracks AUTH TLS and resumeClear()', async () => {
    const nat = new NodeNatSession({});
    nat.replies.resume();
    nat.commands.resume();
    nat.replies.write('220 ready\r\n');
    nat.commands.write('AUTH TLS\r\n');
    nat.replies.write('234 go\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(nat.state).toBe('secure');
    nat.resumeClear();
    expect(nat.state).toBe('clear');
  });

  it('createReplyRewriteTransform rewrites across chunks and flushes a held line at the end', async () => {
    expect(
      await through(createReplyRewriteTransform({ publicHost: '193.21.1.121' }), [
        '150 ok\r\n22',
        '7 PASV OK (10,0,0,2,4,1)\r\n227 (10',
      ]),
    ).toBe('150 ok\r\n227 PASV OK (193,21,1,121,4,1)\r\n227 (10');
  });
});

// The built packages, as CommonJS users load them: in a plain node process, since this one
// resolves @ftpwire/* to sources. CI builds before it tests; a run from sources without a build
// has no dist/ to check.
const natDist = new URL('../../packages/nat/dist/', import.meta.url);
describe.skipIf(!existsSync(new URL('node.cjs', natDist)))('built CommonJS entries', () => {
  it('@ftpwire/nat/node throws the NatError class of @ftpwire/nat, not a copy', () => {
    const script = `
      const { NatError } = require('@ftpwire/nat');
      const { createReplyRewriteTransform } = require('@ftpwire/nat/node');
      const transform = createReplyRewriteTransform({ publicHost: '193.21.1.121', maxLineLength: 16 });
      transform.on('error', (error) => {
        console.log(JSON.stringify({ instance: error instanceof NatError, code: error.code }));
      });
      transform.resume();
      transform.write(Buffer.from('227 ' + 'x'.repeat(100)));
    `;
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ instance: true, code: 'ERR_LINE_TOO_LONG' });
  });
});
