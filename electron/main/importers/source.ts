import type { ImportSource } from './types';

/** Wraps a file's bytes so that every detector shares one decoding of its text and JSON. */
export function importSource(bytes: Uint8Array, fileName = ''): ImportSource {
  let text: string | null | undefined;
  let json: unknown;
  let jsonDone = false;
  const source: ImportSource = {
    bytes,
    fileName,
    text() {
      if (text === undefined) {
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
        } catch {
          text = null;
        }
      }
      return text;
    },
    json() {
      if (!jsonDone) {
        jsonDone = true;
        const content = source.text();
        const trimmed = content?.trimStart() ?? '';
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
          try {
            json = JSON.parse(content as string) as unknown;
          } catch {
            json = undefined;
          }
        }
      }
      return json;
    },
  };
  return source;
}

/** True when `bytes` starts with `prefix` (ASCII). */
export function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
