import './recovery.css';
import { useRecovery } from './recovery-store';

/** How many unused backup codes an account has, with a warning tone at two or fewer, none left, or none at all. */
export function RecoveryBadge({ accountId }: { accountId: string }) {
  const recovery = useRecovery((state) => state.byAccount[accountId]);
  if (!recovery) return null;
  const { unused, total } = recovery;
  const tone = total === 0 ? 'none' : unused === 0 ? 'empty' : unused <= 2 ? 'low' : 'ok';
  const text = total === 0 ? 'No backup codes' : unused === 0 ? 'No codes left' : `${unused} code${unused === 1 ? '' : 's'}`;
  return (
    <span className={`recovery-badge recovery-badge-${tone}`} data-testid="recovery-badge" title={total === 0 ? 'No backup codes stored' : `${unused} of ${total} backup codes unused`}>
      {text}
    </span>
  );
}
