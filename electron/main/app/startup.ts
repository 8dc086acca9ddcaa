import { ERROR_SENTENCES, isLatchkeyError } from '../../../shared/errors';

/** What a failed start needs from Electron: a dialog main shows itself, and the exit. */
export interface StartupFailureUi {
  showError(title: string, message: string): void;
  exit(code: number): void;
  log(message: string): void;
}

export const STARTUP_FAILURE_TITLE = 'Latchkey could not start';

/** A sentence for the person; an unknown error's own text is never shown (it may hold anything). */
export function startupFailureMessage(error: unknown): string {
  if (isLatchkeyError(error)) return error.message;
  return `${ERROR_SENTENCES.INTERNAL_ERROR} Latchkey could not open its window; start it again, and if this repeats, reinstall it.`;
}

/**
 * Waits for the app to be ready, then starts it. Any failure on the way, thrown or rejected, shows
 * an error and ends the process with status 1: a start that failed half-way must never leave a
 * process running with no window (and so no way to quit it but a task manager).
 */
export async function startOrQuit(ready: () => Promise<unknown>, start: () => Promise<void>, ui: StartupFailureUi): Promise<void> {
  try {
    await ready();
    await start();
  } catch (error) {
    const message = startupFailureMessage(error);
    ui.log(`${STARTUP_FAILURE_TITLE}: ${message}`);
    try {
      ui.showError(STARTUP_FAILURE_TITLE, message);
    } finally {
      // Even when the dialog itself fails: quitting is the point.
      ui.exit(1);
    }
  }
}
