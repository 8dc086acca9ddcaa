import type { ImportPreviewEntryView } from '../../../shared/import';
import { displayName, groupCode, typeName } from '../format';

/** Every entry of the files: a checkbox to leave it out, its code now, and why it cannot be imported. */
export function ImportPreviewList({ entries, chosen, onChange }: { entries: ImportPreviewEntryView[]; chosen: Set<number>; onChange: (chosen: Set<number>) => void }) {
  const choosable = entries.filter((entry) => entry.status === 'new');
  const allOn = choosable.length > 0 && choosable.every((entry) => chosen.has(entry.index));
  function toggle(index: number, on: boolean): void {
    const next = new Set(chosen);
    if (on) next.add(index);
    else next.delete(index);
    onChange(next);
  }
  return (
    <>
      {choosable.length > 1 && (
        <label className="import-all">
          <input type="checkbox" checked={allOn} onChange={(event) => onChange(new Set(event.target.checked ? choosable.map((entry) => entry.index) : []))} />
          Import every new entry
        </label>
      )}
      <ul className="import-entries" aria-label="Entries in the files">
        {entries.map((entry) => (
          <li key={entry.index} className={`import-entry import-entry--${entry.status}`}>
            <label className="import-entry-main">
              <input type="checkbox" checked={chosen.has(entry.index)} disabled={entry.status !== 'new'} onChange={(event) => toggle(entry.index, event.target.checked)} aria-describedby={`import-entry-${entry.index}-note`} />
              <span className="import-entry-text">
                <span className="import-entry-name">{displayName(entry)}</span>
                <span className="import-entry-meta" id={`import-entry-${entry.index}-note`}>
                  {entry.status === 'refused' ? <span className="import-entry-reason">Cannot be imported: {entry.reason}</span> : <Meta entry={entry} />}
                </span>
              </span>
              {entry.code !== null && (
                <span className="import-entry-code" aria-label={`Code now ${entry.code}`}>
                  {groupCode(entry.code, entry.type ?? undefined)}
                </span>
              )}
            </label>
          </li>
        ))}
      </ul>
    </>
  );
}

function Meta({ entry }: { entry: ImportPreviewEntryView }) {
  const kind = entry.type ? `${typeName(entry.type)} · ${entry.algorithm} · ${entry.digits} ${entry.type === 'steam' ? 'characters' : 'digits'}` : 'Backup codes only';
  const timing = entry.type === 'hotp' ? ` · counter ${entry.counter}` : entry.period !== null ? ` · ${entry.period} s` : '';
  return (
    <>
      {kind}
      {timing}
      {entry.group ? ` · ${entry.group}` : ''}
      {entry.duplicateOf && <span className="import-entry-duplicate"> · Already {entry.duplicateOf.id ? 'saved' : 'in these files'} as {displayName(entry.duplicateOf)}</span>}
      {entry.extras && <span className="import-entry-extras"> · with {entry.extras.description}{entry.extras.note ? `. ${entry.extras.note}` : ''}</span>}
    </>
  );
}
