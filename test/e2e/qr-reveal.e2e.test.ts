import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeMigrationUri } from '../../electron/main/otp';
import { decodeQrPngDataUrl } from '../support/qr';
import { zbarReadPngDataUrls } from '../support/zbar';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { createVault } from './support/fixtures';
import { base32Encode } from './support/otp';

/**
 * Showing secrets as QR codes: the page asks, main decides. Main checks the vault password and
 * asks in a dialog of its own (TestConfirm stands in for Electron's native message box), then
 * hands the page a token for exactly one reveal.
 */
const browser = useChromium();
const PASSWORD = 'reveal test password';

/** Fixed secrets: zxing-js misses a small share of sharp synthetic codes, and a test must not flake on that. */
function fixedSecret(index: number): string {
  return base32Encode(createHash('sha256').update(`latchkey reveal e2e ${index}`).digest().subarray(0, 20));
}

async function withApp(options: { password: string | null }, run: (app: AppUnderTest) => Promise<void>): Promise<void> {
  const app = await openApp(browser());
  try {
    await createVault(app, { password: options.password, useKeychain: options.password === null });
    await app.page.getByRole('heading', { name: 'Add your first account' }).waitFor();
    await run(app);
  } finally {
    await app.close();
  }
}

describe('showing an account as a QR code', () => {
  it('asks for the vault password, then main’s own confirmation, and only then shows the code', async () => {
    await withApp({ password: PASSWORD }, async ({ page, services, confirm }) => {
      const secret = fixedSecret(1);
      await services.accounts.addFromUri(`otpauth://totp/Phone:me?secret=${secret}&issuer=Phone`);
      await page.getByRole('button', { name: 'Edit Phone (me)' }).click();
      await page.getByRole('button', { name: 'Show QR code' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Vault password').fill('not the password');
      await dialog.getByRole('button', { name: 'Show QR code' }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('That password is not right');
      expect(confirm.questions).toEqual([]);
      expect(await page.getByTestId('qr-reveal').count()).toBe(0);

      await dialog.getByLabel('Vault password').fill(PASSWORD);
      await dialog.getByLabel('Vault password').press('Enter');
      const image = await page.getByTestId('qr-reveal').getAttribute('src');
      expect(await decodeQrPngDataUrl(image as string)).toContain(`secret=${secret}`);
      expect(confirm.questions).toMatchObject([{ title: 'Show as QR code?', detail: expect.stringContaining('Phone – me') }]);
      // The password does not stay in the page.
      expect(await page.content()).not.toContain(PASSWORD);
    });
  });

  it('shows nothing when the person says no in main’s dialog', async () => {
    await withApp({ password: null }, async ({ page, services, confirm }) => {
      await services.accounts.addFromUri(`otpauth://totp/Phone:me?secret=${fixedSecret(2)}&issuer=Phone`);
      confirm.answer = false;
      await page.getByRole('button', { name: 'Edit Phone (me)' }).click();
      await page.getByRole('button', { name: 'Show QR code' }).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.getByLabel('Vault password').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Show QR code' }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Nothing was shown');
      expect(confirm.questions).toHaveLength(1);
      expect(await page.getByTestId('qr-reveal').count()).toBe(0);
    });
  });

  it('a page that calls main directly gets no secret: no token, a forged token, a used token', async () => {
    await withApp({ password: null }, async ({ page, services, confirm }) => {
      const added = await services.accounts.addFromUri(`otpauth://totp/Phone:me?secret=${fixedSecret(3)}&issuer=Phone`);
      type Invoke = (channel: string, input?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
      const invoke = (channel: string, input: unknown) => page.evaluate(([c, i]) => (window as unknown as { latchkey: { invoke: Invoke } }).latchkey.invoke(c as string, i), [channel, input] as const);
      expect(await invoke('accounts:showQr', { id: added.id })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await invoke('accounts:showQr', { id: added.id, token: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
      expect(await invoke('accounts:exportGoogleQr', { ids: [added.id, added.id], token: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
      expect(await invoke('accounts:requestQrReveal', { kind: 'google', ids: [added.id, added.id] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(confirm.questions).toEqual([]);

      const granted = (await invoke('accounts:requestQrReveal', { kind: 'account', id: added.id })) as { ok: true; value: { token: string } };
      expect(granted.ok).toBe(true);
      expect(confirm.questions).toHaveLength(1);
      expect(await invoke('accounts:showQr', { id: added.id, token: granted.value.token })).toMatchObject({ ok: true });
      expect(await invoke('accounts:showQr', { id: added.id, token: granted.value.token })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    });
  });
});

describe('moving accounts to a phone (Google export)', () => {
  it('asks for the password and main’s confirmation, then shows codes that read back as the accounts', async () => {
    await withApp({ password: PASSWORD }, async ({ page, services, confirm }) => {
      const secrets = Array.from({ length: 12 }, (_, index) => fixedSecret(10 + index));
      await services.accounts.addMany(secrets.map((secret, index) => ({ type: 'totp', secret, issuer: `Service ${index}`, label: 'me' })));
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Show QR codes…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Vault password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Show QR codes' }).click();
      await page.getByRole('heading', { name: 'Scan code 1 of 2' }).waitFor();
      expect(confirm.questions).toMatchObject([{ title: 'Show export QR codes?', detail: expect.stringContaining('12 accounts') }]);
      const first = decodeMigrationUri(zbarReadPngDataUrls([(await page.getByTestId('qr-reveal').getAttribute('src')) as string])[0] as string);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Scan code 2 of 2' }).waitFor();
      const second = decodeMigrationUri(zbarReadPngDataUrls([(await page.getByTestId('qr-reveal').getAttribute('src')) as string])[0] as string);
      expect([...first.accounts, ...second.accounts].map((account) => account.secret)).toEqual(secrets);
    });
  });
});
