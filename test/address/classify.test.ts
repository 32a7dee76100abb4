import {
  type AddressKind,
  classifyAddress,
  isIPv4MappedAddress,
  isPrivateAddress,
  normalizeAddress,
  sameAddress,
} from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

describe('classifyAddress', () => {
  it.each<[string, AddressKind]>([
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    // RFC 1918, edges included
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.168.0.0', 'private'],
    ['192.168.255.255', 'private'],
    ['192.169.0.0', 'public'],
    // RFC 6598 shared address space (carrier-grade NAT)
    ['100.64.0.0', 'shared'],
    ['100.127.255.255', 'shared'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    // link-local
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    // unique-local fc00::/7
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe00::1', 'public'],
    // documentation
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.255', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['3fff:fff::1', 'documentation'],
    ['3fff:1000::1', 'public'],
    // multicast
    ['224.0.0.1', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['ff02::1', 'multicast'],
    // reserved special-purpose space
    ['0.1.2.3', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['::2', 'reserved'],
    ['::13.1.68.3', 'reserved'],
    ['fec0::1', 'reserved'],
    ['100::1', 'reserved'],
    // public
    ['193.21.1.121', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
    ['64:ff9b::c000:201', 'public'],
  ])('%s is %s', (host, kind) => {
    expect(classifyAddress(host)).toBe(kind);
  });

  it.each<[string, AddressKind]>([
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::FFFF:100.64.1.1', 'shared'],
    ['::ffff:193.21.1.121', 'public'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:c0a8:101', 'private'],
  ])('IPv4-mapped %s is classified as its IPv4 address: %s', (host, kind) => {
    expect(classifyAddress(host)).toBe(kind);
    expect(isIPv4MappedAddress(host)).toBe(true);
  });

  it.each([
    ['example.com', 0],
    ['', 0],
    ['10.0.0', 6],
    ['fe80::1%', 7],
    ['fe80::1%eth 0', 11],
    ['::1%%', 4],
  ])('refuses %j with ERR_INVALID_HOST at %i', (host, offset) => {
    expectAddressError(() => classifyAddress(host), 'ERR_INVALID_HOST', offset);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.0.1.121', true],
    ['172.20.0.1', true],
    ['192.168.1.2', true],
    ['100.64.0.1', true],
    ['169.254.1.1', true],
    ['127.0.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1%2', true],
    ['::ffff:192.168.1.2', true],
    ['193.21.1.121', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['2001:db8::1', false],
    ['2606:4700::1111', false],
  ])('%s: %s', (host, expected) => {
    expect(isPrivateAddress(host)).toBe(expected);
  });
});

describe('normalizeAddress and sameAddress', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:0A00:0001', '10.0.0.1'],
    ['FE80:0:0:0:0:0:0:1%eth0', 'fe80::1%eth0'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ])('%s normalizes to %s', (host, normal) => {
    expect(normalizeAddress(host)).toBe(normal);
  });

  it('compares addresses, not text', () => {
    expect(sameAddress('::ffff:10.0.0.1', '10.0.0.1')).toBe(true);
    expect(sameAddress('2001:DB8::1', '2001:db8:0:0::1')).toBe(true);
    expect(sameAddress('fe80::1%eth0', 'fe80::1%eth1')).toBe(false);
    expect(sameAddress('10.0.0.1', '10.0.0.2')).toBe(false);
  });

  it('isIPv4MappedAddress is false for plain IPv4 and other IPv6', () => {
    expect(isIPv4MappedAddress('10.0.0.1')).toBe(false);
    expect(isIPv4MappedAddress('::10.0.0.1')).toBe(false);
    expect(isIPv4MappedAddress('::ffff:0:10.0.0.1')).toBe(false);
  });
});
