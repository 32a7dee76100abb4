import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap bytes still held after `run` settles, with a full collection before and after. */
export async function heapGrowth(run: () => Promise<void>): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  await run();
  collectGarbage();
  return process.memoryUsage().heapUsed - before;
}

/**
 * Writes the same chunk again and again (so the writer itself allocates nothing) until
 * `total` bytes are written or the stream errors; returns the error.
 */
export async function floodStream(
  stream: TransformStream<Uint8Array, unknown>,
  chunk: Uint8Array,
  total: number,
): Promise<unknown> {
  const drained = stream.readable.pipeTo(new WritableStream()).catch((error: unknown) => error);
  const writer = stream.writable.getWriter();
  let failure: unknown;
  try {
    for (let written = 0; written < total; written += chunk.length) await writer.write(chunk);
    await writer.close();
  } catch (error) {
    failure = error;
  }
  return failure ?? (await drained);
}
