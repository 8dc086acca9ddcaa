import { type DragEvent, memo } from 'react';
import type { AccountSummary, Code } from '../../../shared/domain';
import { displayName, primaryName } from '../format';
import { Icon } from '../ui/Icon';
import { Monogram } from '../ui/Monogram';
import { RecoveryBadge } from '../recovery/RecoveryBadge';
import { useApp } from '../store';
import { CodeText } from './CodeText';
import { Countdown } from './Countdown';

export const ROW_HEIGHT = 64;

export interface RowHandlers {
  onCopy: (id: string) => void;
  onSelect: (id: string) => void;
  onEdit: (id: string) => void;
  onNextHotp: (id: string) => void;
  onHover: (id: string | null) => void;
  onDragStart: (id: string, event: DragEvent<HTMLLIElement>) => void;
  onDragOver: (id: string, event: DragEvent<HTMLLIElement>) => void;
  onDrop: (id: string, event: DragEvent<HTMLLIElement>) => void;
  onDragEnd: () => void;
}

interface AccountRowProps {
  account: AccountSummary;
  code: Code | undefined;
  index: number;
  total: number;
  start: number;
  selected: boolean;
  tabbable: boolean;
  hidden: boolean;
  showNext: boolean;
  draggable: boolean;
  dragging: boolean;
  dropPosition: 'before' | 'after' | null;
  handlers: RowHandlers;
}

/**
 * One account. The row itself is a button that copies the code; the side buttons (next HOTP code,
 * edit) are its siblings, so nothing interactive is nested. Only the selected row is in the Tab
 * order (roving tabindex); the arrow keys move between rows.
 */
export const AccountRow = memo(function AccountRow(props: AccountRowProps) {
  const { account, code, index, total, start, selected, tabbable, hidden, showNext, draggable, dragging, dropPosition, handlers } = props;
  const name = displayName(account);
  const tabIndex = tabbable ? 0 : -1;
  const classes = ['row', selected ? 'row-selected' : '', dragging ? 'row-dragging' : '', dropPosition ? `row-drop-${dropPosition}` : '', draggable ? 'row-draggable' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="account-row"
      data-account-id={account.id}
      aria-setsize={total}
      aria-posinset={index + 1}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
      draggable={draggable}
      onDragStart={(event) => handlers.onDragStart(account.id, event)}
      onDragOver={(event) => handlers.onDragOver(account.id, event)}
      onDrop={(event) => handlers.onDrop(account.id, event)}
      onDragEnd={handlers.onDragEnd}
      onPointerEnter={() => handlers.onHover(account.id)}
      onPointerLeave={() => handlers.onHover(null)}
    >
      {draggable && <Icon name="grip" size={14} className="row-grip" />}
      <button
        type="button"
        className="row-main"
        tabIndex={tabIndex}
        onFocus={() => handlers.onSelect(account.id)}
        onClick={() => (account.hasOtp ? handlers.onCopy(account.id) : useApp.getState().setView({ name: 'recovery', accountId: account.id }))}
        aria-describedby={`row-hint-${account.id}`}
      >
        <Monogram account={account} />
        <span className="row-names">
          <span className="row-title">
            <span className="row-issuer">{primaryName(account)}</span>
            <RecoveryBadge accountId={account.id} />
          </span>
          {account.issuer && account.label && <span className="row-label">{account.label}</span>}
          {!account.issuer && !account.label && <span className="row-label">No name</span>}
        </span>
        <CodeText account={account} code={code} hidden={hidden} showNext={showNext} />
        <span id={`row-hint-${account.id}`} className="sr-only">
          {account.group ? `Group ${account.group}. ` : ''}Press Enter to copy.
        </span>
      </button>
      <span className="row-side">
        {account.type === 'hotp' ? (
          <button type="button" className="icon-button row-next" tabIndex={tabIndex} aria-label={`Next code for ${name}`} title="Next code" onClick={() => handlers.onNextHotp(account.id)}>
            <Icon name="next" size={17} />
          </button>
        ) : code?.expiresAt ? (
          <Countdown expiresAt={code.expiresAt} period={account.period} />
        ) : (
          <span className="ring ring-empty" aria-hidden="true" />
        )}
        <button type="button" className="icon-button row-edit" tabIndex={tabIndex} aria-label={`Edit ${name}`} title="Edit" onClick={() => handlers.onEdit(account.id)}>
          <Icon name="edit" size={16} />
        </button>
        <button
          type="button"
          className="icon-button row-recovery"
          tabIndex={tabIndex}
          aria-label={`Backup codes of ${name}`}
          title="Backup codes"
          onClick={() => useApp.getState().setView({ name: 'recovery', accountId: account.id })}
        >
          <Icon name="shield" size={16} />
        </button>
      </span>
    </li>
  );
});
