/**
 * Which backup generations to keep (docs/vault-format.md, "Backups"): the newest `newest`
 * generations, and for each of the last `days` days the newest generation saved that day, so a
 * burst of saves (an import, a morning of edits) cannot push out the state of yesterday.
 */
export interface BackupPolicy {
  newest: number;
  days: number;
}

export const DEFAULT_BACKUP_POLICY: BackupPolicy = { newest: 10, days: 7 };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The generations to keep. `savedAt` and `now` are unix ms; a day is a 24-hour window back from now. */
export function backupsToKeep(backups: readonly { generation: number; savedAt: number }[], now: number, policy: BackupPolicy): Set<number> {
  const newestFirst = [...backups].sort((a, b) => b.generation - a.generation);
  const keep = new Set(newestFirst.slice(0, Math.max(0, policy.newest)).map((backup) => backup.generation));
  for (let day = 0; day < policy.days; day += 1) {
    const windowEnd = now - day * DAY_MS;
    const windowStart = windowEnd - DAY_MS;
    const newestThatDay = newestFirst.find((backup) => backup.savedAt > windowStart && backup.savedAt <= windowEnd);
    if (newestThatDay) keep.add(newestThatDay.generation);
  }
  return keep;
}
