import type { ConnectionForm, ProviderIdName } from '../../../shared/providers';
import { InputField } from '../ui/Field';

/** What each provider asks for, as the seeds describe it. */
export const PROVIDERS: Record<ProviderIdName, { name: string; subject: { key: 'userId' | 'identityId' | 'deviceId'; label: string; hint: string }; credentials: { key: string; label: string }[]; defaultUrl: string }> = {
  moonkey: { name: 'MoonKey', subject: { key: 'userId', label: 'User id', hint: 'The user_… id of this account at MoonKey.' }, credentials: [{ key: 'apiKey', label: 'Secret key (sk_…)' }], defaultUrl: 'https://api.moonkey.fun' },
  stytch: {
    name: 'Stytch',
    subject: { key: 'userId', label: 'User id', hint: 'The user-… id of this account at Stytch.' },
    credentials: [
      { key: 'projectId', label: 'Project id' },
      { key: 'secret', label: 'Secret' },
    ],
    defaultUrl: 'https://test.stytch.com',
  },
  misakey: {
    name: 'Misakey',
    subject: { key: 'identityId', label: 'Identity id', hint: 'The identity’s UUID at Misakey.' },
    credentials: [
      { key: 'accessToken', label: 'Access token' },
      { key: 'csrfToken', label: 'CSRF token' },
    ],
    defaultUrl: 'https://api.misakey.com',
  },
  arklow: { name: 'Arklow', subject: { key: 'deviceId', label: 'Device id', hint: 'The number of the TOTP device at Arklow.' }, credentials: [{ key: 'apiKey', label: 'API key' }], defaultUrl: 'https://api.arklow.io' },
};

export interface FormState {
  provider: ProviderIdName;
  baseUrl: string;
  environment: 'test' | 'live';
  subject: string;
  credentials: Record<string, string>;
}

export function emptyForm(provider: ProviderIdName): FormState {
  return { provider, baseUrl: '', environment: 'test', subject: '', credentials: {} };
}

/** The form as the connect and enroll channels take it; an empty server means the provider's own. */
export function toConnectionForm(form: FormState): ConnectionForm {
  const spec = PROVIDERS[form.provider];
  const credentials = Object.fromEntries(spec.credentials.map(({ key }) => [key, form.credentials[key] ?? '']));
  return {
    provider: form.provider,
    ...(form.baseUrl.trim() === '' ? {} : { baseUrl: form.baseUrl.trim() }),
    ...(form.provider === 'stytch' ? { environment: form.environment } : {}),
    [spec.subject.key]: form.subject.trim(),
    credentials,
  };
}

/** The fields of one provider's connection: server, environment (Stytch), id and credentials. */
export function ConnectionFields({ form, onChange, fixedProvider }: { form: FormState; onChange: (next: FormState) => void; fixedProvider?: boolean }) {
  const spec = PROVIDERS[form.provider];
  return (
    <>
      {!fixedProvider && (
        <div className="field">
          <label className="field-label" htmlFor="provider-select">
            Provider
          </label>
          <select id="provider-select" className="select" value={form.provider} onChange={(event) => onChange(emptyForm(event.target.value as ProviderIdName))}>
            {Object.entries(PROVIDERS).map(([id, provider]) => (
              <option key={id} value={id}>
                {provider.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {form.provider === 'stytch' && (
        <div className="field">
          <label className="field-label" htmlFor="provider-environment">
            Environment
          </label>
          <select id="provider-environment" className="select" value={form.environment} onChange={(event) => onChange({ ...form, environment: event.target.value as 'test' | 'live' })}>
            <option value="test">Test (test.stytch.com)</option>
            <option value="live">Live (api.stytch.com)</option>
          </select>
        </div>
      )}
      <InputField label={spec.subject.label} hint={spec.subject.hint} value={form.subject} autoComplete="off" spellCheck={false} onChange={(event) => onChange({ ...form, subject: event.target.value })} />
      {spec.credentials.map(({ key, label }) => (
        <InputField
          key={key}
          label={label}
          type="password"
          autoComplete="off"
          value={form.credentials[key] ?? ''}
          onChange={(event) => onChange({ ...form, credentials: { ...form.credentials, [key]: event.target.value } })}
        />
      ))}
      <InputField
        label="Server"
        hint="Leave empty for the provider’s own server. https:// only (http:// for this computer)."
        placeholder={form.provider === 'stytch' ? (form.environment === 'live' ? 'https://api.stytch.com' : 'https://test.stytch.com') : spec.defaultUrl}
        value={form.baseUrl}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange({ ...form, baseUrl: event.target.value })}
      />
    </>
  );
}
