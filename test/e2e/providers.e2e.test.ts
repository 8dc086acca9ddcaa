import { describe, expect, it } from 'vitest';
import { seededRandom } from '../support/seeded-random';
import { arklowFixture, misakeyFixture, moonKeyFixture, useContractServers } from '../contract/support/fixtures';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { createVault, expectAccessible } from './support/fixtures';
import { fillMisakeyEnrollForm } from './support/provider-faults';

/** The provider pages through the production renderer, over a real vault, against the contract servers. */
const browser = useChromium();
const track = useContractServers();
const PASSWORD = 'provider window password';
const SHOTS = process.env.LATCHKEY_SHOTS_DIR ?? '/tmp';

async function withApp(options: { password: string | null; colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }, run: (app: AppUnderTest) => Promise<void>) {
  const app = await openApp(browser(), { colorScheme: options.colorScheme, viewport: options.viewport });
  try {
    await createVault(app, { password: options.password, useKeychain: options.password === null });
    await run(app);
  } finally {
    await app.close();
  }
}

async function openProviderPage(app: AppUnderTest, name: string): Promise<void> {
  await app.page.getByRole('button', { name: `Backup codes of ${name}` }).click();
  await app.page.getByRole('button', { name: 'Provider', exact: true }).click();
  await app.page.getByRole('heading', { name }).waitFor();
}

const outcome = (app: AppUnderTest) => app.page.getByTestId('provider-outcome');

describe('provider connections in the window', () => {
  it('connects Arklow, makes new codes after a confirmation, shows a retry wait, disconnects', async () => {
    await withApp({ password: null }, async (app) => {
      const { page, services } = app;
      const f = await arklowFixture(seededRandom('e2e-arklow'), track);
      const account = await services.accounts.addFromUri('otpauth://totp/Arklow:bob?secret=JBSWY3DPEHPK3PXP&issuer=Arklow');
      await page.getByRole('button', { name: 'Backup codes of Arklow (bob)' }).waitFor();
      await openProviderPage(app, 'Arklow (bob)');
      await page.getByRole('combobox', { name: 'Provider' }).selectOption('arklow');
      await page.getByLabel('Device id').fill(f.deviceId);
      await page.getByLabel('API key').fill(f.apiKey);
      await page.getByLabel('Server').fill(f.server.url);
      await page.screenshot({ path: `${SHOTS}/provider-connect-small-light.png` });
      await page.getByRole('button', { name: 'Connect' }).click();
      await expect.poll(() => outcome(app).textContent()).toBe('Connected to Arklow.');
      expect(await page.getByRole('note').textContent()).toContain('protected by the vault key alone');
      expect(await page.content()).not.toContain(f.apiKey);

      await page.getByRole('button', { name: 'New codes…' }).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.textContent()).toContain('the codes you have now stop working');
      f.server.inject({ kind: 'unavailable', retryAfter: '1' }, { times: 1 });
      await dialog.getByRole('button', { name: 'Make new codes' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Arklow is unavailable; trying again in 1 s (retry 1 of 3).');
      await expect.poll(() => outcome(app).textContent()).toMatch(/^Stored \d+ backup codes as the current set\.$/);
      expect(services.recovery.forAccount(account.id).sets.filter((set) => set.current)).toMatchObject([{ source: 'provider' }]);
      await expectAccessible(page, 'provider page, connected');
      await page.screenshot({ path: `${SHOTS}/provider-connected-small-light.png` });

      // Arklow can only replace the codes: no harmless test button.
      expect(await page.getByRole('button', { name: 'Test connection' }).count()).toBe(0);
      f.server.inject({ kind: 'status', status: 401 }, { times: 1 });
      await page.getByRole('button', { name: 'New codes…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Make new codes' }).click();
      await expect.poll(() => outcome(app).textContent()).toContain('did not accept the credentials');

      await page.getByRole('button', { name: 'Disconnect…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
      await expect.poll(() => outcome(app).textContent()).toContain('Disconnected');
      await page.getByRole('button', { name: 'Connect' }).waitFor();
    });
  });

  it('signs in with MoonKey after saying that it spends the code, and marks it used', async () => {
    await withApp({ password: PASSWORD, colorScheme: 'dark', viewport: { width: 1200, height: 800 } }, async (app) => {
      const { page, services } = app;
      const f = await moonKeyFixture(seededRandom('e2e-moonkey'), track);
      const account = await services.accounts.addFromUri('otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey');
      await openProviderPage(app, 'MoonKey (alice)');
      await page.getByLabel('User id').fill(f.userId);
      await page.getByLabel('Secret key (sk_…)').fill(f.apiKey);
      await page.getByLabel('Server').fill(f.server.url);
      await page.getByRole('button', { name: 'Connect' }).click();
      await expect.poll(() => outcome(app).textContent()).toBe('Connected to MoonKey.');
      expect(await page.getByRole('note').textContent()).toContain('sealed with the vault password');
      const total = f.user.unused.length;
      await page.getByRole('button', { name: 'Fetch codes' }).click();
      await expect.poll(() => outcome(app).textContent()).toBe(`Stored ${total} backup codes as the current set.`);
      await page.getByRole('button', { name: 'Test connection' }).click();
      await expect.poll(() => outcome(app).textContent()).toBe(`The connection works; the provider has ${total} codes.`);

      await page.getByRole('button', { name: 'Sign in with a code…' }).click();
      expect(await page.getByRole('dialog').textContent()).toContain('This spends the next unused backup code at MoonKey');
      await page.getByRole('dialog').getByRole('button', { name: 'Spend a code' }).click();
      await expect.poll(() => outcome(app).textContent()).toBe(`MoonKey accepted the code for ${f.userId}. It is marked used; ${total - 1} unused left.`);
      expect(services.recovery.forAccount(account.id)).toMatchObject({ unused: total - 1 });

      // Another code than the next one (typed from a paper copy, say): that one is spent and marked.
      const typed = f.user.unused[f.user.unused.length - 1] as string;
      await page.getByRole('button', { name: 'Sign in with a code…' }).click();
      await page.getByRole('dialog').getByLabel('Another code (optional)').fill(typed);
      expect(await page.getByRole('dialog').textContent()).toContain('This spends the code you typed at MoonKey');
      await expectAccessible(page, 'sign-in dialog with a typed code');
      await page.screenshot({ path: `${SHOTS}/provider-signin-dialog-large-dark.png` });
      await page.getByRole('dialog').getByLabel('Another code (optional)').press('Enter');
      await expect.poll(() => outcome(app).textContent()).toBe(`MoonKey accepted the code for ${f.userId}. It is marked used; ${total - 2} unused left.`);
      expect(f.user.unused).not.toContain(typed);
      const [set] = services.recovery.forAccount(account.id).sets;
      expect(set?.codes.map((code, index) => (code.used ? index : -1)).filter((index) => index >= 0)).toEqual([0, total - 1]);
      await page.screenshot({ path: `${SHOTS}/provider-connected-large-dark.png` });
    });
  });

  it('enrolls a new account with Misakey from the add page', async () => {
    await withApp({ password: PASSWORD }, async (app) => {
      const { page, services } = app;
      const f = await misakeyFixture(seededRandom('e2e-misakey'), track);
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      await fillMisakeyEnrollForm(page, { ...f, serverUrl: f.server.url });
      await expectAccessible(page, 'Misakey enroll page');
      await page.screenshot({ path: `${SHOTS}/provider-enroll-small-light.png` });
      await page.getByRole('button', { name: 'Enroll' }).click();
      await page.getByText(`Misakey · ${f.identityId}`).waitFor();
      const [account] = services.accounts.list();
      expect(account).toMatchObject({ issuer: 'Misakey' });
      expect(services.recovery.forAccount(account?.id as string)).toMatchObject({ unused: f.identity.codes.length });
    });
  });
});
