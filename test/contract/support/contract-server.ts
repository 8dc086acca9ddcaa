import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a contract server can be told to answer instead of the normal one. */
export type Fault =
  /** One of the provider's documented errors, by name (see each server's `documentedErrors`). */
  | { kind: 'documented-error'; name: string; retryAfter?: string }
  /** Any status with the provider's error shape. */
  | { kind: 'status'; status: number; errorType?: string; message?: string; retryAfter?: string }
  | { kind: 'rate-limit'; retryAfter?: string }
  | { kind: 'unavailable'; retryAfter?: string }
  /** Waits, then acts and answers normally (a client with a shorter timeout gives up first). */
  | { kind: 'slow'; delayMs: number }
  | { kind: 'schema-break' }
  | { kind: 'invalid-json' }
  | { kind: 'reset' };

export interface QueuedFault {
  fault: Fault;
  /** Only requests to this path (exact) take the fault; any path when absent. */
  path?: string;
  /** Only requests with this method take the fault (Misakey's enroll path has a GET and a POST). */
  method?: string;
  remaining: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** What the server did: a status, or 'reset'. */
  outcome: number | 'reset';
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  params: string[];
  body: unknown;
  headers: IncomingMessage['headers'];
  requestId: string;
}

export interface ContractRoute {
  method: string;
  pattern: RegExp;
  /** Problems with the body against the seed's schema; empty when it conforms. */
  checkBody(body: unknown): string[];
  /** Problems with the credentials; null when accepted, else the answer to give. */
  authenticate(ctx: RouteContext): Answer | null;
  handle(ctx: RouteContext): Answer;
  /** A 200 body that breaks the documented schema (for the schema-break fault). */
  brokenBody(ctx: RouteContext): unknown;
}

export interface ProviderContract {
  name: string;
  routes: ContractRoute[];
  /** The provider's error body for a status. */
  errorAnswer(status: number, errorType: string, message: string, requestId: string): Answer;
  documentedErrors: Record<string, { status: number; errorType: string; message: string }>;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * One provider's contract server on 127.0.0.1: routes from the seed, the request checked (method,
 * path, credentials, body schema), faults injected on demand, every request recorded.
 * The control API lives under /__control: POST /__control/faults {fault, times?, path?, method?},
 * DELETE /__control/faults, GET /__control/requests.
 */
export class ContractServer {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: QueuedFault[] = [];
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private requestCount = 0;
  /**
   * Awaited after a request is checked and before it is answered: a test makes something happen
   * "meanwhile" (another process takes the vault's writer lock while the provider works).
   */
  onRequest: ((request: { method: string; path: string }) => Promise<void>) | null = null;

  constructor(private readonly contract: ProviderContract) {
    this.server = createServer((req, res) => {
      void this.serve(req, res).catch(() => res.destroy());
    });
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The errors this provider documents, by name (for tests that drive each of them). */
  get documentedErrors(): ProviderContract['documentedErrors'] {
    return this.contract.documentedErrors;
  }

  /** The next `times` matching requests get this fault instead of the normal answer. */
  inject(fault: Fault, options: { times?: number; path?: string; method?: string } = {}): void {
    this.faults.push({ fault, path: options.path, method: options.method, remaining: options.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(path: string, method: string): Fault | null {
    const index = this.faults.findIndex((queued) => (queued.path === undefined || queued.path === path) && (queued.method === undefined || queued.method === method));
    if (index === -1) return null;
    const queued = this.faults[index] as QueuedFault;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.faults.splice(index, 1);
    return queued.fault;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/__control/')) return this.control(req.method ?? '', url.pathname, raw, res);
    const requestId = `request-id-${this.contract.name}-${++this.requestCount}`;
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, headers: req.headers, body: undefined, outcome: 0 };
    this.requests.push(record);
    const send = (answer: Answer): void => {
      record.outcome = answer.status;
      writeJson(res, answer, requestId);
    };
    if (raw === null) return send(this.errorFor(413, 'payload_too_large', 'The body is too large.', requestId));
    const routes = this.contract.routes.filter((route) => route.pattern.test(url.pathname));
    if (routes.length === 0) return send(this.errorFor(404, 'not_found', 'No such endpoint.', requestId));
    const route = routes.find((candidate) => candidate.method === req.method);
    if (route === undefined) return send(this.errorFor(405, 'method_not_allowed', 'Method not allowed.', requestId));
    let body: unknown = undefined;
    if (raw.length > 0) {
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        return send(this.errorFor(415, 'unsupported_media_type', 'Send application/json.', requestId));
      }
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return send(this.errorFor(400, 'invalid_json', 'The body is not JSON.', requestId));
      }
    }
    record.body = body;
    const ctx: RouteContext = { params: (route.pattern.exec(url.pathname) ?? []).slice(1), body, headers: req.headers, requestId };
    const denied = route.authenticate(ctx);
    if (denied !== null) return send(denied);
    const problems = route.checkBody(body);
    if (problems.length > 0) return send(this.errorFor(400, 'invalid_request', `The body does not match the schema: ${problems.join('; ')}`, requestId));
    await this.onRequest?.({ method: req.method ?? '', path: url.pathname });
    const fault = this.takeFault(url.pathname, req.method ?? '');
    if (fault === null) return send(route.handle(ctx));
    this.applyFault(fault, route, ctx, res, record, send);
  }

  private applyFault(fault: Fault, route: ContractRoute, ctx: RouteContext, res: ServerResponse, record: RecordedRequest, send: (answer: Answer) => void): void {
    const withRetryAfter = (answer: Answer, retryAfter?: string): Answer =>
      retryAfter === undefined ? answer : { ...answer, headers: { ...answer.headers, 'retry-after': retryAfter } };
    switch (fault.kind) {
      case 'documented-error': {
        const documented = this.contract.documentedErrors[fault.name];
        if (documented === undefined) throw new Error(`${this.contract.name} documents no error named ${fault.name}`);
        return send(withRetryAfter(this.errorFor(documented.status, documented.errorType, documented.message, ctx.requestId), fault.retryAfter));
      }
      case 'status':
        return send(withRetryAfter(this.errorFor(fault.status, fault.errorType ?? 'error', fault.message ?? `HTTP ${fault.status}`, ctx.requestId), fault.retryAfter));
      case 'rate-limit':
        return send(withRetryAfter(this.errorFor(429, 'too_many_requests', 'Too many requests have been made.', ctx.requestId), fault.retryAfter));
      case 'unavailable':
        return send(withRetryAfter(this.errorFor(503, 'service_unavailable', 'The service is unavailable.', ctx.requestId), fault.retryAfter));
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          // The provider does the work even when the client has given up: only the answer is lost.
          const answer = route.handle(ctx);
          record.outcome = answer.status;
          if (!res.destroyed) send(answer);
        }, fault.delayMs);
        this.timers.add(timer);
        return;
      }
      case 'schema-break':
        return send({ status: 200, body: route.brokenBody(ctx) });
      case 'invalid-json':
        record.outcome = 200;
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': ctx.requestId });
        res.end('{"recovery_codes": ["unterminated');
        return;
      case 'reset':
        record.outcome = 'reset';
        res.socket?.resetAndDestroy();
        return;
    }
  }

  private errorFor(status: number, errorType: string, message: string, requestId: string): Answer {
    return this.contract.errorAnswer(status, errorType, message, requestId);
  }

  private control(method: string, path: string, raw: Buffer | null, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => writeJson(res, { status, body }, 'control');
    if (path === '/__control/faults' && method === 'POST') {
      let input: { fault?: Fault; times?: number; path?: string; method?: string };
      try {
        input = JSON.parse(raw?.toString('utf8') || '{}') as typeof input;
      } catch {
        return reply(400, { error: 'the body is not JSON' });
      }
      if (typeof input.fault?.kind !== 'string') return reply(400, { error: 'give {"fault": {"kind": ...}, "times"?, "path"?}' });
      this.inject(input.fault, { times: input.times, path: input.path, method: input.method });
      return reply(200, { queued: this.faults.length });
    }
    if (path === '/__control/faults' && method === 'DELETE') {
      this.clearFaults();
      return reply(200, { queued: 0 });
    }
    if (path === '/__control/requests' && method === 'GET') {
      return reply(200, this.requests.map(({ method: m, path: p, outcome }) => ({ method: m, path: p, outcome })));
    }
    return reply(404, { error: 'unknown control endpoint' });
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function writeJson(res: ServerResponse, answer: Answer, requestId: string): void {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...answer.headers };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(answer.body));
}
