import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE, SettingsService } from '../../../electron/main/settings';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();

function readSettingsFile(dir: string): unknown {
  return JSON.parse(readFileSync(path.join(dir, SETTINGS_FILE), 'utf8'));
}

describe('SettingsService.load', () => {
  it('gives the defaults when there is no settings file, and does not create one', async () => {
    const dir = tempDir();
    const settings = new SettingsService(dir);
    expect(await settings.load()).toEqual(DEFAULT_SETTINGS);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives the defaults when the folder itself does not exist', async () => {
    const settings = new SettingsService(path.join(tempDir(), 'not', 'there'));
    expect(await settings.load()).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    ['garbage', 'this is { not json'],
    ['an empty file', ''],
    ['JSON that is not an object', '[1, 2, 3]'],
    ['a value of the wrong type', JSON.stringify({ autoLockMinutes: 'ten' })],
    ['a value out of range', JSON.stringify({ clipboardClearSeconds: -1 })],
    ['an unknown theme', JSON.stringify({ theme: 'sepia' })],
  ])('gives the defaults for %s', async (_what, text) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, SETTINGS_FILE), text);
    expect(await new SettingsService(dir).load()).toEqual(DEFAULT_SETTINGS);
  });

  it('fills in the defaults for settings a valid file does not name, and ignores unknown ones', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify({ theme: 'dark', autoLockMinutes: 0, fromTheFuture: true }));
    const loaded = await new SettingsService(dir).load();
    expect(loaded).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', autoLockMinutes: 0 });
    expect(loaded).not.toHaveProperty('fromTheFuture');
  });

  it('keeps the valid choices of a file with one bad value', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify({ theme: 'dark', hideCodes: true, autoLockMinutes: 'ten' }));
    expect(await new SettingsService(dir).load()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', hideCodes: true });
  });

  it('keeps the valid choices of a file with constructor, toString and __proto__ keys (own keys only)', async () => {
    const dir = tempDir();
    // Written as text: JSON.stringify of an object literal would drop a __proto__ key.
    writeFileSync(
      path.join(dir, SETTINGS_FILE),
      '{"constructor": {"x": 1}, "toString": "no", "__proto__": {"hideCodes": true, "polluted": 1}, "hasOwnProperty": 3, "theme": "dark", "autoLockMinutes": 0}',
    );
    const loaded = await new SettingsService(dir).load();
    expect(loaded).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', autoLockMinutes: 0 });
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lands every one of many quick concurrent updates', async () => {
    const dir = tempDir();
    const settings = new SettingsService(dir);
    await Promise.all([
      settings.update({ theme: 'dark' }),
      settings.update({ hideCodes: true }),
      settings.update({ autoLockMinutes: 9 }),
      settings.update({ showNextCode: false }),
      settings.update({ clipboardClearSeconds: 12 }),
    ]);
    const expected = { ...DEFAULT_SETTINGS, theme: 'dark', hideCodes: true, autoLockMinutes: 9, showNextCode: false, clipboardClearSeconds: 12 };
    expect(settings.get()).toEqual(expected);
    expect(await new SettingsService(dir).load()).toEqual(expected);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      autoLockMinutes: 5,
      clipboardClearSeconds: 30,
      theme: 'system',
      hideCodes: false,
      showNextCode: true,
      sortOrder: 'manual',
      contentProtection: true,
    });
  });
});

describe('SettingsService.update', () => {
  it('saves the merged settings, which a fresh service loads again', async () => {
    const dir = tempDir();
    const settings = new SettingsService(dir);
    await settings.load();
    const next = await settings.update({ theme: 'light', autoLockMinutes: 15 });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', autoLockMinutes: 15 });
    expect(settings.get()).toEqual(next);
    expect(readSettingsFile(dir)).toEqual(next);

    const second = await settings.update({ hideCodes: true });
    expect(second).toEqual({ ...next, hideCodes: true });

    const reloaded = new SettingsService(dir);
    expect(await reloaded.load()).toEqual(second);
  });

  it('writes through a temporary file that is renamed into place: no leftovers, owner-only permissions', async () => {
    const dir = tempDir();
    const settings = new SettingsService(dir);
    await settings.update({ sortOrder: 'issuer' });
    await settings.update({ sortOrder: 'recent' });
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
    expect(statSync(path.join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('creates the folder when it is missing', async () => {
    const dir = path.join(tempDir(), 'app-data');
    const settings = new SettingsService(dir);
    await settings.update({ theme: 'dark' });
    expect(readSettingsFile(dir)).toMatchObject({ theme: 'dark' });
  });

  it('tells the listeners after the change is saved, and stops when they unsubscribe', async () => {
    const dir = tempDir();
    const settings = new SettingsService(dir);
    const seen: { settings: Settings; onDisk: unknown }[] = [];
    const unsubscribe = settings.onChange((next) => seen.push({ settings: next, onDisk: readSettingsFile(dir) }));
    const next = await settings.update({ clipboardClearSeconds: 0 });
    expect(seen).toEqual([{ settings: next, onDisk: next }]);
    unsubscribe();
    await settings.update({ clipboardClearSeconds: 10 });
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['a negative auto-lock', { autoLockMinutes: -1 }],
    ['a fractional auto-lock', { autoLockMinutes: 1.5 }],
    ['an auto-lock over a day', { autoLockMinutes: 24 * 60 + 1 }],
    ['a clipboard delay over 10 minutes', { clipboardClearSeconds: 601 }],
    ['an unknown theme', { theme: 'sepia' }],
    ['a non-boolean flag', { hideCodes: 'yes' }],
  ])('rejects %s and changes nothing', async (_what, patch) => {
    const dir = tempDir();
    const settings = new SettingsService(dir);
    const saved = await settings.update({ theme: 'dark' });
    let notified = 0;
    settings.onChange(() => (notified += 1));
    await expect(settings.update(patch as never)).rejects.toThrow();
    expect(settings.get()).toEqual(saved);
    expect(readSettingsFile(dir)).toEqual(saved);
    expect(notified).toBe(0);
  });

  it('fails with IO_ERROR when the file cannot be replaced, keeping the settings in memory and no temporary file', async () => {
    const dir = tempDir();
    // A folder where settings.json should be: the rename onto it fails.
    mkdirSync(path.join(dir, SETTINGS_FILE));
    const settings = new SettingsService(dir);
    await settings.load();
    let notified = 0;
    settings.onChange(() => (notified += 1));
    await expect(settings.update({ theme: 'dark' })).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(notified).toBe(0);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });
});
