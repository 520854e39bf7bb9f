/**
 * Checking a value against a zod schema, the same way for the MCP tools' arguments and the
 * emulator's request bodies: one result with the parsed value or the issues, never a throw, and
 * the field an issue is about written as the API names fields.
 */
import { safeParse, type core, type output } from 'zod/mini';

/** "service_ids[0]", "impact.duration": a zod issue's path as the API names fields ('' for the whole value). */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * `schema`'s safeParse of `input` (any zod schema, full API or mini), except that a value zod
 * cannot even check becomes an issue instead of a throw: zod 4 runs a string's length checks on
 * a non-string too, and `{"length": <object without a prototype>}` makes them throw "Cannot
 * convert object to primitive value" (found by the fuzz tests). For an object schema the issue
 * names the top-level field whose value throws.
 * @returns `{ success: true, data }` or `{ success: false, issues }`
 */
export function checkShape<T extends core.$ZodType>(schema: T, input: unknown): { success: true; data: output<T> } | { success: false; issues: core.$ZodIssue[] } {
  try {
    const parsed = safeParse(schema, input);
    return parsed.success ? { success: true, data: parsed.data } : { success: false, issues: parsed.error.issues };
  } catch {
    const def = schema._zod.def as { shape?: Record<string, core.$ZodType> };
    const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const field = Object.keys(record).find((k) => {
      const fieldSchema = def.shape?.[k];
      if (!fieldSchema) return false;
      try {
        safeParse(fieldSchema, record[k]);
        return false;
      } catch {
        return true;
      }
    });
    const issue = { code: 'custom', path: field ? [field] : [], message: 'has a value of the wrong type (it could not even be checked)', input: undefined } as core.$ZodIssue;
    return { success: false, issues: [issue] };
  }
}
