import {
  AddressError,
  decodeExtendedAddress,
  decodeHostPort,
  parseEpsvReply,
  parsePasvReply,
} from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

describe('AddressError', () => {
  it('is an Error with a name, a stable code and an offset', () => {
    const error = new AddressError('ERR_INVALID_HOST_PORT', 'expected six numbers', 12);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AddressError');
    expect(error.code).toBe('ERR_INVALID_HOST_PORT');
    expect(error.offset).toBe(12);
    expect(error.message).toBe('expected six numbers');
  });

  it('points at the offending text', () => {
    const text = '10,0,1,121,15,256';
    const error = expectAddressError(() => decodeHostPort(text), 'ERR_INVALID_HOST_PORT');
    expect(text.slice(error.offset)).toBe('256');
  });

  it('escapes control and non-ASCII characters it quotes, and quotes at most a few dozen', () => {
    const error = expectAddressError(
      () => decodeExtendedAddress(`|1|10.0.0.1|21|\u0000\u001b[31m\u00e9${'x'.repeat(500)}`),
      'ERR_INVALID_EXTENDED_ADDRESS',
      15,
    );
    expect(error.message).toContain('\\u0000\\u001b[31m\\u00e9');
    expect([...error.message].every((c) => c >= ' ' && c <= '~')).toBe(true);
    expect(error.message.length).toBeLessThan(160);
  });

  it('says what was expected and what came', () => {
    expect(
      expectAddressError(
        () => parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6,7)'),
        'ERR_INVALID_PASV_REPLY',
      ).message,
    ).toBe('expected six numbers, got a seventh field ",7)"');
    expect(
      expectAddressError(
        () => parseEpsvReply('229 Entering Extended Passive Mode (|||70000|)'),
        'ERR_INVALID_EPSV_REPLY',
      ).message,
    ).toBe('a TCP port "70000" is over 65535');
  });
});
