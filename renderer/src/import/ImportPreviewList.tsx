import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImportPreviewEntryView } from '../../../shared/import';
import { call } from '../api';
import { subscribeToTicks } from '../clock';
import { displayName, groupCode, typeName } from '../format';

/** A row with one line of details; rows whose details wrap are measured as they render. */
const ESTIMATED_ROW_HEIGHT = 56;

/**
 * Every entry of the files: a checkbox to leave it out, its code now, and why it cannot be imported.
 * Virtualized like the account list: a 10,000-entry export keeps only the rows in view (and a few
 * around them) in the DOM. Only one checkbox is in the Tab order (roving tabindex); the arrow keys,
 * Page Up/Down, Home and End move between entries, Space leaves one out or puts it back.
 */
export function ImportPreviewList({ entries, chosen, onChange }: { entries: ImportPreviewEntryView[]; chosen: Set<number>; onChange: (chosen: Set<number>) => void }) {
  const choosable = useMemo(() => entries.filter((entry) => entry.status === 'new'), [entries]);
  const allOn = choosable.length > 0 && chosen.size === choosable.length && choosable.every((entry) => chosen.has(entry.index));
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [pendingFocus, setPendingFocus] = useState<number | null>(null);

  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_HEIGHT,
    overscan: 6,
    getItemKey: (position) => entries[position]?.index ?? position,
    initialRect: { width: 420, height: 480 },
  });
  const items = virtualizer.getVirtualItems();
  const codes = useLiveCodes(items.map((item) => entries[item.index]).filter((entry): entry is ImportPreviewEntryView => entry !== undefined));

  const toggle = useCallback(
    (index: number, on: boolean) => {
      const next = new Set(chosen);
      if (on) next.add(index);
      else next.delete(index);
      onChange(next);
    },
    [chosen, onChange],
  );

  // Focus a row once it is rendered: scrolling to it may take a render or two (a few tries at most).
  const focusAttempts = useRef(0);
  useEffect(() => {
    if (pendingFocus === null) return;
    const element = scrollRef.current?.querySelector<HTMLInputElement>(`[data-position="${pendingFocus}"] input`);
    focusAttempts.current += 1;
    if (element) {
      element.focus({ preventScroll: true });
      setPendingFocus(null);
    } else if (pendingFocus >= entries.length || focusAttempts.current > 5) setPendingFocus(null);
    else virtualizer.scrollToIndex(pendingFocus, { align: 'auto' });
  });

  function moveTo(position: number): void {
    const target = Math.min(entries.length - 1, Math.max(0, position));
    setActive(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    focusAttempts.current = 0;
    setPendingFocus(target);
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-position]');
    if (!row || event.ctrlKey || event.metaKey || event.altKey) return;
    const position = Number(row.dataset.position);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ESTIMATED_ROW_HEIGHT * 8) / ESTIMATED_ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: position + 1, ArrowUp: position - 1, PageDown: position + page, PageUp: position - page, Home: 0, End: entries.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    moveTo(target);
  }

  // The roving Tab stop: the active row when it is rendered, else the first rendered row.
  const activeRendered = items.some((item) => item.index === active);
  const tabStop = activeRendered ? active : (items[0]?.index ?? 0);

  return (
    <>
      {choosable.length > 1 && (
        <label className="import-all">
          <input type="checkbox" checked={allOn} onChange={(event) => onChange(new Set(event.target.checked ? choosable.map((entry) => entry.index) : []))} />
          Import every new entry
        </label>
      )}
      <p id="import-entries-keys" className="sr-only">
        Arrow keys move between entries; Space leaves one out or puts it back.
      </p>
      <div className="import-entries" ref={scrollRef} data-testid="import-entries">
        <ul className="import-entries-list" aria-label="Entries in the files" aria-describedby="import-entries-keys" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
          {items.map((item) => {
            const entry = entries[item.index];
            if (!entry) return null;
            return (
              <PreviewRow
                key={entry.index}
                entry={entry}
                position={item.index}
                total={entries.length}
                start={item.start}
                measure={virtualizer.measureElement}
                code={codes.get(entry.index) ?? entry.code}
                checked={chosen.has(entry.index)}
                tabbable={item.index === tabStop}
                onToggle={toggle}
                onFocusRow={setActive}
              />
            );
          })}
        </ul>
      </div>
    </>
  );
}

interface PreviewRowProps {
  entry: ImportPreviewEntryView;
  position: number;
  total: number;
  start: number;
  measure: (element: Element | null) => void;
  code: string | null;
  checked: boolean;
  tabbable: boolean;
  onToggle: (index: number, on: boolean) => void;
  onFocusRow: (position: number) => void;
}

const PreviewRow = memo(function PreviewRow({ entry, position, total, start, measure, code, checked, tabbable, onToggle, onFocusRow }: PreviewRowProps) {
  return (
    <li ref={measure} data-index={position} data-position={position} className={`import-entry import-entry--${entry.status}`} aria-setsize={total} aria-posinset={position + 1} style={{ transform: `translateY(${start}px)` }}>
      <label className="import-entry-main">
        <input
          type="checkbox"
          checked={checked}
          // aria-disabled, not disabled: a disabled checkbox cannot take the focus, and the arrow
          // keys must be able to stop on a duplicate or a refused entry to read why.
          aria-disabled={entry.status !== 'new' ? true : undefined}
          tabIndex={tabbable ? 0 : -1}
          onFocus={() => onFocusRow(position)}
          onClick={(event) => {
            if (entry.status !== 'new') event.preventDefault();
          }}
          onChange={(event) => {
            if (entry.status === 'new') onToggle(entry.index, event.target.checked);
          }}
          aria-describedby={`import-entry-${entry.index}-note`}
        />
        <span className="import-entry-text">
          <span className="import-entry-name">{displayName(entry)}</span>
          <span className="import-entry-meta" id={`import-entry-${entry.index}-note`}>
            {entry.status === 'refused' ? <span className="import-entry-reason">Cannot be imported: {entry.reason}</span> : <Meta entry={entry} />}
          </span>
        </span>
        {code !== null && (
          <span className="import-entry-code" aria-label={`Code now ${code}`}>
            {groupCode(code, entry.type ?? undefined)}
          </span>
        )}
      </label>
    </li>
  );
});

/** "type", "type and digits", "type, algorithm and digits". */
function wordList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function Meta({ entry }: { entry: ImportPreviewEntryView }) {
  const kind = entry.type ? `${typeName(entry.type)} · ${entry.algorithm} · ${entry.digits} ${entry.type === 'steam' ? 'characters' : 'digits'}` : 'Backup codes only';
  const timing = entry.type === 'hotp' ? ` · counter ${entry.counter}` : entry.period !== null ? ` · ${entry.period} s` : '';
  const duplicate = entry.duplicateOf;
  const differs = duplicate?.differs ?? [];
  return (
    <>
      {kind}
      {timing}
      {entry.group ? ` · ${entry.group}` : ''}
      {duplicate && (
        <span className="import-entry-duplicate">
          {' '}
          · Already {duplicate.id ? 'saved' : 'in these files'} as {displayName(duplicate)}
          {differs.length > 0 && ` (its ${wordList(differs)} ${differs.length === 1 ? 'differs' : 'differ'}: compare both codes with the old app)`}
        </span>
      )}
      {entry.extras && <span className="import-entry-extras"> · with {entry.extras.description}{entry.extras.note ? `. ${entry.extras.note}` : ''}</span>}
    </>
  );
}

/**
 * The codes of the rows in view, asked of main again when the time step they were made in is over:
 * the preview is for comparing with the old app, and a code from a minute ago compares with nothing.
 * Only the rows in view are asked for, once per step (main keeps the secrets).
 */
function useLiveCodes(visible: ImportPreviewEntryView[]): Map<number, string> {
  const [codes, setCodes] = useState<Map<number, string>>(() => new Map());
  const madeAt = useRef(new Map<number, number>());
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  useEffect(() => {
    let asking = false;
    return subscribeToTicks((now) => {
      if (asking) return;
      // The codes of the preview itself were made before the list appeared: time 0 asks once.
      const stale = visibleRef.current.filter((entry) => entry.code !== null && entry.type !== 'hotp' && entry.period !== null && Math.floor(now / (entry.period * 1000)) !== Math.floor((madeAt.current.get(entry.index) ?? 0) / (entry.period * 1000)));
      if (stale.length === 0) return;
      asking = true;
      for (const entry of stale) madeAt.current.set(entry.index, now);
      call('import:codes', { indexes: stale.map((entry) => entry.index) })
        .then((fresh) => {
          setCodes((current) => {
            const next = new Map(current);
            for (const { index, code } of fresh) next.set(index, code);
            return next;
          });
        })
        .catch(() => undefined) // the import was saved or cancelled meanwhile: nothing to show
        .finally(() => {
          asking = false;
        });
    });
  }, []);
  return codes;
}
