import { describe, expect, it } from 'vitest';
import { AccountQr, AccountsService, ScanSession } from '../../../electron/main/accounts';
import { type ClipboardPort, createIpcHandlers, dispatch, isTrustedSender } from '../../../electron/main/ipc';
import { SettingsService } from '../../../electron/main/settings';
import { AutoLock } from '../../../electron/main/vault/auto-lock';
import { CHANNELS, ipcContract } from '../../../shared/ipc';
import { CHANNEL_NAMES } from '../../../shared/ipc-channels';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';

const tempDir = useTempDirs();
const SECRET = 'JBSWY3DPEHPK3PXP';

/** Records what would be copied; the real clipboard is Electron's, exercised in the app. */
class RecordingClipboard implements ClipboardPort {
  copied: string[] = [];
  writeSecretText(text: string) {
    this.copied.push(text);
    return { clearsAt: 123 };
  }
}

function setup() {
  const dir = tempDir();
  const vault = makeVault(dir);
  const accounts = new AccountsService(vault);
  const clipboard = new RecordingClipboard();
  const settings = new SettingsService(dir);
  const autoLock = new AutoLock(vault, { minutes: () => settings.get().autoLockMinutes });
  const scans = new ScanSession(accounts, vault);
  const qr = new AccountQr(accounts, vault, { confirm: async () => false });
  const screen = { sources: async () => [{ id: 'screen:0', name: 'Entire screen', thumbnail: 'data:image/png;base64,' }], capture: async () => 'data:image/png;base64,AAAA' };
  return { vault, accounts, clipboard, settings, handlers: createIpcHandlers({ vault, accounts, clipboard, settings, autoLock, scans, qr, screen }) };
}

describe('ipc handler table', () => {
  it('has a handler for exactly the contract channels', () => {
    const { handlers } = setup();
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(ipcContract).sort());
  });

  it('runs a whole flow through dispatch, and no answer ever carries the secret', async () => {
    const { handlers, clipboard } = setup();
    expect(await dispatch(handlers, 'vault:status', undefined)).toEqual({ ok: true, value: { state: 'missing', hasPasswordSlot: false, hasKeychainSlot: false } });
    expect(await dispatch(handlers, 'vault:create', { password: 'pw', useKeychain: false })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    const added = await dispatch(handlers, 'accounts:addUri', { uri: `otpauth://totp/ACME:me?secret=${SECRET}&issuer=ACME` });
    expect(added).toMatchObject({ ok: true, value: { issuer: 'ACME', label: 'me' } });
    const id = (added as { value: { id: string } }).value.id;
    const answers = [
      await dispatch(handlers, 'accounts:list', undefined),
      await dispatch(handlers, 'codes:get', {}),
      await dispatch(handlers, 'accounts:edit', { id, changes: { notes: 'n' } }),
    ];
    for (const answer of answers) {
      expect(answer.ok).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(SECRET);
      expect(JSON.stringify(answer)).not.toContain('"secret"');
    }
    const copy = await dispatch(handlers, 'codes:copy', { id });
    expect(copy).toEqual({ ok: true, value: { clearsAt: 123 } });
    expect(clipboard.copied).toEqual([(answers[1] as { value: { code: string }[] }).value[0]?.code]);
    expect(await dispatch(handlers, 'vault:lock', undefined)).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await dispatch(handlers, 'codes:get', {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });

  it('rejects unknown channels and inputs that do not match the schema, with INVALID_INPUT', async () => {
    const { handlers } = setup();
    expect(await dispatch(handlers, 'fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'toString', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'accounts:remove', { id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'vault:create', { password: 42, useKeychain: false })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'vault:unlock', { password: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('cannot be empty') } });
  });

  it('turns an unexpected error into INTERNAL_ERROR without its text', async () => {
    const { handlers } = setup();
    const broken = { ...handlers, 'accounts:list': async () => Promise.reject(new Error('secret JBSWY3DPEHPK3PXP leaked')) };
    const answer = await dispatch(broken, 'accounts:list', undefined);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(answer)).not.toContain('JBSWY3DPEHPK3PXP');
  });
});

describe('isTrustedSender', () => {
  const origins = ['app://latchkey', 'http://localhost:5173'];
  it.each([
    ['app://latchkey/index.html', true],
    ['http://localhost:5173/', true],
    ['http://localhost:5174/', false],
    ['https://evil.example/', false],
    ['app://other/index.html', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
    [undefined, false],
  ])('%s -> %s', (url, expected) => {
    expect(isTrustedSender(url, origins)).toBe(expected);
  });
});

describe('slot changes over IPC (issue 8, item 3)', () => {
  it('cannot lock the owner out: setting a password or turning the keychain off needs the current password', async () => {
    const { handlers, vault } = setup();
    await dispatch(handlers, 'vault:create', { password: 'owner password', useKeychain: true });
    // The audit's two calls: a new password, then the keychain slot off.
    expect(await dispatch(handlers, 'vault:setPassword', { password: 'attacker' })).toMatchObject({ ok: false, error: { code: 'PASSWORD_REQUIRED' } });
    expect(await dispatch(handlers, 'vault:setKeychainSlot', { enabled: false })).toMatchObject({ ok: false, error: { code: 'PASSWORD_REQUIRED' } });
    expect(await dispatch(handlers, 'vault:setKeychainSlot', { enabled: false, currentPassword: 'attacker' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    const viaKeychain = makeVault(vault.dir);
    await viaKeychain.unlockWithKeychain();
    const viaPassword = makeVault(vault.dir);
    await viaPassword.unlockWithPassword('owner password');
    // With the current password, both work.
    expect(await dispatch(handlers, 'vault:setPassword', { password: 'new owner password', currentPassword: 'owner password' })).toMatchObject({ ok: true, value: { hasPasswordSlot: true } });
    expect(await dispatch(handlers, 'vault:setKeychainSlot', { enabled: false, currentPassword: 'new owner password' })).toMatchObject({ ok: true, value: { hasKeychainSlot: false } });
  });
});
