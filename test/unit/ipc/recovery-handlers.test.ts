import { afterEach, describe, expect, it } from 'vitest';
import { createMainServices, dispatch, type MainServices, type RecoverySheetPort } from '../../../electron/main/ipc';
import { PAPER_WARNING } from '../../../electron/main/recovery/sheet';
import type { ChannelOutput } from '../../../shared/ipc';
import { MemoryClipboard } from '../../support/memory-clipboard';
import { useTempDirs } from '../../support/temp-dir';
import { TEST_PASSWORD_COST, testKeychain } from '../../support/vault';

const tempDir = useTempDirs();
const CODES = ['ckss-2skx-ebow', 'spbc-424h-usy0', 'hi08-n5tk-lns5'];
const PASSWORD = 'ipc recovery';

const opened: MainServices[] = [];
afterEach(() => {
  for (const services of opened.splice(0)) services.vault.lock();
});

/** Keeps the sheet's HTML, as the harness's Chromium or Electron's printToPDF would receive it. */
class HtmlKeepingSheet implements RecoverySheetPort {
  html: string[] = [];
  async savePdf(html: string, suggestedName: string) {
    this.html.push(html);
    return { saved: true, fileName: suggestedName };
  }
}

async function setup(password: string | null) {
  const dataDir = tempDir();
  const clipboard = new MemoryClipboard();
  const sheet = new HtmlKeepingSheet();
  const clock = { time: Date.UTC(2026, 10, 22, 9) };
  const services = await createMainServices({ vaultDir: `${dataDir}/vault`, settingsDir: dataDir, keychain: testKeychain(), clipboard, sheet, now: () => clock.time, passwordCost: TEST_PASSWORD_COST });
  opened.push(services);
  const call = async <T>(channel: string, input?: unknown): Promise<T> => {
    const result = await dispatch(services.handlers, channel, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  };
  await call('vault:create', { password, useKeychain: true });
  const account = await call<{ id: string }>('accounts:addUri', { uri: 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub' });
  return { services, clipboard, sheet, call, accountId: account.id };
}

describe('recovery IPC channels', () => {
  it('carry counts and states, never a code, except the explicit reveal and the recognition preview', async () => {
    const { call, accountId, clipboard } = await setup(null);
    const preview = await call<ChannelOutput<'recovery:recognise'>>('recovery:recognise', { text: CODES.join('\n') });
    expect(preview.codes).toEqual(CODES);
    const set = await call<ChannelOutput<'recovery:add'>>('recovery:add', { accountId, text: CODES.join(', '), source: 'pasted' });
    const overview = await call<ChannelOutput<'recovery:overview'>>('recovery:overview');
    const used = await call<ChannelOutput<'recovery:setUsed'>>('recovery:setUsed', { setId: set.id, index: 0, used: true });
    for (const answer of [set, overview, used, await call('recovery:status')]) {
      for (const code of CODES) expect(JSON.stringify(answer)).not.toContain(code);
    }
    expect(overview[0]).toMatchObject({ accountId, unused: 3, total: 3 });
    const revealed = await call<ChannelOutput<'recovery:reveal'>>('recovery:reveal', { setId: set.id });
    expect(revealed.codes.map((code) => [code.code, code.used])).toEqual([[CODES[0], true], [CODES[1], false], [CODES[2], false]]);

    await call('recovery:copy', { setId: set.id, index: 1 });
    expect(clipboard.text).toBe(CODES[1]);
    const spent = await call<ChannelOutput<'recovery:useNext'>>('recovery:useNext', { accountId });
    expect(spent).toMatchObject({ setId: set.id, index: 1, left: 1 });
    expect(clipboard.text).toBe(CODES[1]);
  });

  it('a vault with a password: reveal asks for it; unlocking with it opens the seal too', async () => {
    const { services, call, accountId } = await setup(PASSWORD);
    const set = await call<{ id: string }>('recovery:add', { accountId, text: CODES.join('\n'), source: 'file' });
    await call('recovery:forget');
    await expect(call('recovery:reveal', { setId: set.id })).rejects.toMatchObject({ code: 'RECOVERY_SEALED' });
    await expect(call('recovery:unseal', { password: 'nope' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await call('vault:lock');
    await call('vault:unlock', {});
    await expect(call('recovery:reveal', { setId: set.id })).rejects.toMatchObject({ code: 'RECOVERY_SEALED' });
    await call('vault:lock');
    await call('vault:unlock', { password: PASSWORD });
    expect((await call<ChannelOutput<'recovery:reveal'>>('recovery:reveal', { setId: set.id })).codes).toHaveLength(3);
    expect(services.recovery.status().protection).toBe('password');
  });

  it('adds an entry with codes and no OTP secret; text without codes adds nothing', async () => {
    const { call } = await setup(null);
    await expect(call('recovery:addEntry', { issuer: 'Bank', label: 'alice', text: 'no codes here at all', source: 'pasted' })).rejects.toMatchObject({ code: 'RECOVERY_CODES_NOT_RECOGNISED' });
    expect(await call<unknown[]>('accounts:list')).toHaveLength(1);
    const entry = await call<{ id: string; hasOtp: boolean }>('recovery:addEntry', { issuer: 'Bank', label: 'alice', text: '11112222 33334444', source: 'pasted' });
    expect(entry.hasOtp).toBe(false);
    expect((await call<{ id: string }[]>('codes:get', {})).map((code) => code.id)).not.toContain(entry.id);
  });

  it('prints a sheet of unused codes with the paper warning; the QR code only when ticked', async () => {
    const { call, accountId, sheet } = await setup(null);
    const set = await call<{ id: string }>('recovery:add', { accountId, text: CODES.join('\n'), source: 'pasted' });
    await call('recovery:setUsed', { setId: set.id, index: 0, used: true });
    const saved = await call<ChannelOutput<'recovery:printSheet'>>('recovery:printSheet', { accountIds: [accountId] });
    expect(saved).toEqual({ saved: true, fileName: 'latchkey-recovery-sheet-2026-11-22.pdf' });
    const [html] = sheet.html;
    expect(html).toContain(CODES[1]);
    expect(html).not.toContain(CODES[0]);
    expect(html).toContain(PAPER_WARNING.slice(0, 40));
    expect(html).not.toContain('<img');
    await call('recovery:printSheet', { accountIds: [accountId], includeQr: true });
    expect(sheet.html[1]).toContain('<img alt="QR code');
    await expect(call('recovery:printSheet', { accountIds: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
