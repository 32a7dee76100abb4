// Generators of PROXY protocol headers for the property tests and the fuzz target's seeds.
import fc from 'fast-check';
import type { ProxyHeaderInit } from '../../packages/proxy/src/proxy-protocol-format.ts';

const ipv4 = fc.ipV4();
/** RFC 5952 text of any 16 bytes, so that a header read back compares equal. */
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
});
const port = fc.integer({ min: 0, max: 65535 });

export const tlv = fc.record({
  // Not 3: a CRC32C TLV of arbitrary bytes would not verify.
  type: fc.integer({ min: 0, max: 255 }).filter((type) => type !== 3),
  value: fc.uint8Array({ maxLength: 40 }),
});

/** Any header the encoder writes: either version, TCP4, TCP6 or none, TLVs and a checksum in v2. */
export const headerInit: fc.Arbitrary<ProxyHeaderInit> = fc.oneof(
  fc.record({ version: fc.constantFrom(1 as const, 2 as const) }),
  fc
    .tuple(
      fc.constantFrom(1 as const, 2 as const),
      fc.oneof(fc.tuple(ipv4, ipv4), fc.tuple(ipv6, ipv6)),
      port,
      port,
      fc.array(tlv, { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([version, [from, to], sourcePort, destinationPort, tlvs, checksum]) => ({
      version,
      source: { host: from, port: sourcePort },
      destination: { host: to, port: destinationPort },
      ...(version === 2 ? { tlvs, checksum } : {}),
    })),
);
