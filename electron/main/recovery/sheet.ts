/**
 * The printable recovery sheet: one page section per account with its unused backup codes, built
 * as self-contained HTML (no scripts, no outside resources) that the main process turns into PDF.
 */

export interface SheetAccount {
  issuer: string;
  label: string;
  /** When the codes were added (unix ms); null without codes. */
  codesAddedAt: number | null;
  unusedCodes: string[];
  /** A data:image/png URL of the otpauth link, only when the user ticked it. */
  otpauthQr: string | null;
}

export const PAPER_WARNING =
  'Keep this sheet like a house key: in a locked drawer or a safe, never in your wallet, a photo or a cloud folder. ' +
  'Anyone who holds it can sign in as you. Cross out each code when you use it, and print a new sheet when you get new codes.';

const QR_WARNING = 'This sheet includes QR codes that set up login codes for these accounts: it is as sensitive as your phone.';

export function buildSheetHtml(accounts: readonly SheetAccount[], printedAt: number): string {
  const date = isoDate(printedAt);
  const anyQr = accounts.some((account) => account.otpauthQr !== null);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Latchkey recovery sheet ${date}</title>
<style>
  @page { size: A4; margin: 16mm; }
  body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; }
  h1 { font-size: 18pt; margin: 0 0 2mm; }
  .meta { color: #444; margin: 0 0 4mm; }
  .warning { border: 1.5pt solid #111; border-radius: 3mm; padding: 3mm 4mm; margin: 0 0 6mm; font-weight: 600; }
  section { break-inside: avoid; border-top: 0.75pt solid #999; padding: 4mm 0; display: flex; gap: 6mm; }
  section .body { flex: 1; }
  h2 { font-size: 13pt; margin: 0; }
  .label { color: #444; margin: 0 0 2mm; }
  ol { columns: 2; margin: 0; padding-left: 6mm; font: 12pt/1.7 ui-monospace, "DejaVu Sans Mono", monospace; }
  .none { color: #444; font-style: italic; }
  img { width: 32mm; height: 32mm; }
</style></head>
<body>
<h1>Recovery sheet</h1>
<p class="meta">Printed by Latchkey on ${date}. ${accounts.length} account${accounts.length === 1 ? '' : 's'}; unused backup codes only.</p>
<p class="warning">${escapeHtml(PAPER_WARNING)}${anyQr ? ` ${escapeHtml(QR_WARNING)}` : ''}</p>
${accounts.map(accountSection).join('\n')}
</body></html>`;
}

function accountSection(account: SheetAccount): string {
  const added = account.codesAddedAt === null ? '' : ` · codes added ${isoDate(account.codesAddedAt)}`;
  const codes = account.unusedCodes.length > 0 ? `<ol>${account.unusedCodes.map((code) => `<li>${escapeHtml(code)}</li>`).join('')}</ol>` : '<p class="none">No unused backup codes.</p>';
  const qr = account.otpauthQr ? `<img alt="QR code of the account's setup link" src="${escapeHtml(account.otpauthQr)}">` : '';
  return `<section><div class="body"><h2>${escapeHtml(account.issuer || account.label || 'Unnamed account')}</h2><p class="label">${escapeHtml(account.issuer ? account.label : '')}${added}</p>${codes}</div>${qr}</section>`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
