import { isLatchkeyBackup, readBackup } from '../../exporters/latchkey-backup';
import { checkCount, refused, toItem } from '../entry';
import type { Importer } from '../types';

/** A Latchkey backup imported into an existing vault: its accounts merge like any other format's. */
export const latchkeyBackupImporter: Importer = {
  id: 'latchkey',
  title: 'Latchkey backup',
  detect: (source) => isLatchkeyBackup(source.json()),
  encrypted: () => true,
  async parse(source, password) {
    const { content } = await readBackup(source.json(), password);
    checkCount(content.accounts.length);
    return content.accounts.map((account) =>
      account.secret === null
        ? refused('It holds backup codes and no authenticator secret; restore the backup as a new vault to keep it.', account.issuer, account.label)
        : toItem({ ...account, secret: account.secret }),
    );
  },
};
