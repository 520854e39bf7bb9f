/**
 * The shapes of the Runframe v1 request bodies (docs/runframe-api.md, part A), as zod schemas
 * built from the contract's lists and limits: field names, types, lengths, enumerations, and no
 * unknown fields. What needs the organisation's data (does the service exist, is the person
 * active, is the transition allowed) is not a shape: the API (and our emulator) judges that.
 * `null` counts as absent for optional fields, as the API's JSON does.
 *
 * Written with zod/mini: the extension bundles the emulator (the sandbox), and zod/mini adds
 * about 20 KB to it where zod's full API added about 450 KB (measured on dist/extension.js).
 */
import * as z from 'zod/mini';
import { ACTION_ITEM_FIELDS, ACTION_ITEM_STATUSES, LIMITS, PAGE_CHANNELS, POSTMORTEM_IMPACT_FIELDS, POSTMORTEM_TEXT_FIELDS, RESPONSE_TIMELINE_FIELDS, SEVERITIES, STATUSES, textLength } from './contract';

/** A request body shape (any zod schema; zod/mini's here). */
export type BodyShape = z.ZodMiniType;

const optional = <T extends z.ZodMiniType>(schema: T) => z.nullish(schema);
/** Text of `min`-`max` characters (code points, `textLength`); `min` counts what is left after trimming. */
const text = (min: number, max: number) =>
  z.string().check(
    z.refine((v) => textLength(v.trim()) >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`),
    z.refine((v) => textLength(v) <= max, `must be at most ${max} characters`),
  );
/** A value of `values` in any case, trimmed ("sev1" is SEV1). */
const oneOf = <T extends readonly [string, ...string[]]>(values: T, toCase: (v: string) => string) =>
  z.pipe(z.pipe(z.string(), z.transform((v: string) => toCase(v.trim()))), z.enum(values));
const severity = oneOf(SEVERITIES, (v) => v.toUpperCase());

/** POST /incidents */
export const CreateIncidentBody = z.strictObject({
  title: text(LIMITS.title.min, LIMITS.title.max),
  description: optional(text(0, LIMITS.description.max)),
  severity: optional(severity),
  service_ids: z.array(z.unknown()).check(z.minLength(LIMITS.services.min), z.maxLength(LIMITS.services.max)),
});

/** PATCH /incidents/{number}: at least one field (checked by the caller, with its own words). */
export const UpdateIncidentBody = z.strictObject({
  title: optional(text(LIMITS.title.min, LIMITS.title.max)),
  description: optional(text(0, LIMITS.description.max)),
  severity: optional(severity),
  assigned_to: optional(z.unknown()),
});

/** POST /incidents/{number}/status */
export const StatusChangeBody = z.strictObject({
  status: oneOf(STATUSES, (v) => v.toLowerCase()),
  comment: optional(text(0, LIMITS.statusComment.max)),
});

/** POST /incidents/{number}/events */
export const TimelineNoteBody = z.strictObject({ comment: text(LIMITS.note.min, LIMITS.note.max) });

/** POST /incidents/{number}/page */
export const PageBody = z.strictObject({
  email: z.unknown(),
  channels: z.array(z.enum(PAGE_CHANNELS)).check(z.minLength(1)),
  message: optional(text(0, LIMITS.pageMessage.max)),
});

/** One optional field of `schema` per name. */
function fieldsOf<K extends string>(names: readonly K[], schema: z.ZodMiniType): Record<K, z.ZodMiniType> {
  const out = {} as Record<K, z.ZodMiniType>;
  for (const n of names) out[n] = optional(schema);
  return out;
}

/** POST /postmortems */
export const PostmortemBody = z.strictObject({
  incident_number: z.string(),
  ...fieldsOf(POSTMORTEM_TEXT_FIELDS, text(0, LIMITS.postmortemText.max)),
  impact: optional(z.strictObject({
    ...fieldsOf(POSTMORTEM_IMPACT_FIELDS.filter((f) => f !== 'services_affected'), z.string().check(z.maxLength(500))),
    services_affected: optional(z.array(z.string()).check(z.maxLength(LIMITS.services.max))),
  })),
  timeline: optional(z.array(z.looseObject({ timestamp: optional(z.string()), description: z.string() }))),
  action_items: optional(z.array(z.strictObject({
    ...fieldsOf(ACTION_ITEM_FIELDS.filter((f) => f !== 'text' && f !== 'status'), z.string()),
    text: text(1, 2000),
    status: optional(z.enum(ACTION_ITEM_STATUSES)),
  }))),
  response_timeline: optional(z.strictObject(fieldsOf(RESPONSE_TIMELINE_FIELDS, z.string()))),
});
