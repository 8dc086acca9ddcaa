import { useEffect, useId, useRef, useState } from 'react';
import type { Settings } from '../../../shared/settings';
import { NEXT_CODE_PREVIEW_SECONDS } from '../../../shared/settings-defaults';
import { errorMessage } from '../api';
import { QrRevealFlow } from '../scan/QrReveal';
import { useApp } from '../store';
import { Segmented } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { PageHeader } from '../ui/PageHeader';
import { SwitchRow } from '../ui/Switch';
import { Section } from './Section';
import { UnlockMethods } from './UnlockMethods';

export function SettingsView() {
  const settings = useApp((state) => state.settings);
  const updateSettings = useApp((state) => state.updateSettings);
  const [error, setError] = useState<string | null>(null);

  function save(patch: Partial<Settings>) {
    setError(null);
    updateSettings(patch).catch((caught: unknown) => setError(errorMessage(caught)));
  }

  return (
    <div className="screen page">
      <PageHeader title="Settings" />
      <div className="page-body settings">
        {error && (
          <div role="alert" className="notice notice-error">
            <Icon name="alert" size={16} />
            <p>{error}</p>
          </div>
        )}
        <Section title="Security">
          <NumberSetting
            label="Auto-lock"
            unit="min"
            description="Lock after this many minutes without activity. 0 means never."
            value={settings.autoLockMinutes}
            min={0}
            max={1440}
            onCommit={(autoLockMinutes) => save({ autoLockMinutes })}
          />
          <NumberSetting
            label="Clear clipboard"
            unit="s"
            description="Seconds after copying before a code is cleared from the clipboard (if it is still there). 0 means never."
            value={settings.clipboardClearSeconds}
            min={0}
            max={600}
            onCommit={(clipboardClearSeconds) => save({ clipboardClearSeconds })}
          />
          <SwitchRow
            label="Hide from screen capture"
            description="Screenshots and screen sharing see a blank window."
            checked={settings.contentProtection}
            onChange={(contentProtection) => save({ contentProtection })}
          />
        </Section>

        <Section title="Codes">
          <SwitchRow
            label="Hide codes"
            description="Show dots until you point at an account or select it."
            checked={settings.hideCodes}
            onChange={(hideCodes) => save({ hideCodes })}
          />
          <SwitchRow
            label="Preview the next code"
            description={`In the last ${NEXT_CODE_PREVIEW_SECONDS} seconds of a code, show the one that comes next.`}
            checked={settings.showNextCode}
            onChange={(showNextCode) => save({ showNextCode })}
          />
        </Section>

        <Section title="Appearance">
          <div className="setting-row">
            <div className="setting-text">
              <span className="setting-label">
                Theme
              </span>
            </div>
            <Segmented
              label="Theme"
              hideLabel
              value={settings.theme}
              options={[
                { value: 'system', label: 'System' },
                { value: 'light', label: 'Light' },
                { value: 'dark', label: 'Dark' },
              ]}
              onChange={(theme) => save({ theme })}
            />
          </div>
        </Section>

        <UnlockMethods />

        <MoveToPhone />
      </div>
    </div>
  );
}

/** Every account Google Authenticator's export format can carry, as QR codes for a phone. */
function MoveToPhone() {
  const accounts = useApp((state) => state.accounts);
  const [revealing, setRevealing] = useState(false);
  const movable = accounts.filter((account) => account.type !== 'steam' && (account.digits === 6 || account.digits === 8) && (account.type === 'hotp' || account.period === 30));
  const left = accounts.length - movable.length;
  return (
    <Section title="Move to a phone">
      <div className="setting-row">
        <div className="setting-text">
          <span className="setting-label">Export to Google Authenticator</span>
          <span className="setting-description">
            {movable.length === 0
              ? 'No account can be moved this way yet.'
              : `Shows ${movable.length} account${movable.length === 1 ? '' : 's'} as QR codes that Google Authenticator and most phone apps can import.`}
            {left > 0 && ` ${left} cannot travel in that format (Steam, or codes other than 6 or 8 digits every 30 s).`}
          </span>
        </div>
        <button type="button" className="button secondary" disabled={movable.length === 0} onClick={() => setRevealing(true)}>
          Show QR codes…
        </button>
      </div>
      {revealing && <QrRevealFlow request={{ kind: 'google', ids: movable.map((account) => account.id) }} onClose={() => setRevealing(false)} />}
    </Section>
  );
}

interface NumberSettingProps {
  label: string;
  unit: string;
  description: string;
  value: number;
  min: number;
  max: number;
  onCommit: (value: number) => void;
}

/** A whole number saved as soon as it is valid (lightly debounced); a problem is said next to it. */
function NumberSetting({ label, unit, description, value, min, max, onCommit }: NumberSettingProps) {
  const [draft, setDraft] = useState(String(value));
  const [focused, setFocused] = useState(false);
  const id = useId();
  const descriptionId = useId();
  const errorId = useId();
  const onCommitRef = useRef(onCommit);
  onCommitRef.current = onCommit;

  useEffect(() => {
    if (!focused) setDraft(String(value));
  }, [value, focused]);

  const parsed = /^\d+$/.test(draft.trim()) ? Number(draft.trim()) : NaN;
  const valid = Number.isInteger(parsed) && parsed >= min && parsed <= max;

  useEffect(() => {
    if (!valid || parsed === value) return;
    const timer = setTimeout(() => onCommitRef.current(parsed), 300);
    return () => clearTimeout(timer);
  }, [parsed, valid, value]);

  return (
    <div className="setting-row">
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {label}
        </label>
        <p id={descriptionId} className="setting-description">
          {description}
        </p>
        {!valid && (
          <p id={errorId} className="field-error">
            Enter a whole number from {min} to {max}.
          </p>
        )}
      </div>
      <div className="number-input">
        <input
          id={id}
          className="input input-number"
          inputMode="numeric"
          value={draft}
          aria-invalid={!valid || undefined}
          aria-describedby={valid ? descriptionId : `${errorId} ${descriptionId}`}
          onChange={(event) => setDraft(event.target.value)}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            if (valid && parsed !== value) onCommitRef.current(parsed);
          }}
        />
        <span className="unit" aria-hidden="true">
          {unit}
        </span>
      </div>
    </div>
  );
}
