/**
 * The shapes of the Runframe v1 request bodies (docs/runframe-api.md, part A), as zod schemas
 * built from the contract's lists and limits: field names, types, lengths, enumerations, and no
 * unknown fields. What needs the organisation's data (does the service exist, is the person
 * active, is the transition allowed) is not a shape: the API (and our emulator) judges that.
 * `null` counts as absent for optional fields, as the API's JSON does.
 */
import { z } from 'zod';
import { ACTION_ITEM_FIELDS, ACTION_ITEM_STATUSES, LIMITS, PAGE_CHANNELS, POSTMORTEM_IMPACT_FIELDS, POSTMORTEM_TEXT_FIELDS, RESPONSE_TIMELINE_FIELDS, SEVERITIES, STATUSES } from './contract';

const optional = <T extends z.ZodType>(schema: T) => schema.nullish();
/** Text of `min`-`max` characters; `min` counts what is left after trimming. */
const text = (min: number, max: number) => z.string().refine((v) => v.trim().length >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`).pipe(z.string().max(max));
/** A severity in any case ("sev1" is SEV1). */
const severity = z.string().transform((v) => v.trim().toUpperCase()).pipe(z.enum(SEVERITIES));

/** POST /incidents */
export const CreateIncidentBody = z.strictObject({
  title: text(LIMITS.title.min, LIMITS.title.max),
  description: optional(text(0, LIMITS.description.max)),
  severity: optional(severity),
  service_ids: z.array(z.unknown()).min(LIMITS.services.min).max(LIMITS.services.max),
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
  status: z.string().transform((v) => v.trim().toLowerCase()).pipe(z.enum(STATUSES)),
  comment: optional(text(0, LIMITS.statusComment.max)),
});

/** POST /incidents/{number}/events */
export const TimelineNoteBody = z.strictObject({ comment: text(LIMITS.note.min, LIMITS.note.max) });

/** POST /incidents/{number}/page */
export const PageBody = z.strictObject({
  email: z.unknown(),
  channels: z.array(z.enum(PAGE_CHANNELS)).min(1),
  message: optional(text(0, LIMITS.pageMessage.max)),
});

/** One optional field of `schema` per name. */
function fieldsOf<K extends string>(names: readonly K[], schema: z.ZodType): Record<K, z.ZodType> {
  const out = {} as Record<K, z.ZodType>;
  for (const n of names) out[n] = optional(schema);
  return out;
}

/** POST /postmortems */
export const PostmortemBody = z.strictObject({
  incident_number: z.string(),
  ...fieldsOf(POSTMORTEM_TEXT_FIELDS, text(0, LIMITS.postmortemText.max)),
  impact: optional(z.strictObject({ ...fieldsOf(POSTMORTEM_IMPACT_FIELDS.filter((f) => f !== 'services_affected'), z.string().max(500)), services_affected: optional(z.array(z.string()).max(LIMITS.services.max)) })),
  timeline: optional(z.array(z.looseObject({ timestamp: optional(z.string()), description: z.string() }))),
  action_items: optional(z.array(z.strictObject({ ...fieldsOf(ACTION_ITEM_FIELDS.filter((f) => f !== 'text' && f !== 'status'), z.string()), text: text(1, 2000), status: optional(z.enum(ACTION_ITEM_STATUSES)) }))),
  response_timeline: optional(z.strictObject(fieldsOf(RESPONSE_TIMELINE_FIELDS, z.string()))),
});
