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

/** The code of the LatchkeyError `run` rejects with; fails the test when it resolves or rejects with something else. */
export async function failureCode(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LatchkeyError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}
