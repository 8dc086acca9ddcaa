import { create } from 'zustand';
import type { ScanState } from '../../../shared/domain';
import { call, errorMessage, isApiError } from '../api';
import { displayName } from '../format';
import { useApp } from '../store';

interface ScanFlow {
  /** What main holds from the codes read so far (never a secret). */
  state: ScanState | null;
  error: string | null;
  busy: boolean;
  /** Set when the only account read is already saved: the user is asked before a second copy. */
  askDuplicate: boolean;
  /** Hands QR texts straight to main; nothing of them is kept here. */
  submit: (texts: string[]) => Promise<void>;
  confirm: (allowDuplicate?: boolean) => Promise<boolean>;
  fail: (message: string) => void;
  reset: () => Promise<void>;
}

export const useScanFlow = create<ScanFlow>((set, get) => ({
  state: null,
  error: null,
  busy: false,
  askDuplicate: false,

  submit: async (texts) => {
    set({ busy: true, error: null });
    try {
      let state = get().state;
      for (const text of texts) state = await call('scan:read', { text });
      set({ state });
    } catch (error) {
      set({ error: errorMessage(error) });
    } finally {
      set({ busy: false });
    }
  },

  confirm: async (allowDuplicate = false) => {
    const { state } = get();
    if (!state) return false;
    if (!allowDuplicate && state.kind === 'account' && state.accounts[0]?.duplicateOf) {
      set({ askDuplicate: true });
      return false;
    }
    set({ busy: true, error: null, askDuplicate: false });
    try {
      const { added, skipped } = await call('scan:confirm', { allowDuplicate });
      set({ state: null });
      const app = useApp.getState();
      const first = added[0];
      if (added.length === 1 && first) app.showToast(`Added ${displayName(first)}`);
      else app.showToast(`Added ${added.length} accounts${skipped ? `, skipped ${skipped} already saved` : ''}`);
      if (first) app.select(first.id);
      app.setView({ name: 'list' });
      return true;
    } catch (error) {
      if (!isApiError(error, 'VAULT_LOCKED')) set({ error: errorMessage(error) });
      return false;
    } finally {
      set({ busy: false });
    }
  },

  fail: (message) => set({ error: message }),

  reset: async () => {
    set({ state: null, error: null, askDuplicate: false, busy: false });
    await call('scan:cancel').catch(() => undefined);
  },
}));
