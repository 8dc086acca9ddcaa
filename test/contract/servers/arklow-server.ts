import { ContractServer, type Answer, type ContractRoute, type ProviderContract, type RouteContext } from '../support/contract-server';
import { makeCodes, type Random, satisfiesSecurityScheme } from '../support/common';
import { validateJson } from '../support/json-schema';
import { openApiOperation, SEED_FILES } from '../support/seeds';

/** Seed 004. */
export const arklowOperation = openApiOperation(SEED_FILES.arklow);

export interface ArklowDevice {
  userId: string;
  name: string;
  codes: string[];
}

export interface ArklowServerOptions {
  apiKey: string;
  devices: Map<string, ArklowDevice>;
  random: Random;
  now?: () => Date;
}

/** Errors travel in the same {data, errors} envelope as the answer. */
function errorAnswer(status: number, errorType: string, message: string): Answer {
  return { status, body: { data: null, errors: [{ code: errorType, message }] } };
}

export function arklowContract(options: ArklowServerOptions): ProviderContract {
  const now = options.now ?? (() => new Date());
  const route: ContractRoute = {
    method: arklowOperation.method,
    pattern: new RegExp(`^${arklowOperation.path}$`),
    checkBody: (body) => {
      if (body === undefined) return arklowOperation.requestRequired ? ['a JSON body is required'] : [];
      return validateJson(body, arklowOperation.requestSchema ?? {}, arklowOperation.document).map((issue) => `${issue.path} ${issue.problem}`);
    },
    authenticate: (ctx) =>
      satisfiesSecurityScheme(arklowOperation.securityScheme, ctx.headers, options.apiKey) ? null : errorAnswer(401, 'unauthorized', 'Missing or invalid API key.'),
    handle: (ctx: RouteContext) => {
      const deviceId = (ctx.body as { device_id: string }).device_id;
      const device = options.devices.get(deviceId);
      if (device === undefined) return errorAnswer(404, 'not_found', 'No MFA device with that id.');
      device.codes = makeCodes(options.random, 10, [5, 5]);
      const stamp = now().toISOString();
      return {
        status: 200,
        body: {
          data: {
            device: { id: deviceId, user_id: device.userId, name: device.name, device_type: 'totp', confirmed_at: stamp, last_used_at: null, updated_at: stamp, deleted_at: null },
            backup_codes: device.codes,
            session_mfa_not_after: new Date(now().getTime() + 15 * 60_000).toISOString(),
          },
          errors: null,
        },
      };
    },
    brokenBody: (ctx) => {
      const device = options.devices.get((ctx.body as { device_id: string }).device_id);
      return { data: { device: { id: 7 }, backup_codes: device?.codes.join(' ') ?? 'none' }, errors: null };
    },
  };
  return {
    name: 'arklow',
    routes: [route],
    errorAnswer: (status, errorType, message) => errorAnswer(status, errorType, message),
    documentedErrors: {
      // The seed documents only the 200 envelope, whose `errors` may be set with `data` null.
      'envelope-error': { status: 200, errorType: 'mfa_not_enabled', message: 'MFA is not enabled for this device.' },
      unauthorized: { status: 401, errorType: 'unauthorized', message: 'Missing or invalid API key.' },
      'not-found': { status: 404, errorType: 'not_found', message: 'No MFA device with that id.' },
    },
  };
}

export async function startArklowServer(options: ArklowServerOptions): Promise<ContractServer> {
  const server = new ContractServer(arklowContract(options));
  await server.start();
  return server;
}
