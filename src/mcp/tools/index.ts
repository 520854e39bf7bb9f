/**
 * The tool catalog: the 17 tools of Runframe's public MCP server (same names and input
 * contracts as its v0.1.15), one file per area. Adding a tool means one `defineTool` entry in its
 * area file (and, for a new endpoint, its emulator route); help text, server instructions and
 * the README's tool table are generated from here.
 *
 * Annotations: read tools are readOnlyHint + !openWorldHint (VS Code runs them without asking);
 * page and escalate are destructiveHint + openWorldHint (they notify real people).
 */
import type { ToolDefinition } from './define';
import { DIRECTORY_TOOLS } from './directory';
import { INCIDENT_TOOLS } from './incidents';
import { ONCALL_TOOLS } from './oncall';
import { PAGING_TOOLS } from './paging';
import { POSTMORTEM_TOOLS } from './postmortems';
import { SERVICE_TOOLS } from './services';

export { defineTool, type ToolAnnotations, type ToolDefinition, type ToolSpec, type ToolTier } from './define';
export { compactText, MAX_RESULT_BYTES, MAX_STRUCTURED_BYTES } from './results';

/**
 * The tools of Runframe's public MCP server (v0.1.15), in the order it lists them: every one must
 * be in the catalog under this name (configs and prompts written for it rely on them).
 */
export const REFERENCE_TOOL_NAMES: readonly string[] = [
  'runframe_list_incidents', 'runframe_get_incident', 'runframe_create_incident', 'runframe_update_incident',
  'runframe_change_incident_status', 'runframe_acknowledge_incident', 'runframe_add_incident_event',
  'runframe_escalate_incident', 'runframe_page_someone', 'runframe_get_current_oncall', 'runframe_list_services',
  'runframe_get_service', 'runframe_create_postmortem', 'runframe_get_postmortem', 'runframe_list_teams',
  'runframe_get_escalation_policy', 'runframe_find_user',
];

const rank = (t: ToolDefinition) => {
  const i = REFERENCE_TOOL_NAMES.indexOf(t.name);
  // A tool of our own (not in the reference) goes after the reference's, in catalog order.
  return i < 0 ? REFERENCE_TOOL_NAMES.length : i;
};

/** Every tool, in the reference server's order. */
export const TOOLS: readonly ToolDefinition[] = [...INCIDENT_TOOLS, ...PAGING_TOOLS, ...ONCALL_TOOLS, ...SERVICE_TOOLS, ...POSTMORTEM_TOOLS, ...DIRECTORY_TOOLS].sort((a, b) => rank(a) - rank(b));
