/**
 * Postmortem tools: create one for a resolved incident, get it. Runframe v1: /postmortems.
 */
import { z } from 'zod';
import type { Postmortem } from '../../api/types';
import { LIMITS } from '../../domain/contract';
import { actionItemStatus, email, incidentRef } from '../schemas';
import { defineTool, READ, WRITE, type ToolDefinition } from './define';
import { str } from './results';

/** Postmortems keep every field the API sent: they are the content the model works on. */
export const postmortemSchema = z.looseObject({ incident_number: str });
export function postmortem(p: Postmortem) {
  return { ...p };
}

/** A free-text postmortem section. */
const postmortemText = z.string().max(LIMITS.postmortemText.max).optional();

/** The postmortem body fields, shared by create_postmortem. */
const postmortemFields = {
  summary: postmortemText.describe('What happened'),
  root_cause: postmortemText.describe('Root cause analysis'),
  resolution: postmortemText.describe('How it was fixed'),
  impact: z
    .object({
      duration: z.string().max(200).optional(),
      users_affected: z.string().max(500).optional(),
      services_affected: z.array(z.string().max(200)).max(LIMITS.services.max).optional(),
      revenue_impact: z.string().max(500).optional(),
    })
    .strict()
    .optional()
    .describe('Impact details'),
  timeline: z
    .array(z.object({ timestamp: z.string().max(64), description: z.string().min(1).max(2000) }).strict())
    .max(200)
    .optional()
    .describe('Timeline of events'),
  action_items: z
    .array(
      z
        .object({
          text: z.string().min(1).max(2000),
          owner_email: email('Owner email').optional(),
          due_date: z.string().max(32).optional().describe('YYYY-MM-DD'),
          status: actionItemStatus.default('pending'),
        })
        .strict(),
    )
    .max(100)
    .optional()
    .describe('Follow-up action items'),
  contributing_factors: postmortemText,
  detection_path: postmortemText,
  monitoring_gaps: postmortemText,
  response_timeline: z
    .object({
      time_to_acknowledge: z.string().max(100).optional(),
      time_to_identify: z.string().max(100).optional(),
      time_to_resolve: z.string().max(100).optional(),
    })
    .strict()
    .optional(),
  five_whys: postmortemText,
  executive_summary: postmortemText,
  prevented_recurrence: postmortemText,
};

/** The tools of this area, in the reference server's order. */
export const POSTMORTEM_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'runframe_create_postmortem',
    title: 'Create postmortem',
    description: 'Create the postmortem of a resolved or closed incident. Which fields are required depends on the organization\'s postmortem level; a rejection lists the missing ones.',
    summary: 'write the postmortem of a resolved incident',
    scope: 'postmortems:write',
    tier: 'write',
    annotations: WRITE,
    input: z.object({ incident_number: incidentRef(), ...postmortemFields }).strict(),
    output: postmortemSchema,
    run: async (client, args, signal) => postmortem(await client.createPostmortem(args, signal)),
  }),
  defineTool({
    name: 'runframe_get_postmortem',
    title: 'Get postmortem',
    description: 'Get the postmortem of an incident.',
    summary: 'the postmortem of an incident',
    scope: 'postmortems:read',
    tier: 'read',
    annotations: READ,
    input: z.object({ incident_number: incidentRef() }).strict(),
    output: postmortemSchema,
    run: async (client, { incident_number }, signal) => postmortem(await client.getPostmortem(incident_number, signal)),
  }),
];
