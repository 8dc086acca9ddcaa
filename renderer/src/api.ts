import type { ErrorCode, ErrorPayload } from '../../shared/errors';
import type { Channel, ChannelInput, ChannelOutput, IpcEvent, LatchkeyApi } from '../../shared/ipc';

declare global {
  interface Window {
    latchkey: LatchkeyApi;
  }
}

/** A failed call, carrying the code and the sentence main gave. */
export class ApiError extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }

  get code(): ErrorCode {
    return this.payload.code;
  }
}

export async function call<C extends Channel>(channel: C, ...input: ChannelInput<C> extends undefined ? [] : [ChannelInput<C>]): Promise<ChannelOutput<C>> {
  const result = await window.latchkey.invoke(channel, ...input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export function onEvent(listener: (event: IpcEvent) => void): () => void {
  return window.latchkey.onEvent(listener);
}

export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong inside Latchkey.';
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
