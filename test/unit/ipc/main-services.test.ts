import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMainServices, dispatch, type MainServices } from '../../../electron/main/ipc';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import type { IpcEvent } from '../../../shared/ipc';
import { MemoryClipboard } from '../../support/memory-clipboard';
import { useTempDirs } from '../../support/temp-dir';
import { TEST_PASSWORD_COST, testKeychain } from '../../support/vault';

const tempDir = useTempDirs();
const SECRET = 'JBSWY3DPEHPK3PXP';

// Locking stops the vault folder watcher that an unlocked vault runs.
const opened: MainServices[] = [];
afterEach(() => {
  for (const services of opened.splice(0)) services.vault.lock();
});

async function setup(dataDir = tempDir()) {
  const clock = { time: 1_700_000_000_000 };
  const clipboard = new MemoryClipboard();
  const services = await createMainServices({
    vaultDir: `${dataDir}/vault`,
    settingsDir: dataDir,
    keychain: testKeychain(),
    clipboard,
    now: () => clock.time,
    passwordCost: TEST_PASSWORD_COST,
  });
  opened.push(services);
  const events: IpcEvent[] = [];
  const unsubscribe = services.onEvent((event) => events.push(event));
  return { dataDir, services, clipboard, clock, events, unsubscribe };
}

const vaultEvents = (events: IpcEvent[]) => events.filter((event) => event.type === 'vault').map((event) => (event.type === 'vault' ? event.status.state : null));

describe('clipboard on lock and quit', () => {
  it('clears a copied code when the vault locks, and leaves what the user copied since', async () => {
    const { services, clipboard } = await setup();
    await services.vault.create({ password: 'pw', useKeychain: false });
    const account = await services.accounts.addFromUri(`otpauth://totp/Acme:bob?secret=${SECRET}&issuer=Acme`);
    const copied = await dispatch(services.handlers, 'codes:copy', { id: account.id });
    expect(copied.ok).toBe(true);
    expect(clipboard.text).toMatch(/^\d{6}$/);
    services.vault.lock();
    expect(clipboard.text).toBe('');

    await services.vault.unlockWithPassword('pw');
    await dispatch(services.handlers, 'codes:copy', { id: account.id });
    clipboard.writeText('a note the user copied');
    services.vault.lock();
    expect(clipboard.text).toBe('a note the user copied');
  });

  it('clears a copied code on quit', async () => {
    const { services, clipboard } = await setup();
    await services.vault.create({ password: 'pw', useKeychain: false });
    const account = await services.accounts.addFromUri(`otpauth://totp/Acme:bob?secret=${SECRET}&issuer=Acme`);
    await dispatch(services.handlers, 'codes:copy', { id: account.id });
    await services.clearClipboard();
    expect(clipboard.text).toBe('');
  });
});

describe('createMainServices events', () => {
  it('tells the renderer when the vault is created, locked and unlocked, with the new status', async () => {
    const { services, events } = await setup();
    await services.vault.create({ password: 'pw', useKeychain: false });
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'vault', status: { state: 'unlocked', hasPasswordSlot: true, hasKeychainSlot: false } }));

    services.vault.lock();
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'vault', status: { state: 'locked', hasPasswordSlot: true, hasKeychainSlot: false } }));

    events.length = 0;
    await services.vault.unlockWithPassword('pw');
    await vi.waitFor(() => expect(vaultEvents(events)).toEqual(['unlocked']));
    expect(events.some((event) => event.type === 'accountsChanged')).toBe(false);
  });

  it('reports lock and unlock in the order they happened, at once', async () => {
    const { services, events } = await setup();
    await services.vault.create({ password: 'pw', useKeychain: false });
    events.length = 0;
    services.vault.lock();
    const unlocking = services.vault.unlockWithPassword('pw');
    await unlocking;
    services.vault.lock();
    expect(vaultEvents(events)).toEqual(['locked', 'unlocked', 'locked']);
  });

  it('tells the renderer the accounts changed on every saved change', async () => {
    const { services, events } = await setup();
    await services.vault.create({ password: 'pw', useKeychain: false });
    await vi.waitFor(() => expect(vaultEvents(events)).toEqual(['unlocked']));
    events.length = 0;

    const added = await services.accounts.add({ type: 'totp', secret: SECRET, issuer: 'ACME' });
    expect(events).toContainEqual({ type: 'accountsChanged' });
    await services.accounts.remove(added.id);
    expect(events.filter((event) => event.type === 'accountsChanged')).toHaveLength(2);
    await vi.waitFor(() => expect(vaultEvents(events)).toEqual(['unlocked', 'unlocked']));
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('tells the renderer the new settings when they change', async () => {
    const { services, events } = await setup();
    const next = await services.settings.update({ theme: 'dark' });
    expect(events).toEqual([{ type: 'settings', settings: next }]);
  });

  it('stops telling a listener once it unsubscribes', async () => {
    const { services, events, unsubscribe } = await setup();
    unsubscribe();
    await services.settings.update({ theme: 'dark' });
    await services.vault.create({ password: 'pw', useKeychain: false });
    services.vault.lock();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
  });
});

describe('createMainServices through dispatch', () => {
  it('settings:get gives the loaded settings; settings:set saves, answers and tells the renderer', async () => {
    const { services, events, dataDir } = await setup();
    expect(await dispatch(services.handlers, 'settings:get', undefined)).toEqual({ ok: true, value: DEFAULT_SETTINGS });

    const answer = await dispatch(services.handlers, 'settings:set', { autoLockMinutes: 1, hideCodes: true });
    const expected = { ...DEFAULT_SETTINGS, autoLockMinutes: 1, hideCodes: true };
    expect(answer).toEqual({ ok: true, value: expected });
    expect(await dispatch(services.handlers, 'settings:get', undefined)).toEqual({ ok: true, value: expected });
    expect(events).toEqual([{ type: 'settings', settings: expected }]);

    // A restart of the app loads them.
    const restarted = await setup(dataDir);
    expect(await dispatch(restarted.services.handlers, 'settings:get', undefined)).toEqual({ ok: true, value: expected });
  });

  it('settings:set rejects an invalid patch with INVALID_INPUT and changes nothing', async () => {
    const { services, events } = await setup();
    expect(await dispatch(services.handlers, 'settings:set', { autoLockMinutes: -5 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(services.handlers, 'settings:set', { theme: 'sepia' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(services.handlers, 'settings:set', 'dark')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(services.settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(events).toEqual([]);
  });

  it('app:activity restarts the auto-lock countdown, which follows the auto-lock setting', async () => {
    const { services, clock, events } = await setup();
    await dispatch(services.handlers, 'vault:create', { password: 'pw', useKeychain: false });
    await dispatch(services.handlers, 'settings:set', { autoLockMinutes: 1 });

    clock.time += 50_000;
    expect(await dispatch(services.handlers, 'app:activity', undefined)).toEqual({ ok: true, value: null });
    clock.time += 50_000;
    expect(services.autoLock.check()).toBe(false);
    clock.time += 10_000;
    expect(services.autoLock.check()).toBe(true);
    expect(services.vault.isUnlocked).toBe(false);
    await vi.waitFor(() => expect(vaultEvents(events)).toContain('locked'));
    expect(await dispatch(services.handlers, 'codes:get', {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });

  it('app:activity accepts no input', async () => {
    const { services } = await setup();
    expect(await dispatch(services.handlers, 'app:activity', { idle: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('codes:copy goes through the timed clipboard, which follows the clipboard setting', async () => {
    const { services, clipboard } = await setup();
    await dispatch(services.handlers, 'vault:create', { password: 'pw', useKeychain: false });
    const added = await services.accounts.add({ type: 'totp', secret: SECRET, issuer: 'ACME' });
    // 0 = never cleared; a real timer would otherwise outlive the test.
    await dispatch(services.handlers, 'settings:set', { clipboardClearSeconds: 0 });
    expect(await dispatch(services.handlers, 'codes:copy', { id: added.id })).toEqual({ ok: true, value: { clearsAt: null } });
    expect(clipboard.text).toBe(services.accounts.codes([added.id])[0]?.code);
    expect(clipboard.text).toMatch(/^\d{6}$/);
  });
});
