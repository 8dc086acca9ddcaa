import { loadedSodium } from '../vault/sodium';

/** How long the seal stays open after the password was typed. */
export const KEEP_UNSEALED_MS = 5 * 60 * 1000;

/**
 * The seal's secret key, held for a few minutes after the password was typed so that revealing,
 * copying or printing does not ask again; wiped when that time is over and on lock.
 */
export class KeptSealKey {
  private held: { secretKey: Uint8Array; publicKey: string; until: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly now: () => number, private readonly keepMs: number = KEEP_UNSEALED_MS) {}

  /** Takes ownership of `secretKey` (it is wiped later). */
  keep(secretKey: Uint8Array, publicKey: string): void {
    this.forget();
    this.held = { secretKey, publicKey, until: this.now() + this.keepMs };
    // Wipe on time even when nothing asks for the key again; never keeps the process alive.
    this.timer = setTimeout(() => this.forget(), this.keepMs);
    this.timer.unref?.();
  }

  /** The key for the seal with this public key, if it is held and its time is not over. */
  keyFor(publicKey: string): Uint8Array | null {
    if (this.held === null) return null;
    if (this.now() >= this.held.until) {
      this.forget();
      return null;
    }
    return this.held.publicKey === publicKey ? this.held.secretKey : null;
  }

  until(publicKey: string): number | null {
    return this.keyFor(publicKey) === null ? null : (this.held?.until ?? null);
  }

  forget(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.held !== null) loadedSodium()?.memzero(this.held.secretKey);
    this.held = null;
  }
}
