import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../../../shared/errors';
import { syncDir, writeAndSync } from '../vault/durable-fs';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch, settingsSchema } from '../../../shared/settings';

export const SETTINGS_FILE = 'settings.json';

/**
 * Preferences in settings.json. A missing or unreadable file means the defaults: a damaged
 * preferences file must never keep anyone from their codes. Writes are atomic like the vault's.
 */
export class SettingsService {
  private current: Settings = DEFAULT_SETTINGS;
  /** Updates run one after another: two quick toggles must both land. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(private readonly dir: string) {}

  get filePath(): string {
    return path.join(this.dir, SETTINGS_FILE);
  }

  async load(): Promise<Settings> {
    try {
      this.current = settingsKeepingValidFields(JSON.parse(await fs.readFile(this.filePath, 'utf8')));
    } catch {
      this.current = DEFAULT_SETTINGS;
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Promise<Settings> {
    const run = this.queue.then(async () => {
      const next = settingsSchema.parse({ ...this.current, ...patch });
      await this.write(next);
      this.current = next;
      for (const listener of this.listeners) listener(next);
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async write(settings: Settings): Promise<void> {
    const temp = `${this.filePath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeAndSync(temp, `${JSON.stringify(settings, null, 2)}\n`);
      await fs.rename(temp, this.filePath);
      await syncDir(this.dir);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw new LatchkeyError('IO_ERROR', 'Saving the settings failed.', { cause: error });
    }
  }
}

/** A preference file with one bad value keeps the user's other choices; the bad one falls back. */
function settingsKeepingValidFields(json: unknown): Settings {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return DEFAULT_SETTINGS;
  const fields = settingsSchema.shape;
  // No prototype: a key such as `__proto__` stays a plain key and never reaches Object.prototype.
  const kept: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(json)) {
    // Own keys only: `constructor` or `toString` would otherwise find Object.prototype's functions.
    if (!Object.hasOwn(fields, key)) continue;
    const field = fields[key as keyof typeof fields];
    if (field.safeParse(value).success) kept[key] = value;
  }
  return settingsSchema.parse({ ...kept });
}
