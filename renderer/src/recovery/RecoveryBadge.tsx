import { Icon } from '../ui/Icon';
import './recovery.css';
import { useRecovery } from './recovery-store';

/**
 * How many unused backup codes an account has: a small shield and a number, in a warning tone at
 * two or fewer and at none left; a faint empty shield when it has none at all. Compact on purpose:
 * the row's name and code need the room in a small window.
 */
export function RecoveryBadge({ accountId }: { accountId: string }) {
  const recovery = useRecovery((state) => state.byAccount[accountId]);
  if (!recovery) return null;
  const { unused, total } = recovery;
  const tone = total === 0 ? 'none' : unused === 0 ? 'empty' : unused <= 2 ? 'low' : 'ok';
  const description = total === 0 ? 'No backup codes' : unused === 0 ? 'No backup codes left' : `${unused} backup code${unused === 1 ? '' : 's'} left`;
  return (
    <span className={`recovery-badge recovery-badge-${tone}`} data-testid="recovery-badge" data-unused={unused} data-total={total} title={description}>
      <Icon name="shield" size={12} />
      {total > 0 && <span aria-hidden="true">{unused}</span>}
      <span className="sr-only">{description}</span>
    </span>
  );
}
