import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeMigrationUri,
  encodeMigrationUris,
  generateCode,
  decodeBase32,
  MigrationBatchCollector,
  type MigrationExportAccount,
} from '../../../electron/main/otp';
import { errorOf } from '../../support/errors';
import { readFixture } from './fixtures';
import { ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID } from '../../support/migration';

const expectedSchema = z.object({
  files: z.record(
    z.string(),
    z.object({
      payloads: z.array(
        z.object({
          uri: z.string(),
          otp_parameters: z.array(
            z.object({ secret_base32: z.string(), name: z.string(), issuer: z.string(), type: z.enum(['totp', 'hotp']), counter: z.number(), algorithm_enum: z.number(), digits_enum: z.number() }),
          ),
          batch_size: z.number().optional(),
          batch_index: z.number().optional(),
          batch_id: z.number().optional(),
        }),
      ),
    }),
  ),
});
const expected = expectedSchema.parse(JSON.parse(readFixture('google_migration/expected.json')));


describe('Google Authenticator export (otpauth-migration://)', () => {
  for (const [file, { payloads }] of Object.entries(expected.files)) {
    it(`decodes every payload of ${file} field by field`, () => {
      const lines = readFixture(`google_migration/${file}`)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('otpauth-migration://'));
      expect(lines).toEqual(payloads.map((payload) => payload.uri));
      for (const payload of payloads) {
        const part = decodeMigrationUri(payload.uri);
        if (payload.batch_size !== undefined) expect(part).toMatchObject({ batchSize: payload.batch_size, batchIndex: payload.batch_index, batchId: payload.batch_id });
        expect(part.accounts).toHaveLength(payload.otp_parameters.length);
        payload.otp_parameters.forEach((parameters, index) => {
          const account = part.accounts[index];
          expect(account?.secret).toBe(parameters.secret_base32);
          expect(account?.issuer).toBe(parameters.issuer);
          const label = parameters.issuer && parameters.name.startsWith(`${parameters.issuer}:`) ? parameters.name.slice(parameters.issuer.length + 1) : parameters.name;
          expect(account?.label).toBe(label);
          expect(account?.type).toBe(parameters.type);
          expect(account?.algorithm).toBe(({ 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512' } as Record<number, string>)[parameters.algorithm_enum]);
          expect(account?.digits).toBe(parameters.digits_enum === 2 ? 8 : 6);
          expect(account?.counter).toBe(parameters.type === 'hotp' ? parameters.counter : 0);
        });
      }
    });
  }

  it('keeps raw + and / in unencoded data (they are base64, not spaces)', () => {
    const [uri] = readFixture('google_migration/scito/test_plus_problem_export.txt').trim().split('\n');
    expect(decodeMigrationUri(uri as string).accounts.map((account) => account.secret)).toEqual([
      'A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM',
      'SCDDZ7PW5MOZLE3PQCAZM7L4S35K3UDX',
      'TR76272RVYO6EAEY2FX7W7R7KUDEGPJ4',
      'N2ILWSXSJUQUB7S6NONPJSC62NPG7EXN',
    ]);
  });

  it('gives the code dim13/otpauth asserts for its example (528064 at 1257894000)', () => {
    const [uri] = readFixture('google_migration/dim13_otpauth.txt').trim().split('\n');
    const account = decodeMigrationUri(uri as string).accounts[0];
    expect(account).toMatchObject({ issuer: 'Example', label: 'alice@google.com', type: 'totp', algorithm: 'SHA1', digits: 6 });
    expect(generateCode({ ...(account as NonNullable<typeof account>), secret: decodeBase32(account?.secret as string) }, 1_257_894_000_000)).toBe('528064');
  });

  it.each([
    ['scito/test_export_wrong_data.txt', /not base64|not a readable export|no accounts/],
    ['scito/test_export_wrong_content.txt', /does not start with otpauth-migration/],
    ['scito/test_export_wrong_prefix.txt', /does not start with otpauth-migration/],
  ])('rejects %s with INVALID_MIGRATION_URI', (file, message) => {
    const error = errorOf(() => decodeMigrationUri(readFixture(`google_migration/${file}`).trim()));
    expect(error.code).toBe('INVALID_MIGRATION_URI');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['otpauth-migration://offline?foo=bar', /no data= parameter/],
    ['otpauth-migration://offline?data=%E0%A4%A', /%-encoding/],
    ['otpauth-migration://offline?data=CgA=', /no secret/],
    ['otpauth-migration://offline?data=Cg==', /not a readable export/],
    ['otpauth-migration://online?data=CgA=', /must start with otpauth-migration:\/\/offline/],
  ])('rejects %s', (uri, message) => {
    const error = errorOf(() => decodeMigrationUri(uri));
    expect(error.code).toBe('INVALID_MIGRATION_URI');
    expect(error.message).toMatch(message);
  });

  it('round-trips accounts through batched export codes, in any scanning order', () => {
    const accounts: MigrationExportAccount[] = Array.from({ length: 23 }, (_, index) => ({
      type: index % 5 === 0 ? 'hotp' : 'totp',
      secret: ['JBSWY3DPEHPK3PXP', '7KSQL2JTUDIS5EF65KLMRQIIGY', 'A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM'][index % 3] as string,
      issuer: index % 4 === 0 ? '' : `Issuer ${index} ¿äÄéÉ?`,
      label: `user${index}@example.com`,
      algorithm: (['SHA1', 'SHA256', 'SHA512'] as const)[index % 3] as 'SHA1',
      digits: index % 2 === 0 ? 6 : 8,
      period: 30,
      counter: index % 5 === 0 ? index * 1000 : 0,
    }));
    const uris = encodeMigrationUris(accounts, ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID);
    expect(uris).toHaveLength(3);
    const collector = new MigrationBatchCollector();
    collector.add(decodeMigrationUri(uris[2] as string));
    expect(collector.isComplete()).toBe(false);
    expect(collector.missing()).toEqual([{ batchId: expect.any(Number), batchSize: 3, missingParts: [1, 2] }]);
    collector.add(decodeMigrationUri(uris[0] as string));
    collector.add(decodeMigrationUri(uris[0] as string));
    collector.add(decodeMigrationUri(uris[1] as string));
    expect(collector.isComplete()).toBe(true);
    expect(collector.accounts()).toEqual(accounts);
  });

  it('refuses to export what the format cannot hold, naming the account', () => {
    const steam: MigrationExportAccount = { type: 'steam', secret: 'JBSWY3DPEHPK3PXP', issuer: 'Steam', label: 'me', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 };
    expect(errorOf(() => encodeMigrationUris([steam], ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID)).message).toContain('Steam – me');
    expect(errorOf(() => encodeMigrationUris([{ ...steam, type: 'totp', digits: 7 }], ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID)).message).toContain('not 7');
    expect(errorOf(() => encodeMigrationUris([{ ...steam, type: 'totp', digits: 6, period: 60 }], ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID)).message).toContain('not 60');
  });
});
