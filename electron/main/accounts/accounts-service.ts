import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  type AccountEdit,
  type AccountSummary,
  type Code,
  MAX_NOTES,
  MAX_TEXT,
  MIN_DIGITS,
  newAccountSchema,
  type NewAccount,
  type NewAccountInput,
  STEAM_DIGITS,
} from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import { codeExpiresAt, createCodeGenerator, type CodeGenerator, decodeBase32, normalizeBase32, parseOtpauthUri } from '../otp';
import type { StoredAccount, VaultContent, VaultService } from '../vault';

export interface AddOptions {
  /** Add even when an account with the same secret exists (the user confirmed it). */
  allowDuplicate?: boolean;
}

export interface AddManyResult {
  added: AccountSummary[];
  /** Accounts not added because their secret is already in the vault (or earlier in the batch). */
  skipped: number;
}

export type SortOrder = 'manual' | 'issuer' | 'recent';

/** The accounts in the vault: add, edit, remove, order, group, search, and their codes. */
export class AccountsService {
  private readonly generators = new Map<string, { key: string; generator: CodeGenerator }>();

  constructor(private readonly vault: VaultService, private readonly now: () => number = Date.now) {
    // Generators hold key material: drop them the moment the vault locks.
    vault.onEvent((event) => {
      if (event === 'locked') this.generators.clear();
    });
  }

  list(): AccountSummary[] {
    return this.vault.content().accounts.map(toSummary);
  }

  get(id: string): AccountSummary {
    return toSummary(findAccount(this.vault.content(), id));
  }

  /** Case-insensitive match on issuer or label; an empty query matches everything. */
  search(query: string): AccountSummary[] {
    return this.list().filter((account) => matchesQuery(account, query));
  }

  sorted(order: SortOrder): AccountSummary[] {
    const accounts = this.list();
    if (order === 'issuer') return accounts.sort(byIssuerThenLabel);
    if (order === 'recent') return accounts.sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0));
    return accounts;
  }

  groups(): string[] {
    const names = new Set(this.vault.content().accounts.flatMap((account) => (account.group ? [account.group] : [])));
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /**
   * Stored accounts, secrets included, for an explicit export (a QR code to move them to a phone).
   * The one way secrets leave this service; callers must not send them to the renderer as text.
   */
  storedForExport(ids: readonly string[]): ExportableAccount[] {
    const content = this.vault.content();
    return ids.map((id) => {
      const account = findAccount(content, id);
      if (account.secret === null) throw new LatchkeyError('INVALID_INPUT', `${displayNameOf(account)} has backup codes only, no secret to export.`);
      return { ...account, secret: account.secret };
    });
  }

  /** The account that already holds this secret, if any (secrets compared as bytes, not as text). */
  findBySecret(secret: string): AccountSummary | null {
    const normalized = normalizeBase32(secret);
    const match = this.vault.content().accounts.find((account) => account.secret === normalized);
    return match ? toSummary(match) : null;
  }

  async add(input: NewAccountInput, options: AddOptions = {}): Promise<AccountSummary> {
    const account = this.buildAccount(input);
    return this.vault.update((content) => {
      if (!options.allowDuplicate) rejectDuplicate(content, account);
      content.accounts.push(account);
      return toSummary(account);
    });
  }

  /** Throws what `add` would throw for this account (INVALID_ACCOUNT, INVALID_SECRET); saves nothing. */
  check(input: NewAccountInput): void {
    this.buildAccount(input);
  }

  async addFromUri(uri: string, options: AddOptions = {}): Promise<AccountSummary> {
    return this.add(parseOtpauthUri(uri), options);
  }

  /**
   * Adds a batch in one save: all or nothing; same-secret duplicates are skipped and counted.
   * `alsoInThisSave` changes the content further in the same save (an import's backup codes), given
   * the stored account of each input, or null for a skipped one.
   */
  async addMany(inputs: NewAccountInput[], alsoInThisSave?: (content: VaultContent, saved: (StoredAccount | null)[]) => void): Promise<AddManyResult> {
    const accounts = inputs.map((input) => this.buildAccount(input));
    return this.vault.update((content) => {
      const seen = new Set(content.accounts.map((account) => account.secret));
      const added: AccountSummary[] = [];
      const saved: (StoredAccount | null)[] = [];
      for (const account of accounts) {
        if (seen.has(account.secret)) {
          saved.push(null);
          continue;
        }
        seen.add(account.secret);
        content.accounts.push(account);
        saved.push(account);
        added.push(toSummary(account));
      }
      alsoInThisSave?.(content, saved);
      return { added, skipped: accounts.length - added.length };
    });
  }

  edit(id: string, edit: AccountEdit): Promise<AccountSummary> {
    return this.vault.update((content) => {
      const account = findAccount(content, id);
      if (edit.issuer !== undefined) account.issuer = edit.issuer;
      if (edit.label !== undefined) account.label = edit.label;
      if (edit.group !== undefined) account.group = edit.group === '' ? null : edit.group;
      if (edit.notes !== undefined) account.notes = edit.notes;
      account.updatedAt = this.now();
      return toSummary(account);
    });
  }

  remove(id: string): Promise<void> {
    return this.vault.update((content) => {
      const index = content.accounts.findIndex((account) => account.id === id);
      if (index < 0) throw new LatchkeyError('ACCOUNT_NOT_FOUND');
      content.accounts.splice(index, 1);
      // An account's backup codes go with it.
      content.recovery.sets = content.recovery.sets.filter((set) => set.accountId !== id);
      // And its provider connection, credentials included (docs/vault-format.md "Provider connections").
      if (content.providers) content.providers.connections = content.providers.connections.filter((entry) => entry.accountId !== id);
    });
  }

  /** Sets the manual order. `ids` must name every account exactly once. */
  reorder(ids: string[]): Promise<void> {
    return this.vault.update((content) => {
      const byId = new Map(content.accounts.map((account) => [account.id, account]));
      const reordered = ids.map((id) => byId.get(id));
      if (new Set(ids).size !== ids.length || reordered.length !== content.accounts.length || reordered.some((account) => !account)) {
        throw new LatchkeyError('INVALID_INPUT', 'The new order must list every account exactly once.');
      }
      content.accounts = reordered as StoredAccount[];
    });
  }

  /** Usage data only: saved without a new generation, so copies never push backups out. */
  markUsed(id: string): Promise<void> {
    return this.vault.recordUsage((content) => {
      findAccount(content, id).lastUsedAt = this.now();
    });
  }

  /**
   * Codes at `atMs` for the given accounts (all when `ids` is omitted). HOTP: the stored counter's
   * code. `withNext` adds the next period's code, for the preview in a period's last seconds.
   */
  codes(ids?: readonly string[], atMs: number = this.now(), { withNext = false }: { withNext?: boolean } = {}): Code[] {
    const accounts = this.vault.content().accounts;
    const wanted = ids ? new Set(ids) : null;
    const codes: Code[] = [];
    for (const account of accounts) {
      if (wanted && !wanted.has(account.id)) continue;
      if (account.secret === null) continue; // backup codes only: no live code
      codes.push(this.codeOf({ ...account, secret: account.secret }, atMs, withNext));
    }
    return codes;
  }

  /** Advances an HOTP counter, saves it, and returns the new code. */
  async nextHotpCode(id: string): Promise<Code> {
    const account = await this.vault.update((content) => {
      const stored = findAccount(content, id);
      if (stored.type !== 'hotp' || stored.secret === null) throw new LatchkeyError('NOT_HOTP');
      stored.counter += 1;
      stored.lastUsedAt = this.now();
      return { ...stored };
    });
    return this.codeOf({ ...account, secret: account.secret as string }, this.now());
  }

  /**
   * Adds an entry that holds backup codes but no OTP secret (its login codes live on a hardware
   * key, in SMS, on another phone). It is listed and searched like the others, with no live code.
   */
  async addWithoutOtp(input: { issuer: string; label: string; group?: string | null; notes?: string }): Promise<AccountSummary> {
    const parsed = codesOnlyEntrySchema.safeParse(input);
    if (!parsed.success) throw new LatchkeyError('INVALID_ACCOUNT', parsed.error.issues[0]?.message);
    if (parsed.data.issuer === '' && parsed.data.label === '') throw new LatchkeyError('INVALID_ACCOUNT', 'Give the service or account name.');
    const now = this.now();
    const stored: StoredAccount = {
      id: randomUUID(),
      type: 'totp',
      secret: null,
      issuer: parsed.data.issuer,
      label: parsed.data.label,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      counter: 0,
      group: parsed.data.group || null,
      notes: parsed.data.notes,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    return this.vault.update((content) => {
      content.accounts.push(stored);
      return toSummary(stored);
    });
  }

  private codeOf(account: StoredAccount & { secret: string }, atMs: number, withNext = false): Code {
    const generator = this.generatorFor(account);
    const periodic = account.type !== 'hotp';
    return {
      id: account.id,
      issuer: account.issuer,
      label: account.label,
      code: generator.codeAt(atMs),
      expiresAt: periodic ? codeExpiresAt(account.period, atMs) : null,
      nextCode: periodic && withNext ? generator.codeAt(atMs + account.period * 1000) : null,
    };
  }

  private generatorFor(account: StoredAccount & { secret: string }): CodeGenerator {
    const key = `${account.secret}|${account.type}|${account.algorithm}|${account.digits}|${account.period}|${account.counter}`;
    const cached = this.generators.get(account.id);
    if (cached?.key === key) return cached.generator;
    const generator = createCodeGenerator({ ...account, secret: decodeBase32(account.secret) });
    this.generators.set(account.id, { key, generator });
    return generator;
  }

  /** Every problem with a new account as typed so far, by field, in sentences; empty when it can be added. */
  validate(input: unknown): { field: string; message: string }[] {
    if (typeof input !== 'object' || input === null) return [{ field: 'account', message: 'The account details are missing.' }];
    const problems = new Map<string, string>();
    const parsed = newAccountSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'account');
        if (!problems.has(field)) problems.set(field, FIELD_SENTENCES[field] ?? issue.message);
      }
    } else {
      const digitsProblem = digitsProblemOf(steamDefaults(parsed.data));
      if (digitsProblem) problems.set('digits', digitsProblem);
    }
    // The secret is checked on its own, so its problem shows whatever else is wrong.
    const secret = (input as { secret?: unknown }).secret;
    if (typeof secret === 'string' && secret.trim() !== '' && !problems.has('secret')) {
      try {
        decodeBase32(secret);
      } catch (error) {
        if (!(error instanceof LatchkeyError)) throw error;
        problems.set('secret', error.message);
      }
    }
    return [...problems].map(([field, message]) => ({ field, message }));
  }

  /** What an otpauth:// link would add, without its secret. Throws INVALID_OTPAUTH_URI. */
  previewUri(uri: string) {
    const { secret: _secret, ...preview } = parseOtpauthUri(uri);
    return preview;
  }

  /** Validates a new account and gives it its stored form; throws INVALID_ACCOUNT or INVALID_SECRET. */
  private buildAccount(input: NewAccountInput): StoredAccount {
    const parsed = newAccountSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LatchkeyError('INVALID_ACCOUNT', issue ? `${issue.path.join('.') || 'account'}: ${issue.message}` : undefined);
    }
    const account = steamDefaults(parsed.data);
    const digitsProblem = digitsProblemOf(account);
    if (digitsProblem) throw new LatchkeyError('INVALID_ACCOUNT', digitsProblem);
    const now = this.now();
    const stored: ExportableAccount = {
      id: randomUUID(),
      type: account.type,
      secret: normalizeBase32(account.secret),
      issuer: account.issuer,
      label: account.label,
      algorithm: account.algorithm,
      digits: account.digits,
      period: account.period,
      counter: account.type === 'hotp' ? account.counter : 0,
      group: account.group || null,
      notes: account.notes,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    createCodeGenerator({ ...stored, secret: decodeBase32(stored.secret) }); // rejects what could never make a code
    return stored;
  }
}

/** What a person reads for a field the schema refused. */
const FIELD_SENTENCES: Record<string, string> = {
  type: 'Choose TOTP, HOTP or Steam.',
  secret: 'Enter the secret key (the setup key the service shows next to its QR code).',
  issuer: 'The service name can be at most 256 characters.',
  label: 'The account name can be at most 256 characters.',
  algorithm: 'Choose SHA1, SHA256 or SHA512.',
  digits: 'Codes must have 6 to 10 digits.',
  period: 'The period must be a whole number of seconds, from 1 to 86400.',
  counter: 'The counter must be a whole number, 0 or more.',
  group: 'The group name can be at most 256 characters.',
  notes: 'Notes can be at most 10,000 characters.',
};

/** Steam codes have 5 characters; everything else 6 to 10 digits. */
function digitsProblemOf(account: NewAccount): string | null {
  return account.type !== 'steam' && account.digits < MIN_DIGITS ? `Codes must have ${MIN_DIGITS} to 10 digits.` : null;
}

/** Steam Guard is always SHA1 with 5 characters. */
function steamDefaults(account: NewAccount): NewAccount {
  return account.type === 'steam' ? { ...account, algorithm: 'SHA1', digits: STEAM_DIGITS } : account;
}

function rejectDuplicate(content: VaultContent, account: StoredAccount): void {
  const existing = content.accounts.find((candidate) => candidate.secret === account.secret);
  if (!existing) return;
  const name = [existing.issuer, existing.label].filter(Boolean).join(' – ') || 'an unnamed account';
  throw new LatchkeyError('DUPLICATE_ACCOUNT', `It is already saved as ${name}.`);
}

function findAccount(content: VaultContent, id: string): StoredAccount {
  const account = content.accounts.find((candidate) => candidate.id === id);
  if (!account) throw new LatchkeyError('ACCOUNT_NOT_FOUND');
  return account;
}

export function matchesQuery(account: { issuer: string; label: string }, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase();
  return needle === '' || account.issuer.toLocaleLowerCase().includes(needle) || account.label.toLocaleLowerCase().includes(needle);
}

function byIssuerThenLabel(a: AccountSummary, b: AccountSummary): number {
  return a.issuer.localeCompare(b.issuer, undefined, { sensitivity: 'base' }) || a.label.localeCompare(b.label, undefined, { sensitivity: 'base' });
}

/** The stored account without its secret: the only form that leaves the main process. */
export function toSummary(account: StoredAccount): AccountSummary {
  const { secret, ...summary } = account;
  return { ...summary, hasOtp: secret !== null };
}

/** A stored account that has an OTP secret. */
export type ExportableAccount = StoredAccount & { secret: string };

const codesOnlyEntrySchema = z.object({
  issuer: z.string().trim().max(MAX_TEXT),
  label: z.string().trim().max(MAX_TEXT),
  group: z.string().trim().max(MAX_TEXT).nullable().default(null),
  notes: z.string().max(MAX_NOTES).default(''),
});

function displayNameOf(account: { issuer: string; label: string }): string {
  return [account.issuer, account.label].filter(Boolean).join(' – ') || 'An unnamed account';
}
