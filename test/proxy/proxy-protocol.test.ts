import { describe, expect, it } from 'vitest';
import { crc32c } from '../../packages/proxy/src/crc32c.ts';
import { ProxyError } from '../../packages/proxy/src/errors.ts';
import {
  PROXY_V1_MAX_LENGTH,
  PROXY_V2_SIGNATURE,
  ProxyHeaderParser,
  parseProxyHeader,
} from '../../packages/proxy/src/proxy-protocol.ts';
import { formatProxyHeader } from '../../packages/proxy/src/proxy-protocol-format.ts';

const text = (line: string) => Uint8Array.from(line, (char) => char.charCodeAt(0));
const bytes = (...values: number[]) => Uint8Array.from(values);

function refused(input: Uint8Array): { code: string; offset: number } {
  try {
    parseProxyHeader(input);
  } catch (error) {
    if (!(error instanceof ProxyError)) throw error;
    return { code: error.code, offset: error.offset };
  }
  throw new Error('expected the header to be refused');
}

/** A version 2 header from its parts, written out by hand as §2.2 lays it out. */
function v2(versionCommand: number, family: number, body: number[]): Uint8Array {
  return bytes(
    ...PROXY_V2_SIGNATURE,
    versionCommand,
    family,
    body.length >> 8,
    body.length & 0xff,
    ...body,
  );
}

const ipv4Body = [198, 51, 100, 7, 203, 0, 113, 1, 0xc3, 0x50, 0, 21];

describe('parseProxyHeader, version 1 (§2.1)', () => {
  it('reads TCP4 and TCP6 lines, the source being the client', () => {
    expect(parseProxyHeader(text('PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\n'))).toEqual({
      version: 1,
      command: 'proxy',
      source: { host: '198.51.100.7', port: 50000 },
      destination: { host: '203.0.113.1', port: 21 },
      tlvs: [],
      length: 46,
    });
    const v6 = parseProxyHeader(text('PROXY TCP6 2001:DB8:0:0::7 2001:db8::1 0 65535\r\n'));
    expect(v6?.source).toEqual({ host: '2001:db8::7', port: 0 });
    expect(v6?.destination).toEqual({ host: '2001:db8::1', port: 65535 });
  });

  it("takes UNKNOWN as the sender's own connection, whatever follows it on the line", () => {
    for (const line of [
      'PROXY UNKNOWN\r\n',
      'PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\n',
      'PROXY UNKNOWN x\r\n',
    ]) {
      const header = parseProxyHeader(text(line));
      expect(header).toMatchObject({
        version: 1,
        command: 'local',
        source: undefined,
        length: line.length,
      });
    }
  });

  it('accepts the longest line the specification allows, 107 bytes, and no longer', () => {
    const group = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    const longest = `PROXY UNKNOWN ${group} ${group} 65535 65535\r\n`;
    expect(longest.length).toBe(PROXY_V1_MAX_LENGTH);
    expect(parseProxyHeader(text(longest))?.length).toBe(107);
    const tooLong = `PROXY UNKNOWN ${group} ${group} 65535 655355\r\n`;
    expect(refused(text(tooLong))).toEqual({ code: 'ERR_PROXY_HEADER', offset: 106 });
  });

  it('needs more while the line is a prefix of a header', () => {
    const line = 'PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\n';
    for (let end = 0; end < line.length; end++) {
      expect(parseProxyHeader(text(line.slice(0, end)))).toBeUndefined();
    }
  });

  it('refuses what does not exactly match, at the offending byte', () => {
    const cases: [string, number][] = [
      ['USER anonymous\r\n', 0],
      ['PROXZ TCP4', 4],
      ['proxy TCP4', 0],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\n', 44],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\rX', 44],
      ['PROXY TCP4 198.51.100.07 203.0.113.1 50000 21\r\n', 22],
      ['PROXY TCP4 198.51.100.7  203.0.113.1 50000 21\r\n', 24],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 050000 21\r\n', 41],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 65536 21\r\n', 36],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 50000 -1\r\n', 42],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 50000\r\n', 6],
      ['PROXY TCP4 198.51.100.7 203.0.113.1 50000 21 22\r\n', 6],
      ['PROXY TCP6 198.51.100.7 203.0.113.1 50000 21\r\n', 11],
      ['PROXY TCP4 ::1 ::1 50000 21\r\n', 11],
      ['PROXY UDP4 198.51.100.7 203.0.113.1 50000 21\r\n', 6],
      ['PROXY \r\n', 6],
    ];
    for (const [line, offset] of cases) {
      expect({ line, ...refused(text(line)) }).toEqual({ line, code: 'ERR_PROXY_HEADER', offset });
    }
  });
});

describe('parseProxyHeader, version 2 (§2.2)', () => {
  it('reads TCP over IPv4 and IPv6, with TLVs', () => {
    expect(parseProxyHeader(v2(0x21, 0x11, ipv4Body))).toEqual({
      version: 2,
      command: 'proxy',
      source: { host: '198.51.100.7', port: 50000 },
      destination: { host: '203.0.113.1', port: 21 },
      tlvs: [],
      length: 28,
    });
    const six = [
      ...Array(15).fill(0),
      1,
      ...Array(15).fill(0),
      2,
      0,
      1,
      0,
      2,
      0x05,
      0,
      2,
      0x61,
      0x62,
    ];
    const header = parseProxyHeader(v2(0x21, 0x21, six));
    expect(header?.source).toEqual({ host: '::1', port: 1 });
    expect(header?.destination).toEqual({ host: '::2', port: 2 });
    expect(header?.tlvs).toEqual([{ type: 5, value: bytes(0x61, 0x62) }]);
  });

  it('takes LOCAL (a health check) without addresses, whatever its block holds', () => {
    expect(parseProxyHeader(v2(0x20, 0x00, []))).toMatchObject({
      command: 'local',
      source: undefined,
      length: 16,
    });
    expect(parseProxyHeader(v2(0x20, 0x11, [1, 2, 3]))).toMatchObject({
      command: 'local',
      length: 19,
    });
  });

  it("keeps the connection's own addresses for UDP, AF_UNIX and unspecified families", () => {
    for (const family of [0x00, 0x12, 0x22, 0x31, 0x32, 0x01, 0x10]) {
      const size = [0, 12, 36, 216][family >> 4]!;
      const header = parseProxyHeader(v2(0x21, family, Array(size).fill(7)));
      expect(header).toMatchObject({ command: 'proxy', source: undefined, destination: undefined });
    }
  });

  it('verifies a CRC32C TLV (§2.2.3)', () => {
    const good = formatProxyHeader({
      version: 2,
      source: { host: '198.51.100.7', port: 50000 },
      destination: { host: '203.0.113.1', port: 21 },
      checksum: true,
    });
    expect(parseProxyHeader(good)?.tlvs.map((tlv) => tlv.type)).toEqual([3]);
    const bad = good.slice();
    bad[17]! ^= 1;
    expect(refused(bad)).toEqual({ code: 'ERR_PROXY_HEADER', offset: 31 });
  });

  it("leaves the caller's bytes as they were: a Buffer with a CRC32C parses twice alike", () => {
    const header = Buffer.from(
      formatProxyHeader({
        version: 2,
        source: { host: '198.51.100.7', port: 50000 },
        destination: { host: '203.0.113.1', port: 21 },
        tlvs: [{ type: 5, value: text('id') }],
        checksum: true,
      }),
    );
    const before = Buffer.from(header);
    const first = parseProxyHeader(header);
    expect(parseProxyHeader(header)).toEqual(first);
    expect(header).toEqual(before);
    // TLV values are copies, not views of the buffer a socket may reuse.
    header.fill(0);
    expect(first?.tlvs[0]?.value).toEqual(text('id'));
  });

  it('needs more for every prefix of a header', () => {
    const header = v2(0x21, 0x11, [...ipv4Body, 0x04, 0, 1, 0]);
    for (let end = 0; end < header.length; end++) {
      expect(parseProxyHeader(header.subarray(0, end))).toBeUndefined();
    }
  });

  it('refuses a wrong signature, version, command, family, short block or cut TLV', () => {
    const signature = v2(0x21, 0x11, ipv4Body);
    signature[7] = 0x52;
    expect(refused(signature).offset).toBe(7);
    expect(refused(v2(0x11, 0x11, ipv4Body)).offset).toBe(12);
    expect(refused(v2(0x22, 0x11, ipv4Body)).offset).toBe(12);
    expect(refused(v2(0x21, 0x41, ipv4Body)).offset).toBe(13);
    expect(refused(v2(0x21, 0x13, ipv4Body)).offset).toBe(13);
    expect(refused(v2(0x21, 0x11, ipv4Body.slice(0, 11))).offset).toBe(14);
    expect(refused(v2(0x21, 0x21, ipv4Body)).offset).toBe(14);
    expect(refused(v2(0x21, 0x11, [...ipv4Body, 0x04, 0])).offset).toBe(28);
    expect(refused(v2(0x21, 0x11, [...ipv4Body, 0x04, 0, 2, 0])).offset).toBe(28);
    expect(refused(v2(0x21, 0x11, [...ipv4Body, 0x03, 0, 2, 0, 0])).offset).toBe(28);
  });

  it('refuses early: a wrong byte is seen before the header is whole', () => {
    expect(refused(bytes(0x0d, 0x0a, 0x0d, 0x0b)).offset).toBe(3);
    expect(refused(bytes(...PROXY_V2_SIGNATURE, 0x31)).offset).toBe(12);
  });
});

describe('ProxyHeaderParser', () => {
  it("returns the header and the connection's bytes after it, however the chunks are cut", () => {
    const input = text('PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\nUSER anonymous\r\n');
    for (let cut = 1; cut < 46; cut++) {
      const parser = new ProxyHeaderParser();
      expect(parser.push(input.subarray(0, cut))).toBeUndefined();
      const done = parser.push(input.subarray(cut));
      expect(done?.header.source?.host).toBe('198.51.100.7');
      expect(new TextDecoder().decode(done?.rest)).toBe('USER anonymous\r\n');
    }
  });

  it('holds no more than a header can be: a line without CRLF fails at 107 bytes', () => {
    const parser = new ProxyHeaderParser();
    expect(parser.push(text('PROXY UNKNOWN '))).toBeUndefined();
    expect(() => parser.push(new Uint8Array(10_000).fill(0x61))).toThrow(ProxyError);
    expect(parser.buffered).toBeLessThanOrEqual(PROXY_V1_MAX_LENGTH);
  });

  it('waits for a version 2 header of the announced length, then hands back the rest', () => {
    const header = formatProxyHeader({
      version: 2,
      source: { host: '198.51.100.7', port: 50000 },
      destination: { host: '203.0.113.1', port: 21 },
      tlvs: [{ type: 0xe0, value: new Uint8Array(1000) }],
    });
    const parser = new ProxyHeaderParser();
    for (let at = 0; at < header.length - 1; at += 100) {
      expect(
        parser.push(header.subarray(at, Math.min(at + 100, header.length - 1))),
      ).toBeUndefined();
    }
    const done = parser.push(bytes(header.at(-1)!, 0x41));
    expect(done?.header.tlvs[0]?.value.length).toBe(1000);
    expect(done?.rest).toEqual(bytes(0x41));
    expect(() => parser.push(bytes(0x41))).toThrow(/already read/);
  });
});

describe('formatProxyHeader', () => {
  const source = { host: '198.51.100.7', port: 50000 };
  const destination = { host: '203.0.113.1', port: 21 };

  it('writes version 1 lines as HAProxy and curl do', () => {
    const line = (init: Parameters<typeof formatProxyHeader>[0]) =>
      new TextDecoder().decode(formatProxyHeader(init));
    expect(line({ version: 1, source, destination })).toBe(
      'PROXY TCP4 198.51.100.7 203.0.113.1 50000 21\r\n',
    );
    expect(
      line({
        version: 1,
        source: { host: '2001:DB8::7', port: 1 },
        destination: { host: '::1', port: 21 },
      }),
    ).toBe('PROXY TCP6 2001:db8::7 ::1 1 21\r\n');
    // A dual-stack socket names IPv4 peers IPv4-mapped: still TCP4.
    expect(
      line({ version: 1, source: { host: '::ffff:198.51.100.7', port: 1 }, destination }),
    ).toBe('PROXY TCP4 198.51.100.7 203.0.113.1 1 21\r\n');
    // Mixed families: the IPv4 one IPv4-mapped in a TCP6 line.
    expect(line({ version: 1, source, destination: { host: '::1', port: 21 } })).toBe(
      'PROXY TCP6 ::ffff:198.51.100.7 ::1 50000 21\r\n',
    );
    expect(line({ version: 1 })).toBe('PROXY UNKNOWN\r\n');
  });

  it('writes version 2 binary, LOCAL without addresses', () => {
    expect(formatProxyHeader({ version: 2, source, destination })).toEqual(
      v2(0x21, 0x11, ipv4Body),
    );
    expect(formatProxyHeader({ version: 2 })).toEqual(v2(0x20, 0x00, []));
  });

  it('refuses what a header cannot carry', () => {
    const bad = [
      { version: 1 as const, source },
      { version: 2 as const, source: { host: 'ftp.example', port: 1 }, destination },
      {
        version: 2 as const,
        source: { host: 'fe80::1%eth0', port: 1 },
        destination: { host: '::1', port: 2 },
      },
      { version: 1 as const, source: { ...source, port: 65536 }, destination },
      { version: 2 as const, tlvs: [{ type: 256, value: new Uint8Array(0) }] },
      { version: 2 as const, tlvs: [{ type: 1, value: new Uint8Array(0x10000) }] },
      { version: 2 as const, tlvs: [{ type: 1, value: new Uint8Array(0xfffd) }] },
    ];
    for (const init of bad) {
      expect(() => formatProxyHeader(init)).toThrow(
        expect.objectContaining({ code: 'ERR_PROXY_HEADER' }),
      );
    }
  });
});

describe('crc32c', () => {
  it('matches the check value of CRC-32C (RFC 3720 B.4 lists its test vectors)', () => {
    expect(crc32c(text('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });
});
