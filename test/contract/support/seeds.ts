import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonSchema } from './json-schema';

export const seedsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'seeds');

export const SEED_FILES = {
  moonkeyRecoveryCodes: '000_7049022df90b36b4.txt',
  moonkeyRecovery: '001_99aef0a8960c5359.txt',
  stytch: '002_b139846f9af27ded.txt',
  misakey: '003_ab3d6d666ef880f9.txt',
  arklow: '004_e75cfd118d092e6f.txt',
} as const;

export function readSeed(file: string): string {
  return readFileSync(path.join(seedsDir, file), 'utf8');
}

/** One operation of an OpenAPI seed, as the contract servers need it. */
export interface OpenApiOperation {
  document: JsonSchema;
  method: string;
  path: string;
  serverUrls: string[];
  requestSchema: JsonSchema | null;
  requestRequired: boolean;
  requestExamples: unknown[];
  responseSchema: JsonSchema;
  responseExamples: unknown[];
  securityScheme: JsonSchema;
}

/** The ````yaml block of a Mintlify-style seed, parsed with the yaml package. */
export function openApiOperation(file: string): OpenApiOperation {
  const text = readSeed(file);
  const match = /````yaml ([^\n]*)\n([\s\S]*?)\n````/.exec(text);
  if (match === null) throw new Error(`${file} has no OpenAPI block`);
  const heading = (match[1] ?? '').trim().split(/\s+/);
  const [method, opPath] = heading.slice(-2) as [string, string];
  const document = parseYaml(match[2] ?? '') as JsonSchema;
  const paths = document.paths as Record<string, Record<string, JsonSchema>>;
  const operation = paths[opPath]?.[method];
  if (operation === undefined) throw new Error(`${file}: ${method} ${opPath} is not in its paths`);
  const requestBody = operation.requestBody as JsonSchema | undefined;
  const requestJson = (requestBody?.content as Record<string, JsonSchema> | undefined)?.['application/json'];
  const response200 = ((operation.responses as Record<string, JsonSchema>)['200']?.content as Record<string, JsonSchema>)['application/json'];
  if (response200 === undefined) throw new Error(`${file}: no 200 application/json response`);
  const schemes = (document.components as JsonSchema).securitySchemes as Record<string, JsonSchema>;
  const securityName = Object.keys(((document.security as JsonSchema[])[0] ?? {}) as JsonSchema)[0] ?? '';
  const securityScheme = schemes[securityName];
  if (securityScheme === undefined) throw new Error(`${file}: security scheme ${securityName} not defined`);
  return {
    document,
    method: method.toUpperCase(),
    path: opPath,
    serverUrls: (document.servers as { url: string }[]).map((server) => server.url),
    requestSchema: (requestJson?.schema as JsonSchema | undefined) ?? null,
    requestRequired: requestBody?.required === true,
    requestExamples: examplesOf(requestJson),
    responseSchema: response200.schema as JsonSchema,
    responseExamples: examplesOf(response200),
    securityScheme,
  };
}

function examplesOf(media: JsonSchema | undefined): unknown[] {
  const examples = (media?.examples as Record<string, { value: unknown }> | undefined) ?? {};
  return Object.values(examples).map((example) => example.value);
}

/** Seed 002 (Stytch) is prose with JSON bodies: the top-level {...} blocks, in order. */
export function stytchBodies(): { success: Record<string, unknown>; errors: Map<number, Record<string, unknown>> } {
  const text = readSeed(SEED_FILES.stytch);
  const bodies = topLevelJsonObjects(text);
  const [success, ...errorBodies] = bodies;
  if (success === undefined || success.status_code !== 200) throw new Error('seed 002: the first body is not the 200 answer');
  return { success, errors: new Map(errorBodies.map((body) => [body.status_code as number, body])) };
}

/** Seed 003 (Misakey) is markdown: each "METHOD https://host/path" request line. */
export function misakeyRoutes(): { method: string; path: string; serverUrl: string }[] {
  const text = readSeed(SEED_FILES.misakey);
  return [...text.matchAll(/^(GET|POST|DELETE|PUT|PATCH) (https:\/\/[^/\s]+)(\/\S*)$/gm)].map((m) => ({
    method: m[1] as string,
    serverUrl: m[2] as string,
    path: m[3] as string,
  }));
}

/** Every top-level {...} in prose, found by counting braces outside JSON strings. */
function topLevelJsonObjects(text: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      // A body starts with a brace alone on its line; braces in the code sample do not.
      const aloneOnLine = (i === 0 || text[i - 1] === '\n') && text[i + 1] === '\n';
      if (depth === 0 && !aloneOnLine) continue;
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) objects.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
    }
  }
  return objects;
}
