import { isLatchkeyBackup, readBackup } from '../../exporters/latchkey-backup';
import type { StoredAccount } from '../../vault/content';
import { byAccount, extrasOf, openWithBackupPassword } from '../backup-extras';
import { checkCount, refused, toItem } from '../entry';
import type { AccountExtras, Importer, ImportItem } from '../types';

/**
 * A Latchkey backup imported into an existing vault: its accounts merge like any other format's,
 * each with its backup-code sets and provider connection (docs/backup-format.md, "Merge").
 */
export const latchkeyBackupImporter: Importer = {
  id: 'latchkey',
  title: 'Latchkey backup',
  detect: (source) => isLatchkeyBackup(source.json()),
  encrypted: () => true,
  async parse(source, password) {
    const backup = await readBackup(source.json(), password);
    checkCount(backup.content.accounts.length);
    const { content, seal } = await openWithBackupPassword(backup.content, password);
    const ownOf = byAccount(content);
    return content.accounts.map((account) => backupItem(account, extrasOf(account.id, ownOf(account.id), seal)));
  },
};

function backupItem(account: StoredAccount, extras: AccountExtras | null): ImportItem {
  if (extras === null) return refused('Its provider connection is not one Latchkey reads.', account.issuer, account.label);
  if (account.secret === null) {
    const entry = { issuer: account.issuer, label: account.label, group: account.group, notes: account.notes };
    return { kind: 'refused', issuer: account.issuer, label: account.label, reason: 'It holds backup codes and no authenticator secret.', codesOnly: { entry, extras } };
  }
  const item = toItem({ ...account, secret: account.secret });
  return item.kind === 'entry' ? { ...item, extras } : item;
}
