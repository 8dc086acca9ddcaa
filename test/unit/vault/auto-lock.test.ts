import { describe, expect, it } from 'vitest';
import { AutoLock } from '../../../electron/main/vault/auto-lock';
import type { VaultEvent } from '../../../electron/main/vault';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';

const tempDir = useTempDirs();
const MINUTE = 60_000;

/** A real password-only vault (no keychain) and an AutoLock over it, with time the test moves. */
async function setup(options: { minutes?: number; systemIdleSeconds?: number } = {}) {
  const clock = { time: 1_700_000_000_000 };
  const settings = { minutes: options.minutes ?? 5 };
  const system = { idleSeconds: options.systemIdleSeconds };
  const vault = makeVault(tempDir());
  const events: VaultEvent[] = [];
  vault.onEvent((event) => events.push(event));
  const autoLock = new AutoLock(vault, {
    minutes: () => settings.minutes,
    now: () => clock.time,
    systemIdleSeconds: options.systemIdleSeconds === undefined ? undefined : () => system.idleSeconds as number,
  });
  await vault.create({ password: 'pw', useKeychain: false });
  const advance = (ms: number) => {
    clock.time += ms;
    if (system.idleSeconds !== undefined) system.idleSeconds += ms / 1000;
  };
  return { vault, autoLock, settings, system, events, advance };
}

describe('AutoLock', () => {
  it('locks after N minutes without activity, not a millisecond before', async () => {
    const { vault, autoLock, events, advance } = await setup({ minutes: 5 });
    advance(5 * MINUTE - 1);
    expect(autoLock.check()).toBe(false);
    expect(vault.isUnlocked).toBe(true);
    advance(1);
    expect(autoLock.check()).toBe(true);
    expect(vault.isUnlocked).toBe(false);
    expect(events).toEqual(['unlocked', 'locked']);
    expect(() => vault.content()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
  });

  it('starts counting again at every activity', async () => {
    const { vault, autoLock, advance } = await setup({ minutes: 5 });
    advance(4 * MINUTE);
    autoLock.recordActivity();
    advance(4 * MINUTE);
    expect(autoLock.check()).toBe(false);
    expect(autoLock.idleMs()).toBe(4 * MINUTE);
    advance(MINUTE);
    expect(autoLock.check()).toBe(true);
    expect(vault.isUnlocked).toBe(false);
  });

  it('never locks when set to 0 minutes', async () => {
    const { vault, autoLock, advance } = await setup({ minutes: 0 });
    advance(7 * 24 * 60 * MINUTE);
    expect(autoLock.check()).toBe(false);
    expect(vault.isUnlocked).toBe(true);
  });

  it('reads the setting at every check, so a change applies at once', async () => {
    const { vault, autoLock, settings, advance } = await setup({ minutes: 0 });
    advance(10 * MINUTE);
    expect(autoLock.check()).toBe(false);
    settings.minutes = 10;
    expect(autoLock.check()).toBe(true);
    expect(vault.isUnlocked).toBe(false);
  });

  it('does nothing while the vault is already locked', async () => {
    const { vault, autoLock, events, advance } = await setup({ minutes: 1 });
    vault.lock();
    advance(10 * MINUTE);
    expect(autoLock.check()).toBe(false);
    expect(events).toEqual(['unlocked', 'locked']);
  });

  it('counts an unlock as activity: a vault unlocked after a long time locked is not locked straight away', async () => {
    const { vault, autoLock, advance } = await setup({ minutes: 5 });
    vault.lock();
    advance(60 * MINUTE);
    await vault.unlockWithPassword('pw');
    expect(autoLock.check()).toBe(false);
    expect(vault.isUnlocked).toBe(true);
    advance(5 * MINUTE);
    expect(autoLock.check()).toBe(true);
  });

  describe('with the system idle time', () => {
    it('does not lock while the user is active elsewhere on the computer', async () => {
      const { vault, autoLock, system, advance } = await setup({ minutes: 5, systemIdleSeconds: 0 });
      advance(10 * MINUTE);
      system.idleSeconds = 30; // typing in another app until 30 s ago
      expect(autoLock.idleMs()).toBe(30_000);
      expect(autoLock.check()).toBe(false);
      expect(vault.isUnlocked).toBe(true);
    });

    it('locks once the whole computer has been idle for N minutes', async () => {
      const { vault, autoLock, advance } = await setup({ minutes: 5, systemIdleSeconds: 0 });
      advance(5 * MINUTE - 1000);
      expect(autoLock.check()).toBe(false);
      advance(1000);
      expect(autoLock.check()).toBe(true);
      expect(vault.isUnlocked).toBe(false);
    });

    it('takes the shorter of the two: activity in the app counts even when the system says idle', async () => {
      const { vault, autoLock, system, advance } = await setup({ minutes: 5, systemIdleSeconds: 0 });
      system.idleSeconds = 3600;
      advance(2 * MINUTE);
      expect(autoLock.idleMs()).toBe(2 * MINUTE);
      expect(autoLock.check()).toBe(false);
      expect(vault.isUnlocked).toBe(true);
    });
  });
});
