import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL } from '../../shared/ipc-channels';

// Exactly the contract: invoke a known channel, and listen to main's events. Nothing else.
const channels = new Set<string>(CHANNEL_NAMES);

contextBridge.exposeInMainWorld('latchkey', {
  invoke: (channel: string, input?: unknown) =>
    channels.has(channel) ? ipcRenderer.invoke(channel, input) : Promise.reject(new Error(`Unknown channel ${channel}`)),
  onEvent: (listener: (event: unknown) => void) => {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, forward);
  },
});
