import { useEffect } from 'react';
import { call, onEvent } from './api';
import { AddAccount } from './forms/AddAccount';
import { EditAccount } from './forms/EditAccount';
import { ExportView } from './import/ExportView';
import { ImportView } from './import/ImportView';
import { ListView, SEARCH_INPUT_ID } from './list/ListView';
import { CreateVault } from './screens/CreateVault';
import { Splash, StartupError } from './screens/StartupError';
import { Unlock } from './screens/Unlock';
import { ScanView } from './scan/ScanView';
import { SettingsView } from './settings/SettingsView';
import { useApp } from './store';
import { applyTheme } from './theme';
import { ToastRegion } from './ui/Toast';
import { LockedOutView } from './recovery/LockedOutView';
import { NewEntryView } from './recovery/NewEntryView';
import { PasswordPrompt } from './recovery/PasswordPrompt';
import { RecoveryView } from './recovery/RecoveryView';
import { RiskView } from './recovery/RiskView';
import { EnrollView } from './providers/EnrollView';
import { ProviderView } from './providers/ProviderView';

export function App() {
  const status = useApp((state) => state.status);
  const startupError = useApp((state) => state.startupError);
  const theme = useApp((state) => state.settings.theme);

  useEffect(() => applyTheme(theme), [theme]);

  useEffect(() => {
    const unsubscribe = onEvent((event) => {
      const state = useApp.getState();
      if (event.type === 'vault') state.setStatus(event.status);
      else if (event.type === 'accountsChanged') void state.loadAccounts();
      else if (event.type === 'settings') state.setSettings(event.settings);
    });
    void useApp.getState().start();
    return unsubscribe;
  }, []);

  let screen;
  if (startupError) screen = <StartupError error={startupError} />;
  else if (!status) screen = <Splash />;
  else if (status.state === 'missing') screen = <CreateVault />;
  else if (status.state === 'locked') screen = <Unlock status={status} />;
  else screen = <Workspace />;

  return (
    <>
      {screen}
      <PasswordPrompt />
      <ToastRegion />
    </>
  );
}

const ACTIVITY_THROTTLE_MS = 10_000;

/** The unlocked window: the list, or a page over it; shortcuts; activity for the auto-lock. */
function Workspace() {
  const view = useApp((state) => state.view);

  useEffect(() => {
    let last = 0;
    const activity = () => {
      const now = Date.now();
      if (now - last < ACTIVITY_THROTTLE_MS) return;
      last = now;
      call('app:activity').catch(() => undefined);
    };
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, activity, { passive: true, capture: true });
    return () => {
      for (const name of events) window.removeEventListener(name, activity, { capture: true });
    };
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const state = useApp.getState();
      const command = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (command && !event.altKey && !event.shiftKey) {
        if (key === 'l') {
          event.preventDefault();
          void state.lock();
        } else if (key === 'f') {
          event.preventDefault();
          state.setView({ name: 'list' });
          requestAnimationFrame(() => {
            const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
            input?.focus();
            input?.select();
          });
        } else if (key === 'n') {
          event.preventDefault();
          state.setView({ name: 'add', mode: 'key' });
        } else if (key === ',') {
          event.preventDefault();
          state.setView({ name: 'settings' });
        }
        return;
      }
      // Esc leaves a page for the list, unless a dialog is open (it closes the dialog itself).
      if (event.key === 'Escape' && state.view.name !== 'list' && !event.defaultPrevented && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        state.setView({ name: 'list' });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  if (view.name === 'add') return <AddAccount mode={view.mode} />;
  if (view.name === 'edit') return <EditAccount id={view.id} />;
  if (view.name === 'settings') return <SettingsView />;
  if (view.name === 'scan') return <ScanView initialSource={view.source} initialImage={view.image} />;
  if (view.name === 'recovery') return <RecoveryView accountId={view.accountId} adding={view.adding ?? false} />;
  if (view.name === 'lockedOut') return <LockedOutView />;
  if (view.name === 'risk') return <RiskView />;
  if (view.name === 'recoveryEntry') return <NewEntryView />;
  if (view.name === 'import') return <ImportView />;
  if (view.name === 'export') return <ExportView />;
  if (view.name === 'provider') return <ProviderView accountId={view.accountId} />;
  if (view.name === 'enroll') return <EnrollView />;
  return <ListView />;
}
