import { z } from 'zod';
import { aesGcmDecrypt, needPassword, parseJson, pbkdf2, wrongPassword } from '../crypto';
import { badFile, checkCount, MAX_IMPORT_ENTRIES, refused } from '../entry';
import { isJavaSerialized, readStringHashMap } from '../java-serialization';
import type { Importer, ImportItem } from '../types';
import { freeOtpItem, freeOtpTokenSchema } from './freeotp';

/**
 * FreeOTP 2 backups (externalBackup.xml): a Java-serialized map. "masterKey" holds the master key
 * encrypted under PBKDF2(password); "<uuid>" holds each token's secret encrypted under the master
 * key (AES-GCM, the key's algorithm name as associated data); "<uuid>-token" its parameters.
 */
const bytes = z.array(z.number().int().min(-128).max(255)).transform((values) => Uint8Array.from(values, (value) => value & 0xff));
const encryptedKeySchema = z.object({ mCipherText: bytes, mParameters: bytes, mToken: z.string().max(64) });
const masterKeySchema = z.object({
  mAlgorithm: z.string(),
  mIterations: z.number().int().min(1).max(1_000_000),
  mSalt: bytes,
  mEncryptedKey: encryptedKeySchema,
});
/** FreeOTP's token without its secret: version 2 keeps the secret encrypted in an entry of its own. */
const tokenSchema = freeOtpTokenSchema.omit({ secret: true });

export const freeOtpV2Importer: Importer = {
  id: 'freeotp-v2',
  title: 'FreeOTP 2 backup (externalBackup.xml, encrypted)',
  detect: (source) => isJavaSerialized(source.bytes) && Buffer.from(source.bytes.subarray(0, 4096)).includes('masterKey'),
  encrypted: () => true,
  async parse(source, password) {
    const map = readStringHashMap(source.bytes, MAX_IMPORT_ENTRIES * 2 + 1);
    if (password === null) throw needPassword('an encrypted FreeOTP backup');
    const master = masterKeySchema.safeParse(parseJson(map.get('masterKey') ?? ''));
    if (!master.success) throw badFile('Its master key is missing or damaged.');
    const masterKey = decryptKey(derive(master.data, password), master.data.mEncryptedKey);
    if (!masterKey) throw wrongPassword('FreeOTP backup');
    const tokenIds = [...map.keys()].filter((key) => key.endsWith('-token')).map((key) => key.slice(0, -'-token'.length));
    checkCount(tokenIds.length);
    return tokenIds.map((id) => readToken(map, id, masterKey));
  },
};

function derive(master: z.infer<typeof masterKeySchema>, password: string): Buffer {
  const hash = /sha512/i.test(master.mAlgorithm) ? 'sha512' : /sha256/i.test(master.mAlgorithm) ? 'sha256' : 'sha1';
  return pbkdf2(password, master.mSalt, master.mIterations, 32, hash);
}

/**
 * mParameters is DER: GCM parameters SEQUENCE { OCTET STRING iv, INTEGER tagLength } on newer
 * Android versions, a bare OCTET STRING iv on older ones.
 */
function decryptKey(key: Uint8Array, encrypted: z.infer<typeof encryptedKeySchema>): Buffer | null {
  const params = encrypted.mParameters;
  const at = params[0] === 0x30 ? 2 : 0;
  if (params[at] !== 0x04) return null;
  const ivLength = params[at + 1] ?? 0;
  const iv = params.subarray(at + 2, at + 2 + ivLength);
  const data = encrypted.mCipherText;
  if (iv.length !== ivLength || data.length < 16) return null;
  return aesGcmDecryptWithAad(key, iv, data, encrypted.mToken);
}

function aesGcmDecryptWithAad(key: Uint8Array, iv: Uint8Array, data: Uint8Array, aad: string): Buffer | null {
  return aesGcmDecrypt(key, iv, data.subarray(0, data.length - 16), data.subarray(data.length - 16), Buffer.from(aad, 'utf8'));
}

function readToken(map: Map<string, string>, id: string, masterKey: Buffer): ImportItem {
  const token = tokenSchema.safeParse(parseJson(map.get(`${id}-token`) ?? ''));
  if (!token.success) return refused('The entry is damaged (a field is missing or has the wrong type).');
  const { issuerExt, issuerInt, label } = token.data;
  const wrapper = parseJson(map.get(id) ?? '');
  const keyText = typeof wrapper === 'object' && wrapper !== null && 'key' in wrapper && typeof wrapper.key === 'string' ? wrapper.key : '';
  const encrypted = encryptedKeySchema.safeParse(parseJson(keyText));
  if (!encrypted.success) return refused('Its encrypted secret is missing or damaged.', issuerExt || issuerInt, label);
  const secret = decryptKey(masterKey, encrypted.data);
  if (!secret) return refused('Its secret could not be decrypted (the backup is damaged).', issuerExt || issuerInt, label);
  // FreeOTP 2 stores the counter of the next code, and a null algorithm means SHA1.
  return freeOtpItem({ ...token.data, algo: token.data.algo ?? 'SHA1' }, secret, false);
}
