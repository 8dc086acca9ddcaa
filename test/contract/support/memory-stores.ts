import { LatchkeyError } from '../../../shared/errors';
import {
  type CodeSetOrigin,
  type ConnectionStore,
  type EnrollmentStore,
  type MisakeyEnrollmentState,
  misakeyEnrollmentStateSchema,
  type ProviderConnection,
  providerConnectionSchema,
  type RecoveryLedger,
} from '../../../electron/main/providers';

/**
 * In-memory implementations of the providers service's storage interfaces, for the service tests
 * until the vault and the recovery ledger (issue 10) are wired in. Each stores JSON and parses it
 * back with the real schema, so what the service hands over must survive serialization.
 */
export class MemoryConnectionStore implements ConnectionStore {
  readonly saved = new Map<string, string>();

  async get(accountId: string): Promise<ProviderConnection | null> {
    const json = this.saved.get(accountId);
    return json === undefined ? null : providerConnectionSchema.parse(JSON.parse(json));
  }

  async put(accountId: string, connection: ProviderConnection): Promise<void> {
    this.saved.set(accountId, JSON.stringify(providerConnectionSchema.parse(connection)));
  }

  async remove(accountId: string): Promise<void> {
    this.saved.delete(accountId);
  }
}

export class MemoryEnrollmentStore implements EnrollmentStore {
  readonly saved = new Map<string, string>();
  readonly stagesSaved: string[] = [];

  async load(identityId: string): Promise<MisakeyEnrollmentState | null> {
    const json = this.saved.get(identityId);
    return json === undefined ? null : misakeyEnrollmentStateSchema.parse(JSON.parse(json));
  }

  async save(state: MisakeyEnrollmentState): Promise<void> {
    this.stagesSaved.push(state.stage);
    this.saved.set(state.identityId, JSON.stringify(misakeyEnrollmentStateSchema.parse(state)));
  }

  async clear(identityId: string): Promise<void> {
    this.saved.delete(identityId);
  }
}

interface LedgerSet {
  codes: string[];
  used: Map<string, 'spent' | 'maybe-spent'>;
  origin: CodeSetOrigin;
}

/** The ledger's contract as providers use it; `failNextSaves` makes saves fail like a full disk. */
export class MemoryLedger implements RecoveryLedger {
  readonly sets = new Map<string, LedgerSet[]>();
  failNextSaves = 0;

  async replaceCurrentSet(accountId: string, codes: readonly string[], origin: CodeSetOrigin): Promise<void> {
    if (this.failNextSaves > 0) {
      this.failNextSaves--;
      throw new LatchkeyError('IO_ERROR');
    }
    const history = this.sets.get(accountId) ?? [];
    history.push({ codes: [...codes], used: new Map(), origin });
    this.sets.set(accountId, history);
  }

  current(accountId: string): LedgerSet | undefined {
    return this.sets.get(accountId)?.at(-1);
  }

  async nextUnusedCode(accountId: string): Promise<string | null> {
    const set = this.current(accountId);
    return set?.codes.find((code) => !set.used.has(code)) ?? null;
  }

  async markCodeUsed(accountId: string, code: string, how: 'spent' | 'maybe-spent'): Promise<void> {
    const set = this.current(accountId);
    if (set === undefined || !set.codes.includes(code)) return;
    set.used.set(code, how);
  }
}
