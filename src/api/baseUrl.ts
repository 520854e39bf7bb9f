/**
 * The Runframe API base URL: its default and the one rule for reading one (Runframe v1,
 * docs/runframe-api.md part A: base URL + /api/v1).
 */
import { redactUrl } from '../domain/format';
import { RunframeInputError } from './errors';

/** Default API base URL (Runframe v1). */
export const DEFAULT_API_URL = 'https://runframe.io';

/**
 * The API base URL as the client uses it: trimmed, without trailing slashes or /api/v1.
 * @param raw default https://runframe.io
 * @throws RunframeInputError (field "baseUrl") when it is not an http(s) URL
 */
export function parseBaseUrl(raw: string | undefined): string {
  const base = (raw ?? DEFAULT_API_URL).trim().replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new RunframeInputError('baseUrl', `"${redactUrl(base)}" is not a URL; expected e.g. https://runframe.io`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RunframeInputError('baseUrl', `"${redactUrl(base)}" must start with https:// (or http:// for a local emulator)`);
  }
  return base;
}

