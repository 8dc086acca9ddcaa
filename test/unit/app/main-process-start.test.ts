import { describe, expect, it, vi } from 'vitest';

/**
 * The Electron entry point itself, over a stand-in for the `electron` module (the binary cannot
 * run here): a start that fails must show an error and exit, not leave a windowless process.
 */
const electron = vi.hoisted(() => {
  const record = { exits: [] as number[], dialogs: [] as string[], quits: 0 };
  const noop = () => undefined;
  return {
    record,
    module: {
      app: {
        isPackaged: true,
        requestSingleInstanceLock: () => true,
        on: noop,
        whenReady: () => Promise.resolve(),
        // The first thing start() asks for: failing here makes start() reject.
        getPath: () => {
          throw new Error('EACCES: permission denied, mkdir /home/someone/.config/Latchkey');
        },
        exit: (code: number) => record.exits.push(code),
        quit: () => (record.quits += 1),
      },
      dialog: { showErrorBox: (title: string, message: string) => record.dialogs.push(`${title}: ${message}`) },
      protocol: { registerSchemesAsPrivileged: noop, handle: noop },
      BrowserWindow: class {},
      nativeTheme: {},
      net: {},
      powerMonitor: { on: noop },
      session: {},
      shell: {},
      clipboard: {},
      ipcMain: { handle: noop },
      desktopCapturer: {},
      screen: {},
    },
  };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

describe('the main process entry point', () => {
  it('shows an error and exits with status 1 when start() rejects', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await import('../../../electron/main/app/index');
    await vi.waitFor(() => expect(electron.record.exits).toEqual([1]), { timeout: 5_000 });
    expect(electron.record.dialogs).toHaveLength(1);
    expect(electron.record.dialogs[0]).toMatch(/^Latchkey could not start: Something went wrong inside Latchkey\./);
    expect(electron.record.dialogs[0]).not.toContain('EACCES');
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^Latchkey could not start: /));
  });
});
