/**
 * Pieces every tool's result shares: the size caps, ages, paginated lists with their paging
 * line, and the generic compact rendering. Pure.
 */
import { z } from 'zod';
import type { ListPage } from '../../api/types';
import { formatSpan, isoToMs } from '../../domain/format';

/** Largest text of a result in the compact form, in bytes (8 KiB): what the model reads. */
export const MAX_RESULT_BYTES = 8 * 1024;
/**
 * Largest structuredContent, in bytes of JSON (16 KiB); in the JSON text form
 * (RUNFRAME_TEXT_FORMAT=json) the text is that same JSON. A 20-incident list with every fact is
 * about 12 KiB.
 */
export const MAX_STRUCTURED_BYTES = 16 * 1024;

/** Compact age for a model: "0m", "45m", "5h", "3d"; null when the time is unknown. */
export function age(iso: string | null | undefined, nowMs: number): string | null {
  const t = isoToMs(iso);
  return t ? formatSpan(nowMs - t) : null;
}

/** Schema building blocks of every result. */
export const str = z.string();
export const nstr = z.string().nullable();

const paginationFields = {
  total: z.number().nullable(),
  has_more: z.boolean(),
  next_offset: z.number().nullable(),
  note: z.string().optional(),
};

/** Output schema of one page of a paginated list of `item` (pagination, not paging a person). */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), ...paginationFields });
}

/** A page reshaped: items mapped, paging kept, a note when odd items were skipped. */
export function listOf<T, U>(page: ListPage<T>, map: (t: T) => U) {
  return {
    items: page.items.map(map),
    total: page.total ?? null,
    has_more: page.has_more,
    next_offset: page.next_offset,
    ...(page.skipped ? { note: `${page.skipped} item(s) the API returned could not be read and were left out.` } : {}),
  };
}

/** "3 incidents of 40; more: call again with offset=3" */
export function listLine(r: { items: unknown[]; total: number | null; has_more: boolean; next_offset: number | null; note?: string }, noun: string): string {
  const more = r.has_more ? `; more: call again with offset=${r.next_offset}` : '';
  return `${r.items.length} ${noun}${r.total !== null ? ` of ${r.total}` : ''}${more}${r.note ? `. ${r.note}` : ''}`;
}

/** Generic compact rendering: one `key: value` per line, lists one item per line as JSON. */
export function compactText(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.items)) {
      return [listLine(o as never, 'items'), ...o.items.map((i) => JSON.stringify(i))].join('\n');
    }
    return Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n');
  }
  return JSON.stringify(value);
}
