import { readQrCodesInPicture } from '../../../shared/qr/node-reader';
import type { RecoveryService } from '../recovery';
import type { DecodeQrImage, RecoveryLedger } from './dependencies';

/**
 * The recovery-code ledger of issue 10 as the providers service uses it: codes from a provider
 * become the account's new current set with source 'provider'; a code sent to MoonKey is marked
 * used with how 'provider' (the ledger has one "used" state, so a code whose answer was lost is
 * marked used as well: it may be spent, and offering it again would likely fail).
 */
export function recoveryLedgerFrom(recovery: RecoveryService): RecoveryLedger {
  return {
    async replaceCurrentSet(accountId, codes) {
      await recovery.addCodes(accountId, codes, 'provider');
    },
    async nextUnusedCode(accountId) {
      const current = currentSet(recovery, accountId);
      const next = current?.codes.find((code) => !code.used);
      if (current === undefined || next === undefined) return null;
      const revealed = await recovery.reveal(current.id, next.index);
      return revealed.codes[0]?.code ?? null;
    },
    async markCodeUsed(accountId, code) {
      const current = currentSet(recovery, accountId);
      if (current === undefined) return;
      const { codes } = await recovery.reveal(current.id);
      const match = codes.find((candidate) => comparable(candidate.code) === comparable(code));
      // A code typed by hand that is not in the current set: nothing of the ledger to mark.
      if (match === undefined || match.used) return;
      await recovery.setUsed(current.id, match.index, true, 'provider');
    },
  };
}

function currentSet(recovery: RecoveryService, accountId: string) {
  return recovery.forAccount(accountId).sets.find((set) => set.current);
}

/** Codes compared as people type them, as the ledger does. */
function comparable(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

/** The zxing-wasm decoder in Node (shared/qr), for the Misakey enrollment's QR image. */
export const decodeQrImageInMain: DecodeQrImage = (bytes) => readQrCodesInPicture(bytes);
