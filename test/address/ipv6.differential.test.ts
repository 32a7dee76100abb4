/**
 * Differential test of the IPv6 text codec against CPython's `ipaddress` module (python3 runs
 * once for this file, with a JSON batch on stdin): which texts are IPv6 addresses, and the
 * RFC 5952 compressed form. Python 3.11 writes IPv4-mapped addresses in hex
 * (`::ffff:c000:201`) where RFC 5952 §5 recommends mixed notation (`::ffff:192.0.2.1`, which
 * Python adopted in 3.13); those are compared by value. Zone ids, which ipaddress accepts and
 * FTP has no place for, are left out of the validity comparison.
 */
import { spawnSync } from 'node:child_process';
import { formatIPv6, isIPv6, parseIPv6 } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarText, ipv6Bytes, ipv6Text } from './arbitraries.js';

const PYTHON = `
import ipaddress, json, sys
batch = json.load(sys.stdin)
out = {'compressed': [], 'valid': []}
for hexbytes in batch['bytes']:
    out['compressed'].append(ipaddress.IPv6Address(bytes.fromhex(hexbytes)).compressed)
for text in batch['texts']:
    try:
        out['valid'].append(ipaddress.IPv6Address(text).packed.hex())
    except ValueError:
        out['valid'].append(None)
json.dump(out, sys.stdout)
`;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const isMapped = (bytes: Uint8Array): boolean =>
  bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

const randomBytes = fc.sample(ipv6Bytes, { numRuns: 3000, seed: 0x5952 });
const texts = [
  ...fc.sample(
    ipv6Bytes.chain((bytes) => ipv6Text(bytes)),
    { numRuns: 1500, seed: 0x4291 },
  ),
  ...fc.sample(
    grammarText(['0', '1', 'f', 'F', 'ffff', '12345', ':', '::', '.', '1.2.3.4', '256', '01', 'g']),
    { numRuns: 3000, seed: 0x2373 },
  ),
].filter((text) => !text.includes('%'));

const result = spawnSync('python3', ['-c', PYTHON], {
  input: JSON.stringify({ bytes: randomBytes.map(hex), texts }),
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
const python = JSON.parse(result.stdout) as { compressed: string[]; valid: (string | null)[] };

describe('IPv6 differential against CPython ipaddress', () => {
  it('writes the same RFC 5952 compressed text (IPv4-mapped compared by value)', () => {
    randomBytes.forEach((bytes, i) => {
      const theirs = python.compressed[i]!;
      if (isMapped(bytes)) {
        expect(formatIPv6(bytes)).toMatch(/^::ffff:\d+\.\d+\.\d+\.\d+$/);
        expect(parseIPv6(theirs)).toEqual(bytes);
      } else {
        expect(formatIPv6(bytes)).toBe(theirs);
      }
    });
  });

  it('accepts the same texts, as the same address', () => {
    let accepted = 0;
    texts.forEach((text, i) => {
      const theirs = python.valid[i];
      expect(isIPv6(text), text).toBe(theirs !== null);
      if (theirs != null) {
        accepted++;
        expect(hex(parseIPv6(text))).toBe(theirs);
      }
    });
    expect(accepted).toBeGreaterThan(1000);
  });
});
