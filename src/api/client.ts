/**
 * The one Runframe API client, shared by the MCP tools, the emulator tests and the extension.
 *
 * Runframe v1 (docs/runframe-api.md, part A): base URL + /api/v1, `Authorization: Bearer rf_...`,
 * success `{data}` and error `{error, meta}` envelopes, 429 with `Retry-After` (s).
 * Requests go out through transport.ts (node:http(s), keep-alive).
 */
import { exchangeFailure, readAnswer, unreadablePayload, type ApiResponse, type CallContext } from './envelope';
import { DEFAULT_API_URL, parseBaseUrl } from './baseUrl';
import { RunframeApiError, RunframeInputError, type NotFoundKind } from './errors';
import { isObject, parseAuthInfo, parseEscalationPolicy, parseIncident, parseOnCall, parseListPage, parsePostmortem, parseService, parseTeam, parseUser } from './parse';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import { exchange, pathWithQuery, targetOf, type Query, type RequestRecord, type Target } from './transport';
import type {
  AuthInfo, CreateIncidentInput, EscalationPolicy, Incident, IncidentFilters, OnCallSnapshot, ListPage, PageInput, PageResult,
  Postmortem, PostmortemInput, Scope, SearchPaging, Service, Team, UpdateIncidentInput, User,
} from './types';
import { checkApiKeyFormat, checkIdempotencyKey, checkIncidentNumber, checkServiceKey, type Checked } from '../domain/identifiers';
import { redactUrl } from '../domain/format';

export type { ApiResponse } from './envelope';
export { DEFAULT_RETRY_POLICY, isRetryable, type RetryPolicy } from './retry';
export type { RequestRecord } from './transport';
export { DEFAULT_API_URL, parseBaseUrl } from './baseUrl';
export { RunframeInputError } from './errors';

/** Default per-request timeout in ms; Runframe's own server gives up after 15 s. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** How to reach Runframe, and what to tell the caller about each request. */
export interface RunframeClientOptions {
  /** API key, `rf_...`. Throws RunframeInputError (field "apiKey") when malformed; the key is never echoed. */
  apiKey: string;
  /** Base URL without /api/v1; default https://runframe.io */
  baseUrl?: string;
  /** Per-request timeout in ms; default 15000 */
  timeoutMs?: number;
  /** User-Agent header; default runframe-incident-cockpit */
  userAgent?: string;
  /**
   * Called once per HTTP attempt (retries included) with what happened, and the request's
   * AbortSignal when it was given one (callers may use it to tell concurrent operations apart).
   */
  onRequest?: (record: RequestRecord, signal: AbortSignal | undefined) => void;
  /** Retry policy for safe requests; fields left out take DEFAULT_RETRY_POLICY's; `false` disables retries */
  retry?: Partial<RetryPolicy> | false;
}

/** One request's query, body and headers, and what its errors should say. */
export interface RequestOptions {
  /** Query parameters; arrays repeat the parameter; undefined values are left out */
  query?: Query;
  /** JSON body */
  body?: unknown;
  /** Extra headers, e.g. `idempotency-key`; they win over the client's own */
  headers?: Record<string, string>;
  /** Scope the endpoint needs (named in 403 hints) */
  scope?: Scope;
  /** What a 404 means, e.g. "No incident INC-2026-001" */
  notFound?: string;
  /** What the call names, for the 404 hint (what to check) */
  notFoundKind?: NotFoundKind;
  /** What a 409 means */
  conflict?: string;
  /** Cancels the request, and any wait to retry it */
  signal?: AbortSignal;
  /** This request's timeout in ms; default the client's timeoutMs */
  timeoutMs?: number;
  /** Retry on 429/5xx/connection failures. Default: GETs, and POSTs with an Idempotency-Key. */
  retry?: boolean;
}

/** The checked value, or RunframeInputError naming `field`. */
function must<T>(field: string, checked: Checked<T>): T {
  if (!checked.ok) throw new RunframeInputError(field, checked.message);
  return checked.value;
}

/**
 * Runframe API v1 client. Every method sends one request (listAllIncidents: one per page) and
 * throws RunframeApiError on any failure (envelope.ts), or RunframeInputError before sending for
 * a malformed incident number or service key (src/domain/identifiers.ts). Payloads are read tolerantly (parse.ts).
 */
export class RunframeClient {
  readonly #apiKey: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #userAgent: string;
  readonly #onRequest?: (record: RequestRecord, signal: AbortSignal | undefined) => void;
  readonly #retry: RetryPolicy | false;
  readonly #target: Target;

  /**
   * Parses and checks the options once; sends nothing.
   * @throws RunframeInputError (field "apiKey") for a malformed key, without echoing it; (field
   * "baseUrl") for a base URL that is not http(s). A trailing /api/v1 on the base URL is dropped.
   */
  constructor(options: RunframeClientOptions) {
    this.#apiKey = must('apiKey', checkApiKeyFormat(options.apiKey));
    const base = parseBaseUrl(options.baseUrl);
    // Shown in hints, logs and start-up lines: never with a password from the URL.
    this.baseUrl = redactUrl(base);
    this.#target = targetOf(new URL(base));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#userAgent = options.userAgent ?? 'runframe-incident-cockpit';
    this.#onRequest = options.onRequest;
    this.#retry = options.retry === false ? false : { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Keeps the key out of console.log / util.inspect / JSON.stringify of the client. */
  toJSON(): object {
    return { baseUrl: this.baseUrl, timeoutMs: this.timeoutMs };
  }

  /** What util.inspect and console.log show: the base URL, never the key. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RunframeClient { baseUrl: '${this.baseUrl}' }`;
  }

  /**
   * Sends a request to `baseUrl + /api/v1 + path` and unwraps the `{data}` envelope. Safe
   * requests (GET, or POST with an Idempotency-Key) are retried on 429, 5xx and connection
   * failures (retry.ts), waiting once before each retry: a Retry-After of up to
   * maxRetryAfterSeconds, else exponential backoff; bounded by `retries` and `maxRetryTimeMs`.
   * Timeouts are not retried.
   * @param path e.g. "/incidents/INC-2026-001" (already encoded)
   * @throws RunframeApiError for HTTP errors, timeouts (timeoutMs, default 15000 ms), network failures and unreadable bodies;
   * the signal's reason when it aborts while waiting to retry
   */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const policy = this.#retry;
    const hasIdempotencyKey = Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key');
    const safe = options.retry ?? (method === 'GET' || (method === 'POST' && hasIdempotencyKey));
    // A write without an Idempotency-Key whose answer is lost may or may not have been applied.
    const unsafe = method !== 'GET' && !hasIdempotencyKey;
    const attempt = () => this.#attempt<T>(method, path, options, unsafe);
    return policy && safe ? withRetry(attempt, policy, { signal: options.signal }) : attempt();
  }

  /** One HTTP attempt: headers, the exchange, the envelope; reports it to onRequest either way. */
  async #attempt<T>(method: string, path: string, options: RequestOptions, unsafe: boolean): Promise<ApiResponse<T>> {
    const requestPath = pathWithQuery(this.#target, `/api/v1${path}`, options.query);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const call: CallContext = { method, path, unsafe, scope: options.scope, notFound: options.notFound, notFoundKind: options.notFoundKind, conflict: options.conflict, baseUrl: this.baseUrl, timeoutMs };
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#apiKey}`,
      accept: 'application/json',
      'user-agent': this.#userAgent,
      'x-request-id': crypto.randomUUID(),
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const started = performance.now();
    const record = (status: number, requestId?: string, errorCode?: string) =>
      this.#onRequest?.({ method, path, status, durationMs: performance.now() - started, requestId, errorCode }, options.signal);

    let answer: ApiResponse<T>;
    try {
      const res = await exchange(this.#target, { method, path: requestPath, headers, body, timeoutMs, signal: options.signal }).catch((err: unknown) => {
        throw exchangeFailure(err, call);
      });
      answer = readAnswer<T>(res, call);
    } catch (err) {
      // Both envelope functions make only RunframeApiErrors.
      const e = err as RunframeApiError;
      record(e.status, e.requestId, e.code);
      throw e;
    }
    record(answer.status, answer.requestId);
    return answer;
  }

  /** Runframe v1: GET /auth/verify. Verifies the key; returns its scopes and organisation. */
  async verifyKey(signal?: AbortSignal): Promise<AuthInfo> {
    const { data } = await this.request('GET', '/auth/verify', { signal });
    return parseAuthInfo(data);
  }

  /** Runframe v1: GET /incidents with filters; one page (limit 1-100, default 20). Scope incidents:read. */
  async listIncidents(filters: IncidentFilters = {}, signal?: AbortSignal): Promise<ListPage<Incident>> {
    const { data } = await this.request('GET', '/incidents', { query: { ...filters }, scope: 'incidents:read', signal });
    return parseListPage(data, parseIncident, filters.offset ?? 0);
  }

  /**
   * Runframe v1: GET /incidents, every incident matching `filters`, following `next_offset` 100 at a time.
   * @param maxPages safety bound on requests (default 100, i.e. 10,000 incidents)
   * @returns all items, the API's total, and how many odd items were skipped
   */
  async listAllIncidents(filters: Omit<IncidentFilters, 'limit' | 'offset'> = {}, options: { maxPages?: number; signal?: AbortSignal } = {}): Promise<ListPage<Incident>> {
    const items: Incident[] = [];
    let offset = 0;
    let skipped = 0;
    let total: number | undefined;
    for (let pageNo = 0; pageNo < (options.maxPages ?? 100); pageNo++) {
      const page = await this.listIncidents({ ...filters, limit: 100, offset }, options.signal);
      items.push(...page.items);
      skipped += page.skipped;
      total = page.total ?? total;
      if (!page.has_more || page.next_offset === null || page.next_offset <= offset) {
        return { items, total, has_more: false, next_offset: null, skipped };
      }
      offset = page.next_offset;
    }
    return { items, total, has_more: true, next_offset: offset, skipped };
  }

  /** Runframe v1: GET /incidents/{number}: the incident with timeline and participants. Scope incidents:read. */
  async getIncident(incidentNumber: string, signal?: AbortSignal): Promise<Incident> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('GET', `/incidents/${encodeURIComponent(number)}`, {
      scope: 'incidents:read', notFound: `No incident ${number}`, notFoundKind: 'incident', signal,
    });
    return this.#incident(data, 'GET', `/incidents/${number}`);
  }

  /**
   * Runframe v1: POST /incidents. Service keys are normalised and validated first.
   * @param idempotencyKey sent as `Idempotency-Key`: the same key and body replay the first result
   */
  async createIncident(input: CreateIncidentInput, options: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<Incident> {
    const service_ids = input.service_ids.map((k, i) => must(`service_ids[${i}]`, checkServiceKey(k)));
    // A key no header can carry would fail as a "network error" and be retried: refuse it here.
    if (options.idempotencyKey !== undefined) must('idempotency_key', checkIdempotencyKey(options.idempotencyKey));
    const { data } = await this.request('POST', '/incidents', {
      body: { ...input, service_ids },
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined,
      scope: 'incidents:write', notFound: 'A service was not found', notFoundKind: 'service', signal: options.signal,
      conflict: 'The Idempotency-Key was already used for a different incident; use a new key for a new incident.',
    });
    return this.#incident(data, 'POST', '/incidents');
  }

  /** Runframe v1: PATCH /incidents/{number} (title, description, severity, assigned_to; not status). */
  async updateIncident(incidentNumber: string, patch: UpdateIncidentInput, signal?: AbortSignal): Promise<Incident> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('PATCH', `/incidents/${encodeURIComponent(number)}`, {
      body: patch, scope: 'incidents:write', notFound: `No incident ${number} (or no such assignee)`, notFoundKind: 'incident_or_user', signal,
    });
    return this.#incident(data, 'PATCH', `/incidents/${number}`);
  }

  /** Runframe v1: POST /incidents/{number}/status `{status, comment}`; the API rejects disallowed transitions. */
  async changeIncidentStatus(incidentNumber: string, status: string, comment?: string, signal?: AbortSignal): Promise<Incident> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('POST', `/incidents/${encodeURIComponent(number)}/status`, {
      body: comment === undefined ? { status } : { status, comment },
      scope: 'incidents:write', notFound: `No incident ${number}`, notFoundKind: 'incident', signal,
      conflict: 'The incident changed meanwhile; fetch it again and pick a status allowed from its current one.',
    });
    return this.#incident(data, 'POST', `/incidents/${number}/status`);
  }

  /**
   * Runframe v1: POST /incidents/{number}/acknowledge: assigns the incident to the key's user and
   * stamps the acknowledgement time. Throws RunframeApiError with status 409 when already acknowledged.
   */
  async acknowledgeIncident(incidentNumber: string, signal?: AbortSignal): Promise<Incident> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('POST', `/incidents/${encodeURIComponent(number)}/acknowledge`, {
      body: {}, scope: 'incidents:write', notFound: `No incident ${number}`, notFoundKind: 'incident', signal,
      conflict: `${number} is already acknowledged; nothing more to do (see its assignee).`,
    });
    return this.#incident(data, 'POST', `/incidents/${number}/acknowledge`);
  }

  /** Runframe v1: POST /incidents/{number}/events `{comment}`: adds a timeline entry. Returns the payload as sent by the API. */
  async addIncidentEvent(incidentNumber: string, comment: string, signal?: AbortSignal): Promise<unknown> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('POST', `/incidents/${encodeURIComponent(number)}/events`, {
      body: { comment }, scope: 'incidents:write', notFound: `No incident ${number}`, notFoundKind: 'incident', signal,
    });
    return data;
  }

  /** Runframe v1: POST /incidents/{number}/escalate: next escalation level; sends real notifications. */
  async escalateIncident(incidentNumber: string, signal?: AbortSignal): Promise<Incident> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('POST', `/incidents/${encodeURIComponent(number)}/escalate`, {
      body: {}, scope: 'incidents:write', notFound: `No incident ${number}`, notFoundKind: 'incident', signal,
      conflict: `${number} cannot be escalated further (already at the last level of its escalation policy); page someone directly instead.`,
    });
    return this.#incident(data, 'POST', `/incidents/${number}/escalate`);
  }

  /** Runframe v1: POST /incidents/{number}/page `{email, channels, message}`: sends real notifications. */
  async pageSomeone(incidentNumber: string, input: PageInput, signal?: AbortSignal): Promise<PageResult> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('POST', `/incidents/${encodeURIComponent(number)}/page`, {
      body: input, scope: 'incidents:write', notFound: `No incident ${number}, or no user ${input.email}`, notFoundKind: 'incident_or_user', signal,
    });
    return (isObject(data) ? { paged: true, ...data } : { paged: true }) as PageResult;
  }

  /** Runframe v1: GET /on-call/current (optionally one team, exact name). Scope oncall:read. */
  async getCurrentOnCall(teamName?: string, signal?: AbortSignal): Promise<OnCallSnapshot> {
    const { data } = await this.request('GET', '/on-call/current', {
      query: { team_name: teamName }, scope: 'oncall:read', notFound: `No team named "${teamName}"`, notFoundKind: 'team', signal,
    });
    return parseOnCall(data);
  }

  /** Runframe v1: GET /services (search, limit, offset). Scope services:read. */
  async listServices(params: SearchPaging = {}, signal?: AbortSignal): Promise<ListPage<Service>> {
    const { data } = await this.request('GET', '/services', { query: { ...params }, scope: 'services:read', signal });
    return parseListPage(data, parseService, params.offset ?? 0);
  }

  /** Runframe v1: GET /services/{service_key}; the key is normalised and validated first. */
  async getService(serviceKey: string, signal?: AbortSignal): Promise<Service> {
    const key = must('service_key', checkServiceKey(serviceKey));
    const { data } = await this.request('GET', `/services/${encodeURIComponent(key)}`, {
      scope: 'services:read', notFound: `No service ${key}`, notFoundKind: 'service', signal,
    });
    const service = parseService(data);
    if (!service) throw unreadablePayload('GET', `/services/${key}`, 'service');
    return service;
  }

  /** Runframe v1: GET /postmortems?incident_number=. Scope postmortems:read. */
  async getPostmortem(incidentNumber: string, signal?: AbortSignal): Promise<Postmortem> {
    const number = must('incident_number', checkIncidentNumber(incidentNumber));
    const { data } = await this.request('GET', '/postmortems', {
      query: { incident_number: number }, scope: 'postmortems:read', notFound: `No postmortem for ${number} yet`, notFoundKind: 'postmortem', signal,
    });
    const pm = parsePostmortem(data);
    if (!pm) throw unreadablePayload('GET', '/postmortems', 'postmortem');
    return pm;
  }

  /** Runframe v1: POST /postmortems; required fields depend on the org's postmortem level (422 lists them). */
  async createPostmortem(input: PostmortemInput, signal?: AbortSignal): Promise<Postmortem> {
    const number = must('incident_number', checkIncidentNumber(input.incident_number));
    const { data } = await this.request('POST', '/postmortems', {
      body: { ...input, incident_number: number }, scope: 'postmortems:write', notFound: `No incident ${number}`, notFoundKind: 'incident', signal,
      conflict: `${number} already has a postmortem; read it with get_postmortem.`,
    });
    const pm = parsePostmortem(data);
    if (!pm) throw unreadablePayload('POST', '/postmortems', 'postmortem');
    return pm;
  }

  /** Runframe v1: GET /teams (search, limit, offset). Scope teams:read. */
  async listTeams(params: SearchPaging = {}, signal?: AbortSignal): Promise<ListPage<Team>> {
    const { data } = await this.request('GET', '/teams', { query: { ...params }, scope: 'teams:read', signal });
    return parseListPage(data, parseTeam, params.offset ?? 0);
  }

  /** Runframe v1: GET /escalation-policies?severity=SEV0..SEV4. Scope oncall:read. */
  async getEscalationPolicy(severity: string, signal?: AbortSignal): Promise<EscalationPolicy> {
    const { data } = await this.request('GET', '/escalation-policies', {
      query: { severity }, scope: 'oncall:read', notFound: `No escalation policy for ${severity}`, notFoundKind: 'escalation_policy', signal,
    });
    const policy = parseEscalationPolicy(data);
    if (!policy) throw unreadablePayload('GET', '/escalation-policies', 'escalation policy');
    return policy;
  }

  /** Runframe v1: GET /users (search, is_active, limit, offset). Scope users:read. */
  async listUsers(params: SearchPaging & { is_active?: boolean } = {}, signal?: AbortSignal): Promise<ListPage<User>> {
    const { data } = await this.request('GET', '/users', { query: { ...params }, scope: 'users:read', signal });
    return parseListPage(data, parseUser, params.offset ?? 0);
  }

  /** The incident in an answer: the payload itself, or its `incident` field when it has one. */
  #incident(data: unknown, method: string, path: string): Incident {
    const incident = parseIncident(isObject(data) && isObject(data.incident) ? data.incident : data);
    if (!incident) throw unreadablePayload(method, path, 'incident');
    return incident;
  }
}
