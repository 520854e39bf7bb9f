/**
 * Public surface of the API layer: one client, its errors, types, parsers and identifier rules.
 * The client's parts (transport.ts, retry.ts, envelope.ts) stay inside; client.ts re-exports
 * what callers use of them (RequestRecord, ApiResponse, RetryPolicy, DEFAULT_RETRY_POLICY, isRetryable).
 */
export * from './client';
export * from './errors';
export * from './parse';
export * from './types';
export * from '../domain';
