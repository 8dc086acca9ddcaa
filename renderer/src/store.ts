import { create } from 'zustand';
import type { AccountSummary, Code, VaultStatus } from '../../shared/domain';
import type { ErrorPayload } from '../../shared/errors';
import type { Settings, SettingsPatch } from '../../shared/settings';
import { SETTINGS_DEFAULTS } from '../../shared/settings-defaults';
import { ApiError, call, errorMessage, isApiError } from './api';
import { displayName } from './format';

export type View =
  | { name: 'list' }
  | { name: 'add'; mode: 'key' | 'link' }
  | { name: 'edit'; id: string }
  | { name: 'settings' }
  /** Scanning QR codes; `image` is one pasted or dropped onto the window, read as the page opens. */
  | { name: 'scan'; source: 'camera' | 'image' | 'screen'; image?: File }
  /** Backup codes of one account; `adding` opens the add-codes panel at once. */
  | { name: 'recovery'; accountId: string; adding?: boolean }
  /** "I'm locked out": find an account, its code, its next backup code and its notes on one page. */
  | { name: 'lockedOut' }
  /** Lockout risk across accounts, and the printable recovery sheet. */
  | { name: 'risk' }
  /** A new entry with backup codes and no authenticator secret. */
  | { name: 'recoveryEntry' }
  /** Importing other apps' export files. */
  | { name: 'import' }
  /** Exporting every account to a file. */
  | { name: 'export' }
  /** The account's provider connection (issue 11), and Misakey enrollment of a new account. */
  | { name: 'provider'; accountId: string }
  | { name: 'enroll' };

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
}

interface AppState {
  /** Null until the first vault:status answers. */
  status: VaultStatus | null;
  /** Why the window could not even learn the vault's state (a damaged file, an unreadable folder). */
  startupError: ErrorPayload | null;
  settings: Settings;
  /**
   * The keychain is tried without a click once, when the window opens. After a lock it waits for
   * the user: opening again by itself would make the lock pointless.
   */
  autoUnlockDone: boolean;
  accounts: AccountSummary[];
  accountsLoaded: boolean;
  /** Codes for the rows in view only, by account id. */
  codes: Record<string, Code>;
  visibleIds: string[];
  view: View;
  query: string;
  group: string | null;
  selectedId: string | null;
  toast: Toast | null;

  start: () => Promise<void>;
  setStatus: (status: VaultStatus) => void;
  setSettings: (settings: Settings) => void;
  updateSettings: (patch: SettingsPatch) => Promise<Settings>;
  markAutoUnlockDone: () => void;
  loadAccounts: () => Promise<void>;
  setVisibleIds: (ids: string[]) => void;
  refreshCodes: () => Promise<void>;
  copy: (id: string) => Promise<void>;
  nextHotp: (id: string) => Promise<void>;
  reorder: (ids: string[]) => Promise<void>;
  lock: () => Promise<void>;
  /** On lock every account and code leaves the renderer's state. */
  forget: () => void;
  setView: (view: View) => void;
  setQuery: (query: string) => void;
  setGroup: (group: string | null) => void;
  select: (id: string | null) => void;
  showToast: (message: string, tone?: Toast['tone']) => void;
  dismissToast: () => void;
}

const TOAST_MS = 4000;
let toastTimer: ReturnType<typeof setTimeout> | null = null;
let toastCounter = 0;

// codes:get requests are coalesced: one in flight at a time, and one more queued if the visible
// rows or the time moved on meanwhile. A stale answer is dropped by its sequence number.
let codesDraining = false;
let settingsPending = 0;
let codesQueued = false;
let codesSequence = 0;

export const useApp = create<AppState>((set, get) => ({
  status: null,
  startupError: null,
  settings: { ...SETTINGS_DEFAULTS },
  autoUnlockDone: false,
  accounts: [],
  accountsLoaded: false,
  codes: {},
  visibleIds: [],
  view: { name: 'list' },
  query: '',
  group: null,
  selectedId: null,
  toast: null,

  start: async () => {
    set({ startupError: null });
    try {
      const [settings, status] = await Promise.all([call('settings:get'), call('vault:status')]);
      set({ settings });
      get().setStatus(status);
    } catch (error) {
      set({ startupError: error instanceof ApiError ? error.payload : { code: 'INTERNAL_ERROR', message: errorMessage(error) } });
    }
  },

  setStatus: (status) => {
    const wasUnlocked = get().status?.state === 'unlocked';
    set({ status, startupError: null });
    if (status.state !== 'unlocked') {
      get().forget();
      if (status.state === 'missing') set({ autoUnlockDone: true });
    } else if (!wasUnlocked) {
      set({ autoUnlockDone: true });
      void get().loadAccounts();
    }
  },

  setSettings: (settings) => {
    const before = get().settings;
    set({ settings });
    if (before.showNextCode !== settings.showNextCode) void get().refreshCodes();
  },

  // Optimistic: the switch moves at once; main's answer (or the old value, on failure) follows.
  // Main applies updates in order, so only the answer to the latest one is the whole truth.
  updateSettings: async (patch) => {
    get().setSettings({ ...get().settings, ...patch });
    settingsPending += 1;
    try {
      const settings = await call('settings:set', patch);
      if (settingsPending === 1) get().setSettings(settings);
      return settings;
    } catch (error) {
      void call('settings:get').then(get().setSettings, () => undefined);
      throw error;
    } finally {
      settingsPending -= 1;
    }
  },

  markAutoUnlockDone: () => set({ autoUnlockDone: true }),

  loadAccounts: async () => {
    if (get().status?.state !== 'unlocked') return;
    try {
      const accounts = await call('accounts:list');
      if (get().status?.state !== 'unlocked') return;
      const selectedId = get().selectedId;
      set({
        accounts,
        accountsLoaded: true,
        selectedId: selectedId && accounts.some((account) => account.id === selectedId) ? selectedId : null,
      });
      await get().refreshCodes();
    } catch (error) {
      if (!isApiError(error, 'VAULT_LOCKED')) get().showToast(errorMessage(error), 'error');
    }
  },

  setVisibleIds: (ids) => {
    const previous = get().visibleIds;
    if (previous.length === ids.length && previous.every((id, index) => id === ids[index])) return;
    set({ visibleIds: ids });
    void get().refreshCodes();
  },

  refreshCodes: async () => {
    codesQueued = true;
    if (codesDraining) return;
    codesDraining = true;
    try {
      while (codesQueued) {
        codesQueued = false;
        const { status, visibleIds, settings } = get();
        const sequence = ++codesSequence;
        if (status?.state !== 'unlocked' || visibleIds.length === 0) {
          set({ codes: {} });
          continue;
        }
        try {
          const codes = await call('codes:get', { ids: visibleIds, withNext: settings.showNextCode });
          if (sequence !== codesSequence || get().status?.state !== 'unlocked') continue;
          set({ codes: Object.fromEntries(codes.map((code) => [code.id, code])) });
        } catch (error) {
          if (!isApiError(error, 'VAULT_LOCKED')) get().showToast(errorMessage(error), 'error');
        }
      }
    } finally {
      codesDraining = false;
    }
  },

  copy: async (id) => {
    const account = get().accounts.find((candidate) => candidate.id === id);
    try {
      const { clearsAt } = await call('codes:copy', { id });
      // The setting, not clearsAt - now: main's clock and this window's may differ by a little.
      const seconds = clearsAt === null ? null : get().settings.clipboardClearSeconds || Math.max(1, Math.round((clearsAt - Date.now()) / 1000));
      const name = account ? displayName(account) : 'Code';
      get().showToast(seconds === null ? `Copied the code for ${name}` : `Copied — clears in ${seconds} s`);
    } catch (error) {
      if (!isApiError(error, 'VAULT_LOCKED')) get().showToast(errorMessage(error), 'error');
    }
  },

  nextHotp: async (id) => {
    try {
      const code = await call('codes:nextHotp', { id });
      set({ codes: { ...get().codes, [id]: code } });
    } catch (error) {
      if (!isApiError(error, 'VAULT_LOCKED')) get().showToast(errorMessage(error), 'error');
    }
  },

  reorder: async (ids) => {
    const previous = get().accounts;
    const byId = new Map(previous.map((account) => [account.id, account]));
    const reordered = ids.map((id) => byId.get(id)).filter((account): account is AccountSummary => account !== undefined);
    if (reordered.length !== previous.length) return;
    set({ accounts: reordered });
    try {
      await call('accounts:reorder', { ids });
    } catch (error) {
      set({ accounts: previous });
      get().showToast(errorMessage(error), 'error');
    }
  },

  lock: async () => {
    get().forget();
    try {
      get().setStatus(await call('vault:lock'));
    } catch (error) {
      get().showToast(errorMessage(error), 'error');
    }
  },

  forget: () => {
    codesSequence += 1;
    // Toasts name accounts ("Added Acme (bob)", "Deleted …"): they go at once too, not in 4 s.
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = null;
    set({ accounts: [], accountsLoaded: false, codes: {}, visibleIds: [], selectedId: null, query: '', group: null, view: { name: 'list' }, toast: null });
  },

  setView: (view) => set({ view }),
  setQuery: (query) => set({ query }),
  setGroup: (group) => set({ group }),
  select: (id) => set({ selectedId: id }),

  showToast: (message, tone = 'info') => {
    // Every toast is about the open vault; one that arrives after a lock (an action that was
    // still in flight) would put an account's name on the locked screen.
    if (get().status?.state !== 'unlocked') return;
    if (toastTimer) clearTimeout(toastTimer);
    toastCounter += 1;
    const id = toastCounter;
    set({ toast: { id, message, tone } });
    toastTimer = setTimeout(() => {
      if (get().toast?.id === id) set({ toast: null });
    }, TOAST_MS);
  },
  dismissToast: () => set({ toast: null }),
}));
