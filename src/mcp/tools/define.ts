/**
 * How a tool of the catalog is declared: one typed `defineTool` call holds its name, title,
 * description, access tier, input and output schemas, annotations, handler and text rendering,
 * and the one-line summary the help text and README tables are generated from.
 */
import { z as zod, type z } from 'zod';
import type { RunframeClient } from '../../api/client';
import type { ListPage } from '../../api/types';
import { LIMITS, type Scope } from '../../domain/contract';
import { checkShape } from '../../domain/shapeCheck';
import type { ConfirmForm } from '../elicitation';
import { limit, offset } from '../schemas';
import { compactText, listOf, listSchema } from './results';

import type { ToolTier } from '../tiers';

export type { ToolTier };

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Read tools: VS Code runs them without asking. */
export const READ: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
/** Tools that change incidents or postmortems. */
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Tools that notify real people (page, escalate): clients confirm each call. */
export const NOTIFY: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/** What may be cut to keep a result under 8 KB: list `items` (the first are kept) or an incident's `timeline` (the latest are kept). */
export type Truncate = 'items' | 'timeline';

/** One tool as written in its area file, with its own argument and result types. */
export interface ToolSpec<S extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  /** What the model reads in tools/list */
  description: string;
  /** One line for people: the help text and the README's tool table */
  summary: string;
  tier: ToolTier;
  /** The API key scope the call needs (Runframe v1: 403 without it; per-user mode offers the tool only to keys that have it) */
  scope: Scope;
  input: S;
  /** Schema of `structuredContent` (sent as outputSchema) */
  output: O;
  annotations: ToolAnnotations;
  /**
   * Performs the call and returns the structured result (trimmed to what an agent needs).
   * @throws RunframeApiError / RunframeInputError, turned into tool errors by the server
   */
  run(client: RunframeClient, args: z.output<S>, signal: AbortSignal): Promise<z.output<O>>;
  /** Compact text rendering of the structured result; default compactText */
  render?: (result: z.output<O>) => string;
  truncate?: Truncate;
  /**
   * The form to confirm the call with before anything is sent, for clients that take forms
   * (src/mcp/elicitation.ts); undefined when there is nothing to ask.
   */
  confirm?: (client: RunframeClient, args: z.output<S>, signal: AbortSignal) => Promise<ConfirmForm | undefined>;
}

/** A call whose arguments were checked: what it runs, and the form to confirm it with (when the tool has one). */
export interface Prepared {
  offset: number;
  /** Top-level argument names the tool does not take: ignored, and named in the result */
  ignored: string[];
  run(client: RunframeClient, signal: AbortSignal): Promise<Record<string, unknown>>;
  confirm?(client: RunframeClient, signal: AbortSignal): Promise<ConfirmForm | undefined>;
}

/**
 * A tool as the server uses it: its spec's fields (ToolSpec, written once there) with its types
 * closed over, so tools of every shape form one catalog.
 */
export interface ToolDefinition extends Omit<ToolSpec<z.ZodObject, z.ZodObject>, 'run' | 'render' | 'confirm'> {
  /**
   * Checks arguments against the input schema. Top-level fields the tool does not take are left
   * out before the check (as Runframe's own server drops them) and named in `ignored`.
   * @returns the issues (nothing may be sent), or the call to make with the parsed arguments, the
   * list offset they ask for (0 when none) and the names of the fields ignored
   */
  prepare(args: unknown): { issues: z.core.$ZodIssue[] } | Prepared;
  /** Compact text of a structured result (also of one cut to fit 8 KB) */
  render(result: Record<string, unknown>): string;
}

/**
 * Arguments split into the top-level fields a tool takes and the names of the others. Pure.
 * Anything but a plain object is passed on as it is (the schema check then says what is wrong).
 */
export function splitArguments(args: unknown, fields: readonly string[]): { known: unknown; ignored: string[] } {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { known: args, ignored: [] };
  const entries = Object.entries(args);
  const ignored = entries.filter(([k]) => !fields.includes(k)).map(([k]) => k);
  return { known: ignored.length ? Object.fromEntries(entries.filter(([k]) => fields.includes(k))) : args, ignored };
}

/** Declares a tool; its argument and result types are checked here and closed over for the catalog. */
export function defineTool<S extends z.ZodObject, O extends z.ZodObject>(spec: ToolSpec<S, O>): ToolDefinition {
  const { run, render, confirm, ...rest } = spec;
  return {
    ...rest,
    prepare(args) {
      const { known, ignored } = splitArguments(args, Object.keys(spec.input.shape));
      const parsed = checkShape(spec.input, known);
      if (!parsed.success) return { issues: parsed.issues };
      const data: object = parsed.data;
      const offset = 'offset' in data && typeof data.offset === 'number' ? data.offset : 0;
      return {
        offset,
        ignored,
        run: async (client, signal) => (await run(client, parsed.data, signal)) as Record<string, unknown>,
        ...(confirm ? { confirm: (client: RunframeClient, signal: AbortSignal) => confirm(client, parsed.data, signal) } : {}),
      };
    },
    // A cut result keeps the result's shape (fewer items, shorter strings), so it renders alike.
    render: render ? (result) => render(result as z.output<O>) : compactText,
  };
}

/**
 * A read tool that searches one paginated list (`search`, `limit`, `offset`) and answers with a
 * page of `item`s, as list_services and list_teams do.
 * @param fetch the API call, e.g. Runframe v1 GET /services?search=&limit=&offset=
 */
export function searchListTool<I extends z.ZodObject, T>(spec: {
  name: string;
  title: string;
  description: string;
  summary: string;
  /** What the search text is matched against, for the model */
  searchHint: string;
  scope: Scope;
  item: I;
  toItem: (raw: T) => z.output<I>;
  fetch: (client: RunframeClient, args: { search?: string; limit: number; offset: number }, signal: AbortSignal) => Promise<ListPage<T>>;
}): ToolDefinition {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    summary: spec.summary,
    tier: 'read',
    scope: spec.scope,
    annotations: READ,
    input: zod.object({ search: zod.string().max(LIMITS.search.max).optional().describe(spec.searchHint), limit: limit(20), offset }).strict(),
    output: listSchema(spec.item),
    truncate: 'items',
    run: async (client, args, signal) => listOf(await spec.fetch(client, args, signal), spec.toItem),
  });
}
