import { scryptSync } from 'node:crypto';
import { z } from 'zod';
import { LatchkeyError } from '../../../../shared/errors';
import { aesGcmDecrypt, decodeBase64, decodeHex, needPassword, parseJson, wrongPassword } from '../crypto';
import { badFile, checkCount, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem, ImportSource } from '../types';

/**
 * Aegis vault exports (https://github.com/beemdevelopment/Aegis/blob/master/docs/vault.md):
 * `{version: 1, header: {slots, params}, db}`. Plain: db is the object; encrypted: db is base64
 * AES-256-GCM under a master key that password slots (scrypt -> AES-256-GCM key wrap) hold.
 */
const SUPPORTED_VAULT_VERSIONS = [1];
const SUPPORTED_DB_VERSIONS = [1, 2, 3];
/** scrypt memory (128·N·r bytes) beyond 128 MiB: a hostile file, not an Aegis export (Aegis: N=2^15, r=8, 32 MiB). */
const MAX_SCRYPT_N_R = 1 << 20;

const headerSchema = z.object({
  slots: z.array(z.looseObject({ type: z.number() })).nullable(),
  params: z.object({ nonce: z.string(), tag: z.string() }).nullable(),
});
const passwordSlotSchema = z.object({
  type: z.literal(1),
  key: z.string(),
  key_params: z.object({ nonce: z.string(), tag: z.string() }),
  n: z.number().int().min(2),
  r: z.number().int().min(1).max(64),
  p: z.number().int().min(1).max(4),
  salt: z.string(),
});
const entrySchema = z.looseObject({
  type: z.string(),
  name: z.string().nullish(),
  issuer: z.string().nullish(),
  note: z.string().nullish(),
  group: z.string().nullish(),
  groups: z.array(z.string()).nullish(),
  info: z.looseObject({
    secret: z.string(),
    algo: z.string().nullish(),
    digits: z.number().nullish(),
    period: z.number().nullish(),
    counter: z.number().nullish(),
  }),
});
const dbSchema = z.looseObject({
  version: z.number(),
  entries: z.array(z.unknown()),
  groups: z.array(z.object({ uuid: z.string(), name: z.string() })).nullish(),
});

function isAegisVault(value: unknown): value is { version: unknown; header: unknown; db: unknown } {
  return isRecord(value) && 'header' in value && 'db' in value && 'version' in value;
}

export const aegisImporter: Importer = {
  id: 'aegis',
  title: 'Aegis vault (JSON, plain or encrypted)',
  detect: (source) => isAegisVault(source.json()),
  encrypted: (source) => {
    const json = source.json();
    return isAegisVault(json) && typeof json.db === 'string';
  },
  async parse(source, password) {
    return parseAegis(source, password);
  },
};

function parseAegis(source: ImportSource, password: string | null): ImportItem[] {
  const vault = source.json();
  if (!isAegisVault(vault)) throw badFile('It is not an Aegis vault.');
  if (typeof vault.version !== 'number' || !SUPPORTED_VAULT_VERSIONS.includes(vault.version)) {
    throw new LatchkeyError('UNSUPPORTED_IMPORT_VERSION', `It is an Aegis vault of version ${JSON.stringify(vault.version).slice(0, 20)}; Latchkey reads version ${SUPPORTED_VAULT_VERSIONS.join(', ')}.`);
  }
  const header = headerSchema.safeParse(vault.header);
  if (!header.success) throw badFile('Its Aegis header is damaged.');
  const db = typeof vault.db === 'string' ? decryptDb(vault.db, header.data, password) : vault.db;
  return readDb(db);
}

function decryptDb(db: string, header: z.infer<typeof headerSchema>, password: string | null): unknown {
  if (password === null) throw needPassword('an encrypted Aegis vault');
  if (header.params === null || header.slots === null) throw badFile('Its Aegis header has no key slots for the encrypted content.');
  const slots = header.slots.flatMap((slot) => {
    const parsed = passwordSlotSchema.safeParse(slot);
    return parsed.success ? [parsed.data] : [];
  });
  if (slots.length === 0) throw badFile('It has no password slot (only biometric slots, which only the phone can open).');
  const ciphertext = decodeBase64(db);
  const nonce = decodeHex(header.params.nonce);
  const tag = decodeHex(header.params.tag);
  if (!ciphertext || !nonce || !tag) throw badFile('Its encrypted content is damaged.');
  for (const slot of slots) {
    const masterKey = unwrapSlot(slot, password);
    if (!masterKey) continue;
    const plain = aesGcmDecrypt(masterKey, nonce, ciphertext, tag);
    if (!plain) throw badFile('Its password is right but its content is damaged.');
    const json = parseJson(plain.toString('utf8'));
    if (json === undefined) throw badFile('Its decrypted content is not JSON.');
    return json;
  }
  throw wrongPassword('Aegis vault');
}

function unwrapSlot(slot: z.infer<typeof passwordSlotSchema>, password: string): Buffer | null {
  if (slot.n * slot.r > MAX_SCRYPT_N_R || (slot.n & (slot.n - 1)) !== 0) throw badFile(`Its key slot asks for scrypt N=${slot.n}, r=${slot.r}, beyond what Latchkey accepts (N·r at most ${MAX_SCRYPT_N_R}).`);
  const salt = decodeHex(slot.salt);
  const wrapped = decodeHex(slot.key);
  const nonce = decodeHex(slot.key_params.nonce);
  const tag = decodeHex(slot.key_params.tag);
  if (!salt || !wrapped || !nonce || !tag) throw badFile('Its key slot is damaged.');
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: slot.n, r: slot.r, p: slot.p, maxmem: 129 * slot.n * slot.r * slot.p + 1024 * 1024 });
  return aesGcmDecrypt(key, nonce, wrapped, tag);
}

function readDb(value: unknown): ImportItem[] {
  const db = dbSchema.safeParse(value);
  if (!db.success) throw badFile('Its Aegis database has no list of entries.');
  if (!SUPPORTED_DB_VERSIONS.includes(db.data.version)) {
    throw new LatchkeyError('UNSUPPORTED_IMPORT_VERSION', `Its Aegis database is version ${db.data.version}; Latchkey reads versions ${SUPPORTED_DB_VERSIONS.join(', ')}.`);
  }
  checkCount(db.data.entries.length);
  const groupNames = new Map((db.data.groups ?? []).map((group) => [group.uuid, group.name]));
  return db.data.entries.map((raw) => readEntry(raw, groupNames));
}

const TYPES: Record<string, 'totp' | 'hotp' | 'steam'> = { totp: 'totp', hotp: 'hotp', steam: 'steam' };

function readEntry(raw: unknown, groupNames: Map<string, string>): ImportItem {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).', isRecord(raw) ? raw.issuer : '', isRecord(raw) ? raw.name : '');
  const entry = parsed.data;
  const type = TYPES[entry.type.toLowerCase()];
  if (!type) return refused(`Its type '${entry.type.slice(0, 16)}' is not one Latchkey supports (TOTP, HOTP, Steam).`, entry.issuer, entry.name);
  // Version 3 keeps group ids (an entry can be in several groups; Latchkey keeps the first); version 2 a name.
  const group = entry.groups?.map((id) => groupNames.get(id)).find((name) => name !== undefined) ?? entry.group ?? null;
  return toItem({
    type,
    secret: entry.info.secret,
    issuer: entry.issuer,
    label: entry.name,
    algorithm: entry.info.algo,
    digits: entry.info.digits,
    period: entry.info.period,
    counter: entry.info.counter,
    group,
    notes: entry.note,
  });
}
