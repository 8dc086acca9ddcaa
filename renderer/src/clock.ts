import { create } from 'zustand';

interface ClockState {
  /** Wall-clock ms, updated once a second by the one ticker every countdown shares. */
  now: number;
}

export const useClock = create<ClockState>(() => ({ now: Date.now() }));

type TickListener = (now: number) => void;
const listeners = new Set<TickListener>();
let timer: ReturnType<typeof setTimeout> | null = null;

/**
 * One timer for the whole window, aligned to the start of each second so every ring and every
 * "seconds left" changes together. It runs only while someone listens (the unlocked list).
 */
export function subscribeToTicks(listener: TickListener): () => void {
  listeners.add(listener);
  if (timer === null) schedule();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

function schedule(): void {
  const delay = 1000 - (Date.now() % 1000) + 5;
  timer = setTimeout(() => {
    const now = Date.now();
    useClock.setState({ now });
    for (const listener of listeners) listener(now);
    if (listeners.size > 0) schedule();
    else timer = null;
  }, delay);
}
