import { type ListEntry, parseListLine } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { latin1 } from './helpers.js';

const eplf = (line: string | Uint8Array): ListEntry | undefined =>
  parseListLine(line, { dialect: 'eplf' });

describe('EPLF lines', () => {
  it('reads the examples of the EPLF description', () => {
    expect(eplf('+i8388621.29609,m824255902,/,\tdev')).toMatchObject({
      dialect: 'eplf',
      name: 'dev',
      type: 'directory',
      size: undefined,
      modified: new Date(824255902 * 1000),
    });
    expect(eplf('+i8388621.44468,m839956783,r,s10376,\tRFCEPLF')).toMatchObject({
      name: 'RFCEPLF',
      type: 'file',
      size: 10376,
    });
  });

  it('reads up as permissions, skips facts it does not know, keeps the name whole', () => {
    expect(eplf('+up644,r,x-unknown,s1,\t my file\t.txt')).toMatchObject({
      permissions: 'rw-r--r--',
      name: ' my file\t.txt',
    });
    expect(eplf('+up4755,r,\tx')?.permissions).toBe('rwxr-xr-x');
    expect(eplf('+i1,\tnothing known')?.type).toBe('other');
    expect(eplf('+/,r,\tboth')?.type).toBe('directory');
    expect(eplf('+\tbare')?.type).toBe('other');
  });

  it.each([
    ['no tab', '+i1,r,s1, name'],
    ['no name', '+r,s1,\t'],
    ['a size that is not a number', '+r,s1k,\tx'],
    ['an empty size', '+r,s,\tx'],
    ['a time that is not a number', '+r,m-1,\tx'],
    ['a time past what a Date holds', '+r,m8640000000001,\tx'],
    ['a mode that is not octal', '+r,up9,\tx'],
    ['no plus', 'r,s1,\tx'],
  ])('is no entry: %s', (_what, line) => {
    expect(eplf(line)).toBeUndefined();
  });

  it('keeps the bytes of a name that is not UTF-8', () => {
    expect(eplf(latin1('+r,s1,\tna\xefve'))?.rawName).toEqual(latin1('na\xefve'));
  });
});
