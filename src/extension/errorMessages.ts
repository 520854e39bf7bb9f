/** Words for failures, shared by views and commands. Pure. */
import { RunframeApiError } from '../api/errors';

/** One line a person can act on: the API's message with its hint, or the error's message. */
export function describeError(err: unknown): string {
  if (err instanceof RunframeApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when the failure means the key is wrong (so "Set API Key" is the way out). */
export function isAuthError(err: unknown): boolean {
  return err instanceof RunframeApiError && err.status === 401;
}
