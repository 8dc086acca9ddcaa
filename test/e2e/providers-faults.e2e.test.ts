import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/errors';
import { seededRandom } from '../support/seeded-random';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture, useContractServers } from '../contract/support/fixtures';
import { useChromium } from './support/app';
import { expectAccessible } from './support/fixtures';
import { click, connectedPage, fillMisakeyEnrollForm, type Expected, regenerateOverrides, runCases, runCount, session, STORED, type WindowCase, windowCases } from './support/provider-faults';

/**
 * Every endpoint of every provider against every fault, through the production renderer over a
 * real vault: the error sentence (with the request id) in the page, the retry wait while a 429 or a
 * 503 is waited out, a page that stays usable, and a vault left as it was by a failure.
 */
const browser = useChromium();
const track = useContractServers();
const SHOTS = process.env.LATCHKEY_SHOTS_DIR ?? '/tmp';

describe('provider faults in the window', () => {
  it('MoonKey: fetch, and sign in with a code whose answer is lost (may be spent, marked used)', async () => {
    await session(browser(), { colorScheme: 'dark', viewport: { width: 1200, height: 800 } }, async (app, consoleTexts) => {
      const f = await moonKeyFixture(seededRandom('e2e-faults-moonkey'), track);
      const accountId = await connectedPage(app, 'otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey', 'MoonKey (alice)', {
        provider: 'moonkey',
        baseUrl: f.server.url,
        userId: f.userId,
        credentials: { apiKey: f.apiKey },
      });
      const secrets = () => [...f.secrets, ...f.user.used];
      const base = { app, server: f.server, provider: 'moonkey' as const, method: 'POST', secrets };
      await runCases({ ...base, path: '/v1/auth/totps/recovery_codes', start: click(app, 'Fetch codes'), progressShot: `${SHOTS}/provider-progress-large-dark.png` }, windowCases('moonkey', f.server, STORED), 'fetch');

      const unused = () => app.services.recovery.forAccount(accountId).unused;
      const maybeSpent: Expected = { ok: false, texts: [ERROR_SENTENCES.PROVIDER_OUTCOME_UNKNOWN, 'The recovery code may have been spent.', 'Latchkey marked it used'], notTexts: ['accepted'], vault: 'changed' };
      const acceptedUnreadable = (text: string): Expected => ({ ok: false, texts: [text, 'MoonKey accepted the recovery code, so it is marked used.'], requestId: true, vault: 'changed' });
      const signIn = { ...base, path: '/v1/auth/totps/recovery', start: click(app, 'Sign in with a code…', 'Spend a code') };
      const signInCases = windowCases('moonkey', f.server, /^MoonKey accepted the code for .+\. It is marked used; \d+ unused left\.$/, {
        slow: maybeSpent,
        reset: maybeSpent,
        'schema-break': acceptedUnreadable('did not match the documented shape'),
        'invalid-json': acceptedUnreadable('The answer was not JSON.'),
      });
      const before = unused();
      await runCases(signIn, signInCases.slice(0, -2), 'sign in');
      // Slow, unreadable twice, reset: four codes marked used, none of them reported as accepted by a lost answer.
      expect(unused()).toBe(before - 4);
      await app.page.screenshot({ path: `${SHOTS}/provider-maybe-spent-large-dark.png` });
      await runCases(signIn, signInCases.slice(-2), 'sign in');
      expect(unused()).toBe(before - 6);
      for (const text of consoleTexts) for (const secret of secrets()) expect(text).not.toContain(secret);
    });
  });

  it('Stytch: fetch, with its four documented error bodies', async () => {
    await session(browser(), { colorScheme: 'dark', viewport: { width: 460, height: 760 } }, async (app) => {
      const f = await stytchFixture(seededRandom('e2e-faults-stytch'), track);
      await connectedPage(app, 'otpauth://totp/Stytch:bob?secret=JBSWY3DPEHPK3PXP&issuer=Stytch', 'Stytch (bob)', {
        provider: 'stytch',
        baseUrl: f.server.url,
        userId: f.userId,
        credentials: { projectId: f.projectId, secret: f.secret },
      });
      const target = { app, server: f.server, provider: 'stytch' as const, method: 'POST', path: '/v1/totps/recovery_codes', secrets: () => f.secrets, start: click(app, 'Fetch codes'), progressShot: `${SHOTS}/provider-progress-small-dark.png` };
      const cases = windowCases('stytch', f.server, STORED);
      await runCases(target, cases.slice(0, 4), 'fetch');
      await app.page.screenshot({ path: `${SHOTS}/provider-error-small-dark.png` });
      await expectAccessible(app.page, 'provider page with an error');
      await runCases(target, cases.slice(4), 'fetch');
    });
  });

  it('Arklow: regenerate against every fault', async () => {
    await session(browser(), { colorScheme: 'light', viewport: { width: 460, height: 760 } }, async (app, consoleTexts) => {
      const f = await arklowFixture(seededRandom('e2e-faults-arklow'), track);
      await connectedPage(app, 'otpauth://totp/Arklow:carol?secret=JBSWY3DPEHPK3PXP&issuer=Arklow', 'Arklow (carol)', {
        provider: 'arklow',
        baseUrl: f.server.url,
        deviceId: f.deviceId,
        credentials: { apiKey: f.apiKey },
      });
      const seen = new Set([f.apiKey]);
      const secrets = () => {
        for (const code of f.device.codes) seen.add(code);
        return [...seen];
      };
      const target = { app, server: f.server, provider: 'arklow' as const, method: 'POST', path: '/v1/self/mfa/regenerate/totp', secrets, start: click(app, 'New codes…', 'Make new codes'), progressShot: `${SHOTS}/provider-progress-small-light.png` };
      const cases = windowCases('arklow', f.server, STORED, regenerateOverrides);
      await runCases(target, cases.slice(0, 1), 'regenerate');
      await app.page.screenshot({ path: `${SHOTS}/provider-error-small-light.png` });
      await runCases(target, cases.slice(1), 'regenerate');

      for (const text of consoleTexts) for (const secret of secrets()) expect(text).not.toContain(secret);
    });
  });

  it('Misakey: enroll start and finish, regenerate and delete against every fault', async () => {
    await session(browser(), { colorScheme: 'light', viewport: { width: 1200, height: 800 } }, async (app) => {
      const { page } = app;
      const f = await misakeyFixture(seededRandom('e2e-faults-misakey'), track);
      const seen = new Set([f.accessToken, f.csrfToken]);
      const secrets = () => {
        for (const code of f.identity.codes) seen.add(code);
        if (f.identity.totpSecret !== null) seen.add(f.identity.totpSecret);
        return [...seen];
      };
      const openEnroll = async () => {
        await fillMisakeyEnrollForm(page, { ...f, serverUrl: f.server.url });
      };
      const enrolled = () => page.getByText(`Misakey · ${f.identityId}`).waitFor();
      const enrollPath = `/identities/${f.identityId}/totp/enroll`;
      const base = { app, server: f.server, provider: 'misakey' as const, secrets, start: click(app, 'Enroll'), waitForSuccess: enrolled, formHoldsCredentials: true, progressShot: `${SHOTS}/provider-enroll-progress-large-light.png` };
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      await openEnroll();
      const startCases = windowCases('misakey', f.server, /./);
      await runCases({ ...base, path: enrollPath, method: 'GET' }, startCases.filter((c) => !c.label.endsWith('then success')), 'enroll start');

      // A finish that fails leaves the enrollment started; each attempt below continues it.
      await openEnroll();
      const leaveStarted = async () => {
        f.server.inject({ kind: 'documented-error', name: 'unauthorized' }, { path: enrollPath, method: 'POST' });
        const runsBefore = await runCount(app);
        await click(app, 'Enroll')();
        await page.locator(`[data-testid="provider-outcome"][data-run="${runsBefore + 1}"]`).waitFor();
      };
      await leaveStarted();
      await page.screenshot({ path: `${SHOTS}/provider-enroll-error-large-light.png` });
      const lost = (text: string): Expected => ({ ok: false, texts: [text, 'run it again'], vault: 'changed' });
      const finishCases = windowCases('misakey', f.server, /./, {
        slow: lost('No answer after 1 s.'),
        'schema-break': lost('did not match the documented shape'),
        'invalid-json': lost('The answer was not JSON.'),
        reset: lost('The connection was cut before the answer arrived.'),
      });
      // A flow Misakey no longer knows (and never finished) is forgotten, and the page says to start over.
      const notFound = finishCases.find((testCase) => testCase.label === 'documented not-found') as WindowCase;
      const finish = { ...base, path: enrollPath, method: 'POST' };
      await runCases(finish, [{ ...notFound, expect: { ok: false, texts: ['enrollment flow not found', 'enroll again to start over'], requestId: true, vault: 'changed' } }], 'enroll finish');
      await leaveStarted();
      // The first success ends the enrollment (the page moves to the new account): one success here.
      await runCases(finish, finishCases.filter((testCase) => testCase !== notFound && testCase.label !== '503 then success'), 'enroll finish');
      await page.screenshot({ path: `${SHOTS}/provider-enrolled-large-light.png` });

      const target = { app, server: f.server, provider: 'misakey' as const, secrets, method: 'POST' };
      await runCases({ ...target, path: `/identities/${f.identityId}/totp/recovery-codes`, start: click(app, 'New codes…', 'Make new codes') }, windowCases('misakey', f.server, STORED, regenerateOverrides), 'regenerate');
      const mayHaveDeleted = (text: string, requestId: boolean): Expected => ({ ok: false, texts: [text, 'Misakey may have deleted the TOTP secret.'], requestId, vault: 'unchanged' });
      const deleteCases = windowCases('misakey', f.server, /^Misakey deleted the TOTP secret\./, {
        slow: mayHaveDeleted('No answer after 1 s.', false),
        'schema-break': mayHaveDeleted('The answer had a body where none is documented.', true),
        'invalid-json': mayHaveDeleted('The answer had a body where none is documented.', true),
      });
      const deleteTarget = { ...target, method: 'DELETE', path: `/identities/${f.identityId}/totp`, start: click(app, 'Turn off at Misakey…', 'Turn off') };
      for (const testCase of deleteCases) {
        // A success deletes the secret; the next case needs one to delete again.
        f.identity.totpSecret ??= 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
        await runCases(deleteTarget, [testCase], 'delete');
      }
    });
  });
});
