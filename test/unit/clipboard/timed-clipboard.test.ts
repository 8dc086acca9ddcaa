import { describe, expect, it } from 'vitest';
import { type Scheduler, type SystemClipboard, TimedClipboard } from '../../../electron/main/clipboard/timed-clipboard';

/** Time that moves only when the test says so; timers fire in order of their due time. */
class FakeScheduler implements Scheduler {
  private time = 1_700_000_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, { dueAt: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { dueAt: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  now(): number {
    return this.time;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, running every timer that falls due, then lets their async work finish. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.dueAt <= target).sort((a, b) => a[1].dueAt - b[1].dueAt)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].dueAt;
      due[1].callback();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** Lets pending promise callbacks (the clipboard read before a clear) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The system clipboard: plain memory. `asyncRead` imitates a clipboard whose read is asynchronous. */
class MemoryClipboard implements SystemClipboard {
  text = '';
  clears = 0;
  constructor(private readonly asyncRead = false) {}
  readText(): string | Promise<string> {
    return this.asyncRead ? Promise.resolve(this.text) : this.text;
  }
  writeText(text: string): void {
    this.text = text;
  }
  clear(): void {
    this.clears += 1;
    this.text = '';
  }
}

function setup(seconds = 30, asyncRead = false) {
  const system = new MemoryClipboard(asyncRead);
  const scheduler = new FakeScheduler();
  const delay = { seconds };
  const clipboard = new TimedClipboard(system, () => delay.seconds, scheduler);
  return { system, scheduler, delay, clipboard };
}

describe('TimedClipboard', () => {
  it('writes the code at once and says when it will be cleared', () => {
    const { system, scheduler, clipboard } = setup(30);
    const start = scheduler.now();
    expect(clipboard.writeSecretText('123456')).toEqual({ clearsAt: start + 30_000 });
    expect(system.text).toBe('123456');
  });

  it.each([false, true])('clears after exactly N seconds if the clipboard still holds the code (asynchronous read: %s)', async (asyncRead) => {
    const { system, scheduler, clipboard } = setup(30, asyncRead);
    clipboard.writeSecretText('123456');
    await scheduler.advance(29_999);
    expect(system.text).toBe('123456');
    await scheduler.advance(1);
    expect(system.text).toBe('');
    expect(system.clears).toBe(1);
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('leaves the clipboard alone when the user copied something else since', async () => {
    const { system, scheduler, clipboard } = setup(30);
    clipboard.writeSecretText('123456');
    await scheduler.advance(10_000);
    system.writeText('the user’s own text');
    await scheduler.advance(60_000);
    expect(system.text).toBe('the user’s own text');
    expect(system.clears).toBe(0);
  });

  it('never clears when the delay is 0', async () => {
    const { system, scheduler, clipboard } = setup(0);
    expect(clipboard.writeSecretText('123456')).toEqual({ clearsAt: null });
    expect(system.text).toBe('123456');
    expect(scheduler.pendingTimers).toBe(0);
    await scheduler.advance(24 * 3600_000);
    expect(system.text).toBe('123456');
  });

  it('a second copy cancels the first timer: the same code copied again stays its full delay', async () => {
    const { system, scheduler, clipboard } = setup(30);
    clipboard.writeSecretText('123456');
    await scheduler.advance(20_000);
    const second = clipboard.writeSecretText('123456');
    expect(second.clearsAt).toBe(scheduler.now() + 30_000);
    expect(scheduler.pendingTimers).toBe(1);
    await scheduler.advance(10_000); // when the first copy's timer would have fired
    expect(system.text).toBe('123456');
    await scheduler.advance(20_000);
    expect(system.text).toBe('');
    expect(system.clears).toBe(1);
  });

  it('a second copy of another code is cleared on its own schedule', async () => {
    const { system, scheduler, clipboard } = setup(30);
    clipboard.writeSecretText('111111');
    await scheduler.advance(5_000);
    clipboard.writeSecretText('222222');
    expect(system.text).toBe('222222');
    await scheduler.advance(29_999);
    expect(system.text).toBe('222222');
    await scheduler.advance(1);
    expect(system.text).toBe('');
  });

  it('reads the delay at every copy, so a changed setting applies to the next copy', async () => {
    const { system, scheduler, delay, clipboard } = setup(30);
    delay.seconds = 5;
    expect(clipboard.writeSecretText('123456').clearsAt).toBe(scheduler.now() + 5_000);
    await scheduler.advance(5_000);
    expect(system.text).toBe('');

    // Turning clearing off cancels the pending clear of an earlier copy too.
    delay.seconds = 30;
    clipboard.writeSecretText('654321');
    delay.seconds = 0;
    clipboard.writeSecretText('654321');
    expect(scheduler.pendingTimers).toBe(0);
    await scheduler.advance(60_000);
    expect(system.text).toBe('654321');
  });

  it('clears now (lock, quit) only while the clipboard still holds the code, synchronously for a synchronous clipboard', () => {
    const { system, scheduler, clipboard } = setup(30);
    clipboard.writeSecretText('123456');
    expect(clipboard.clearNow()).toBeUndefined();
    expect(system.text).toBe('');
    expect(scheduler.pendingTimers).toBe(0);

    clipboard.writeSecretText('654321');
    system.writeText('the user copied this');
    clipboard.clearNow();
    expect(system.text).toBe('the user copied this');
    expect(system.clears).toBe(1);
  });

  it('clears now even when the automatic clearing is off, and never clears what it did not copy', async () => {
    const { system, clipboard } = setup(0, true);
    system.writeText('not ours');
    await clipboard.clearNow();
    expect(system.text).toBe('not ours');
    clipboard.writeSecretText('123456');
    await clipboard.clearNow();
    expect(system.text).toBe('');
    system.writeText('123456');
    await clipboard.clearNow();
    expect(system.text).toBe('123456');
  });
});
