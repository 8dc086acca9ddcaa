import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { ImportPlan, readImportSources, savedSecretLookup } from '../../../electron/main/importers';
import { secretIdentity, settingsThatDiffer } from '../../../electron/main/importers/duplicates';
import { encodeBase32 } from '../../../electron/main/otp';
import type { VaultService } from '../../../electron/main/vault';
import { testSeed } from '../../support/seeded-random';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';

/**
 * The duplicate rule (electron/main/importers/duplicates.ts): same secret BYTES is a duplicate,
 * whatever text or encoding carries them, within one import and against the vault; the code
 * settings that differ are named.
 */
const tempDir = useTempDirs();
const params = (label: string, numRuns: number) => ({ seed: testSeed() ^ [...label].reduce((hash, ch) => (hash * 31 + ch.charCodeAt(0)) | 0, 0), numRuns });

/** Secrets as real services make them (10 to 64 bytes). */
const secretBytes = fc.uint8Array({ minLength: 10, maxLength: 64 });

/** One way a person or an app may write the same bytes in base32. */
type Spelling = 'canonical' | 'lower' | 'padded' | 'spaced' | 'hyphens' | 'leftover' | 'mixed';
const spelling = fc.constantFrom<Spelling>('canonical', 'lower', 'padded', 'spaced', 'hyphens', 'leftover', 'mixed');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function spell(bytes: Uint8Array, how: Spelling): string {
  const text = encodeBase32(bytes);
  switch (how) {
    case 'canonical':
      return text;
    case 'lower':
      return text.toLowerCase();
    case 'padded':
      return text.padEnd(Math.ceil(text.length / 8) * 8, '=');
    case 'spaced':
      return text.replace(/(.{4})(?=.)/g, '$1 ');
    case 'hyphens':
      return text.replace(/(.{4})(?=.)/g, '$1-');
    case 'mixed':
      return [...text].map((char, index) => (index % 2 === 0 ? char.toLowerCase() : char)).join('');
    case 'leftover': {
      // The bits past the last whole byte are ignored on decoding: set them all.
      const unused = (text.length * 5) % 8;
      if (unused === 0) return text;
      const last = ALPHABET.indexOf(text.at(-1) as string) | ((1 << unused) - 1);
      return text.slice(0, -1) + ALPHABET[last];
    }
  }
}

const link = (secret: string, issuer: string) => `otpauth://totp/${issuer}:me?secret=${encodeURIComponent(secret)}&issuer=${issuer}`;
const encode = (text: string) => new TextEncoder().encode(text);

async function planOf(files: { name: string; text: string }[], lookup: (secret: string) => ReturnType<ReturnType<typeof savedSecretLookup>> = () => null): Promise<ImportPlan> {
  const results = await readImportSources(
    files.map((file) => ({ name: file.name, bytes: encode(file.text) })),
    { password: null },
  );
  return new ImportPlan(results, lookup, 1_700_000_000_000);
}

describe('duplicates are the same secret bytes, however they are written', () => {
  it('within one file: every other spelling of a secret is a duplicate of its first entry, with the same codes', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(secretBytes, fc.array(spelling, { minLength: 1, maxLength: 6 }), async (bytes, spellings) => {
        const lines = [link(spell(bytes, 'canonical'), 'First'), ...spellings.map((how, index) => link(spell(bytes, how), `Again${index}`))];
        const plan = await planOf([{ name: 'links.txt', text: lines.join('\n') }]);
        expect(plan.preview.map((entry) => entry.status)).toEqual(['new', ...spellings.map(() => 'duplicate')]);
        for (const entry of plan.preview.slice(1)) {
          expect(entry.duplicateOf).toEqual({ id: null, issuer: 'First', label: 'me', differs: [] });
          expect(entry.code).toBe(plan.preview[0]?.code);
        }
        expect(plan.defaultChoice()).toEqual([0]);
      }),
      params('duplicates within a file', 150),
    );
  });

  it('across files and encodings: base32 links, FreeOTP+ signed byte arrays, Steam base64 and andOTP padded base32', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(secretBytes, spelling, async (bytes, how) => {
        const freeOtpPlus = { tokenOrder: ['Free:me'], tokens: [{ algo: 'SHA1', digits: 6, issuerExt: 'Free', label: 'me', period: 30, secret: [...bytes].map((byte) => (byte > 127 ? byte - 256 : byte)), type: 'TOTP' }] };
        const steam = { shared_secret: Buffer.from(bytes).toString('base64'), account_name: 'gamer' };
        const andOtp = [{ secret: spell(bytes, 'padded'), issuer: 'And', label: 'me', digits: 8, type: 'TOTP', algorithm: 'SHA256', period: 30, tags: [] }];
        const plan = await planOf([
          { name: 'links.txt', text: link(spell(bytes, how), 'Link') },
          { name: 'freeotp-plus.json', text: JSON.stringify(freeOtpPlus) },
          { name: 'steam.maFile', text: JSON.stringify(steam) },
          { name: 'andotp.json', text: JSON.stringify(andOtp) },
        ]);
        expect(plan.preview.map((entry) => [entry.format, entry.status])).toEqual([
          ['uris', 'new'],
          ['freeotp-plus', 'duplicate'],
          ['steam', 'duplicate'],
          ['andotp', 'duplicate'],
        ]);
        expect(plan.preview.map((entry) => entry.duplicateOf?.differs ?? null)).toEqual([null, [], ['type', 'digits'], ['algorithm', 'digits']]);
        expect(plan.preview.slice(1).every((entry) => entry.duplicateOf?.issuer === 'Link')).toBe(true);
      }),
      params('duplicates across encodings', 60),
    );
  });

  it('different bytes are never duplicates, even when one secret is a prefix of the other or the texts differ only in case', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(secretBytes, secretBytes, async (a, b) => {
        fc.pre(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0);
        const prefix = a.slice(0, Math.max(1, a.length - 1));
        const plan = await planOf([{ name: 'links.txt', text: [link(spell(a, 'canonical'), 'A'), link(spell(b, 'lower'), 'B'), link(spell(prefix, 'padded'), 'Prefix')].join('\n') }]);
        const statuses = plan.preview.map((entry) => entry.status);
        // The prefix equals b only when b happens to be exactly a's prefix.
        const prefixIsB = Buffer.compare(Buffer.from(prefix), Buffer.from(b)) === 0;
        expect(statuses).toEqual(['new', 'new', prefixIsB ? 'duplicate' : 'new']);
      }),
      params('different secrets', 150),
    );
  });

  it('the settings that differ are named, and only those', () => {
    const settings = fc.record({ type: fc.constantFrom('totp' as const, 'hotp' as const, 'steam' as const), algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const), digits: fc.integer({ min: 5, max: 10 }), period: fc.integer({ min: 1, max: 120 }) });
    fc.assert(
      fc.property(settings, settings, (a, b) => {
        const differ = settingsThatDiffer(a, b);
        expect(differ.includes('type')).toBe(a.type !== b.type);
        expect(differ.includes('algorithm')).toBe(a.algorithm !== b.algorithm);
        expect(differ.includes('digits')).toBe(a.digits !== b.digits);
        expect(differ.includes('period')).toBe(a.type !== 'hotp' && b.type !== 'hotp' && a.period !== b.period);
        expect(settingsThatDiffer(b, a).sort()).toEqual([...differ].sort());
        expect(settingsThatDiffer(a, a)).toEqual([]);
      }),
      params('settings', 300),
    );
  });

  it('a secret identity is its bytes: every spelling gives the same one, text that is not base32 none', () => {
    fc.assert(
      fc.property(secretBytes, spelling, (bytes, how) => {
        expect(secretIdentity(spell(bytes, how))).toBe(Buffer.from(bytes).toString('hex'));
      }),
      params('identity', 300),
    );
    expect(secretIdentity('not base32 at all!')).toBeNull();
  });
});

describe('duplicates of saved accounts, compared as bytes', () => {
  async function newVault(): Promise<{ vault: VaultService; accounts: AccountsService }> {
    const vault = makeVault(tempDir());
    await vault.create({ password: 'pw', useKeychain: false });
    return { vault, accounts: new AccountsService(vault, () => 1_700_000_000_000) };
  }

  it('every spelling of a saved secret is marked as that account, and none is saved', { timeout: 60_000 }, async () => {
    const { vault, accounts } = await newVault();
    await fc.assert(
      fc.asyncProperty(secretBytes, spelling, spelling, async (bytes, savedAs, importedAs) => {
        const { added } = await accounts.addMany([{ type: 'totp', secret: spell(bytes, savedAs), issuer: 'Saved', label: 'mine' }]);
        fc.pre(added.length === 1); // the same bytes drawn twice: already saved by an earlier run
        const saved = added[0];
        const plan = await planOf([{ name: 'links.txt', text: link(spell(bytes, importedAs), 'Imported') }], savedSecretLookup(vault));
        expect(plan.preview[0]).toMatchObject({ status: 'duplicate', duplicateOf: { id: saved?.id, issuer: 'Saved', label: 'mine', differs: [] } });
        const before = accounts.list().length;
        const report = await plan.save(accounts, [0]);
        expect(report).toMatchObject({ total: 1, imported: 0, skippedDuplicates: 1, leftOut: 0 });
        expect(accounts.list()).toHaveLength(before);
      }),
      params('duplicates of saved accounts', 40),
    );
  });

  it('a saved secret kept in another spelling (an older vault, a restored backup) is still found by its bytes', async () => {
    const { vault } = await newVault();
    const bytes = Uint8Array.from({ length: 20 }, (_, index) => index * 13);
    await vault.update((content) => {
      content.accounts.push({ id: '00000000-0000-4000-8000-000000000001', type: 'totp', secret: spell(bytes, 'spaced').toLowerCase(), issuer: 'Old', label: 'kept', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, group: null, notes: '', createdAt: 0, updatedAt: 0, lastUsedAt: null });
    });
    const lookup = savedSecretLookup(vault);
    expect(lookup(spell(bytes, 'canonical'))?.issuer).toBe('Old');
    expect(lookup(spell(bytes, 'leftover'))?.issuer).toBe('Old');
    expect(lookup(encodeBase32(bytes.slice(1)))).toBeNull();
  });
});
