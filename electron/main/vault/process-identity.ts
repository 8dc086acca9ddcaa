import { readFileSync } from 'node:fs';

/**
 * Tells a process apart from a later one that was given the same pid: on Linux, the boot id and
 * the process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot). Elsewhere
 * there is no cheap way to ask, so this is null and callers fall back to an age limit.
 */
export function processStartMark(pid: number): string | null {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = afterName[19]; // field 22; afterName[0] is field 3
    if (startTime === undefined || !/^\d+$/.test(startTime)) return null;
    return `${bootId()}:${startTime}`;
  } catch {
    return null;
  }
}

let cachedBootId: string | null = null;

function bootId(): string {
  if (cachedBootId === null) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = 'unknown-boot';
    }
  }
  return cachedBootId;
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/** Whether a process with this pid exists now (it may be another program that reuses the pid). */
export function pidLiveness(pid: number): Liveness {
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'unknown';
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'dead';
    return code === 'EPERM' ? 'alive' : 'unknown';
  }
}
