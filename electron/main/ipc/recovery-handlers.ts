import QRCode from 'qrcode';
import { LatchkeyError } from '../../../shared/errors';
import type { Channel, ChannelOutput, ParsedInput } from '../../../shared/ipc';
import type { AccountsService } from '../accounts';
import { formatOtpauthUri } from '../otp';
import type { RecoveryService } from '../recovery';
import { buildSheetHtml, type SheetAccount } from '../recovery/sheet';
import type { ClipboardPort } from './handlers';

/**
 * Turns the recovery sheet's HTML into a PDF and saves it where the user chooses: Electron's
 * printToPDF and save dialog in the app, Chromium's page.pdf in the end-to-end harness.
 */
export interface RecoverySheetPort {
  /** Saves the PDF; `saved: false` when the user cancelled the dialog. */
  savePdf(html: string, suggestedName: string): Promise<{ saved: boolean; fileName: string | null }>;
}

export const noSheetPrinter: RecoverySheetPort = {
  savePdf: async () => {
    throw new LatchkeyError('INVALID_INPUT', 'Saving a PDF is not available here.');
  },
};

type RecoveryChannel = Extract<Channel, `recovery:${string}`>;
export type RecoveryHandlers = { [C in RecoveryChannel]: (input: ParsedInput<C>) => Promise<ChannelOutput<C>> };

export interface RecoveryHandlerServices {
  recovery: RecoveryService;
  accounts: AccountsService;
  clipboard: ClipboardPort;
  sheet: RecoverySheetPort;
  now?: () => number;
}

export function createRecoveryHandlers({ recovery, accounts, clipboard, sheet, now = Date.now }: RecoveryHandlerServices): RecoveryHandlers {
  return {
    'recovery:status': async () => recovery.status(),
    'recovery:overview': async () => recovery.overview(),
    'recovery:recognise': async ({ text }) => {
      const { codes, from, skippedLines, duplicates } = recovery.recognise(text);
      return { codes, from, skippedLines, duplicates };
    },
    'recovery:add': ({ accountId, text, source }) => recovery.addFromText(accountId, text, source),
    'recovery:addEntry': async ({ issuer, label, text, source }) => {
      // Recognised before the entry exists, so text without codes adds nothing at all.
      const { codes } = recovery.recognise(text);
      const entry = await accounts.addWithoutOtp({ issuer, label });
      try {
        await recovery.addCodes(entry.id, codes, source);
      } catch (error) {
        await accounts.remove(entry.id);
        throw error;
      }
      return entry;
    },
    'recovery:unseal': ({ password }) => recovery.unseal(password),
    'recovery:forget': async () => {
      recovery.forget();
      return recovery.status();
    },
    'recovery:reveal': ({ setId, index }) => recovery.reveal(setId, index),
    'recovery:copy': async ({ setId, index }) => {
      const [one] = (await recovery.reveal(setId, index)).codes;
      if (!one) throw new LatchkeyError('RECOVERY_CODE_NOT_FOUND');
      return clipboard.writeSecretText(one.code);
    },
    'recovery:useNext': async ({ accountId }) => {
      const spent = await recovery.useNext(accountId, 'copied');
      const { clearsAt } = clipboard.writeSecretText(spent.code);
      return { setId: spent.setId, index: spent.index, left: spent.left, clearsAt };
    },
    'recovery:setUsed': ({ setId, index, used }) => recovery.setUsed(setId, index, used),
    'recovery:deleteSet': async ({ setId }) => {
      await recovery.deleteSet(setId);
      return null;
    },
    'recovery:printSheet': async ({ accountIds, includeQr }) => {
      const sheetAccounts: SheetAccount[] = [];
      for (const accountId of accountIds) sheetAccounts.push(await sheetAccount(recovery, accounts, accountId, includeQr));
      const printedAt = now();
      return sheet.savePdf(buildSheetHtml(sheetAccounts, printedAt), `latchkey-recovery-sheet-${new Date(printedAt).toISOString().slice(0, 10)}.pdf`);
    },
  };
}

async function sheetAccount(recovery: RecoveryService, accounts: AccountsService, accountId: string, includeQr: boolean): Promise<SheetAccount> {
  const account = accounts.get(accountId);
  const view = recovery.forAccount(accountId);
  const current = view.sets.find((set) => set.current) ?? null;
  const unusedCodes = current ? (await recovery.reveal(current.id)).codes.filter((code) => !code.used).map((code) => code.code) : [];
  let otpauthQr: string | null = null;
  if (includeQr && account.hasOtp) {
    const [stored] = accounts.storedForExport([accountId]);
    if (stored) otpauthQr = await QRCode.toDataURL(formatOtpauthUri(stored), { errorCorrectionLevel: 'M', margin: 2, scale: 6, type: 'image/png' });
  }
  return { issuer: account.issuer, label: account.label, codesAddedAt: current?.createdAt ?? null, unusedCodes, otpauthQr };
}
