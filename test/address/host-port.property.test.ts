import { decodeHostPort, encodeHostPort } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byte, grammarText, ipv4, numRuns, padded, port } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

describe('h1,h2,h3,h4,p1,p2 properties', () => {
  it('decodeHostPort(encodeHostPort(x)) equals x for every IPv4 host and port', () => {
    fc.assert(
      fc.property(ipv4, port, (host, p) => {
        expect(decodeHostPort(encodeHostPort({ host, port: p }))).toEqual({ host, port: p });
      }),
      { numRuns },
    );
  });

  it('encodeHostPort(decodeHostPort(s)) is the canonical form of s (port bytes unpadded)', () => {
    const text = fc
      .tuple(byte, byte, byte, byte, byte, byte)
      // Port 0 is refused (test/address/port-zero.test.ts).
      .filter((numbers) => numbers[4] + numbers[5] > 0)
      .chain((numbers) => fc.tuple(fc.constant(numbers), padded(numbers[4]), padded(numbers[5])));
    fc.assert(
      fc.property(text, ([numbers, p1, p2]) => {
        const s = `${numbers.slice(0, 4).join(',')},${p1},${p2}`;
        expect(encodeHostPort(decodeHostPort(s))).toBe(numbers.join(','));
      }),
      { numRuns },
    );
  });

  it('decodeHostPort throws nothing but AddressError, and refuses what a reference refuses', () => {
    const tokens = [
      '0',
      '1',
      '9',
      '25',
      '255',
      '256',
      '010',
      '00',
      ',',
      ',,',
      '-',
      '+',
      ' ',
      '.',
      '1,2,3,4,',
      '5,6',
      '10,0,1,121,',
    ];
    const reference = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d),){4}(\d+),(\d+)$/;
    // Six fields, mostly valid, some replaced by a near miss, sometimes one too many or few.
    const field = fc.oneof(
      { weight: 12, arbitrary: byte.map(String) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('256', '010', '00', '004', '-1', '', ' 1', '1 ', '99999', '+1'),
      },
    );
    const nearTuples = fc
      .array(field, { minLength: 5, maxLength: 7 })
      .chain((parts) =>
        fc.oneof({ weight: 3, arbitrary: fc.constant(parts.slice(0, 6)) }, fc.constant(parts)),
      )
      .map((parts) => parts.join(','));
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(nearTuples, grammarText(tokens)), (text) => {
        const error = addressErrorOf(() => decodeHostPort(text));
        const match = reference.exec(text);
        const p1 = Number(match?.[1]);
        const p2 = Number(match?.[2]);
        // Port bytes are bytes, and together never port 0.
        const valid = match !== null && p1 <= 255 && p2 <= 255 && p1 + p2 > 0;
        if (valid) accepted++;
        expect(error === undefined).toBe(valid);
        if (error) expect(error.code).toBe('ERR_INVALID_HOST_PORT');
      }),
      { numRuns: numRuns * 10 },
    );
    expect(accepted).toBeGreaterThan(numRuns / 20);
  });
});
