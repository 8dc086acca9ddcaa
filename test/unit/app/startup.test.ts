import { describe, expect, it, vi } from 'vitest';
import { STARTUP_FAILURE_TITLE, startOrQuit, startupFailureMessage } from '../../../electron/main/app/startup';
import { LatchkeyError } from '../../../shared/errors';

function recordingUi() {
  const calls: string[] = [];
  return {
    calls,
    ui: {
      showError: (title: string, message: string) => calls.push(`dialog: ${title}: ${message}`),
      exit: (code: number) => calls.push(`exit ${code}`),
      log: (message: string) => calls.push(`log: ${message}`),
    },
  };
}

describe('startOrQuit', () => {
  it('starts once ready and does not quit', async () => {
    const { calls, ui } = recordingUi();
    const start = vi.fn(async () => undefined);
    await startOrQuit(async () => undefined, start, ui);
    expect(start).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([]);
  });

  it.each([
    ['start rejects', async () => undefined, () => Promise.reject(new Error('EACCES: /home/x/.config, secret JBSWY3DPEHPK3PXP'))],
    ['start throws before its first await', async () => undefined, () => {
      throw new TypeError('boom');
    }],
    ['the app never gets ready', () => Promise.reject(new Error('no display')), async () => undefined],
  ])('shows an error and exits with 1 when %s, without the error’s own text', async (_what, ready, start) => {
    const { calls, ui } = recordingUi();
    await startOrQuit(ready, start as () => Promise<void>, ui);
    expect(calls).toHaveLength(3);
    expect(calls[1]).toMatch(new RegExp(`^dialog: ${STARTUP_FAILURE_TITLE}: Something went wrong inside Latchkey\\.`));
    expect(calls[2]).toBe('exit 1');
    expect(calls.join('\n')).not.toMatch(/JBSWY3DPEHPK3PXP|EACCES|boom|no display/);
  });

  it('shows a Latchkey error’s sentence, and still exits when the dialog itself fails', async () => {
    const exit = vi.fn();
    const showError = vi.fn(() => {
      throw new Error('no dialog');
    });
    await expect(startOrQuit(async () => undefined, () => Promise.reject(new LatchkeyError('VAULT_CORRUPT')), { showError, exit, log: () => undefined })).rejects.toThrow('no dialog');
    expect(showError).toHaveBeenCalledWith(STARTUP_FAILURE_TITLE, startupFailureMessage(new LatchkeyError('VAULT_CORRUPT')));
    expect(startupFailureMessage(new LatchkeyError('VAULT_CORRUPT'))).toMatch(/damaged/);
    expect(exit).toHaveBeenCalledWith(1);
  });
});
