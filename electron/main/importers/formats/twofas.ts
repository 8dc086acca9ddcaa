import { z } from 'zod';
import { LatchkeyError } from '../../../../shared/errors';
import { aesGcmDecrypt, decodeBase64, needPassword, parseJson, pbkdf2, wrongPassword } from '../crypto';
import { badFile, checkCount, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem } from '../types';

/**
 * 2FAS backups: schema v1 (.json) to v4 (.2fas). Encrypted ones hold `servicesEncrypted` =
 * base64(ciphertext+tag):base64(salt):base64(iv), PBKDF2-HMAC-SHA256 (10,000 rounds) -> AES-256-GCM.
 */
const SUPPORTED = [1, 2, 3, 4];
const serviceSchema = z.looseObject({
  name: z.string().nullish(),
  secret: z.string(),
  groupId: z.string().nullish(),
  otp: z
    .looseObject({
      account: z.string().nullish(),
      issuer: z.string().nullish(),
      label: z.string().nullish(),
      digits: z.number().nullish(),
      period: z.number().nullish(),
      algorithm: z.string().nullish(),
      counter: z.number().nullish(),
      tokenType: z.string().nullish(),
    })
    .nullish(),
});

function isTwoFas(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'services' in value && ('schemaVersion' in value || 'appOrigin' in value || 'servicesEncrypted' in value);
}

export const twoFasImporter: Importer = {
  id: '2fas',
  title: '2FAS backup (.2fas or .json, plain or encrypted)',
  detect: (source) => isTwoFas(source.json()),
  encrypted: (source) => {
    const json = source.json();
    return isTwoFas(json) && typeof json.servicesEncrypted === 'string';
  },
  async parse(source, password) {
    const backup = source.json();
    if (!isTwoFas(backup)) throw badFile('It is not a 2FAS backup.');
    const version = typeof backup.schemaVersion === 'number' ? backup.schemaVersion : 1;
    if (!SUPPORTED.includes(version)) {
      throw new LatchkeyError('UNSUPPORTED_IMPORT_VERSION', `It is a 2FAS backup of schema version ${String(backup.schemaVersion).slice(0, 12)}; Latchkey reads versions ${SUPPORTED.join(', ')}.`);
    }
    const services = typeof backup.servicesEncrypted === 'string' ? decryptServices(backup.servicesEncrypted, password) : backup.services;
    if (!Array.isArray(services)) throw badFile('Its list of services is missing.');
    checkCount(services.length);
    const groups = new Map<string, string>();
    if (Array.isArray(backup.groups)) {
      for (const group of backup.groups) if (isRecord(group) && typeof group.id === 'string' && typeof group.name === 'string') groups.set(group.id, group.name);
    }
    return services.map((service) => readService(service, version, groups));
  },
};

function decryptServices(text: string, password: string | null): unknown {
  if (password === null) throw needPassword('an encrypted 2FAS backup');
  const parts = text.split(':').map(decodeBase64);
  const [data, salt, iv] = parts;
  if (parts.length !== 3 || !data || !salt || !iv || data.length < 16) throw badFile('Its encrypted services are damaged.');
  const key = pbkdf2(password, salt, 10_000, 32, 'sha256');
  const plain = aesGcmDecrypt(key, iv, data.subarray(0, data.length - 16), data.subarray(data.length - 16));
  if (!plain) throw wrongPassword('2FAS backup');
  const json = parseJson(plain.toString('utf8'));
  if (json === undefined) throw badFile('Its decrypted services are not JSON.');
  return json;
}

function readService(raw: unknown, version: number, groups: Map<string, string>): ImportItem {
  const parsed = serviceSchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).', isRecord(raw) ? raw.name : '');
  const service = parsed.data;
  const otp = service.otp ?? {};
  const issuer = otp.issuer || service.name || '';
  const label = otp.account ?? '';
  const group = service.groupId ? (groups.get(service.groupId) ?? null) : null;
  // Schema v1 stores only the secret: 2FAS then always used SHA1, 6 digits, 30 s.
  if (version === 1) return toItem({ type: 'totp', secret: service.secret, issuer, label, group });
  const tokenType = (otp.tokenType ?? 'TOTP').toUpperCase();
  const type = tokenType === 'TOTP' ? 'totp' : tokenType === 'HOTP' ? 'hotp' : tokenType === 'STEAM' ? 'steam' : null;
  if (!type) return refused(`Its type '${tokenType.slice(0, 16)}' is not one Latchkey supports (TOTP, HOTP, Steam).`, issuer, label);
  return toItem({ type, secret: service.secret, issuer, label, algorithm: otp.algorithm, digits: otp.digits, period: otp.period, counter: otp.counter, group });
}
