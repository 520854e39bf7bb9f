/**
 * On-call tools: who is on call now, and the escalation policy of a severity. Runframe v1:
 * GET /on-call/current, GET /escalation-policies.
 */
import { z } from 'zod';
import type { EscalationPolicy, OnCallSnapshot } from '../../api/types';
import { LIMITS } from '../../domain/contract';
import { isoSeconds } from '../../domain/format';
import { severity } from '../schemas';
import { defineTool, READ, type ToolDefinition } from './define';
import { nstr, str } from './results';

const engineerSchema = z.object({ name: str, email: nstr, slack_user_id: nstr, role: nstr, schedule: nstr, from: nstr, until: nstr });
export const onCallSchema = z.object({
  at: nstr,
  services_total: z.number(),
  coverage_percent: z.number().nullable(),
  uncovered: z.array(z.object({ key: str, name: str, team: nstr })),
  services: z.array(z.object({ key: str, name: str, team: nstr, schedules: z.array(str), on_call: z.array(engineerSchema) })),
  note: z.string().optional(),
});

/**
 * Who is on call, per covered service (engineers with email, Slack id, role, schedule and shift
 * start and end), the coverage percentage, plus the services nobody covers.
 */
export function onCall(s: OnCallSnapshot) {
  const covered = s.services.filter((x) => x.has_coverage && x.on_call_engineers.length);
  return {
    at: s.timestamp ?? null,
    services_total: s.services.length,
    coverage_percent: s.summary?.coverage_percentage ?? (s.services.length ? Math.round((covered.length / s.services.length) * 1000) / 10 : null),
    uncovered: s.services.filter((x) => !covered.includes(x)).map((x) => ({ key: x.service_key, name: x.service_name, team: x.team_name ?? null })),
    services: covered.map((x) => ({
      key: x.service_key,
      name: x.service_name,
      team: x.team_name ?? null,
      schedules: x.schedule_names,
      on_call: x.on_call_engineers.map((e) => ({
        name: e.name, email: e.email ?? null, slack_user_id: e.slack_user_id ?? null, role: e.role ?? null, schedule: e.schedule_name ?? null, from: e.shift_starts_at ?? null, until: e.shift_ends_at ?? null,
      })),
    })),
  };
}

const t = (iso: string | null) => isoSeconds(iso) ?? '?';

/** One line per covered service: its engineers with email, Slack id, role, schedule and shift; then the uncovered ones. */
export function onCallText(o: ReturnType<typeof onCall>): string {
  const engineer = (e: ReturnType<typeof onCall>['services'][number]['on_call'][number]) =>
    `${e.name} <${e.email ?? '-'}> slack ${e.slack_user_id ?? '-'} [${[e.role, e.schedule].filter(Boolean).join(', ') || '-'}] ${t(e.from)} to ${t(e.until)}`;
  return [
    `on call at ${isoSeconds(o.at) ?? 'now'}: ${o.services.length} of ${o.services_total} services covered${o.coverage_percent !== null ? ` (${o.coverage_percent}%)` : ''}`,
    ...o.services.map((s) => `${s.name} (${s.key}, team ${s.team ?? '-'}; schedules ${s.schedules.join(', ') || '-'}): ${s.on_call.map(engineer).join('; ')}`),
    ...(o.uncovered.length ? [`NO COVERAGE: ${o.uncovered.map((s) => `${s.name} (${s.key}, team ${s.team ?? '-'})`).join(', ')}`] : []),
  ].join('\n');
}

export const policySchema = z.object({
  severity: nstr,
  levels: z.array(z.object({ level: z.number(), after_minutes: z.number().nullable(), notifies: z.array(str) })),
});
export function policy(p: EscalationPolicy) {
  return {
    severity: p.severity ?? null,
    levels: p.levels.map((l) => ({ level: l.level, after_minutes: l.delay_minutes ?? null, notifies: l.targets.map((t) => [t.name, t.email && `<${t.email}>`].filter(Boolean).join(' ') || t.type || '?') })),
  };
}

/** The tools of this area, in the reference server's order. */
export const ONCALL_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'runframe_get_current_oncall',
    title: 'Who is on call',
    description: 'Who is on call right now, per service: engineers with email, Slack id, role (primary, secondary), schedule and shift start and end; the coverage percentage, and which services have no coverage.',
    summary: 'who is on call per service (email, Slack id, schedule, shift), coverage %, uncovered services',
    scope: 'oncall:read',
    tier: 'read',
    annotations: READ,
    input: z.object({ team_name: z.string().min(1).max(LIMITS.search.max).optional().describe('Exact team name; all teams when omitted') }).strict(),
    output: onCallSchema,
    run: async (client, { team_name }, signal) => onCall(await client.getCurrentOnCall(team_name, signal)),
    render: onCallText,
  }),
  defineTool({
    name: 'runframe_get_escalation_policy',
    title: 'Get escalation policy',
    description: 'Get the escalation policy for a severity: its levels, delays and who each level notifies.',
    summary: 'the escalation policy for a severity, level by level',
    scope: 'oncall:read',
    tier: 'read',
    annotations: READ,
    input: z.object({ severity: severity.describe('SEV0 (critical) to SEV4') }).strict(),
    output: policySchema,
    run: async (client, { severity: sev }, signal) => policy(await client.getEscalationPolicy(sev, signal)),
  }),
];
