/**
 * Which tools a server exposes: access tiers (RUNFRAME_TOOLSETS / --toolsets) and single tools
 * switched off by name (RUNFRAME_DISABLED_TOOLS). Tools outside the selection are not listed
 * and cannot be called.
 */
import type { Checked } from '../domain/identifiers';
import { DEFAULT_TOOL_TIERS, TOOL_TIERS, type ToolTier } from './tiers';
import { TOOLS, type ToolDefinition } from './tools';


function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Parses "read,write,page" (or "all"); empty gives the default. */
export function parseToolsets(text: string | undefined): Checked<ToolTier[]> {
  const names = list(text).map((n) => n.toLowerCase());
  if (!names.length) return { ok: true, value: [...DEFAULT_TOOL_TIERS] };
  if (names.length === 1 && names[0] === 'all') return { ok: true, value: [...TOOL_TIERS] };
  const unknown = names.filter((n) => !(TOOL_TIERS as readonly string[]).includes(n));
  if (unknown.length) return { ok: false, message: `unknown toolset ${unknown.map((u) => `"${u}"`).join(', ')}; use a comma-separated list of ${TOOL_TIERS.join(', ')} (or all)` };
  return { ok: true, value: [...new Set(names)] as ToolTier[] };
}

/** Parses a comma-separated list of tool names; every name must be one of the 17 tools. */
export function parseDisabledTools(text: string | undefined): Checked<string[]> {
  const names = list(text);
  const unknown = names.filter((n) => !TOOLS.some((t) => t.name === n));
  if (unknown.length) return { ok: false, message: `unknown tool ${unknown.map((u) => `"${u}"`).join(', ')}; names look like runframe_page_someone` };
  return { ok: true, value: names };
}

/** The tools in `toolsets`, minus `disabled`, in declaration order. */
export function selectTools(toolsets: readonly ToolTier[], disabled: readonly string[] = []): ToolDefinition[] {
  return TOOLS.filter((t) => toolsets.includes(t.tier) && !disabled.includes(t.name));
}

/**
 * Why each catalog tool left out of the selection is hidden, by tool name: the setting that hides
 * it and how to bring it back. A call to one of them is answered with this text as a tool error,
 * so the model (and the person) learn that the tool exists behind a setting.
 */
export function hiddenTools(toolsets: readonly ToolTier[], disabled: readonly string[] = []): Map<string, string> {
  const hidden = new Map<string, string>();
  for (const t of TOOLS) {
    if (disabled.includes(t.name)) {
      hidden.set(t.name, `${t.name} is switched off by RUNFRAME_DISABLED_TOOLS. Remove it from that list and restart the MCP server to use it.`);
    } else if (!toolsets.includes(t.tier)) {
      hidden.set(
        t.name,
        `${t.name} is hidden: its tier "${t.tier}" is not among the selected toolsets (${toolsets.join(', ') || 'none'}). ` +
          `Add ${t.tier} to --toolsets or RUNFRAME_TOOLSETS (in VS Code: the runframe.mcp.toolsets setting) and restart the MCP server to use it.`,
      );
    }
  }
  return hidden;
}
