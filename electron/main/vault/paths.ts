import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Latchkey';

/**
 * The desktop app's data folder as Electron's app.getPath('userData') computes it for our product
 * name, so the CLI finds the same vault without importing Electron.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_NAME);
}

export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return env.LATCHKEY_VAULT_DIR || path.join(appDataDir(env, platform), 'vault');
}
