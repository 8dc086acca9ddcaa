import { LatchkeyError } from '../../shared/errors';

/** The LatchkeyError `run` throws; fails the test when it throws nothing or something else. */
export function errorOf(run: () => unknown): LatchkeyError {
  try {
    run();
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error('expected an error');
}
