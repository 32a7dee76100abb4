import { isPositiveReply, replyClass, replyGroup } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { replyErrorOf } from './helpers.ts';

describe('replyClass (RFC 959 §4.2.1, RFC 2228 6yz)', () => {
  it.each([
    [150, 'preliminary'],
    [100, 'preliminary'],
    [227, 'completion'],
    [331, 'intermediate'],
    [425, 'transient'],
    [550, 'permanent'],
    [631, 'protected'],
    [699, 'protected'],
  ] as const)('classes %i as %s', (code, expected) => {
    expect(replyClass(code)).toBe(expected);
  });
});

describe('replyGroup (RFC 959 §4.2.1, second digit)', () => {
  it.each([
    [500, 'syntax'],
    [211, 'information'],
    [227, 'connections'],
    [331, 'authentication'],
    [241, 'unspecified'],
    [550, 'file-system'],
  ] as const)('groups %i as %s', (code, expected) => {
    expect(replyGroup(code)).toBe(expected);
  });

  it('leaves second digits 6 to 9 without a group', () => {
    for (const code of [260, 270, 580, 199]) expect(replyGroup(code)).toBeUndefined();
  });
});

describe('isPositiveReply', () => {
  it('is true for 1yz, 2yz, 3yz and false for 4yz, 5yz', () => {
    expect([150, 226, 331, 350].map(isPositiveReply)).toEqual([true, true, true, true]);
    expect([421, 425, 500, 550, 599].map(isPositiveReply)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('is false for 6yz: a protected reply says nothing until it is decoded (RFC 2228)', () => {
    expect(isPositiveReply(631)).toBe(false);
  });
});

describe('code checks', () => {
  it.each([99, 700, 0, -1, 1000, 2.5, Number.NaN])(
    'refuses %s with ERR_INVALID_CODE in all three',
    (code) => {
      for (const check of [replyClass, replyGroup, isPositiveReply]) {
        expect(replyErrorOf(() => check(code)).code).toBe('ERR_INVALID_CODE');
      }
    },
  );
});
