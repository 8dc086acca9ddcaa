/**
 * `npm run contract-servers`: the four providers' contract servers on 127.0.0.1, with test
 * credentials and users, so a person can point Latchkey at them. Ctrl-C stops them.
 */
import { randomInt } from 'node:crypto';
import { stytchSeed, startStytchServer } from './servers/stytch-server';
import { moonKeyOperations, startMoonKeyServer } from './servers/moonkey-server';
import { startMisakeyServer } from './servers/misakey-server';
import { startArklowServer } from './servers/arklow-server';
import { makeToken, makeUuid } from './support/common';

const random = () => randomInt(0, 2 ** 31) / 2 ** 31;

async function main(): Promise<void> {
  // The seeds' example users and codes, so the answers look like the documentation.
  const moonKeyExample = moonKeyOperations.recoveryCodes.responseExamples[0] as { user_id: string; totps: { id: string; recovery_codes: string[] }[] };
  const moonKeyTotp = moonKeyExample.totps[0] as { id: string; recovery_codes: string[] };
  const moonKeyKey = makeToken(random, 'sk_test_', 48);
  const moonKey = await startMoonKeyServer({
    apiKey: moonKeyKey,
    users: new Map([[moonKeyExample.user_id, { totpId: moonKeyTotp.id, unused: [...moonKeyTotp.recovery_codes], used: [] }]]),
    random,
  });

  const stytchUserBody = stytchSeed.success as { user_id: string; totps: { totp_id: string; recovery_codes: string[] }[] };
  const stytchTotp = stytchUserBody.totps[0] as { totp_id: string; recovery_codes: string[] };
  const stytchProject = `project-test-${makeUuid(random)}`;
  const stytchSecret = makeToken(random, 'secret-test-', 32);
  const stytch = await startStytchServer({
    projectId: stytchProject,
    secret: stytchSecret,
    users: new Map([[stytchUserBody.user_id, { totpId: stytchTotp.totp_id, codes: stytchTotp.recovery_codes }]]),
  });

  const misakeyIdentity = makeUuid(random);
  const misakeyToken = makeToken(random, '', 40);
  const misakeyCsrf = makeToken(random, '', 24);
  const misakey = await startMisakeyServer({
    csrfToken: misakeyCsrf,
    identities: new Map([[misakeyIdentity, { accessToken: misakeyToken, mfaMethodTotp: false, totpSecret: null, codes: [] }]]),
    random,
  });

  const arklowKey = makeToken(random, 'ak_', 40);
  const arklow = await startArklowServer({ apiKey: arklowKey, devices: new Map([['1001', { userId: '42', name: 'Latchkey', codes: [] }]]), random });

  const servers = [moonKey, stytch, misakey, arklow];
  const lines = [
    'Latchkey contract servers (plain http on loopback; Latchkey allows that only for this computer)',
    '',
    `MoonKey  ${moonKey.url}`,
    `  --provider moonkey --base-url ${moonKey.url} --user-id ${moonKeyExample.user_id}`,
    `  credentials: ${JSON.stringify({ apiKey: moonKeyKey })}`,
    `Stytch   ${stytch.url}`,
    `  --provider stytch --base-url ${stytch.url} --user-id ${stytchUserBody.user_id}`,
    `  credentials: ${JSON.stringify({ projectId: stytchProject, secret: stytchSecret })}`,
    `Misakey  ${misakey.url}`,
    `  --provider misakey --base-url ${misakey.url} --identity-id ${misakeyIdentity}`,
    `  credentials: ${JSON.stringify({ accessToken: misakeyToken, csrfToken: misakeyCsrf })}`,
    `Arklow   ${arklow.url}`,
    `  --provider arklow --base-url ${arklow.url} --device-id 1001`,
    `  credentials: ${JSON.stringify({ apiKey: arklowKey })}`,
    '',
    'Make the next answer fail, on any server:',
    `  curl -X POST ${moonKey.url}/__control/faults -d '{"fault":{"kind":"rate-limit","retryAfter":"2"},"times":2}'`,
    '  kinds: documented-error {name}, status {status}, rate-limit {retryAfter}, unavailable {retryAfter},',
    '         slow {delayMs}, schema-break, invalid-json, reset.  GET /__control/requests lists the calls.',
    '  "path" and "method" limit a fault to one endpoint (Misakey\'s enroll path has a GET and a POST).',
    '',
    'Ctrl-C stops them.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void Promise.all(servers.map((server) => server.stop())).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
