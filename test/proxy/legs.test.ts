import { describe, expect, it } from 'vitest';
import { upstreamDataVerb } from '../../packages/proxy/src/legs.ts';

describe('upstreamDataVerb', () => {
  it('maps each data command of the client to what the server is sent', () => {
    const table = (['PASV', 'EPSV', 'PORT', 'EPRT'] as const).map((verb) => [
      verb,
      upstreamDataVerb(verb, 'client'),
      upstreamDataVerb(verb, 'passive'),
      upstreamDataVerb(verb, 'epsv'),
    ]);
    expect(table).toEqual([
      ['PASV', 'PASV', 'PASV', 'EPSV'],
      ['EPSV', 'EPSV', 'EPSV', 'EPSV'],
      ['PORT', 'PORT', 'PASV', 'EPSV'],
      ['EPRT', 'EPRT', 'EPSV', 'EPSV'],
    ]);
  });
});
