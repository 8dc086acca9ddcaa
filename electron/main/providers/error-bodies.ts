import { z } from 'zod';
import type { ProviderErrorBody } from './http-client';

const text = z.string().max(10_000);

/**
 * Error bodies of APIs whose seeds do not document them (MoonKey, Misakey): the usual field names,
 * read leniently; anything else just leaves the HTTP status as the explanation.
 */
const looseErrorSchema = z.looseObject({
  error_message: text.optional(),
  message: text.optional(),
  desc: text.optional(),
  error: z.union([text, z.looseObject({ message: text.optional() })]).optional(),
  request_id: text.optional(),
  requestId: text.optional(),
});

export function readLooseErrorBody(body: unknown): ProviderErrorBody {
  const parsed = looseErrorSchema.safeParse(body);
  if (!parsed.success) return {};
  const { error_message, message, desc, error, request_id, requestId } = parsed.data;
  const errorText = typeof error === 'string' ? error : error?.message;
  return { message: error_message ?? message ?? desc ?? errorText, requestId: request_id ?? requestId };
}
