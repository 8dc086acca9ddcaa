import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import { MAX_CODE_LENGTH } from '../vault/content';

/**
 * Backup codes in a provider's JSON answer, in the shapes the documented providers return
 * (test/contract/seeds): `recovery_codes` at the top (Misakey), `totps[].recovery_codes`
 * (Stytch, MoonKey), `data.backup_codes` (Arklow); also a bare array of codes.
 */

/** A code as a provider sends it: letters and digits, groups joined by dashes or single spaces. */
const providerCodeSchema = z.string().max(MAX_CODE_LENGTH).regex(/^[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+)*$/);
const codeListSchema = z.array(z.string()).min(1).max(1000);

const knownShapes: { name: string; read: (json: unknown) => string[] | null }[] = [
  { name: 'recovery_codes', read: (json) => listAt(json, ['recovery_codes']) },
  { name: 'totps[].recovery_codes', read: (json) => totpsRecoveryCodes(json) },
  { name: 'data.backup_codes', read: (json) => listAt(json, ['data', 'backup_codes']) },
  { name: 'backup_codes', read: (json) => listAt(json, ['backup_codes']) },
  { name: 'a list of codes', read: (json) => (codeListSchema.safeParse(json).success ? (json as string[]) : null) },
];

export function codesFromJson(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    refuse('It starts like JSON but is not valid JSON.');
  }
  for (const shape of knownShapes) {
    const codes = shape.read(json);
    if (codes === null) continue;
    const bad = codes.find((code) => !providerCodeSchema.safeParse(code).success);
    if (bad !== undefined) refuse(`Its ${shape.name} holds an entry that is not a backup code (${describe(bad)}).`);
    return codes;
  }
  refuse('This JSON has no recovery_codes or backup_codes list (looked for recovery_codes, totps[].recovery_codes and data.backup_codes).');
}

function listAt(json: unknown, path: string[]): string[] | null {
  let node: unknown = json;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[key];
  }
  const parsed = codeListSchema.safeParse(node);
  return parsed.success ? parsed.data : null;
}

/** Every TOTP instance's codes; a user with several instances gets them all, in order. */
function totpsRecoveryCodes(json: unknown): string[] | null {
  const totps = listOfObjects(json, 'totps');
  if (totps === null) return null;
  const codes = totps.flatMap((totp) => listAt(totp, ['recovery_codes']) ?? []);
  return codes.length > 0 ? codes : null;
}

function listOfObjects(json: unknown, key: string): unknown[] | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const value = (json as Record<string, unknown>)[key];
  return Array.isArray(value) ? value : null;
}

/** Says what is wrong with an entry without echoing it whole: it may be a secret. */
function describe(entry: string): string {
  if (entry.length > MAX_CODE_LENGTH) return `${entry.length} characters long`;
  if (/^<.*>$/.test(entry)) return 'a placeholder';
  return 'characters other than letters, digits, dashes and single spaces';
}

function refuse(sentence: string): never {
  throw new LatchkeyError('RECOVERY_CODES_NOT_RECOGNISED', sentence);
}
