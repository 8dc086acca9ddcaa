import { afterEach } from 'vitest';
import type { SeededRandom } from '../../support/seeded-random';
import type { ContractServer } from './contract-server';
import { makeCodes, makeToken, makeUuid } from './common';
import { type MoonKeyUser, moonKeyUser, startMoonKeyServer } from '../servers/moonkey-server';
import { startStytchServer, stytchUser } from '../servers/stytch-server';
import { type MisakeyIdentity, startMisakeyServer } from '../servers/misakey-server';
import { type ArklowDevice, startArklowServer } from '../servers/arklow-server';

/** Stops every server a test started. */
export function useContractServers(): (server: Promise<ContractServer>) => Promise<ContractServer> {
  const started: ContractServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });
  return async (server) => {
    const running = await server;
    started.push(running);
    return running;
  };
}

type Track = ReturnType<typeof useContractServers>;

export async function moonKeyFixture(random: SeededRandom, track: Track) {
  const apiKey = makeToken(random.next, 'sk_test_', 48);
  const userId = makeToken(random.next, 'user_', 27);
  const user: MoonKeyUser = moonKeyUser(random.next);
  const server = await track(startMoonKeyServer({ apiKey, users: new Map([[userId, user]]), random: random.next }));
  return { server, apiKey, userId, user, secrets: [apiKey, ...user.unused] };
}

export async function stytchFixture(random: SeededRandom, track: Track) {
  const projectId = `project-test-${makeUuid(random.next)}`;
  const secret = makeToken(random.next, 'secret-test-', 32);
  const userId = `user-test-${makeUuid(random.next)}`;
  const user = stytchUser(random.next);
  const server = await track(startStytchServer({ projectId, secret, users: new Map([[userId, user]]) }));
  const basic = Buffer.from(`${projectId}:${secret}`).toString('base64');
  return { server, projectId, secret, userId, user, secrets: [secret, basic, ...user.codes] };
}

/** `enrolled`: the identity already has a TOTP secret and codes (for regenerate and delete). */
export async function misakeyFixture(random: SeededRandom, track: Track, { enrolled = false } = {}) {
  const identityId = makeUuid(random.next);
  const accessToken = makeToken(random.next, 'mat_', 40);
  const csrfToken = makeToken(random.next, 'csrf_', 24);
  const identity: MisakeyIdentity = {
    accessToken,
    mfaMethodTotp: false,
    totpSecret: enrolled ? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' : null,
    codes: enrolled ? makeCodes(random.next, 10, [8]) : [],
  };
  const identities = new Map([[identityId, identity]]);
  const server = await track(startMisakeyServer({ csrfToken, identities, random: random.next }));
  return { server, identityId, accessToken, csrfToken, identity, identities, secrets: [accessToken, csrfToken, ...identity.codes] };
}

export async function arklowFixture(random: SeededRandom, track: Track) {
  const apiKey = makeToken(random.next, 'ak_', 40);
  const deviceId = String(random.int(1, 10_000_000));
  const device: ArklowDevice = { userId: String(random.int(1, 1000)), name: 'Latchkey', codes: [] };
  const server = await track(startArklowServer({ apiKey, devices: new Map([[deviceId, device]]), random: random.next }));
  return { server, apiKey, deviceId, device, secrets: [apiKey] };
}
