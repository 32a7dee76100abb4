import * as address from '@ftpwire/address';
import { describe, expect, it } from 'vitest';

describe('@ftpwire/address public surface', () => {
  it('exports the names DESIGN.md promises, as functions', () => {
    for (const name of [
      'decodeHostPort',
      'encodeHostPort',
      'parsePasvReply',
      'formatPasvReply',
      'parseEpsvReply',
      'formatEpsvReply',
      'decodeExtendedAddress',
      'encodeExtendedAddress',
      'decodeLongAddress',
      'encodeLongAddress',
    ]) {
      expect(typeof (address as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('exports the IP helpers and policy a NAT needs, and one error class', () => {
    for (const name of [
      'parseIPv4',
      'formatIPv4',
      'isIPv4',
      'parseIPv6',
      'formatIPv6',
      'canonicalIPv6',
      'isIPv6',
      'classifyAddress',
      'isPrivateAddress',
      'isIPv4MappedAddress',
      'normalizeAddress',
      'sameAddress',
      'choosePassiveHost',
      'parseLpsvReply',
      'formatLpsvReply',
      'parseNetworkProtocolsReply',
      'formatNetworkProtocolsReply',
      'AddressError',
    ]) {
      expect(typeof (address as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
