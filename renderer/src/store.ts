import { create } from 'zustand';
import type { AccountSummary, Code, VaultStatus } from '../../shared/domain';
import { call } from './api';

interface AppState {
  status: VaultStatus | null;
  accounts: AccountSummary[];
  codes: Record<string, Code>;
  setStatus: (status: VaultStatus) => void;
  loadAccounts: () => Promise<void>;
  refreshCodes: () => Promise<void>;
  /** On lock every account and code leaves the renderer's state. */
  forget: () => void;
}

export const useApp = create<AppState>((set, get) => ({
  status: null,
  accounts: [],
  codes: {},
  setStatus: (status) => {
    set({ status });
    if (status.state !== 'unlocked') get().forget();
  },
  loadAccounts: async () => {
    set({ accounts: await call('accounts:list') });
    await get().refreshCodes();
  },
  refreshCodes: async () => {
    if (get().status?.state !== 'unlocked') return;
    const codes = await call('codes:get', {});
    set({ codes: Object.fromEntries(codes.map((code) => [code.id, code])) });
  },
  forget: () => set({ accounts: [], codes: {} }),
}));
