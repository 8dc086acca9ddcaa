import QRCode from 'qrcode';
import { formatOtpauthUri } from '../otp';
import type { ExportableAccount } from '../accounts/accounts-service';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

/**
 * A printable HTML page with one QR code per account (its otpauth:// link), to scan with a phone
 * or keep on paper. Self-contained (inline SVG, no script, no external resource); every secret is
 * readable by anyone who sees it, which the page itself says.
 */
export async function qrSheetExport(accounts: readonly ExportableAccount[], now = Date.now()): Promise<string> {
  const cards = await Promise.all(
    accounts.map(async (account) => {
      const svg = await QRCode.toString(formatOtpauthUri(account), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      const name = escapeHtml(account.issuer || account.label || 'Unnamed account');
      const detail = escapeHtml([account.issuer ? account.label : '', `${account.type.toUpperCase()} ${account.algorithm} ${account.digits}${account.type === 'hotp' ? ` counter ${account.counter}` : ` ${account.period} s`}`].filter(Boolean).join(' · '));
      return `<figure>${svg}<figcaption><strong>${name}</strong><br>${detail}</figcaption></figure>`;
    }),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Latchkey QR codes</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 24px; color: #111; }
.warning { border: 2px solid #c0322b; padding: 10px 14px; border-radius: 8px; margin-bottom: 20px; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 18px; }
figure { margin: 0; padding: 10px; border: 1px solid #ccc; border-radius: 8px; break-inside: avoid; text-align: center; }
figure svg { width: 100%; height: auto; }
</style>
</head>
<body>
<p class="warning"><strong>Every secret on this page is unencrypted.</strong> Anyone who sees these codes can make your login codes. Print it, keep the paper safe, and delete this file. Made by Latchkey on ${escapeHtml(new Date(now).toISOString().slice(0, 10))}, ${accounts.length} account${accounts.length === 1 ? '' : 's'}.</p>
<main>
${cards.join('\n')}
</main>
</body>
</html>
`;
}
