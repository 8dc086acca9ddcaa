import type { Settings } from '../../shared/settings';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function resolve(theme: Settings['theme']): 'light' | 'dark' {
  if (theme === 'system') return darkQuery().matches ? 'dark' : 'light';
  return theme;
}

/** Sets data-theme on <html>; with 'system' it follows the OS until the theme changes again. */
export function applyTheme(theme: Settings['theme']): () => void {
  const root = document.documentElement;
  const update = () => {
    root.dataset.theme = resolve(theme);
  };
  update();
  if (theme !== 'system') return () => undefined;
  const query = darkQuery();
  query.addEventListener('change', update);
  return () => query.removeEventListener('change', update);
}

/** The theme for the first paint, before the settings arrive: the OS's. */
export function setInitialTheme(): void {
  document.documentElement.dataset.theme = resolve('system');
}
