import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { LatchkeyError } from '../../../shared/errors';
import { CHANNELS } from '../../../shared/ipc';
import { dispatch, type IpcHandlers, isTrustedSender } from '../ipc';

/** Registers every contract channel; a call from any frame but the app's own is refused. */
export function registerIpcHandlers(handlers: IpcHandlers, origins: readonly string[]): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url, origins)) {
        return { ok: false, error: new LatchkeyError('FORBIDDEN_ORIGIN').toPayload() };
      }
      return dispatch(handlers, channel, input);
    });
  }
}
