import { canonicalIPv6, isIPv6 } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../packages/proxy/src/errors.ts';
import {
  PROXY_V2_SIGNATURE,
  type ProxyHeader,
  ProxyHeaderParser,
  parseProxyHeader,
} from '../../packages/proxy/src/proxy-protocol.ts';
import { formatProxyHeader } from '../../packages/proxy/src/proxy-protocol-format.ts';
import { headerInit } from './proxy-protocol-arbitraries.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 1000);

/** The header's meaning, as comparable data (the CRC32C TLV the encoder adds included). */
function meaning(header: ProxyHeader | undefined): unknown {
  if (header === undefined) return undefined;
  return { ...header, tlvs: header.tlvs.map((tlv) => [tlv.type, [...tlv.value]]) };
}

/** Cuts `bytes` at the given points (sorted, deduplicated, in range). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...at, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

/** Runs the streaming parser over chunks: the header and the bytes after it, or the error. */
function streamed(chunks: Uint8Array[]): unknown {
  const parser = new ProxyHeaderParser();
  const after: number[] = [];
  let header: ProxyHeader | undefined;
  try {
    for (const chunk of chunks) {
      if (header) after.push(...chunk);
      else {
        const done = parser.push(chunk);
        if (done) {
          header = done.header;
          after.push(...done.rest);
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ProxyError)) throw error;
    return { code: error.code };
  }
  return { header: meaning(header), after };
}

function oneShot(bytes: Uint8Array): unknown {
  try {
    const header = parseProxyHeader(bytes);
    return { header: meaning(header), after: header ? [...bytes.subarray(header.length)] : [] };
  } catch (error) {
    if (!(error instanceof ProxyError)) throw error;
    return { code: error.code };
  }
}

/** Bytes that start like a header often, so that the deep states are reached. */
const headerish = fc.oneof(
  fc.uint8Array({ maxLength: 120 }),
  fc
    .tuple(
      headerInit,
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 3 }),
      fc.uint8Array({ maxLength: 8 }),
    )
    .map(([init, edits, tail]) => {
      const bytes = [...formatProxyHeader(init), ...tail];
      for (const [at, value] of edits) bytes[at % bytes.length] = value;
      return Uint8Array.from(bytes);
    }),
  fc.uint8Array({ maxLength: 60 }).map((tail) => Uint8Array.from([...PROXY_V2_SIGNATURE, ...tail])),
  fc
    .string({ maxLength: 100 })
    .map((text) => Uint8Array.from(`PROXY ${text}`, (c) => c.charCodeAt(0) & 0xff)),
);

describe('PROXY protocol laws', () => {
  it('parse(format(h)) gives h back, and the header ends where the encoder stopped', () => {
    fc.assert(
      fc.property(headerInit, fc.uint8Array({ maxLength: 16 }), (init, tail) => {
        const written = formatProxyHeader(init);
        const header = parseProxyHeader(Uint8Array.from([...written, ...tail]));
        expect(header?.length).toBe(written.length);
        expect(header?.version).toBe(init.version);
        const canonical = (host: string) => (isIPv6(host) ? canonicalIPv6(host) : host);
        if (init.source && init.destination) {
          expect(header?.command).toBe('proxy');
          expect(header?.source).toEqual({ ...init.source, host: canonical(init.source.host) });
          expect(header?.destination).toEqual({
            ...init.destination,
            host: canonical(init.destination.host),
          });
          const sent = [...(init.tlvs ?? [])].map((tlv) => [tlv.type, [...tlv.value]]);
          const read = header!.tlvs.map((tlv) => [tlv.type, [...tlv.value]]);
          expect(read).toEqual(init.checksum ? [...sent, [3, read.at(-1)![1]]] : sent);
        } else {
          expect(header).toMatchObject({
            command: 'local',
            source: undefined,
            destination: undefined,
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every strict prefix of a valid header needs more, and never throws', () => {
    fc.assert(
      fc.property(headerInit, fc.nat(), (init, at) => {
        const written = formatProxyHeader(init);
        expect(parseProxyHeader(written.subarray(0, at % written.length))).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('any chunking yields what one parse of the whole input does', () => {
    fc.assert(
      fc.property(headerish, fc.array(fc.nat(), { maxLength: 6 }), (bytes, points) => {
        const whole = oneShot(bytes);
        const chunked = streamed(cut(bytes, points));
        // The stream cannot tell "need more" at the end from a header still to come: both say nothing.
        if (
          (whole as { header?: unknown }).header === undefined &&
          !('code' in (whole as object))
        ) {
          expect(chunked).toEqual({ header: undefined, after: [] });
        } else {
          expect(chunked).toEqual(whole);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('garbage gets a header, "need more" or ProxyError ERR_PROXY_HEADER, nothing else', () => {
    fc.assert(
      fc.property(headerish, (bytes) => {
        try {
          const header = parseProxyHeader(bytes);
          if (header) expect(header.length).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(ProxyError);
          expect((error as ProxyError).code).toBe('ERR_PROXY_HEADER');
          expect((error as ProxyError).offset).toBeGreaterThanOrEqual(0);
          expect((error as ProxyError).offset).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
