/** Public surface of the API layer: one client, its errors, types, parsers and identifier rules. */
export * from './client';
export * from './errors';
export * from './parse';
export * from './types';
export * from '../domain';
