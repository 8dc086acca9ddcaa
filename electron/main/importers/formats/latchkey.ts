import { openBackupSeal } from '../../exporters/backup-seal';
import { isLatchkeyBackup, readBackup } from '../../exporters/latchkey-backup';
import type { StoredAccount, VaultContent } from '../../vault/content';
import { providerConnectionSchema } from '../../providers/connection';
import { PROVIDER_NAMES } from '../../providers/provider-error';
import { checkCount, refused, toItem } from '../entry';
import type { AccountExtras, Importer, ImportItem } from '../types';

/**
 * A Latchkey backup imported into an existing vault: its accounts merge like any other format's,
 * each with its backup-code sets and provider connection (docs/backup-format.md, "Merge"). Sealed
 * codes open with the backup password when the vault it came from had the same password.
 */
export const latchkeyBackupImporter: Importer = {
  id: 'latchkey',
  title: 'Latchkey backup',
  detect: (source) => isLatchkeyBackup(source.json()),
  encrypted: () => true,
  async parse(source, password) {
    const { content } = await readBackup(source.json(), password);
    checkCount(content.accounts.length);
    const opened = await openBackupSeal(content, [password, sourceVaultPassword()]);
    return opened.accounts.map((account) => backupItem(opened, account));
  },
};

/** The command line's way to give the password of the vault a backup was made from. */
function sourceVaultPassword(): string | null {
  return process.env.LATCHKEY_BACKUP_VAULT_PASSWORD || null;
}

function backupItem(content: VaultContent, account: StoredAccount): ImportItem {
  const extras = extrasOf(content, account.id);
  if (extras === null) return refused('Its provider connection is not one Latchkey reads.', account.issuer, account.label);
  if (account.secret === null) {
    const entry = { issuer: account.issuer, label: account.label, group: account.group, notes: account.notes };
    return { kind: 'refused', issuer: account.issuer, label: account.label, reason: 'It holds backup codes and no authenticator secret.', codesOnly: { entry, extras } };
  }
  const item = toItem({ ...account, secret: account.secret });
  return item.kind === 'entry' ? { ...item, extras } : item;
}

/** The account's sets (codes already opened) and connection, as the backup holds them. */
function extrasOf(content: VaultContent, accountId: string): AccountExtras | null {
  const recoverySets = content.recovery.sets
    .filter((set) => set.accountId === accountId)
    .map(({ source, createdAt, supersededAt, count, codes, usage }) => ({ source, createdAt, supersededAt, count, codes: 'plain' in codes ? [...codes.plain] : [], usage: [...usage] }));
  const stored = content.providers?.connections.find((entry) => entry.accountId === accountId);
  if (!stored || !('plain' in stored.data)) return { recoverySets, connection: null };
  const connection = parseConnection(stored.data.plain);
  return connection === null ? null : { recoverySets, connection: { provider: PROVIDER_NAMES[connection.provider], json: JSON.stringify(connection) } };
}

function parseConnection(json: string) {
  try {
    const parsed = providerConnectionSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
