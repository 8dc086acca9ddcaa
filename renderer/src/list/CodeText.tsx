import type { AccountSummary, Code } from '../../../shared/domain';
import { NEXT_CODE_PREVIEW_SECONDS } from '../../../shared/settings-defaults';
import { useClock } from '../clock';
import { groupCode, maskedCode } from '../format';

interface CodeTextProps {
  account: AccountSummary;
  code: Code | undefined;
  hidden: boolean;
  showNext: boolean;
}

/**
 * The code in groups; a hidden code is dots and never reaches the DOM. In a period's last seconds
 * the next code shows below it (when the setting is on).
 */
export function CodeText({ account, code, hidden, showNext }: CodeTextProps) {
  const now = useClock((state) => state.now);
  if (!account.hasOtp) {
    return (
      <span className="code-stack">
        <span className="code-none">Backup codes only</span>
      </span>
    );
  }
  if (!code) {
    return (
      <span className="code-stack">
        <span className="code code-pending">{maskedCode(account.digits, account.type).replace(/•/g, '–')}</span>
      </span>
    );
  }
  if (hidden) {
    return (
      <span className="code-stack">
        <span className="code code-hidden" data-testid="code-hidden">
          {maskedCode(code.code.length, account.type)}
        </span>
      </span>
    );
  }
  const inPreview = showNext && code.nextCode !== null && code.expiresAt !== null && code.expiresAt - now <= NEXT_CODE_PREVIEW_SECONDS * 1000;
  return (
    <span className="code-stack">
      <span className={`code ${inPreview ? 'code-ending' : ''}`} data-testid="code">
        {groupCode(code.code, account.type)}
      </span>
      {inPreview && code.nextCode && (
        <span className="code-next">
          next <span data-testid="next-code">{groupCode(code.nextCode, account.type)}</span>
        </span>
      )}
    </span>
  );
}
