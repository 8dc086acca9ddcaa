import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { groupsOf, type SortOrder, visibleAccounts } from '../format';
import { imageFromTransfer } from '../scan/read-image';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { AccountList, type AccountListHandle } from './AccountList';
import { DeleteDialog } from './DeleteDialog';
import { EmptyState, NoMatches } from './EmptyState';

export const SEARCH_INPUT_ID = 'account-search';

const SORT_LABELS: Record<SortOrder, string> = { manual: 'Manual order', issuer: 'Name A–Z', recent: 'Recently used' };

export function ListView() {
  const accounts = useApp((state) => state.accounts);
  const accountsLoaded = useApp((state) => state.accountsLoaded);
  const query = useApp((state) => state.query);
  const group = useApp((state) => state.group);
  const sortOrder = useApp((state) => state.settings.sortOrder);
  const selectedId = useApp((state) => state.selectedId);
  const setQuery = useApp((state) => state.setQuery);
  const setGroup = useApp((state) => state.setGroup);
  const setView = useApp((state) => state.setView);
  const lock = useApp((state) => state.lock);
  const updateSettings = useApp((state) => state.updateSettings);
  const showToast = useApp((state) => state.showToast);
  const [deleteId, setDeleteId] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<AccountListHandle>(null);

  useImageDropAndPaste((image) => setView({ name: 'scan', source: 'image', image }));

  const rows = useMemo(() => visibleAccounts(accounts, query, group, sortOrder), [accounts, query, group, sortOrder]);
  const groups = useMemo(() => groupsOf(accounts), [accounts]);

  // A group filter that no account belongs to any more would hide everything.
  useEffect(() => {
    if (group !== null && accountsLoaded && !groups.includes(group)) setGroup(null);
  }, [group, groups, accountsLoaded, setGroup]);

  // Opening the list with nothing selected: ready to type a search.
  useEffect(() => {
    if (useApp.getState().selectedId === null) searchRef.current?.focus();
  }, [accountsLoaded]);

  // While searching, the best match is selected: Enter copies it.
  const firstRowId = rows[0]?.id ?? null;
  useEffect(() => {
    if (query.trim() !== '') useApp.getState().select(firstRowId);
  }, [query, firstRowId]);

  function onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const target = rows.find((row) => row.id === selectedId) ?? rows[0];
    if (event.key === 'Escape') {
      if (query !== '') {
        event.preventDefault();
        event.stopPropagation();
        setQuery('');
      }
    } else if (event.key === 'ArrowDown' && target) {
      event.preventDefault();
      listRef.current?.focusRow(target.id);
    } else if (event.key === 'Enter' && target) {
      event.preventDefault();
      void useApp.getState().copy(target.id);
    }
  }

  function leaveToSearch(typed?: string) {
    const input = searchRef.current;
    if (!input) return;
    input.focus();
    if (typed) setQuery(query + typed);
  }

  const deleting = deleteId ? accounts.find((account) => account.id === deleteId) : undefined;
  const empty = accountsLoaded && accounts.length === 0;

  return (
    <div className="screen list-screen">
      <header className="topbar">
        <h1 className="sr-only">Latchkey accounts</h1>
        <div className="search">
          <Icon name="search" size={16} className="search-icon" />
          <input
            id={SEARCH_INPUT_ID}
            ref={searchRef}
            className="search-input"
            type="search"
            aria-label="Search accounts"
            placeholder="Search"
            autoComplete="off"
            spellCheck={false}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={onSearchKeyDown}
            disabled={empty}
          />
          {query === '' && !empty && (
            <kbd className="search-kbd" aria-hidden="true">
              {shortcutLabel('F')}
            </kbd>
          )}
        </div>
        <button type="button" className="icon-button toolbar-button" aria-label="Scan QR code" title="Scan a QR code (camera, image or screen)" onClick={() => setView({ name: 'scan', source: 'camera' })}>
          <Icon name="scan" size={18} />
        </button>
        <button type="button" className="icon-button toolbar-button" aria-label="Import accounts" title="Import from another authenticator app" onClick={() => setView({ name: 'import' })}>
          <Icon name="import" size={18} />
        </button>
        <button type="button" className="icon-button toolbar-button primary-icon" aria-label="Add account" title={`Add account (${shortcutLabel('N')})`} onClick={() => setView({ name: 'add', mode: 'key' })}>
          <Icon name="plus" size={18} />
        </button>
        <button type="button" className="icon-button toolbar-button" aria-label="Lockout risk" title="Backup codes: lockout risk and recovery sheet" onClick={() => setView({ name: 'risk' })}>
          <Icon name="shield" size={18} />
        </button>
        <button type="button" className="icon-button toolbar-button" aria-label="I’m locked out" title="I’m locked out of an account" onClick={() => setView({ name: 'lockedOut' })}>
          <Icon name="key" size={18} />
        </button>
        <button type="button" className="icon-button toolbar-button" aria-label="Settings" title={`Settings (${shortcutLabel(',')})`} onClick={() => setView({ name: 'settings' })}>
          <Icon name="settings" size={18} />
        </button>
        <button type="button" className="icon-button toolbar-button" aria-label="Lock" title={`Lock (${shortcutLabel('L')})`} onClick={() => void lock()}>
          <Icon name="lock" size={18} />
        </button>
      </header>

      {accounts.length > 0 && (
        <div className="filterbar">
          {groups.length > 0 ? (
            <div className="chips" role="group" aria-label="Filter by group">
              <button type="button" className="chip" aria-pressed={group === null} onClick={() => setGroup(null)}>
                All
              </button>
              {groups.map((name) => (
                <button key={name} type="button" className="chip" aria-pressed={group === name} onClick={() => setGroup(group === name ? null : name)}>
                  {name}
                </button>
              ))}
            </div>
          ) : (
            <span className="count">{accounts.length === 1 ? '1 account' : `${accounts.length} accounts`}</span>
          )}
          <div className="sort">
            <select
              aria-label="Sort order"
              className="select select-compact"
              value={sortOrder}
              onChange={(event) => {
                updateSettings({ sortOrder: event.target.value as SortOrder }).catch(() => showToast('The sort order could not be saved.', 'error'));
              }}
            >
              {(Object.keys(SORT_LABELS) as SortOrder[]).map((order) => (
                <option key={order} value={order}>
                  {SORT_LABELS[order]}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}

      {!accountsLoaded ? (
        <div className="list-scroll" aria-busy="true" />
      ) : empty ? (
        <EmptyState />
      ) : rows.length === 0 ? (
        <NoMatches query={query || (group ?? '')} />
      ) : (
        <AccountList rows={rows} handleRef={listRef} onRequestDelete={setDeleteId} onLeaveToSearch={leaveToSearch} />
      )}

      {deleting && <DeleteDialog account={deleting} onClose={() => setDeleteId(null)} />}
    </div>
  );
}

/** An image pasted (Ctrl/Cmd+V) or dropped on the list opens the scanner with it. */
function useImageDropAndPaste(onImage: (image: File) => void): void {
  const onImageRef = useRef(onImage);
  onImageRef.current = onImage;
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const image = imageFromTransfer(event.clipboardData);
      if (!image) return;
      event.preventDefault();
      onImageRef.current(image);
    };
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      const image = imageFromTransfer(event.dataTransfer);
      if (!image) return;
      event.preventDefault();
      onImageRef.current(image);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}

export function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}

export function shortcutLabel(key: string): string {
  return isMac() ? `⌘${key}` : `Ctrl ${key}`;
}
