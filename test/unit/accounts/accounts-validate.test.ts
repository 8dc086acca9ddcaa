import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { ERROR_SENTENCES, LatchkeyError } from '../../../shared/errors';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';

const tempDir = useTempDirs();
const SECRET = 'JBSWY3DPEHPK3PXP';

async function setup() {
  const vault = makeVault(tempDir());
  await vault.create({ password: 'pw', useKeychain: false });
  return { vault, accounts: new AccountsService(vault) };
}

function fields(problems: { field: string }[]): string[] {
  return problems.map((problem) => problem.field).sort();
}

describe('AccountsService.validate', () => {
  it('finds no problem in a complete account, or in a minimal one (defaults apply)', async () => {
    const { accounts } = await setup();
    expect(accounts.validate({ type: 'totp', secret: SECRET })).toEqual([]);
    expect(accounts.validate({ type: 'hotp', secret: 'jbsw y3dp ehpk 3pxp', issuer: 'ACME', label: 'me', algorithm: 'SHA512', digits: 8, counter: 7 })).toEqual([]);
    expect(accounts.validate({ type: 'totp', secret: SECRET, digits: 10, period: 60, algorithm: 'SHA256' })).toEqual([]);
  });

  it.each([
    ['a character outside the alphabet', 'not base32!'],
    ['the digits 0, 1, 8, 9', 'JBSWY3DPEHPK3PX0'],
    ['a length that cannot encode whole bytes', 'A'],
    ['nothing but separators', '  -  '],
    ['padding in the middle', 'JBSW=Y3DP'],
  ])('reports a secret with %s under "secret", with the reason', async (_what, secret) => {
    const { accounts } = await setup();
    const problems = accounts.validate({ type: 'totp', secret });
    expect(problems).toEqual([{ field: 'secret', message: expect.stringContaining(ERROR_SENTENCES.INVALID_SECRET) }]);
    expect(problems[0]?.message.length).toBeGreaterThan(ERROR_SENTENCES.INVALID_SECRET.length);
  });

  it('reports fewer than 6 digits for TOTP and HOTP under "digits", but accepts Steam’s 5', async () => {
    const { accounts } = await setup();
    expect(accounts.validate({ type: 'totp', secret: SECRET, digits: 5 })).toEqual([{ field: 'digits', message: 'Codes must have 6 to 10 digits.' }]);
    expect(accounts.validate({ type: 'hotp', secret: SECRET, digits: 5 })).toEqual([{ field: 'digits', message: 'Codes must have 6 to 10 digits.' }]);
    expect(accounts.validate({ type: 'steam', secret: SECRET })).toEqual([]);
    // Steam is always 5 characters: whatever digits the form holds, it is not a problem.
    expect(accounts.validate({ type: 'steam', secret: SECRET, digits: 6 })).toEqual([]);
  });

  it('reports both a digits problem and a secret problem at once', async () => {
    const { accounts } = await setup();
    expect(fields(accounts.validate({ type: 'totp', secret: 'not base32!', digits: 5 }))).toEqual(['digits', 'secret']);
  });

  it.each([
    ['period 0', { period: 0 }, 'period'],
    ['a fractional period', { period: 1.5 }, 'period'],
    ['a period over a day', { period: 86_401 }, 'period'],
    ['4 digits', { digits: 4 }, 'digits'],
    ['11 digits', { digits: 11 }, 'digits'],
    ['digits as text', { digits: '6' }, 'digits'],
    ['a negative counter', { counter: -1 }, 'counter'],
    ['an unknown algorithm', { algorithm: 'MD5' }, 'algorithm'],
    ['an unknown type', { type: 'sms' }, 'type'],
    ['an empty secret', { secret: '' }, 'secret'],
    ['an issuer over 256 characters', { issuer: 'x'.repeat(257) }, 'issuer'],
  ])('reports the schema problem of %s under its field', async (_what, change, field) => {
    const { accounts } = await setup();
    const problems = accounts.validate({ type: 'totp', secret: SECRET, ...change });
    expect(problems).toEqual([{ field, message: expect.any(String) }]);
    expect(problems[0]?.message).not.toBe('');
  });

  it('reports every schema problem, one per field', async () => {
    const { accounts } = await setup();
    expect(fields(accounts.validate({ secret: SECRET, period: 0, algorithm: 'MD5' }))).toEqual(['algorithm', 'period', 'type']);
  });

  it('reports input that is not an account at all under "account"', async () => {
    const { accounts } = await setup();
    expect(accounts.validate(null)).toEqual([{ field: 'account', message: expect.any(String) }]);
    expect(accounts.validate('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP')).toEqual([{ field: 'account', message: expect.any(String) }]);
  });

  it('saves nothing, and never echoes the secret back', async () => {
    const { vault, accounts } = await setup();
    const secret = 'JBSWY3DPEHPK3PX!';
    const problems = accounts.validate({ type: 'totp', secret, issuer: 'ACME' });
    expect(JSON.stringify(problems)).not.toContain('JBSWY3DP');
    accounts.validate({ type: 'totp', secret: SECRET });
    expect(vault.content().accounts).toEqual([]);
  });
});

describe('AccountsService.previewUri', () => {
  it('says what a link would add, without its secret', async () => {
    const { accounts } = await setup();
    const preview = accounts.previewUri(`otpauth://totp/ACME%20Co:jane%40example.com?secret=${SECRET}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60`);
    expect(preview).toEqual({ type: 'totp', issuer: 'ACME Co', label: 'jane@example.com', algorithm: 'SHA256', digits: 8, period: 60, counter: 0 });
    expect(preview).not.toHaveProperty('secret');
    expect(JSON.stringify(preview)).not.toContain(SECRET);
  });

  it('previews HOTP and Steam links with their own parameters', async () => {
    const { accounts } = await setup();
    expect(accounts.previewUri(`otpauth://hotp/Bank:me?secret=${SECRET}&counter=42`)).toMatchObject({ type: 'hotp', issuer: 'Bank', label: 'me', counter: 42 });
    expect(accounts.previewUri(`otpauth://totp/Steam:gabe?secret=${SECRET}&encoder=steam`)).toMatchObject({ type: 'steam', digits: 5, algorithm: 'SHA1' });
  });

  it('adds nothing to the vault', async () => {
    const { vault, accounts } = await setup();
    accounts.previewUri(`otpauth://totp/ACME:me?secret=${SECRET}`);
    expect(vault.content().accounts).toEqual([]);
  });

  it.each([
    ['an empty link', ''],
    ['a web link', 'https://example.com/?secret=JBSWY3DPEHPK3PXP'],
    ['a link without a secret', 'otpauth://totp/ACME:me?issuer=ACME'],
    ['a secret that is not base32', 'otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PX!'],
    ['an unknown type', `otpauth://sms/ACME:me?secret=${SECRET}`],
    ['an unknown algorithm', `otpauth://totp/ACME:me?secret=${SECRET}&algorithm=MD5`],
    ['4 digits', `otpauth://totp/ACME:me?secret=${SECRET}&digits=4`],
    ['period 0', `otpauth://totp/ACME:me?secret=${SECRET}&period=0`],
    ['a Google Authenticator export link', 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SEg'],
  ])('throws INVALID_OTPAUTH_URI for %s, without the secret in the message', async (_what, uri) => {
    const { accounts } = await setup();
    let caught: unknown;
    try {
      accounts.previewUri(uri);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LatchkeyError);
    expect((caught as LatchkeyError).code).toBe('INVALID_OTPAUTH_URI');
    expect((caught as LatchkeyError).message).not.toContain('JBSWY3DPEHPK3PX');
  });

  it('reports every problem at once, in sentences: a bad secret shows even when another field is wrong', async () => {
    const { accounts } = await setup();
    const problems = accounts.validate({ type: 'totp', secret: 'not base32!', period: 0 });
    expect(problems).toEqual([
      { field: 'period', message: 'The period must be a whole number of seconds, from 1 to 86400.' },
      { field: 'secret', message: expect.stringContaining('invalid character') },
    ]);
    expect(accounts.validate({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', digits: 4 })).toEqual([{ field: 'digits', message: 'Codes must have 6 to 10 digits.' }]);
  });
});
