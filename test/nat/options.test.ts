import { type NatOptions, NatRewriter, NatSession, ReplyRewriter } from '@ftpwire/nat';
import { describe, expect, it } from 'vitest';

describe('options', () => {
  it('refuses options that cannot work with ERR_INVALID_OPTION', () => {
    const bad: NatOptions[] = [
      { publicHost: '2001:db8::1' },
      { publicHost: 'nat.example.org' },
      { publicHost: '10.0.0.01' },
      { pasvViaEpsv: true },
      { clientPublicHost: '198.51.100.20' },
      { clientAddress: 'localhost' },
      { portMap: { privateStart: 0, publicStart: 1, count: 1 } },
      { portMap: { privateStart: 65000, publicStart: 1000, count: 600 } },
      { portMap: { privateStart: 1000, publicStart: 2000, count: 0 } },
      { clientPortMap: { privateStart: 1.5, publicStart: 2000, count: 1 } },
      { maxLineLength: 0 },
      { maxPendingCommands: Number.NaN },
      { rewriteHosts: 'some' as 'all' },
      { bounce: 'drop' as 'pass' },
      { hostMap: { 'not an address': '193.21.1.121' } },
      { hostMap: new Map([['10.0.0.2', '2001:db8::1']]) },
    ];
    for (const options of bad) {
      for (const create of [
        () => new NatRewriter(options),
        () => new ReplyRewriter(options),
        () => new NatSession(options),
      ]) {
        expect(create, JSON.stringify(options)).toThrowError(
          expect.objectContaining({ name: 'NatError', code: 'ERR_INVALID_OPTION', offset: 0 }),
        );
      }
    }
  });

  it('accepts IPv4-mapped and non-canonical addresses, compared in canonical form', () => {
    const nat = new NatRewriter({
      publicHost: '::ffff:193.21.1.121',
      clientAddress: 'FD00:0:0::20',
      clientPublicHost: '2001:DB8::20',
      hostMap: { '::ffff:10.0.0.2': '203.0.113.2' },
    });
    const out: Uint8Array[] = [];
    const emit = (piece: Uint8Array) => out.push(piece);
    const encoder = new TextEncoder();
    nat.replies.push(encoder.encode('220 hi\r\n'), emit);
    nat.commands.push(encoder.encode('EPRT |2|fd00::20|50000|\r\nPASV\r\nPASV\r\n'), emit);
    nat.replies.push(
      encoder.encode('200 ok\r\n227 (10,0,0,2,4,1)\r\n227 (10,0,0,3,4,1)\r\n'),
      emit,
    );
    const decoder = new TextDecoder();
    expect(out.map((piece) => decoder.decode(piece)).join('')).toBe(
      '220 hi\r\nEPRT |2|2001:db8::20|50000|\r\nPASV\r\nPASV\r\n200 ok\r\n227 (203,0,113,2,4,1)\r\n227 (193,21,1,121,4,1)\r\n',
    );
  });
});
