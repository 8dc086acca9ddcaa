import { LatchkeyError } from '../../../../shared/errors';
import { badFile, checkCount, itemFromUri, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem } from '../types';

/**
 * Bitwarden's JSON export: `items[].login.totp` holds an otpauth:// link, a bare base32 secret or
 * steam://SECRET. Items without a TOTP are logins, not authenticator entries, and are not counted.
 */
function isBitwarden(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Array.isArray(value.items) && typeof value.encrypted === 'boolean';
}

export const bitwardenImporter: Importer = {
  id: 'bitwarden',
  title: 'Bitwarden JSON export',
  detect: (source) => isBitwarden(source.json()),
  encrypted: () => false,
  async parse(source) {
    const vault = source.json();
    if (!isBitwarden(vault)) throw badFile('It is not a Bitwarden export.');
    if (vault.encrypted) throw new LatchkeyError('UNSUPPORTED_IMPORT_VERSION', 'It is an encrypted Bitwarden export; export the vault again as unencrypted JSON (or CSV) and import that.');
    const items = vault.items as unknown[];
    checkCount(items.length);
    const folders = new Map<string, string>();
    if (Array.isArray(vault.folders)) for (const folder of vault.folders) if (isRecord(folder) && typeof folder.id === 'string' && typeof folder.name === 'string') folders.set(folder.id, folder.name);
    return items.flatMap((item): ImportItem[] => {
      if (!isRecord(item) || !isRecord(item.login) || typeof item.login.totp !== 'string' || item.login.totp.trim() === '') return [];
      const name = typeof item.name === 'string' ? item.name : '';
      const username = typeof item.login.username === 'string' ? item.login.username : '';
      const group = typeof item.folderId === 'string' ? (folders.get(item.folderId) ?? null) : null;
      const notes = typeof item.notes === 'string' ? item.notes : null;
      return [bitwardenTotp(item.login.totp, name, username, group, notes)];
    });
  },
};

/** One Bitwarden TOTP field (shared with the CSV export's login_totp column). */
export function bitwardenTotp(totp: string, name: string, username: string, group: string | null = null, notes: string | null = null): ImportItem {
  const value = totp.trim();
  if (/^otpauth:\/\//i.test(value)) return itemFromUri(value, { group, notes, issuer: name, label: username });
  if (/^steam:\/\//i.test(value)) return toItem({ type: 'steam', secret: value.slice('steam://'.length), issuer: name, label: username, group, notes });
  if (/^[A-Za-z2-7 =-]+$/.test(value)) return toItem({ type: 'totp', secret: value, issuer: name, label: username, group, notes });
  return refused('Its TOTP field is neither an otpauth:// link nor a base32 secret.', name, username);
}
