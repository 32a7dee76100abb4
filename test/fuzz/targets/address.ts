import {
  AddressError,
  canonicalIPv6,
  choosePassiveHost,
  classifyAddress,
  decodeExtendedAddress,
  decodeHostPort,
  decodeLongAddress,
  encodeExtendedAddress,
  encodeHostPort,
  encodeLongAddress,
  formatEpsvReply,
  formatIPv4,
  formatIPv6,
  formatLpsvReply,
  formatNetworkProtocolsReply,
  formatPasvReply,
  type HostPort,
  isIPv4,
  isIPv6,
  normalizeAddress,
  parseEpsvReply,
  parseIPv4,
  parseIPv6,
  parseLpsvReply,
  parseNetworkProtocolsReply,
  parsePasvReply,
  sameAddress,
} from '@ftpwire/address';
import {
  epsvReplies,
  extendedAddresses,
  longAddresses,
  pasvReplies,
} from '../../fixtures/address/passive-replies.js';
import { assertLaw, type FuzzTarget } from '../target.js';

const encoder = new TextEncoder();

/** Runs `decode`; undefined when it refuses with an AddressError, anything else propagates. */
function attempt<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (error instanceof AddressError) return undefined;
    throw error;
  }
}

/** Every byte as one character (ISO 8859-1): any byte string is a text, and back. */
function latin1(data: Uint8Array): string {
  let text = '';
  for (const byte of data) text += String.fromCharCode(byte);
  return text;
}

function sameHostPort(a: HostPort | undefined, b: HostPort | undefined): boolean {
  return a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;
}

/** A formatted reply or argument is one line: CR, LF and NUL only as its final CRLF. */
function oneLine(wire: string, framed: boolean): boolean {
  const body = framed ? wire.slice(0, -2) : wire;
  if (framed && !wire.endsWith('\r\n')) return false;
  for (let i = 0; i < body.length; i++) {
    const unit = body.charCodeAt(i);
    if (unit === 0x0d || unit === 0x0a || unit === 0) return false;
  }
  return true;
}

const REPLY_PREFIXES = ['', '227 ', '228 ', '229 ', '522 '] as const;

/**
 * Every decoder of `@ftpwire/address` on the same text, with the package's laws:
 * - only `AddressError` is thrown, whatever the text;
 * - what a decoder accepts, its encoder writes back to text that decodes to the same value,
 *   as one line without CR, LF or NUL;
 * - strict dotted quads and canonical IPv6 are fixed points of parse-then-format;
 * - the `is*` predicates agree with the parsers, and a 227/228/229/522 reply reads the same as
 *   a reply object as as text.
 */
export const addressTarget: FuzzTarget = {
  name: 'address/decoders',
  errorClass: AddressError,
  seeds: [
    ...pasvReplies.map((fixture) => fixture.reply),
    ...epsvReplies.map((fixture) => fixture.reply),
    ...extendedAddresses.map((fixture) => fixture.arg),
    ...longAddresses.map((fixture) => fixture.text),
    '10,0,1,121,15,6',
    '522 Network protocol not supported, use (1,2)',
    '::ffff:10.0.0.1',
    'fe80::1%eth0',
    '2001:db8:0:1:1:1:1:1',
  ].map((text) => encoder.encode(text)),
  tokens: [
    '227 ',
    '228 ',
    '229 ',
    '522 ',
    '(',
    ')',
    ',',
    '|',
    '!',
    ':',
    '::',
    '.',
    '%',
    '-',
    ' ',
    '0',
    '00',
    '1',
    '2',
    '4',
    '6',
    '16',
    '255',
    '256',
    '65535',
    '65536',
    'ffff',
    'fe80',
    '10,0,1,121,15,6',
    '|||',
    '4,4,',
    '6,16,',
    '2,',
    '\r\n',
    '\x00',
    '\xff',
  ],
  run(data) {
    const text = latin1(data);

    const hostPort = attempt(() => decodeHostPort(text));
    if (hostPort) {
      const wire = encodeHostPort(hostPort);
      assertLaw(oneLine(wire, false), `encodeHostPort wrote a control character: ${wire}`);
      assertLaw(sameHostPort(decodeHostPort(wire), hostPort), 'PORT: decode(encode(x)) != x');
    }

    for (const prefix of REPLY_PREFIXES) {
      const reply = prefix + text;
      const pasv = attempt(() => parsePasvReply(reply));
      if (pasv) {
        assertLaw(
          sameHostPort(parsePasvReply(formatPasvReply(pasv)), pasv),
          '227: parse(format(x)) != x',
        );
        assertLaw(
          sameHostPort(
            attempt(() => parsePasvReply({ code: 227, lines: [reply] })),
            pasv,
          ),
          '227: a reply object reads differently from its text',
        );
      }
      const epsv = attempt(() => parseEpsvReply(reply));
      if (epsv !== undefined) {
        assertLaw(parseEpsvReply(formatEpsvReply(epsv)) === epsv, '229: parse(format(x)) != x');
        assertLaw(
          attempt(() => parseEpsvReply({ code: 229, lines: [reply] })) === epsv,
          '229: a reply object reads differently from its text',
        );
      }
      const lpsv = attempt(() => parseLpsvReply(reply));
      if (lpsv) {
        const again = parseLpsvReply(formatLpsvReply(lpsv));
        assertLaw(
          sameHostPort(again, lpsv) && again.family === lpsv.family,
          '228: parse(format(x)) != x',
        );
      }
      const protocols = attempt(() => parseNetworkProtocolsReply(reply));
      if (protocols) {
        const again = parseNetworkProtocolsReply(formatNetworkProtocolsReply(protocols));
        assertLaw(again.join() === protocols.join(), '522: parse(format(x)) != x');
      }
    }

    const extended = attempt(() => decodeExtendedAddress(text));
    if (extended) {
      const again = decodeExtendedAddress(
        encodeExtendedAddress(extended, text[0] === undefined ? '|' : text[0]),
      );
      assertLaw(
        sameHostPort(again, extended) && again.family === extended.family,
        'EPRT: decode(encode(x)) != x',
      );
    }
    const long = attempt(() => decodeLongAddress(text));
    if (long) {
      const again = decodeLongAddress(encodeLongAddress(long));
      assertLaw(
        sameHostPort(again, long) && again.family === long.family,
        'LPRT: decode(encode(x)) != x',
      );
    }

    const ipv4 = attempt(() => parseIPv4(text));
    assertLaw(isIPv4(text) === (ipv4 !== undefined), 'isIPv4 disagrees with parseIPv4');
    if (ipv4) assertLaw(formatIPv4(ipv4) === text, 'a strict dotted quad is not its own format');
    const ipv6 = attempt(() => parseIPv6(text));
    assertLaw(isIPv6(text) === (ipv6 !== undefined), 'isIPv6 disagrees with parseIPv6');
    if (ipv6) {
      const canonical = formatIPv6(ipv6);
      assertLaw(canonicalIPv6(text) === canonical, 'canonicalIPv6 != formatIPv6(parseIPv6)');
      assertLaw(canonicalIPv6(canonical) === canonical, 'RFC 5952 form is not a fixed point');
    }

    const normalized = attempt(() => normalizeAddress(text));
    assertLaw(
      (attempt(() => classifyAddress(text)) !== undefined) === (normalized !== undefined),
      'classifyAddress and normalizeAddress accept different hosts',
    );
    if (normalized !== undefined) {
      assertLaw(normalizeAddress(normalized) === normalized, 'normalizeAddress is not idempotent');
      assertLaw(sameAddress(text, normalized), 'an address is not the same as its normal form');
      const choice = choosePassiveHost({
        reply: { host: '10.0.1.121', port: 3846 },
        controlPeer: text,
      });
      assertLaw(
        choice.host === normalized && choice.source === 'control-peer',
        'policy ignore did not dial the control peer',
      );
    }

    // Formatters on arbitrary text: one line or a refusal, never anything in between.
    for (const wire of [
      attempt(() => formatPasvReply({ host: '10.0.1.121', port: 3846 }, text)),
      attempt(() => formatEpsvReply(3846, text)),
      attempt(() => formatLpsvReply({ host: '::1', port: 3846 }, text)),
      attempt(() => formatNetworkProtocolsReply([1, 2], text)),
    ]) {
      if (wire !== undefined) assertLaw(oneLine(wire, true), `a formatter let through: ${wire}`);
    }
    const formatted = attempt(() => formatPasvReply({ host: '10.0.1.121', port: 3846 }, text));
    if (formatted !== undefined) {
      assertLaw(
        sameHostPort(parsePasvReply(formatted), { host: '10.0.1.121', port: 3846 }),
        '227 text the formatter accepted changed the address read back',
      );
    }
  },
};
