import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMigrationUris } from '../../electron/main/otp';
import { decodeQrPngDataUrl } from '../support/qr';
import { centred, drawQrCodes, greyscalePng, pngDataUrl, type QrPlacement, writeY4m } from '../support/qr-images';
import { type AppUnderTest, launchChromium, openApp, stopRendererServer } from './support/app';
import { codeOf, createVault } from './support/fixtures';
import { base32Encode, hotp, totpWindow } from './support/otp';
import { ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID } from '../support/migration';

const videoDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-camera-'));
afterAll(async () => {
  await stopRendererServer();
  rmSync(videoDir, { recursive: true, force: true });
});

/** Secrets are fixed, not random: every run draws the same pictures. */
function fixedSecret(index: number): string {
  return base32Encode(createHash('sha256').update(`latchkey scan e2e ${index}`).digest().subarray(0, 20));
}

async function openScanner(app: AppUnderTest, source: 'Camera' | 'Image' | 'Screen'): Promise<void> {
  await app.page.getByRole('button', { name: 'Scan QR code' }).click();
  if (source !== 'Camera') await app.page.getByRole('radio', { name: source }).check();
}

/** A browser whose fake camera plays `frames` in a loop (30 frames a second). */
async function withCamera(name: string, frames: QrPlacement[][], run: (app: AppUnderTest) => Promise<void>): Promise<void> {
  const video = path.join(videoDir, `${name}.y4m`);
  writeY4m(video, frames);
  const browser = await launchChromium({ fakeVideo: video });
  const app = await openApp(browser);
  try {
    await createVault(app);
    await run(app);
  } finally {
    await app.close();
    await browser.close();
  }
}

function frames(text: string, count = 15): QrPlacement[][] {
  const placement = centred(text, 640, 480, 0.7);
  return Array.from({ length: count }, () => [placement]);
}

async function addFromResult(page: Page, button = 'Add account'): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  await page.getByTestId('account-row').first().waitFor();
}

describe('scanning with the camera', () => {
  it('adds a TOTP account whose code equals the one computed here', async () => {
    const secret = fixedSecret(101);
    await withCamera('totp', frames(`otpauth://totp/GitHub:alice%40example.com?secret=${secret}&issuer=GitHub`), async (app) => {
      await openScanner(app, 'Camera');
      await expect.poll(() => app.page.getByText('Account found').isVisible(), { timeout: 15_000 }).toBe(true);
      // The camera is off once a code is read: no stream is left on any video element.
      await expect.poll(() => app.page.evaluate(() => [...document.querySelectorAll('video')].every((video) => video.srcObject === null))).toBe(true);
      await addFromResult(app.page);
      expect(totpWindow(secret, Date.now())).toContain(await codeOf(app.page, 'GitHub'));
    });
  });

  it('adds an HOTP account at its counter', async () => {
    const secret = fixedSecret(102);
    await withCamera('hotp', frames(`otpauth://hotp/Bank:me?secret=${secret}&issuer=Bank&counter=7`), async (app) => {
      await openScanner(app, 'Camera');
      await app.page.getByText('Account found').waitFor({ timeout: 15_000 });
      await addFromResult(app.page);
      expect(await codeOf(app.page, 'Bank')).toBe(hotp(secret, 7));
    });
  });

  it('adds a SHA512 8-digit TOTP account', async () => {
    const secret = base32Encode(createHash('sha512').update('latchkey scan e2e sha512').digest());
    await withCamera('sha512', frames(`otpauth://totp/Vault:ops?secret=${secret}&issuer=Vault&algorithm=SHA512&digits=8`), async (app) => {
      await openScanner(app, 'Camera');
      await app.page.getByText('Account found').waitFor({ timeout: 15_000 });
      await expect(app.page.getByText('SHA512 · 8 digits').isVisible()).resolves.toBe(true);
      await addFromResult(app.page);
      expect(totpWindow(secret, Date.now(), { digits: 8, algorithm: 'sha512' })).toContain(await codeOf(app.page, 'Vault'));
    });
  });

  it('reads a two-part Google Authenticator export, saying which part is missing, and imports both', async () => {
    const accounts = Array.from({ length: 14 }, (_, index) => ({ type: 'totp' as const, secret: fixedSecret(200 + index), issuer: `Service ${index + 1}`, label: 'me', algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 }));
    const [part1, part2] = encodeMigrationUris(accounts, ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID);
    // Part 2 shows first, then part 1, as a person holding up one phone screen after the other.
    const video = [...frames(part2 as string, 20), ...frames(part1 as string, 20)];
    await withCamera('migration', video, async (app) => {
      await openScanner(app, 'Camera');
      await app.page.getByText('Google Authenticator export').waitFor({ timeout: 15_000 });
      await expect
        .poll(() => app.page.getByRole('button', { name: 'Add 14 accounts' }).isEnabled(), { timeout: 20_000 })
        .toBe(true)
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}\nPAGE: ${await app.page.locator('body').innerText()}`);
        });
      await addFromResult(app.page, 'Add 14 accounts');
      expect(await app.page.getByTestId('account-row').count()).toBeGreaterThan(0);
      expect(app.services.accounts.list().map((account) => account.issuer)).toEqual(accounts.map((account) => account.issuer));
      const first = app.services.accounts.list()[0];
      const shown = await app.page.locator(`[data-account-id="${first?.id}"]`).getByTestId('code').textContent();
      expect(totpWindow(accounts[0]?.secret as string, Date.now())).toContain(shown?.replace(/\s/g, ''));
    });
  });

  it('adds nothing while the camera shows no QR code', async () => {
    await withCamera('empty', Array.from({ length: 10 }, () => []), async (app) => {
      await openScanner(app, 'Camera');
      await app.page.getByText('Hold the QR code inside the frame.').waitFor({ timeout: 15_000 });
      // Let the scanner look at a second's worth of frames.
      await app.page.locator('video').evaluate(
        (video: HTMLVideoElement) =>
          new Promise<void>((resolve) => {
            let seen = 0;
            const next = () => video.requestVideoFrameCallback(() => (++seen >= 30 ? resolve() : next()));
            next();
          }),
      );
      expect(await app.page.getByText('Account found').count()).toBe(0);
      expect(app.services.accounts.list()).toEqual([]);
    });
  });
});

describe('scanning pictures', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  function qrPng(texts: string[], width = 900, height = 420): Buffer {
    return greyscalePng(width, height, drawQrCodes(width, height, texts.map((text, index) => ({ text, x: 20 + index * 290, y: 40, scale: 5 }))));
  }

  async function withApp(run: (app: AppUnderTest) => Promise<void>): Promise<void> {
    const app = await openApp(browser);
    try {
      await createVault(app);
      await run(app);
    } finally {
      await app.close();
    }
  }

  it('reads an image file, and all the codes when it holds several', async () => {
    const secrets = [fixedSecret(1), fixedSecret(2)];
    await withApp(async (app) => {
      await openScanner(app, 'Image');
      const png = qrPng([`otpauth://totp/One:a?secret=${secrets[0]}&issuer=One`, `otpauth://totp/Two:b?secret=${secrets[1]}&issuer=Two`]);
      await app.page.getByLabel('Image file with a QR code').setInputFiles({ name: 'codes.png', mimeType: 'image/png', buffer: png });
      await app.page.getByText('2 accounts found').waitFor().catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nPAGE: ${await app.page.locator('main, body').first().innerText()}`);
      });
      await addFromResult(app.page, 'Add 2 accounts');
      expect(app.services.accounts.list().map((account) => account.issuer).sort()).toEqual(['One', 'Two']);
      expect(totpWindow(secrets[1] as string, Date.now())).toContain(await codeOf(app.page, 'Two'));
    });
  });

  it('reads an image dropped on the page', async () => {
    const secret = fixedSecret(3);
    await withApp(async (app) => {
      await openScanner(app, 'Image');
      const png = qrPng([`otpauth://totp/Dropped:me?secret=${secret}&issuer=Dropped`]);
      const transfer = await app.page.evaluateHandle((base64) => {
        const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'qr.png', { type: 'image/png' }));
        return data;
      }, png.toString('base64'));
      await app.page.getByTestId('image-dropzone').dispatchEvent('drop', { dataTransfer: transfer });
      await app.page.getByText('Account found').waitFor().catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nPAGE: ${await app.page.locator('body').innerText()}`);
      });
      await addFromResult(app.page);
      expect(totpWindow(secret, Date.now())).toContain(await codeOf(app.page, 'Dropped'));
    });
  });

  it('reads an image pasted with Ctrl+V', async () => {
    const secret = fixedSecret(7);
    await withApp(async (app) => {
      await openScanner(app, 'Image');
      const png = qrPng([`otpauth://totp/Pasted:me?secret=${secret}&issuer=Pasted`]);
      await app.page.evaluate((base64) => {
        const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
        window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }));
      }, png.toString('base64'));
      await app.page.getByText('Account found').waitFor();
      await addFromResult(app.page);
      expect(totpWindow(secret, Date.now())).toContain(await codeOf(app.page, 'Pasted'));
    });
  });

  it('reads a code shown on the screen', async () => {
    const secret = fixedSecret(5);
    await withApp(async (app) => {
      const screenshot = drawQrCodes(1920, 1080, [{ text: `otpauth://totp/Screen:me?secret=${secret}&issuer=Screen`, x: 1200, y: 300, scale: 6 }]);
      app.screen.image = pngDataUrl(greyscalePng(1920, 1080, screenshot));
      await openScanner(app, 'Screen');
      await app.page.getByRole('button', { name: 'Entire screen' }).click();
      await app.page.getByText('Account found').waitFor();
      await addFromResult(app.page);
      expect(totpWindow(secret, Date.now())).toContain(await codeOf(app.page, 'Screen'));
    });
  });

  it('reads an inverted code (light on dark, as a dark-mode page shows it) from the screen', async () => {
    const secret = fixedSecret(8);
    await withApp(async (app) => {
      const page = drawQrCodes(1920, 1080, [{ text: `otpauth://totp/Dark:me?secret=${secret}&issuer=Dark`, x: 700, y: 260, scale: 4 }]);
      app.screen.image = pngDataUrl(greyscalePng(1920, 1080, page.map((value) => 255 - value)));
      await openScanner(app, 'Screen');
      await app.page.getByRole('button', { name: 'Entire screen' }).click();
      await app.page.getByText('Account found').waitFor();
      await addFromResult(app.page);
      expect(totpWindow(secret, Date.now())).toContain(await codeOf(app.page, 'Dark'));
    });
  });

  it('says what was tried when a picture has no QR code, and what is not an account', async () => {
    await withApp(async (app) => {
      await openScanner(app, 'Image');
      await app.page.getByLabel('Image file with a QR code').setInputFiles({ name: 'blank.png', mimeType: 'image/png', buffer: qrPng([]) });
      await expect.poll(() => app.page.getByRole('alert').textContent()).toMatch(/No QR code found in blank\.png\. .*closer.*setup key/);
      await app.page.getByLabel('Image file with a QR code').setInputFiles({ name: 'url.png', mimeType: 'image/png', buffer: qrPng(['https://example.com/welcome']) });
      await expect.poll(() => app.page.getByRole('alert').textContent()).toContain('web address, not an account');
      await app.page.getByLabel('Image file with a QR code').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await expect.poll(() => app.page.getByRole('alert').textContent()).toContain('not an image');
      expect(app.services.accounts.list()).toEqual([]);
    });
  });

  it('shows an account as a QR code after confirmation, readable back as its link', async () => {
    const secret = fixedSecret(6);
    await withApp(async (app) => {
      const added = await app.services.accounts.addFromUri(`otpauth://totp/Phone:me?secret=${secret}&issuer=Phone`);
      await app.page.getByRole('button', { name: 'Edit Phone (me)' }).click();
      await app.page.getByRole('button', { name: 'Show QR code' }).click();
      await app.page.getByRole('dialog').getByRole('button', { name: 'Show QR code' }).click();
      const image = await app.page.getByTestId('qr-reveal').getAttribute('src');
      const text = await decodeQrPngDataUrl(image as string);
      expect(text).toContain(`secret=${secret}`);
      expect(text).toContain('Phone');
      expect(added.issuer).toBe('Phone');
    });
  });
});
