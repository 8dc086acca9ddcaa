/** The sentence shown for a field whose problem came from schema checks (which speak to programmers). */
const FIELD_SENTENCES: Record<string, string> = {
  secret: 'Enter the secret key the site shows (letters A–Z and digits 2–7).',
  digits: 'Codes have 6 to 10 digits.',
  period: 'The period is a whole number of seconds, from 1 to 86400.',
  counter: 'The counter is a whole number, 0 or more.',
  issuer: 'The service name can be at most 256 characters long.',
  label: 'The account name can be at most 256 characters long.',
  group: 'The group name can be at most 256 characters long.',
  notes: 'Notes can be at most 10,000 characters long.',
  type: 'Choose the kind of code.',
  algorithm: 'Choose SHA-1, SHA-256 or SHA-512.',
};

export type Problems = Record<string, string>;

export function toProblems(problems: readonly { field: string; message: string }[]): Problems {
  const byField: Problems = {};
  for (const { field, message } of problems) {
    if (byField[field]) continue;
    const technical = /^(Too small|Too big|Invalid|Expected|Required)/i.test(message);
    byField[field] = technical ? (FIELD_SENTENCES[field] ?? 'This value is not valid.') : message;
  }
  return byField;
}
