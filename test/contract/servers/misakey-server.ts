import * as OTPAuth from 'otpauth';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { ContractServer, type Answer, type ContractRoute, type ProviderContract, type RouteContext } from '../support/contract-server';
import { makeCodes, makeUuid, parseCookies, type Random } from '../support/common';
import { misakeyRoutes } from '../support/seeds';

/** Seed 003's request lines: GET/POST .../totp/enroll, POST .../totp/recovery-codes, DELETE .../totp. */
export const misakeySeedRoutes = misakeyRoutes();

export interface MisakeyIdentity {
  accessToken: string;
  /** The seed: "mfa_method configured to totp" forbids deleting the secret. */
  mfaMethodTotp: boolean;
  totpSecret: string | null;
  codes: string[];
}

export interface MisakeyServerOptions {
  csrfToken: string;
  identities: Map<string, MisakeyIdentity>;
  random: Random;
  now?: () => number;
}

/** Misakey's error body: code, origin, desc, details. */
function errorAnswer(status: number, code: string, desc: string): Answer {
  return { status, body: { code, origin: 'not_defined', desc, details: {} } };
}

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

function routePattern(seedPath: string): RegExp {
  return new RegExp(`^${seedPath.replace(':id', UUID)}$`);
}

function requireSeedRoute(method: string, suffix: string): RegExp {
  const route = misakeySeedRoutes.find((r) => r.method === method && r.path.endsWith(suffix) && r.path.startsWith('/identities/:id'));
  if (route === undefined) throw new Error(`seed 003 has no ${method} ...${suffix}`);
  return routePattern(route.path);
}

export function misakeyContract(options: MisakeyServerOptions): ProviderContract {
  const enrollments = new Map<string, { identityId: string; secret: string }>();
  const now = options.now ?? Date.now;

  /** Cookie accesstoken (whose mid is the identity), tokentype bearer, and the CSRF header. */
  const authenticate = (requireTokenType: boolean) => (ctx: RouteContext): Answer | null => {
    const cookies = parseCookies(ctx.headers.cookie);
    const tokenType = cookies.get('tokentype');
    if (ctx.headers['x-csrf-token'] !== options.csrfToken) return errorAnswer(403, 'forbidden', 'invalid csrf token');
    if ((requireTokenType || tokenType !== undefined) && tokenType !== 'bearer') return errorAnswer(401, 'unauthorized', 'tokentype must be bearer');
    const identity = options.identities.get(ctx.params[0] ?? '');
    const token = cookies.get('accesstoken');
    if (token === undefined || identity === undefined || identity.accessToken !== token) {
      const known = [...options.identities.values()].some((candidate) => candidate.accessToken === token);
      return known ? errorAnswer(403, 'forbidden', 'mid claim does not match the identity') : errorAnswer(401, 'unauthorized', 'invalid access token');
    }
    return null;
  };
  const identityOf = (ctx: RouteContext) => options.identities.get(ctx.params[0] ?? '') as MisakeyIdentity;
  const noBody = (body: unknown) => (body === undefined ? [] : ['this endpoint takes no body']);
  const freshCodes = () => makeCodes(options.random, 10, [8]);

  const startEnrollment: ContractRoute = {
    method: 'GET',
    pattern: requireSeedRoute('GET', '/totp/enroll'),
    checkBody: noBody,
    authenticate: authenticate(false),
    handle: (ctx) => {
      const id = makeUuid(options.random);
      const secret = new OTPAuth.Secret({ buffer: new Uint8Array(Array.from({ length: 20 }, () => Math.floor(options.random() * 256))).buffer }).base32;
      enrollments.set(id, { identityId: ctx.params[0] ?? '', secret });
      const uri = new OTPAuth.TOTP({ issuer: 'Misakey', label: ctx.params[0] ?? '', secret }).toString();
      // The seed's answer is synchronous to write: the PNG is made here, before answering.
      const png = QRCode.create(uri, { errorCorrectionLevel: 'M' });
      return { status: 200, body: { id, base64_image: pngBase64(png) } };
    },
    brokenBody: () => ({ id: 'not-a-uuid', base64_image: 12345 }),
  };
  const finishEnrollment: ContractRoute = {
    method: 'POST',
    pattern: requireSeedRoute('POST', '/totp/enroll'),
    checkBody: (body) => {
      const b = body as { id?: unknown; code?: unknown } | undefined;
      const problems: string[] = [];
      if (typeof b?.id !== 'string' || !new RegExp(`^${UUID}$`).test(b.id)) problems.push('$.id must be a uuid string');
      if (typeof b?.code !== 'string' || b.code === '') problems.push('$.code must be a string');
      return problems;
    },
    authenticate: authenticate(false),
    handle: (ctx) => {
      const { id, code } = ctx.body as { id: string; code: string };
      const enrollment = enrollments.get(id);
      if (enrollment === undefined || enrollment.identityId !== ctx.params[0]) return errorAnswer(404, 'not_found', 'enrollment flow not found');
      const totp = new OTPAuth.TOTP({ secret: enrollment.secret });
      if (totp.validate({ token: code, timestamp: now(), window: 1 }) === null) return errorAnswer(400, 'bad_request', 'invalid code');
      enrollments.delete(id);
      const identity = identityOf(ctx);
      identity.totpSecret = enrollment.secret;
      identity.codes = freshCodes();
      return { status: 200, body: { recovery_codes: identity.codes } };
    },
    brokenBody: (ctx) => ({ recovery_codes: identityOf(ctx).codes.join(' ') || 'none' }),
  };
  const regenerate: ContractRoute = {
    method: 'POST',
    pattern: requireSeedRoute('POST', '/totp/recovery-codes'),
    checkBody: noBody,
    authenticate: authenticate(false),
    handle: (ctx) => {
      const identity = identityOf(ctx);
      if (identity.totpSecret === null) return errorAnswer(409, 'conflict', 'no totp secret is enrolled');
      identity.codes = freshCodes();
      return { status: 200, body: { recovery_codes: identity.codes } };
    },
    brokenBody: (ctx) => ({ recovery_codes: identityOf(ctx).codes.join(' ') || 'none' }),
  };
  const deleteSecret: ContractRoute = {
    method: 'DELETE',
    pattern: requireSeedRoute('DELETE', '/totp'),
    checkBody: noBody,
    authenticate: authenticate(true),
    handle: (ctx) => {
      const identity = identityOf(ctx);
      if (identity.mfaMethodTotp) return errorAnswer(409, 'conflict', 'mfa_method is totp: change it first');
      if (identity.totpSecret === null) return errorAnswer(404, 'not_found', 'no totp secret');
      identity.totpSecret = null;
      identity.codes = [];
      return { status: 204 };
    },
    brokenBody: () => ({ deleted: 'maybe' }),
  };
  return {
    name: 'misakey',
    routes: [startEnrollment, finishEnrollment, regenerate, deleteSecret],
    errorAnswer: (status, code, desc) => errorAnswer(status, code, desc),
    documentedErrors: {
      unauthorized: { status: 401, errorType: 'unauthorized', message: 'invalid access token' },
      forbidden: { status: 403, errorType: 'forbidden', message: 'invalid csrf token' },
      'not-found': { status: 404, errorType: 'not_found', message: 'enrollment flow not found' },
      conflict: { status: 409, errorType: 'conflict', message: 'mfa_method is totp: change it first' },
    },
  };
}

/** A QR symbol as a PNG, 4 px per module with a 4-module quiet zone, written without a canvas. */
function pngBase64(qr: QRCode.QRCode): string {
  // qrcode's PNG renderer is asynchronous; its symbol plus pngjs keeps the answer synchronous.
  const { size, data } = qr.modules;
  const scale = 4;
  const margin = 4;
  const width = (size + margin * 2) * scale;
  const png = new PNG({ width, height: width });
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      const mx = Math.floor(x / scale) - margin;
      const my = Math.floor(y / scale) - margin;
      const dark = mx >= 0 && my >= 0 && mx < size && my < size && data[my * size + mx] === 1;
      const offset = (y * width + x) * 4;
      png.data[offset] = png.data[offset + 1] = png.data[offset + 2] = dark ? 0 : 255;
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png).toString('base64');
}

export async function startMisakeyServer(options: MisakeyServerOptions): Promise<ContractServer> {
  const server = new ContractServer(misakeyContract(options));
  await server.start();
  return server;
}
