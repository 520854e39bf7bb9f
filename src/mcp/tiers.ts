/**
 * The access tiers a server's tools are grouped in, in the order they widen access. Its own
 * module, with no tool in it, so the extension can read the list without bundling the catalog.
 */

/** `read` reads only; `write` changes incidents and postmortems; `page` notifies people. */
export const TOOL_TIERS = ['read', 'write', 'page'] as const;
export type ToolTier = (typeof TOOL_TIERS)[number];

/**
 * Default: every tier, as Runframe's own server lists all 17 tools when started with only its
 * key (docs/runframe-api.md part C). Page and escalate stay `destructiveHint: true`, so clients
 * confirm each call; narrow with --toolsets / RUNFRAME_TOOLSETS.
 */
export const DEFAULT_TOOL_TIERS: readonly ToolTier[] = ['read', 'write', 'page'];
