import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../../../shared/errors';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch, settingsSchema } from '../../../shared/settings';

export const SETTINGS_FILE = 'settings.json';

/**
 * Preferences in settings.json. A missing or unreadable file means the defaults: a damaged
 * preferences file must never keep anyone from their codes. Writes are atomic like the vault's.
 */
export class SettingsService {
  private current: Settings = DEFAULT_SETTINGS;
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(private readonly dir: string) {}

  get filePath(): string {
    return path.join(this.dir, SETTINGS_FILE);
  }

  async load(): Promise<Settings> {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(await fs.readFile(this.filePath, 'utf8')));
      this.current = parsed.success ? parsed.data : DEFAULT_SETTINGS;
    } catch {
      this.current = DEFAULT_SETTINGS;
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.current, ...patch });
    await this.write(next);
    this.current = next;
    for (const listener of this.listeners) listener(next);
    return next;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async write(settings: Settings): Promise<void> {
    const temp = `${this.filePath}.tmp-${process.pid}`;
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      const handle = await fs.open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(settings, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, this.filePath);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw new LatchkeyError('IO_ERROR', 'Saving the settings failed.', { cause: error });
    }
  }
}
