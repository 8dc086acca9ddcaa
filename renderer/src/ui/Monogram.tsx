import { monogramColour, monogramLetter } from '../format';

export function Monogram({ account, size = 'md' }: { account: { issuer: string; label: string }; size?: 'md' | 'lg' }) {
  return (
    <span className={`monogram monogram-${size}`} style={{ backgroundColor: monogramColour(account) }} aria-hidden="true">
      {monogramLetter(account)}
    </span>
  );
}
