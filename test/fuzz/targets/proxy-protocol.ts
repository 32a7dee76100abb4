import {
  formatProxyHeader,
  PROXY_V2_SIGNATURE,
  ProxyError,
  type ProxyHeader,
  ProxyHeaderParser,
  parseProxyHeader,
} from '@ftpwire/proxy';
import { assertLaw, chunksOf, type FuzzTarget, hex, outcome, sameOutcome } from '../target.js';

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

function describeHeader(header: ProxyHeader): string {
  const tlvs = header.tlvs.map((tlv) => `${tlv.type}:${hex(tlv.value)}`).join(',');
  return `v${header.version} ${header.command} ${JSON.stringify(header.source)} ${JSON.stringify(header.destination)} [${tlvs}] ${header.length}`;
}

function streamed(chunks: Uint8Array[]): string[] {
  return outcome(ProxyError, (record) => {
    const parser = new ProxyHeaderParser();
    let after: number[] | undefined;
    for (const chunk of chunks) {
      if (after) {
        after.push(...chunk);
        continue;
      }
      const result = parser.push(chunk);
      if (result) {
        record(describeHeader(result.header));
        after = [...result.rest];
      }
    }
    if (after) record(`after ${hex(Uint8Array.from(after))}`);
  });
}

export const proxyProtocolTarget: FuzzTarget = {
  name: 'proxy/PROXY header',
  errorClass: ProxyError,
  seeds: [
    ascii('PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\nUSER anonymous\r\n'),
    ascii('PROXY TCP6 2001:db8::7 2001:db8::1 50000 21\r\n'),
    ascii('PROXY UNKNOWN\r\n'),
    formatProxyHeader({
      version: 2,
      source: { host: '198.51.100.7', port: 50000 },
      destination: { host: '203.0.113.1', port: 21 },
      tlvs: [{ type: 5, value: ascii('unique') }],
      checksum: true,
    }),
    formatProxyHeader({
      version: 2,
      source: { host: '2001:db8::7', port: 1 },
      destination: { host: '2001:db8::1', port: 21 },
    }),
    formatProxyHeader({ version: 2 }),
  ],
  tokens: [
    'PROXY ',
    'TCP4 ',
    'TCP6 ',
    'UNKNOWN',
    '198.51.100.7 ',
    '2001:db8::1 ',
    '65535 ',
    '21',
    '\r\n',
    String.fromCharCode(...PROXY_V2_SIGNATURE),
    '\x21\x11\x00\x0c',
    '\x21\x21\x00\x24',
    '\x20\x00\x00\x00',
    '\x03\x00\x04',
  ],
  run(data) {
    let header: ProxyHeader | undefined;
    let error: ProxyError | undefined;
    try {
      header = parseProxyHeader(data);
    } catch (caught) {
      if (!(caught instanceof ProxyError)) throw caught;
      error = caught;
    }
    assertLaw(
      error === undefined ||
        (error.code === 'ERR_PROXY_HEADER' && error.offset >= 0 && error.offset <= data.length),
      `an error with code ${error?.code} at ${error?.offset} of ${data.length} bytes`,
    );
    // Chunking changes nothing (but a header still to come reads as nothing yet).
    const whole = streamed([data]);
    sameOutcome(streamed(chunksOf(data)), whole, 'chunked vs whole');
    if (header === undefined) return;
    assertLaw(header.length <= data.length, 'a header longer than its input');
    // Every strict prefix of a header that parsed needs more.
    for (const end of [0, header.length >> 1, header.length - 1]) {
      assertLaw(
        parseProxyHeader(data.subarray(0, end)) === undefined,
        `a prefix of ${end} bytes was decided`,
      );
    }
    // A header carrying addresses writes back to one that reads the same.
    if (header.source && header.destination) {
      const again = parseProxyHeader(
        formatProxyHeader({
          version: header.version,
          source: header.source,
          destination: header.destination,
          ...(header.version === 2 ? { tlvs: header.tlvs.filter((tlv) => tlv.type !== 3) } : {}),
        }),
      )!;
      assertLaw(
        JSON.stringify([again.source, again.destination]) ===
          JSON.stringify([header.source, header.destination]),
        'format(parse(x)) named other addresses',
      );
    }
  },
};
