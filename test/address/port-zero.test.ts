/**
 * A data port of 0 is never valid: TCP port 0 is reserved (RFC 6335 §6), nothing can be
 * dialled there, and a peer that names it is broken or probing. The Linux nf_conntrack_ftp
 * helper and ProFTPD refuse it; so does every decoder here, on its fast path and its validating
 * path alike, whatever zero padding spells it, and so do the encoders and choosePassiveHost.
 */
import {
  choosePassiveHost,
  decodeExtendedAddress,
  decodeHostPort,
  decodeLongAddress,
  encodeExtendedAddress,
  encodeHostPort,
  encodeLongAddress,
  formatEpsvReply,
  formatPasvReply,
  parseEpsvReply,
  parseLpsvReply,
  parsePasvReply,
} from '@ftpwire/address';
import { parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

describe('port 0', () => {
  it.each([
    ['10,0,1,121,0,0', 11],
    ['10,0,1,121,000,00', 11],
    ['0,0,0,0,0,0', 8],
  ])('decodeHostPort refuses %s at the port bytes', (text, offset) => {
    const error = expectAddressError(() => decodeHostPort(text), 'ERR_INVALID_HOST_PORT', offset);
    expect(error.message).toContain('port 0 is not a data port');
  });

  it.each([
    ['227 Entering Passive Mode (10,0,1,121,0,0).', 38],
    ['227 Entering Passive Mode (10,0,1,121,00,000)', 38],
    ['227 =10,0,1,121,0,0', 16],
    ['227-Passive\r\n227 (10,0,1,121,0,0)', 29],
  ])('parsePasvReply refuses %j at the port bytes', (reply, offset) => {
    expectAddressError(() => parsePasvReply(reply), 'ERR_INVALID_PASV_REPLY', offset);
    expectAddressError(() => parsePasvReply(parseReply(reply)), 'ERR_INVALID_PASV_REPLY', offset);
  });

  it.each([
    ['229 Entering Extended Passive Mode (|||0|)', 39],
    ['229 Entering Extended Passive Mode (|||00000|)', 39],
    ['229 Entering Extended Passive Mode (!!!0!)', 39],
  ])('parseEpsvReply refuses %j at the port', (reply, offset) => {
    expectAddressError(() => parseEpsvReply(reply), 'ERR_INVALID_EPSV_REPLY', offset);
  });

  it('decodeExtendedAddress, decodeLongAddress and parseLpsvReply refuse it at the port', () => {
    expectAddressError(
      () => decodeExtendedAddress('|1|10.0.0.1|0|'),
      'ERR_INVALID_EXTENDED_ADDRESS',
      12,
    );
    expectAddressError(
      () => decodeExtendedAddress('|2|::1|000|'),
      'ERR_INVALID_EXTENDED_ADDRESS',
      7,
    );
    expectAddressError(
      () => decodeLongAddress('4,4,10,0,0,1,2,0,0'),
      'ERR_INVALID_LONG_ADDRESS',
      15,
    );
    expectAddressError(
      () => parseLpsvReply('228 Entering Long Passive Mode (4,4,10,0,0,1,2,0,0)'),
      'ERR_INVALID_LPSV_REPLY',
      47,
    );
  });

  it('the encoders and choosePassiveHost refuse it: nothing writes what the decoders refuse', () => {
    const hp = { host: '10.0.0.1', port: 0 };
    expectAddressError(() => encodeHostPort(hp), 'ERR_INVALID_PORT');
    expectAddressError(() => formatPasvReply(hp), 'ERR_INVALID_PORT');
    expectAddressError(() => formatEpsvReply(0), 'ERR_INVALID_PORT');
    expectAddressError(() => encodeExtendedAddress(hp), 'ERR_INVALID_PORT');
    expectAddressError(() => encodeLongAddress(hp), 'ERR_INVALID_PORT');
    for (const policy of ['trust', 'ignore', 'private-fallback', 'strict'] as const) {
      expectAddressError(
        () => choosePassiveHost({ reply: hp, controlPeer: '10.0.0.1', policy }),
        'ERR_INVALID_PORT',
      );
    }
  });

  it('port 1, the lowest data port, is read by every decoder', () => {
    expect(decodeHostPort('10,0,1,121,0,1').port).toBe(1);
    expect(parsePasvReply('227 (10,0,1,121,0,1)').port).toBe(1);
    expect(parseEpsvReply('229 (|||1|)')).toBe(1);
    expect(decodeExtendedAddress('|1|10.0.0.1|1|').port).toBe(1);
    expect(decodeLongAddress('4,4,10,0,0,1,2,0,1').port).toBe(1);
  });
});
