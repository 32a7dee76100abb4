import {
  choosePassiveHost,
  classifyAddress,
  isPrivateAddress,
  normalizeAddress,
  sameAddress,
} from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4, ipv6Bytes, numRuns, port, referenceCanonicalIPv6 } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

/** Addresses from every class a policy distinguishes, IPv4-mapped forms of them included. */
const interesting = fc.constantFrom(
  '10.0.1.121',
  '192.168.1.2',
  '172.16.5.4',
  '100.64.0.9',
  '127.0.0.1',
  '169.254.3.3',
  '0.0.0.0',
  '193.21.1.121',
  '198.51.100.7',
  '8.8.8.8',
);
const host = fc.oneof(
  interesting,
  interesting.map((h) => `::ffff:${h}`),
  ipv4,
  ipv6Bytes.map(referenceCanonicalIPv6),
  fc.constantFrom('::1', 'fd00::1', 'fe80::1', '2606:4700::1111'),
);
const hidden = (h: string): boolean => isPrivateAddress(h) || classifyAddress(h) === 'unspecified';

describe('choosePassiveHost properties', () => {
  it('the port is always the reply port; trust dials the reply, ignore the peer', () => {
    fc.assert(
      fc.property(host, host, port, (replyHost, peer, p) => {
        const reply = { host: replyHost, port: p };
        const trusted = choosePassiveHost({ reply, controlPeer: peer, policy: 'trust' });
        const ignored = choosePassiveHost({ reply, controlPeer: peer, policy: 'ignore' });
        expect(trusted).toEqual({ host: normalizeAddress(replyHost), port: p, source: 'reply' });
        expect(ignored).toEqual({ host: normalizeAddress(peer), port: p, source: 'control-peer' });
      }),
      { numRuns },
    );
  });

  it('strict dials the reply exactly when it is the peer, and throws otherwise', () => {
    fc.assert(
      fc.property(host, fc.oneof(host, interesting), port, (replyHost, peer, p) => {
        const call = (): unknown =>
          choosePassiveHost({
            reply: { host: replyHost, port: p },
            controlPeer: peer,
            policy: 'strict',
          });
        const error = addressErrorOf(call);
        if (sameAddress(replyHost, peer)) expect(error).toBeUndefined();
        else expect(error?.code).toBe('ERR_PASSIVE_HOST_MISMATCH');
      }),
      { numRuns },
    );
  });

  it('private-fallback never dials a private reply host when the peer is public, and only then replaces it', () => {
    fc.assert(
      fc.property(host, host, port, (replyHost, peer, p) => {
        const choice = choosePassiveHost({
          reply: { host: replyHost, port: p },
          controlPeer: peer,
          policy: 'private-fallback',
        });
        const replace = hidden(replyHost) && !hidden(peer);
        expect(choice.source).toBe(replace ? 'control-peer' : 'reply');
        expect(choice.host).toBe(normalizeAddress(replace ? peer : replyHost));
      }),
      { numRuns },
    );
  });
});
