import { describe, expect, it } from 'vitest';
import { openApp, useChromium } from './support/app';

const browser = useChromium();

describe('test bridge', () => {
  it('runs the renderer against the real handlers and a real vault on disk', async () => {
    const app = await openApp(browser());
    try {
      expect(await app.page.evaluate(() => typeof (window as unknown as { latchkey?: unknown }).latchkey)).toBe('object');
      const status = await app.page.evaluate(() => (window as unknown as { latchkey: { invoke: (c: string) => Promise<unknown> } }).latchkey.invoke('vault:status'));
      expect(status).toEqual({ ok: true, value: { state: 'missing', hasPasswordSlot: false, hasKeychainSlot: false } });
      const forged = await app.page.evaluate(() => (window as unknown as { latchkey: { invoke: (c: string, i: unknown) => Promise<unknown> } }).latchkey.invoke('accounts:remove', { id: 'x' }));
      expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await app.close();
    }
  });
});
