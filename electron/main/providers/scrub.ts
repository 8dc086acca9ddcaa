/** Longest provider sentence shown to a person. */
const MAX_PROVIDER_TEXT = 300;

/**
 * Provider error text is untrusted: it may echo what we sent (a code, a key). Every secret of the
 * request is cut out, control characters dropped, and the length capped.
 */
export function scrubProviderText(text: string, secrets: readonly string[]): string {
  // eslint-disable-next-line no-control-regex
  let clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    clean = clean.split(secret).join('[hidden]');
    const lower = clean.toLowerCase();
    const needle = secret.toLowerCase();
    if (lower.includes(needle)) clean = caseInsensitiveReplace(clean, needle);
  }
  // A secret can reappear across a replacement (one that is part of the marker, or two that
  // overlap): then none of the provider's text is shown.
  const lower = clean.toLowerCase();
  if (secrets.some((secret) => secret.length >= 4 && lower.includes(secret.toLowerCase()))) return '';
  if (clean.length > MAX_PROVIDER_TEXT) clean = `${clean.slice(0, MAX_PROVIDER_TEXT - 1)}…`;
  return clean;
}

function caseInsensitiveReplace(text: string, needle: string): string {
  let out = '';
  let index = 0;
  const lower = text.toLowerCase();
  for (;;) {
    const found = lower.indexOf(needle, index);
    if (found === -1) return out + text.slice(index);
    out += `${text.slice(index, found)}[hidden]`;
    index = found + needle.length;
  }
}
