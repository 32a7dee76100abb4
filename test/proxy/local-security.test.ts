// The proxy's own answers on the client's leg (upstreamTls on or off), and the FEAT reply as the
// client gets it, against what RFC 2228, 2389 and 4217 ask and what servers send.
import { parseFeatureReply, parseReply } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerPbsz, answerProt, clientFeatures } from '../../packages/proxy/src/local-security.ts';
import { text } from './core-harness.ts';

const reply = (bytes: Uint8Array) => text(bytes).trimEnd();

describe('answerPbsz and answerProt', () => {
  it('refuse both before AUTH (RFC 2228 §3: 503)', () => {
    expect(reply(answerPbsz(false, '0'))).toBe('503 Use AUTH TLS first.');
    expect(answerProt(false, 'P')).toEqual({ reply: answerProt(false, 'C').reply });
  });

  it('PBSZ: any decimal size is answered PBSZ=0 (RFC 4217 §9); anything else 501', () => {
    for (const size of ['0', '16384', ' 0 ', '4294967295']) {
      expect(reply(answerPbsz(true, size))).toBe('200 PBSZ=0');
    }
    for (const size of ['', '-1', '1e3', '0x10', '12345678901']) {
      expect(reply(answerPbsz(true, size))).toMatch(/^501 /);
    }
  });

  it('PROT: C and P set a level, in any case; S and E 536; the rest 504', () => {
    expect(answerProt(true, 'p').level).toBe('P');
    expect(answerProt(true, ' C ').level).toBe('C');
    expect(reply(answerProt(true, 'S').reply)).toMatch(/^536 /);
    expect(reply(answerProt(true, 'E').reply)).toMatch(/^536 /);
    expect(answerProt(true, 'E').level).toBeUndefined();
    expect(reply(answerProt(true, 'PRIVATE').reply)).toMatch(/^504 /);
  });
});

describe('clientFeatures', () => {
  const vsftpd = parseReply(
    '211-Features:\r\n AUTH SSL\r\n AUTH TLS\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n',
  );

  it('vsftpd with TLS: its AUTH, PBSZ and PROT give way to the proxy’s', () => {
    const features = parseFeatureReply(text(clientFeatures(vsftpd, true)));
    expect(features.get('AUTH')).toBe('TLS');
    expect([...features.keys()].sort()).toEqual(
      [
        'AUTH',
        'EPRT',
        'EPSV',
        'MDTM',
        'PASV',
        'PBSZ',
        'PROT',
        'REST',
        'SIZE',
        'TVFS',
        'UTF8',
      ].sort(),
    );
  });

  it('without a certificate the client is offered none of them', () => {
    const features = parseFeatureReply(text(clientFeatures(vsftpd, false)));
    expect(features.has('AUTH') || features.has('PBSZ') || features.has('PROT')).toBe(false);
    expect(features.get('REST')).toBe('STREAM');
  });

  it('a server without a feature list gets the proxy’s; with no certificate it stays as sent', () => {
    const none = parseReply('211 No features.\r\n');
    expect(text(clientFeatures(none, false))).toBe('211 No features.\r\n');
    expect([...parseFeatureReply(text(clientFeatures(none, true))).keys()]).toEqual([
      'AUTH',
      'PBSZ',
      'PROT',
    ]);
  });

  it('every other line passes byte for byte, in order, and the result frames as one 211', () => {
    const feature = fc.oneof(
      fc.constantFrom(' AUTH TLS', ' auth ssl', '  PBSZ', ' PROT', '\tPROT C;P', ' PROTX'),
      fc
        .stringMatching(/^ [A-Za-z][A-Za-z0-9 ;*.-]{0,20}$/)
        .filter((line) => !/^ (auth|pbsz|prot)( |$)/i.test(line)),
    );
    fc.assert(
      fc.property(fc.array(feature, { maxLength: 12 }), fc.boolean(), (lines, tls) => {
        const wire = ['211-Features:', ...lines, '211 End'].map((line) => `${line}\r\n`).join('');
        const out = text(clientFeatures(parseReply(wire), tls));
        const parsed = parseReply(out);
        expect(parsed.code).toBe(211);
        const kept = lines.filter((line) => !/^\s*(auth|pbsz|prot)(\s|$)/i.test(line));
        const own = tls ? [' AUTH TLS', ' PBSZ', ' PROT'] : [];
        if (!tls && kept.length === lines.length) expect(out).toBe(wire);
        else {
          expect(parsed.lines).toEqual(
            kept.length + own.length > 0
              ? ['211-Features:', ...kept, ...own, '211 End']
              : ['211 End'],
          );
        }
      }),
    );
  });
});
