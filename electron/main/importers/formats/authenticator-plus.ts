import { parseOtpauthList } from '../otpauth-list';
import { badFile, checkCount, toItem } from '../entry';
import { startsWithAscii } from '../source';
import { listZip, readZipEntry } from '../zip';
import type { Importer } from '../types';

/** Authenticator Plus: an encrypted zip whose Accounts.txt lists otpauth:// links. */
const FILE = 'Accounts.txt';

function accountsEntry(bytes: Uint8Array) {
  return listZip(bytes).find((entry) => entry.name.split('/').pop() === FILE);
}

export const authenticatorPlusImporter: Importer = {
  id: 'authenticator-plus',
  title: 'Authenticator Plus backup (encrypted zip)',
  detect: (source) => startsWithAscii(source.bytes, 'PK\u0003\u0004') && accountsEntry(source.bytes) !== undefined,
  encrypted: (source) => ((accountsEntry(source.bytes)?.flags ?? 0) & 1) === 1,
  async parse(source, password) {
    const entry = accountsEntry(source.bytes);
    if (!entry) throw badFile(`Its zip archive has no ${FILE}.`);
    const content = readZipEntry(source.bytes, entry, password, 'an encrypted Authenticator Plus backup');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      throw badFile(`Its ${FILE} is not text.`);
    }
    const accounts = parseOtpauthList(text);
    checkCount(accounts.length);
    return accounts.map((account) => toItem(account));
  },
};
