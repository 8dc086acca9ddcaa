import { randomBytes } from 'node:crypto';
import { LatchkeyError } from '../../../shared/errors';

export type RevealKind = 'account' | 'google';

/** How long a confirmation stays good: the window asks for the codes at once after it. */
export const REVEAL_TOKEN_MS = 30_000;

interface Grant {
  kind: RevealKind;
  ids: readonly string[];
  expiresAt: number;
}

/**
 * Consent to show secrets, as main saw it given: a random token for exactly one reveal of exactly
 * these accounts, good for a short time, used once. The renderer can only pass a token back; it
 * cannot make one, widen one or use one twice.
 */
export class RevealGrants {
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly now: () => number) {}

  issue(kind: RevealKind, ids: readonly string[]): { token: string; expiresAt: number } {
    this.dropExpired();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + REVEAL_TOKEN_MS;
    this.grants.set(token, { kind, ids: [...ids], expiresAt });
    return { token, expiresAt };
  }

  /** Uses the token up (whatever the outcome), then checks it allows this reveal. */
  redeem(token: string, kind: RevealKind, ids: readonly string[]): void {
    const grant = this.grants.get(token);
    this.grants.delete(token);
    if (!grant || grant.expiresAt <= this.now()) throw refusal('It was not confirmed, or the confirmation expired or was used already.');
    if (grant.kind !== kind || grant.ids.length !== ids.length || grant.ids.some((id, index) => id !== ids[index])) {
      throw refusal('The confirmation was for other accounts.');
    }
  }

  /** On lock: every consent given while unlocked is gone. */
  clear(): void {
    this.grants.clear();
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [token, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(token);
  }
}

function refusal(detail: string): LatchkeyError {
  return new LatchkeyError('CONFIRMATION_REQUIRED', detail);
}
