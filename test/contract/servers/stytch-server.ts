import { ContractServer, type Answer, type ProviderContract, type RouteContext } from '../support/contract-server';
import { type Random, makeCodes, makeToken } from '../support/common';
import { stytchBodies } from '../support/seeds';

/** Seed 002 is prose plus JSON bodies: the success body and the four documented error bodies. */
export const stytchSeed = stytchBodies();

export interface StytchServerOptions {
  projectId: string;
  secret: string;
  users: Map<string, { totpId: string; codes: string[] }>;
}

function errorAnswer(status: number, errorType: string, message: string, requestId: string): Answer {
  return { status, body: { status_code: status, request_id: requestId, error_type: errorType, error_message: message, error_url: `https://stytch.com/docs/api/errors/${status}` } };
}

/** A documented error body from the seed, with this request's id. */
function seedError(status: number, requestId: string): Answer {
  const body = stytchSeed.errors.get(status);
  if (body === undefined) throw new Error(`seed 002 documents no ${status}`);
  return { status, body: { ...body, request_id: requestId } };
}

function basicCredentials(header: string | undefined): string | null {
  const [kind, value] = (header ?? '').split(' ', 2);
  if (kind?.toLowerCase() !== 'basic' || value === undefined) return null;
  return Buffer.from(value, 'base64').toString('utf8');
}

export function stytchContract(options: StytchServerOptions): ProviderContract {
  const documentedErrors: ProviderContract['documentedErrors'] = {};
  for (const [status, body] of stytchSeed.errors) {
    documentedErrors[String(body.error_type)] = { status, errorType: String(body.error_type), message: String(body.error_message) };
  }
  return {
    name: 'stytch',
    errorAnswer: (status, errorType, message, requestId) =>
      stytchSeed.errors.get(status)?.error_type === errorType ? seedError(status, requestId) : errorAnswer(status, errorType, message, requestId),
    documentedErrors,
    routes: [
      {
        method: 'POST',
        pattern: /^\/v1\/totps\/recovery_codes$/,
        // "Body parameters: The user_id of an active user ..." is the one documented parameter.
        checkBody: (body) => {
          if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['a JSON object body is required'];
          const userId = (body as Record<string, unknown>).user_id;
          return typeof userId === 'string' && userId.length > 0 ? [] : ['$.user_id required (a non-empty string)'];
        },
        authenticate: (ctx: RouteContext) =>
          basicCredentials(ctx.headers.authorization) === `${options.projectId}:${options.secret}`
            ? null
            : errorAnswer(401, 'unauthorized_credentials', 'Unauthorized credentials.', ctx.requestId),
        handle: (ctx) => {
          const userId = (ctx.body as { user_id: string }).user_id;
          const user = options.users.get(userId);
          if (user === undefined) return seedError(404, ctx.requestId);
          const body = { ...stytchSeed.success, request_id: ctx.requestId, user_id: userId, totps: [{ totp_id: user.totpId, verified: true, recovery_codes: user.codes }] };
          return { status: 200, body };
        },
        brokenBody: (ctx) => {
          const user = options.users.get((ctx.body as { user_id: string }).user_id);
          return { status_code: 200, request_id: ctx.requestId, totps: [{ totp_id: null, recovery_codes: user?.codes.join(',') }] };
        },
      },
    ],
  };
}

export function stytchUser(random: Random, count = 10): { totpId: string; codes: string[] } {
  return { totpId: `totp-test-${makeToken(random, '', 24)}`, codes: makeCodes(random, count, [4, 4, 4]) };
}

export async function startStytchServer(options: StytchServerOptions): Promise<ContractServer> {
  const server = new ContractServer(stytchContract(options));
  await server.start();
  return server;
}
