import { useVirtualizer } from '@tanstack/react-virtual';
import { type DragEvent, type KeyboardEvent, type Ref, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { AccountSummary } from '../../../shared/domain';
import { subscribeToTicks } from '../clock';
import { moveAmongVisible, moveRelativeTo, primaryName } from '../format';
import { useApp } from '../store';
import { AccountRow, ROW_HEIGHT, type RowHandlers } from './AccountRow';

export interface AccountListHandle {
  focusRow: (id: string) => void;
}

interface AccountListProps {
  rows: AccountSummary[];
  handleRef: Ref<AccountListHandle>;
  onRequestDelete: (id: string) => void;
  /** Up from the first row, or a printable key typed in the list, goes to the search field. */
  onLeaveToSearch: (typed?: string) => void;
}

const DRAG_TYPE = 'application/x-latchkey-account';

/**
 * The accounts, virtualized: only the rows in view (and a few around them) are in the DOM, and only
 * their codes are asked of main. One shared ticker drives every countdown and refetches the codes
 * in view when one of them expires.
 */
export function AccountList({ rows, handleRef, onRequestDelete, onLeaveToSearch }: AccountListProps) {
  const accounts = useApp((state) => state.accounts);
  const codes = useApp((state) => state.codes);
  const selectedId = useApp((state) => state.selectedId);
  const hideCodes = useApp((state) => state.settings.hideCodes);
  const showNext = useApp((state) => state.settings.showNextCode);
  const sortOrder = useApp((state) => state.settings.sortOrder);
  const setVisibleIds = useApp((state) => state.setVisibleIds);
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<{ id: string; position: 'before' | 'after' } | null>(null);
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  const focusAttempts = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const manual = sortOrder === 'manual';

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    getItemKey: (index) => rows[index]?.id ?? index,
    // A first guess at the viewport, so the first paint already has rows (and codes) in it.
    initialRect: { width: 460, height: 640 },
  });
  const items = virtualizer.getVirtualItems();
  const visibleKey = items.map((item) => rows[item.index]?.id ?? '').join('|');

  useEffect(() => {
    setVisibleIds(visibleKey === '' ? [] : visibleKey.split('|'));
  }, [visibleKey, setVisibleIds]);
  useEffect(() => () => setVisibleIds([]), [setVisibleIds]);

  useEffect(
    () =>
      subscribeToTicks((now) => {
        const state = useApp.getState();
        if (Object.values(state.codes).some((code) => code.expiresAt !== null && code.expiresAt <= now)) void state.refreshCodes();
      }),
    [],
  );

  const indexOf = useCallback((id: string) => rows.findIndex((row) => row.id === id), [rows]);

  const focusRow = useCallback(
    (id: string) => {
      const index = indexOf(id);
      if (index < 0) return;
      useApp.getState().select(id);
      virtualizer.scrollToIndex(index, { align: 'auto' });
      focusAttempts.current = 0;
      setPendingFocus(id);
    },
    [indexOf, virtualizer],
  );
  useImperativeHandle(handleRef, () => ({ focusRow }), [focusRow]);

  // Back from adding or editing an account: the focus returns to its row.
  useEffect(() => {
    const selected = useApp.getState().selectedId;
    if (selected) focusRow(selected); // once, on mount
  }, []);

  // Focus a row once it is rendered (scrolling to it may take a render or two).
  useEffect(() => {
    if (!pendingFocus) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-account-id="${pendingFocus}"] .row-main`);
    if (element) {
      element.focus({ preventScroll: true });
      setPendingFocus(null);
      return;
    }
    const index = indexOf(pendingFocus);
    focusAttempts.current += 1;
    if (index < 0 || focusAttempts.current > 5) setPendingFocus(null);
    else virtualizer.scrollToIndex(index, { align: 'auto' });
  });

  const moveRow = useCallback(
    (id: string, direction: -1 | 1) => {
      const state = useApp.getState();
      if (state.settings.sortOrder !== 'manual') {
        state.showToast('Choose Manual order (next to the search) to rearrange accounts.');
        return;
      }
      const order = moveAmongVisible(
        state.accounts.map((account) => account.id),
        rows.map((row) => row.id),
        id,
        direction,
      );
      if (!order) return;
      void state.reorder(order);
      const account = state.accounts.find((candidate) => candidate.id === id);
      const position = indexOf(id) + direction + 1;
      if (account) state.showToast(`Moved ${primaryName(account)} to position ${position} of ${rows.length}`);
      focusAttempts.current = 0;
      setPendingFocus(id);
    },
    [rows, indexOf],
  );

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-account-id]');
    const id = row?.dataset.accountId;
    if (!id) return;
    const index = indexOf(id);
    const command = event.ctrlKey || event.metaKey;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 8) / ROW_HEIGHT) - 1);
    const go = (target: number) => {
      const next = rows[Math.min(rows.length - 1, Math.max(0, target))];
      if (next) focusRow(next.id);
    };
    if (command) return;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        const direction = event.key === 'ArrowDown' ? 1 : -1;
        if (event.altKey) moveRow(id, direction);
        else if (direction === -1 && index === 0) onLeaveToSearch();
        else go(index + direction);
        return;
      }
      case 'Home':
        event.preventDefault();
        go(0);
        return;
      case 'End':
        event.preventDefault();
        go(rows.length - 1);
        return;
      case 'PageDown':
        event.preventDefault();
        go(index + page);
        return;
      case 'PageUp':
        event.preventDefault();
        go(index - page);
        return;
      case 'Delete':
        event.preventDefault();
        onRequestDelete(id);
        return;
      default:
        if (event.key.length === 1 && event.key !== ' ' && !event.altKey) {
          event.preventDefault();
          onLeaveToSearch(event.key);
        }
    }
  }

  const handlers = useMemo<RowHandlers>(
    () => ({
      onCopy: (id) => {
        const state = useApp.getState();
        state.select(id);
        void state.copy(id);
      },
      onSelect: (id) => useApp.getState().select(id),
      onEdit: (id) => useApp.getState().setView({ name: 'edit', id }),
      onNextHotp: (id) => {
        useApp.getState().select(id);
        void useApp.getState().nextHotp(id);
      },
      onHover: setHoveredId,
      onDragStart: (id, event: DragEvent<HTMLLIElement>) => {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData(DRAG_TYPE, id);
        event.dataTransfer.setData('text/plain', '');
        setDragId(id);
      },
      onDragOver: (id, event: DragEvent<HTMLLIElement>) => {
        if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        const rect = event.currentTarget.getBoundingClientRect();
        const position = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
        setDropTarget((current) => (current?.id === id && current.position === position ? current : { id, position }));
      },
      onDrop: (id, event: DragEvent<HTMLLIElement>) => {
        const dragged = event.dataTransfer.getData(DRAG_TYPE);
        event.preventDefault();
        setDropTarget(null);
        setDragId(null);
        const rect = event.currentTarget.getBoundingClientRect();
        const position = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
        const state = useApp.getState();
        if (!dragged || state.settings.sortOrder !== 'manual') return;
        const order = moveRelativeTo(
          state.accounts.map((account) => account.id),
          dragged,
          id,
          position,
        );
        if (order) void state.reorder(order);
      },
      onDragEnd: () => {
        setDragId(null);
        setDropTarget(null);
      },
    }),
    [],
  );

  const selectedVisible = selectedId !== null && items.some((item) => rows[item.index]?.id === selectedId);
  const firstId = items.length > 0 ? rows[items[0]!.index]?.id : undefined;
  const tabbableId = selectedVisible ? selectedId : firstId;

  return (
    <div className="list-scroll" ref={scrollRef}>
      <ul className="rows" aria-label="Accounts" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
        {items.map((item) => {
          const account = rows[item.index];
          if (!account) return null;
          const selected = account.id === selectedId;
          return (
            <AccountRow
              key={account.id}
              account={account}
              code={codes[account.id]}
              index={item.index}
              total={rows.length}
              start={item.start}
              selected={selected}
              tabbable={account.id === tabbableId}
              hidden={hideCodes && !selected && hoveredId !== account.id}
              showNext={showNext}
              draggable={manual && accounts.length > 1}
              dragging={dragId === account.id}
              dropPosition={dropTarget?.id === account.id && dragId !== account.id ? dropTarget.position : null}
              handlers={handlers}
            />
          );
        })}
      </ul>
    </div>
  );
}
