import { parseOtpauthList } from '../otpauth-list';
import { badFile, checkCount, toItem } from '../entry';
import type { Importer } from '../types';

/**
 * A text file of otpauth:// and otpauth-migration:// links: Aegis's and Ente Auth's plain-text
 * exports, Google Authenticator export links, and the lists people keep. A bad line fails the
 * whole file with its line number (the behaviour `latchkey import` always had).
 */
export const uriListImporter: Importer = {
  id: 'uris',
  title: 'otpauth:// links, one per line (Aegis and Ente Auth text exports, Google Authenticator export links)',
  detect: (source) => {
    const text = source.text();
    if (text === null) return false;
    const first = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
    return first !== undefined && /^otpauth(-migration)?:\/\//i.test(first);
  },
  encrypted: () => false,
  async parse(source) {
    const text = source.text();
    if (text === null) throw badFile('It is not a text file of otpauth:// links.');
    const accounts = parseOtpauthList(text);
    checkCount(accounts.length);
    return accounts.map((account) => toItem(account));
  },
};
