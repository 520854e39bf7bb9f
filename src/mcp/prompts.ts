/**
 * MCP prompts (slash commands in Copilot chat), each built from live Runframe data:
 *   triage_incident(incident_number)   the incident, its on-call and escalation policy, and a triage plan to produce
 *   handoff_summary(team_name?)        open incidents and on-call, for the next on-call
 *   draft_postmortem(incident_number)  the incident and timeline, asking for the create_postmortem fields
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, McpError, type GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import type { RunframeClient } from '../api/client';
import { RunframeApiError } from '../api/errors';
import { OPEN_STATUSES } from '../api/types';
import { DEFAULTS, postmortemFieldsInWords } from '../domain/contract';
import { checkIncidentNumber } from '../domain/identifiers';
import { incidentMarkdown, incidentTableMarkdown, onCallMarkdown } from './markdown';

const PROMPTS = [
  {
    name: 'triage_incident',
    title: 'Triage an incident',
    description: 'Assess an incident with its timeline, who is on call and its escalation policy, and propose the next actions.',
    arguments: [{ name: 'incident_number', description: 'Incident number, e.g. INC-2026-001', required: true }],
  },
  {
    name: 'handoff_summary',
    title: 'On-call handoff summary',
    description: 'Summarise what the next on-call must know: open incidents, their state, and coverage gaps.',
    arguments: [{ name: 'team_name', description: 'Exact team name; all teams when omitted', required: false }],
  },
  {
    name: 'draft_postmortem',
    title: 'Draft a postmortem',
    description: 'Draft a postmortem from an incident and its timeline, in the fields runframe_create_postmortem accepts.',
    arguments: [{ name: 'incident_number', description: 'Incident number of a resolved incident', required: true }],
  },
];

function incidentArg(args: Record<string, string> | undefined): string {
  const checked = checkIncidentNumber(args?.incident_number);
  if (!checked.ok) throw new McpError(ErrorCode.InvalidParams, `incident_number: ${checked.message}`);
  return checked.value;
}

function user(text: string): GetPromptResult['messages'][number] {
  return { role: 'user', content: { type: 'text', text } };
}

/** Builds prompt `name` from live data. @throws McpError for unknown prompts, bad arguments or API failures */
export async function getPrompt(client: RunframeClient, name: string, args: Record<string, string> | undefined, signal?: AbortSignal): Promise<GetPromptResult> {
  const now = Date.now();
  try {
    switch (name) {
      case 'triage_incident': {
        const number = incidentArg(args);
        const incident = await client.getIncident(number, signal);
        const [oncall, policy] = await Promise.all([
          incident.team_name ? client.getCurrentOnCall(incident.team_name, signal).catch(() => undefined) : Promise.resolve(undefined),
          incident.severity ? client.getEscalationPolicy(incident.severity, signal).catch(() => undefined) : Promise.resolve(undefined),
        ]);
        const keys = new Set(incident.services.map((s) => s.service_key));
        const relevant = oncall && { ...oncall, services: oncall.services.filter((s) => keys.has(s.service_key)) };
        const policyText = policy?.levels.length
          ? policy.levels.map((l) => `- Level ${l.level} (after ${l.delay_minutes ?? 0} min): ${l.targets.map((t) => t.name ?? t.email ?? t.type).join(', ')}`).join('\n')
          : '_Not available._';
        return {
          description: `Triage ${number}`,
          messages: [
            user(
              [
                `Triage incident ${number}. Using the data below:`,
                '1. Say in two sentences what is happening and who is affected.',
                '2. Check the severity against the impact and say whether it should change, and why.',
                `3. Say whether it is acknowledged${incident.acknowledged_at ? '' : ' (it is NOT: acknowledging is the first step)'} and who should own it, from who is on call.`,
                '4. List the next three concrete investigation or mitigation steps.',
                `5. Say whether to escalate (current level ${incident.escalation_level ?? DEFAULTS.escalationLevel}) or page anyone, and who. Do not page or escalate without my confirmation.`,
                '',
                incidentMarkdown(incident, now),
                '## On call for the affected services',
                '',
                relevant ? onCallMarkdown(relevant) : '_Not available._',
                `## Escalation policy for ${incident.severity ?? 'this severity'}`,
                '',
                policyText,
              ].join('\n'),
            ),
          ],
        };
      }
      case 'handoff_summary': {
        const team = args?.team_name?.trim() || undefined;
        const [open, oncall] = await Promise.all([client.listAllIncidents({ status: [...OPEN_STATUSES], team_name: team }, { signal }), client.getCurrentOnCall(team, signal)]);
        return {
          description: `Handoff summary${team ? ` for ${team}` : ''}`,
          messages: [
            user(
              [
                `Write the on-call handoff${team ? ` for the ${team} team` : ''}: what the next on-call must know in the first five minutes of their shift.`,
                'Cover, in this order: incidents that need action now (unacknowledged or SEV0/SEV1 first), incidents being watched and what "done" looks like for each, services with no on-call coverage, and anything to follow up. Be brief; use incident numbers.',
                '',
                `## Open incidents (${open.items.length})`,
                '',
                incidentTableMarkdown(open.items, now),
                onCallMarkdown(oncall),
              ].join('\n'),
            ),
          ],
        };
      }
      case 'draft_postmortem': {
        const number = incidentArg(args);
        const incident = await client.getIncident(number, signal);
        const state = incident.status === 'resolved' || incident.status === 'closed' ? '' : `\nNote: ${number} is still ${incident.status}; Runframe accepts a postmortem only once it is resolved.\n`;
        return {
          description: `Postmortem draft for ${number}`,
          messages: [
            user(
              [
                `Draft a blameless postmortem for ${number} from its data below.${state}`,
                `Return it as the arguments of runframe_create_postmortem: ${postmortemFieldsInWords()}.`,
                'Derive response_timeline from the timeline timestamps. Mark anything the data does not show as "unknown - to confirm" rather than inventing it. Show me the draft and wait for my go-ahead before calling the tool.',
                '',
                incidentMarkdown(incident, now),
              ].join('\n'),
            ),
          ],
        };
      }
      default:
        throw new McpError(ErrorCode.InvalidParams, `Unknown prompt "${name}". Prompts: ${PROMPTS.map((p) => p.name).join(', ')}.`);
    }
  } catch (err) {
    if (err instanceof McpError) throw err;
    if (err instanceof RunframeApiError) throw new McpError(err.status === 404 ? ErrorCode.InvalidParams : ErrorCode.InternalError, err.message);
    throw new McpError(ErrorCode.InternalError, err instanceof Error ? err.message : String(err));
  }
}

/** Registers prompts/list and prompts/get on `server`. */
export function registerPrompts(server: Server, client: RunframeClient): void {
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, (req, extra) => getPrompt(client, req.params.name, req.params.arguments, extra.signal));
}
