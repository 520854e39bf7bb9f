/**
 * Zod building blocks for tool inputs. Identifier rules come from src/domain/identifiers (defined
 * once); these wrap them so a bad value becomes an issue naming the field and the right form.
 * Formats are checked with our own small rules rather than zod's built-in email/datetime so the
 * JSON Schema sent in tools/list stays short (no long regex patterns for the model to read).
 */
import { z } from 'zod';
import { LIMITS } from '../domain/contract';
import { ACTION_ITEM_STATUSES, PAGE_CHANNELS, SEVERITIES } from '../api/types';
import { checkEmail, checkIdempotencyKey, checkIncidentNumber, checkServiceKey, isIsoDateTime, type Checked } from '../domain/identifiers';

function checked(check: (v: unknown) => Checked<string>, maxLength: number, description: string) {
  return z
    .string()
    .max(maxLength)
    .describe(description)
    .transform((v, ctx) => {
      const c = check(v);
      if (!c.ok) {
        ctx.addIssue({ code: 'custom', message: c.message });
        return z.NEVER;
      }
      return c.value;
    });
}

/** Incident number (INC-2026-001) or UUID; normalised to upper case. */
export const incidentRef = (description = 'Incident number, e.g. INC-2026-001 (or the incident UUID)') => checked(checkIncidentNumber, 100, description);

/** Service key svc_XXXXXXXXXX; trimmed and case-normalised. */
export const serviceKey = (description = 'Service key, e.g. svc_K7QW2M9XHP (from runframe_list_services)') => checked(checkServiceKey, 100, description);

/** Idempotency-Key: 1-255 characters a header can carry (no CR, LF, NUL or beyond Latin-1). */
export const idempotencyKey = checked(checkIdempotencyKey, LIMITS.idempotencyKey.max, 'Retry-safe key: the same key and input replay the first result; printable ASCII, e.g. a UUID');

/** Email address; trimmed and lower-cased. */
export const email = (description: string) => checked(checkEmail, 254, description);

/** ISO 8601 date-time with a time zone. */
export const isoDateTime = (description: string) =>
  z.string().max(64).describe(description).refine(isIsoDateTime, { message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-04-01T00:00:00Z' });

export const severity = z.enum(SEVERITIES);
export const pageChannel = z.enum(PAGE_CHANNELS);
export const actionItemStatus = z.enum(ACTION_ITEM_STATUSES);

/** Results per list page, 1-100. */
export const limit = (defaultValue: number) => z.number().int().min(LIMITS.listLimit.min).max(LIMITS.listLimit.max).default(defaultValue).describe(`Results per page, ${LIMITS.listLimit.min}-${LIMITS.listLimit.max} (default ${defaultValue})`);
/** List offset, 0 or more. */
export const offset = z.number().int().min(0).max(1_000_000).default(0).describe('Pagination offset (use next_offset from the previous page)');
