import { create } from 'zustand';
import type { AccountRecovery, RecoveryStatus } from '../../../shared/recovery';
import { call, errorMessage, isApiError } from '../api';
import { useApp } from '../store';

interface RecoveryState {
  /** Counts and states by account id; never a code. */
  byAccount: Record<string, AccountRecovery>;
  status: RecoveryStatus | null;
  /** "I'm locked out" was chosen on the unlock screen: open that page right after unlocking. */
  lockedOutAfterUnlock: boolean;
  /** The password prompt is open; `retry` runs once the seal is open. */
  passwordPrompt: { retry: () => Promise<void> } | null;

  load: () => Promise<void>;
  clear: () => void;
  requestLockedOutAfterUnlock: () => void;
  /**
   * Runs `work`; when the codes are sealed, asks for the password and runs it again once it
   * opened the seal. Any other failure is shown as a toast.
   */
  withCodes: (work: () => Promise<void>) => Promise<void>;
  closePasswordPrompt: () => void;
}

export const useRecovery = create<RecoveryState>((set) => ({
  byAccount: {},
  status: null,
  lockedOutAfterUnlock: false,
  passwordPrompt: null,

  load: async () => {
    if (useApp.getState().status?.state !== 'unlocked') return;
    try {
      const [overview, status] = await Promise.all([call('recovery:overview'), call('recovery:status')]);
      if (useApp.getState().status?.state !== 'unlocked') return;
      set({ byAccount: Object.fromEntries(overview.map((entry) => [entry.accountId, entry])), status });
    } catch (error) {
      if (!isApiError(error, 'VAULT_LOCKED')) useApp.getState().showToast(errorMessage(error), 'error');
    }
  },

  clear: () => set({ byAccount: {}, status: null, passwordPrompt: null }),

  requestLockedOutAfterUnlock: () => set({ lockedOutAfterUnlock: true }),

  withCodes: async (work) => {
    try {
      await work();
    } catch (error) {
      if (isApiError(error, 'RECOVERY_SEALED')) set({ passwordPrompt: { retry: work } });
      else if (!isApiError(error, 'VAULT_LOCKED')) useApp.getState().showToast(errorMessage(error), 'error');
    }
  },

  closePasswordPrompt: () => set({ passwordPrompt: null }),
}));

// Follows the vault: counts load with the accounts, everything goes on lock, and a pending
// "I'm locked out" opens its page once the vault is open.
useApp.subscribe((state, previous) => {
  const unlocked = state.status?.state === 'unlocked';
  const wasUnlocked = previous.status?.state === 'unlocked';
  if (!unlocked && wasUnlocked) useRecovery.getState().clear();
  if (unlocked && state.accounts !== previous.accounts) void useRecovery.getState().load();
  if (unlocked && !wasUnlocked && useRecovery.getState().lockedOutAfterUnlock) {
    useRecovery.setState({ lockedOutAfterUnlock: false });
    state.setView({ name: 'lockedOut' });
  }
});
