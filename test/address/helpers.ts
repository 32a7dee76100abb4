import { AddressError, type AddressErrorCode } from '@ftpwire/address';
import { expect } from 'vitest';

/** Runs `fn`, expects an AddressError with `code` (and `offset` when given), returns it. */
export function expectAddressError(
  fn: () => unknown,
  code: AddressErrorCode,
  offset?: number,
): AddressError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an AddressError').toBeInstanceOf(AddressError);
  const error = caught as AddressError;
  expect(error.code).toBe(code);
  if (offset !== undefined) expect(error.offset).toBe(offset);
  return error;
}

/** Returns the AddressError `fn` throws, undefined if it returns, and rethrows anything else. */
export function addressErrorOf(fn: () => unknown): AddressError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof AddressError) return error;
    throw error;
  }
}
