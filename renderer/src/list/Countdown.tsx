import { useClock } from '../clock';

const RADIUS = 9;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** The time left in the code's period, as a ring that empties and the seconds inside it. */
export function Countdown({ expiresAt, period }: { expiresAt: number; period: number }) {
  const now = useClock((state) => state.now);
  const msLeft = Math.max(0, expiresAt - now);
  const seconds = Math.min(period, Math.ceil(msLeft / 1000));
  const fraction = Math.min(1, seconds / period);
  const urgent = seconds <= 5;
  return (
    <span className={`ring ${urgent ? 'ring-urgent' : ''}`} aria-hidden="true">
      <svg width="26" height="26" viewBox="0 0 24 24">
        <circle className="ring-track" cx="12" cy="12" r={RADIUS} />
        <circle
          className="ring-progress"
          cx="12"
          cy="12"
          r={RADIUS}
          strokeDasharray={CIRCUMFERENCE}
          strokeDashoffset={CIRCUMFERENCE * (1 - fraction)}
          transform="rotate(-90 12 12)"
        />
      </svg>
      <span className="ring-seconds">{seconds}</span>
    </span>
  );
}
