import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { aesGcmEncrypt } from '../importers/crypto';
import type { StoredAccount } from '../vault';

/**
 * Aegis vault files (docs/vault.md in beemdevelopment/Aegis), so that accounts can be carried to
 * Aegis on Android. The content is written as database version 2 (group names on entries), which
 * Aegis reads and upgrades. Encrypted: one password slot, scrypt N=2^15 r=8 p=1 as Aegis uses.
 */
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

export function aegisDatabase(accounts: readonly StoredAccount[]): object {
  return {
    version: 2,
    entries: accounts.map((account) => ({
      type: account.type,
      uuid: account.id,
      name: account.label,
      issuer: account.issuer,
      note: account.notes,
      favorite: false,
      icon: null,
      icon_mime: null,
      group: account.group,
      info: {
        secret: account.secret,
        algo: account.algorithm,
        digits: account.digits,
        ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
      },
    })),
  };
}

/** A plain Aegis vault: every secret readable by anyone who has the file. */
export function aegisPlainExport(accounts: readonly StoredAccount[]): string {
  return `${JSON.stringify({ version: 1, header: { slots: null, params: null }, db: aegisDatabase(accounts) }, null, 4)}\n`;
}

/** An encrypted Aegis vault that Aegis opens with `password`. */
export function aegisEncryptedExport(accounts: readonly StoredAccount[], password: string): string {
  const masterKey = randomBytes(32);
  const salt = randomBytes(32);
  const slotKey = scryptSync(Buffer.from(password, 'utf8'), salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  const slotNonce = randomBytes(12);
  const wrapped = aesGcmEncrypt(slotKey, slotNonce, masterKey);
  const dbNonce = randomBytes(12);
  const db = aesGcmEncrypt(masterKey, dbNonce, Buffer.from(JSON.stringify(aegisDatabase(accounts)), 'utf8'));
  masterKey.fill(0);
  slotKey.fill(0);
  const vault = {
    version: 1,
    header: {
      slots: [
        {
          type: 1,
          uuid: randomUUID(),
          key: wrapped.ciphertext.toString('hex'),
          key_params: { nonce: slotNonce.toString('hex'), tag: wrapped.tag.toString('hex') },
          n: SCRYPT.N,
          r: SCRYPT.r,
          p: SCRYPT.p,
          salt: salt.toString('hex'),
          repaired: true,
          is_backup: false,
        },
      ],
      params: { nonce: dbNonce.toString('hex'), tag: db.tag.toString('hex') },
    },
    db: db.ciphertext.toString('base64'),
  };
  return `${JSON.stringify(vault, null, 4)}\n`;
}
