import { describe, expect, it } from 'vitest';
import { buildSheetHtml, escapeHtml, PAPER_WARNING } from '../../../electron/main/recovery/sheet';

describe('the recovery sheet HTML', () => {
  it('lists each account with its unused codes, the date and the paper warning', () => {
    const html = buildSheetHtml(
      [
        { issuer: 'GitHub', label: 'alice', codesAddedAt: Date.UTC(2026, 0, 2), unusedCodes: ['3f9a1-c27d4', '8b0e6-41f93'], otpauthQr: null },
        { issuer: '', label: 'bob@example.com', codesAddedAt: null, unusedCodes: [], otpauthQr: null },
      ],
      Date.UTC(2026, 10, 22, 12),
    );
    expect(html).toContain('Printed by Latchkey on 2026-11-22');
    expect(html).toContain('<li>3f9a1-c27d4</li><li>8b0e6-41f93</li>');
    expect(html).toContain('codes added 2026-01-02');
    expect(html).toContain('<h2>bob@example.com</h2>');
    expect(html).toContain('No unused backup codes.');
    expect(html).toContain(escapeHtml(PAPER_WARNING));
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });

  it('escapes every name and code, so an account name cannot add markup to the page', () => {
    const html = buildSheetHtml([{ issuer: '<img src=x onerror=alert(1)>', label: '"><script>alert(1)</script>', codesAddedAt: null, unusedCodes: ['a&b<c>'], otpauthQr: 'data:image/png;base64,AAAA" onload="x' }], 0);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('a&#38;b&#60;c&#62;');
    expect(html).toContain('src="data:image/png;base64,AAAA&#34; onload=&#34;x"');
  });
});
