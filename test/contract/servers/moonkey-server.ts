import { ContractServer, type Answer, type ContractRoute, type ProviderContract, type RouteContext } from '../support/contract-server';
import { makeCodes, makeToken, type Random, satisfiesSecurityScheme } from '../support/common';
import { validateJson } from '../support/json-schema';
import { openApiOperation, SEED_FILES } from '../support/seeds';

/** Seeds 000 (recovery codes) and 001 (sign in with a recovery code). */
export const moonKeyOperations = {
  recoveryCodes: openApiOperation(SEED_FILES.moonkeyRecoveryCodes),
  recovery: openApiOperation(SEED_FILES.moonkeyRecovery),
};

export interface MoonKeyUser {
  totpId: string;
  unused: string[];
  used: string[];
}

export interface MoonKeyServerOptions {
  apiKey: string;
  users: Map<string, MoonKeyUser>;
  random: Random;
}

function errorAnswer(status: number, errorType: string, message: string, requestId: string): Answer {
  // The seeds document no MoonKey error body; this is the provider family's usual shape.
  return { status, body: { status_code: status, request_id: requestId, error_type: errorType, error_message: message } };
}

function openApiRoute(
  operation: (typeof moonKeyOperations)['recovery'],
  options: MoonKeyServerOptions,
  handle: (ctx: RouteContext) => Answer,
  brokenBody: (ctx: RouteContext) => unknown,
): ContractRoute {
  return {
    method: operation.method,
    pattern: new RegExp(`^${operation.path}$`),
    checkBody: (body) => {
      if (operation.requestSchema === null) return [];
      if (body === undefined) return ['a JSON body is required'];
      return validateJson(body, operation.requestSchema, operation.document).map((issue) => `${issue.path} ${issue.problem}`);
    },
    authenticate: (ctx) =>
      satisfiesSecurityScheme(operation.securityScheme, ctx.headers, options.apiKey)
        ? null
        : errorAnswer(401, 'unauthorized', 'Missing or invalid secret API key.', ctx.requestId),
    handle,
    brokenBody,
  };
}

export function moonKeyContract(options: MoonKeyServerOptions): ProviderContract {
  const userOf = (ctx: RouteContext) => options.users.get((ctx.body as { user_id: string }).user_id);
  const recoveryCodes = openApiRoute(
    moonKeyOperations.recoveryCodes,
    options,
    (ctx) => {
      const user = userOf(ctx);
      if (user === undefined) return errorAnswer(404, 'user_not_found', 'User could not be found.', ctx.requestId);
      const body = { user_id: (ctx.body as { user_id: string }).user_id, totps: [{ id: user.totpId, verified: true, recovery_codes: [...user.unused] }] };
      return { status: 200, body };
    },
    (ctx) => ({ user_id: (ctx.body as { user_id: string }).user_id, totps: [{ id: 'totp_x', verified: 'yes', recovery_codes: userOf(ctx)?.unused.join(' ') }] }),
  );
  const recovery = openApiRoute(
    moonKeyOperations.recovery,
    options,
    (ctx) => {
      const body = ctx.body as { user_id: string; recovery_code: string; session_expires_in?: number };
      const user = userOf(ctx);
      if (user === undefined) return errorAnswer(404, 'user_not_found', 'User could not be found.', ctx.requestId);
      const index = user.unused.indexOf(body.recovery_code);
      if (index === -1) return errorAnswer(400, 'invalid_recovery_code', 'The recovery code is not valid or has been used.', ctx.requestId);
      user.used.push(...user.unused.splice(index, 1));
      const answer: Record<string, unknown> = { totp_id: user.totpId, user_id: body.user_id };
      if (body.session_expires_in !== undefined) Object.assign(answer, session(options.random, body.user_id, user.totpId, body.session_expires_in));
      return { status: 200, body: answer };
    },
    (ctx) => ({ user_id: (ctx.body as { user_id: string }).user_id, totp_id: 42, recovery_code: (ctx.body as { recovery_code: string }).recovery_code }),
  );
  return {
    name: 'moonkey',
    routes: [recoveryCodes, recovery],
    errorAnswer,
    documentedErrors: {
      unauthorized: { status: 401, errorType: 'unauthorized', message: 'Missing or invalid secret API key.' },
      'user-not-found': { status: 404, errorType: 'user_not_found', message: 'User could not be found.' },
      'invalid-recovery-code': { status: 400, errorType: 'invalid_recovery_code', message: 'The recovery code is not valid or has been used.' },
    },
  };
}

function session(random: Random, userId: string, totpId: string, minutes: number): Record<string, unknown> {
  const now = 1_700_000_000;
  const token = makeToken(random, '', 64);
  return {
    session_token: token,
    session_jwt: `${makeToken(random, 'eyJ', 20)}.${makeToken(random, '', 40)}.${makeToken(random, '', 40)}`,
    session: {
      id: makeToken(random, 'sess_', 27),
      user_id: userId,
      session_token: token,
      started_at: now,
      expires_at: now + minutes * 60,
      last_active_at: now,
      factors: [
        {
          delivery_channel: 'totp_recovery_code',
          type: 'totp',
          method: { method_id: totpId, method_type: 'totp', totp_id: totpId, last_verified_at: now },
        },
      ],
      device_fingerprint: { user_agent: '', ip: '127.0.0.1' },
      updated_at: now,
      created_at: now,
    },
  };
}

export function moonKeyUser(random: Random, count = 16): MoonKeyUser {
  return { totpId: makeToken(random, 'totp_', 27), unused: makeCodes(random, count, [5, 5]), used: [] };
}

export async function startMoonKeyServer(options: MoonKeyServerOptions): Promise<ContractServer> {
  const server = new ContractServer(moonKeyContract(options));
  await server.start();
  return server;
}
