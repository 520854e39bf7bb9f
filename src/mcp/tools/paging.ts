/**
 * Tools that notify people: escalate an incident to the next level of its escalation policy,
 * and page a person. Runframe v1: POST /incidents/{number}/escalate and /page.
 */
import { z } from 'zod';
import type { PageResult } from '../../api/types';
import { LIMITS, PAGE_CHANNELS } from '../../domain/contract';
import { escalateForm, pageForm } from '../elicitation';
import { email, incidentRef, pageChannel } from '../schemas';
import { defineTool, NOTIFY, type ToolDefinition } from './define';
import { incidentTool } from './incidents';
import { nstr, str } from './results';

export const pageResultSchema = z.object({ paged: z.boolean(), incident: nstr, email: nstr, channels: z.array(str), urgency: nstr });

export function pageResult(r: PageResult) {
  return { paged: r.paged, incident: r.incident_number ?? null, email: r.email ?? null, channels: r.channels ?? [], urgency: r.urgency ?? null };
}

/** The tools of this area, in the reference server's order. */
export const PAGING_TOOLS: readonly ToolDefinition[] = [
  incidentTool({
    name: 'runframe_escalate_incident',
    title: 'Escalate incident',
    description: 'Escalate an incident to the next level of its severity\'s escalation policy. Sends real notifications to the people at that level.',
    summary: 'next level of the severity\'s escalation policy (notifies people)',
    scope: 'incidents:write',
    tier: 'page',
    annotations: NOTIFY,
    call: (client, id, signal) => client.escalateIncident(id, signal),
    confirm: (client, { id }, signal) => escalateForm(client, id, signal),
  }),
  defineTool({
    name: 'runframe_page_someone',
    title: 'Page someone',
    description: 'Page a person about an incident by email via the channels given (slack and/or email; at least one, no default). Sends real notifications; urgency follows the incident severity.',
    summary: `page a person by email via ${PAGE_CHANNELS.join(' and/or ')} (notifies people)`,
    scope: 'incidents:write',
    tier: 'page',
    annotations: NOTIFY,
    input: z
      .object({
        incident_id: incidentRef(),
        email: email('Email of the person to page (find it with runframe_find_user)'),
        // Required, as in Runframe's own server: a real notification is never sent on a default.
        channels: z.array(pageChannel).min(1).max(PAGE_CHANNELS.length).describe(`Delivery channels, at least one of ${PAGE_CHANNELS.join(', ')}: ask the person which; there is no default`),
        message: z.string().max(LIMITS.pageMessage.max).optional().describe(`Message for the person, at most ${LIMITS.pageMessage.max} characters`),
      })
      .strict(),
    output: pageResultSchema,
    confirm: (client, args, signal) => pageForm(client, args, signal),
    run: async (client, { incident_id, email: to, channels, message }, signal) =>
      pageResult(await client.pageSomeone(incident_id, { email: to, channels: [...new Set(channels)], message }, signal)),
  }),
];
