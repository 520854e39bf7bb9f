/**
 * Confirmations as forms: before a tool that notifies people (page, escalate) sends anything, a
 * client that declared the elicitation capability (form mode) is asked through
 * `elicitation/create` with a form that says who will be notified and lets the person edit what
 * is sent. Decline, cancel or no answer sends nothing. A client without the capability keeps its
 * own confirmation (the tools carry destructiveHint).
 *
 * MCP 2025-11-25, client/elicitation: form mode; `requestedSchema` is a flat object of primitive
 * fields (string with format email, titled single-select `oneOf [{const, title}]`, titled
 * multi-select `items.anyOf [{const, title}]`), with defaults the client pre-fills; an empty
 * `elicitation` capability means form mode.
 */
import type { ClientCapabilities, ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { RunframeClient } from '../api/client';
import { OPEN_STATUSES, PAGE_CHANNELS, type Incident, type PageChannel } from '../api/types';
import { DEFAULTS, LIMITS } from '../domain/contract';

/** Sends one form to the client and resolves with the person's answer. @throws when the client fails or does not answer in time */
export type Elicit = (form: ElicitRequestFormParams, signal: AbortSignal) => Promise<ElicitResult>;

type FormSchema = ElicitRequestFormParams['requestedSchema'];

/** A confirmation a tool asks for before it sends anything. */
export interface ConfirmForm {
  /** What the person reads above the form: what happens, to whom, about which incident */
  message: string;
  requestedSchema: FormSchema;
  /** The tool's arguments with the form's answer applied; the server checks them again with the tool's input schema */
  apply(content: Record<string, unknown>): Record<string, unknown>;
  /** What did not happen when the person says no, e.g. "nobody was paged" */
  notDone: string;
}

/** How long a person has to answer a form before the call gives up (sending nothing). */
export const FORM_TIMEOUT_MS = 10 * 60_000;

/** Whether the client declared form-mode elicitation (an empty `elicitation` object counts: MCP 2025-11-25). */
export function supportsFormElicitation(caps: ClientCapabilities | undefined): boolean {
  const e = caps?.elicitation as Record<string, unknown> | undefined;
  if (!e || typeof e !== 'object') return false;
  return 'form' in e || Object.keys(e).length === 0;
}

/** The outcome of asking: the arguments to run with, or the plain words for a result that sent nothing. */
export type Confirmation = { sent: true; args: Record<string, unknown> } | { sent: false; text: string };

/**
 * Asks the person with `form` and reads the answer. Never throws: a failed or unanswered form
 * sends nothing.
 */
export async function confirmByForm(form: ConfirmForm, elicit: Elicit, signal: AbortSignal): Promise<Confirmation> {
  let answer: ElicitResult;
  try {
    answer = await elicit({ mode: 'form', message: form.message, requestedSchema: form.requestedSchema }, signal);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { sent: false, text: `Nothing was sent: the confirmation form got no answer (${why}); ${form.notDone}.` };
  }
  if (answer.action === 'decline') return { sent: false, text: `Nothing was sent: the person declined in the confirmation form; ${form.notDone}. Do not try again unless they ask.` };
  if (answer.action !== 'accept') return { sent: false, text: `Nothing was sent: the person cancelled the confirmation form; ${form.notDone}.` };
  return { sent: true, args: form.apply((answer.content ?? {}) as Record<string, unknown>) };
}

const CHANNEL_TITLES: Record<PageChannel, string> = { slack: 'Slack', email: 'Email' };

const channelsField = (channels: readonly string[]) => ({
  type: 'array' as const,
  title: 'Channels',
  description: 'How the person is notified',
  minItems: 1,
  items: { anyOf: PAGE_CHANNELS.map((c) => ({ const: c, title: CHANNEL_TITLES[c] })) },
  default: [...channels],
});

const person = (name: string | undefined, email: string) => (name ? `${name} <${email}>` : email);
const incidentLine = (i: Incident) => `${i.incident_number}${i.severity ? ` (${i.severity})` : ''} "${i.title}"`;

/** Who is on call now for the incident's services, each once, in the services' order. Empty when unknown. */
async function onCallFor(client: RunframeClient, incident: Incident, signal: AbortSignal): Promise<{ name: string; email: string; services: string[] }[]> {
  const keys = new Set(incident.services.map((s) => s.service_key));
  const snapshot = await client.getCurrentOnCall(undefined, signal).catch(() => undefined);
  const people = new Map<string, { name: string; email: string; services: string[] }>();
  for (const svc of snapshot?.services ?? []) {
    if (!keys.has(svc.service_key)) continue;
    for (const e of svc.on_call_engineers) {
      if (!e.email) continue;
      const email = e.email.toLowerCase();
      const p = people.get(email) ?? { name: e.name, email, services: [] };
      if (!p.services.includes(svc.service_name)) p.services.push(svc.service_name);
      people.set(email, p);
    }
  }
  return [...people.values()];
}

/** The name of the user with exactly this email, when the directory says (users:read). */
async function nameOf(client: RunframeClient, email: string, signal: AbortSignal): Promise<string | undefined> {
  const page = await client.listUsers({ search: email, limit: 5 }, signal).catch(() => undefined);
  return page?.items.find((u) => u.email.toLowerCase() === email.toLowerCase())?.name;
}

/**
 * The form before paging a person (Runframe v1: POST /incidents/{number}/page). When people are on
 * call for the incident's services, the person is picked from them first (titled choices: name,
 * and the services they cover), then the person asked for; otherwise the email is a text field.
 * @throws RunframeApiError when the incident cannot be read (nothing is sent then either)
 */
export async function pageForm(client: RunframeClient, args: { incident_id: string; email: string; channels: readonly string[]; message?: string }, signal: AbortSignal): Promise<ConfirmForm> {
  const incident = await client.getIncident(args.incident_id, signal);
  const [onCall, requestedName] = await Promise.all([onCallFor(client, incident, signal), nameOf(client, args.email, signal)]);
  const requested = onCall.find((p) => p.email === args.email);
  const name = requested?.name ?? requestedName;
  const choices = [
    ...onCall.map((p) => ({ const: p.email, title: `${person(p.name, p.email)}, on call for ${p.services.join(', ')}` })),
    ...(requested ? [] : [{ const: args.email, title: person(name, args.email) }]),
  ];
  const emailField = onCall.length
    ? { type: 'string' as const, title: 'Person to page', description: 'On call for this incident\'s services first', oneOf: choices, default: args.email }
    : { type: 'string' as const, title: 'Person to page', description: name ? `${name}` : 'Email of the person', format: 'email' as const, default: args.email };
  const message = args.message ?? '';
  return {
    message: [
      `Page ${person(name, args.email)} about ${incidentLine(incident)} via ${args.channels.join(' and ')}?`,
      message ? `Message: ${message}` : 'No message.',
      'This sends a real notification. Change who, how or what below, or decline to send nothing.',
    ].join('\n'),
    requestedSchema: {
      type: 'object',
      properties: {
        email: emailField,
        channels: channelsField(args.channels),
        message: { type: 'string', title: 'Message', description: `For the person, at most ${LIMITS.pageMessage.max} characters`, maxLength: LIMITS.pageMessage.max, default: message },
      },
      required: ['email', 'channels'],
    },
    apply: (c) => {
      const text = typeof c.message === 'string' ? c.message : message;
      return { incident_id: args.incident_id, email: c.email ?? args.email, channels: c.channels ?? args.channels, ...(text.trim() ? { message: text } : {}) };
    },
    notDone: 'nobody was paged',
  };
}

/**
 * The form before escalating (Runframe v1: POST /incidents/{number}/escalate, body `{}`): names
 * the next level of the severity's escalation policy and its targets. The API takes nothing to
 * edit, so the form has no fields: accept escalates, decline or cancel does not.
 * @returns undefined when the API will refuse anyway and says why: the incident is not open (422) or already at the policy's last level (409)
 * @throws RunframeApiError when the incident cannot be read
 */
export async function escalateForm(client: RunframeClient, id: string, signal: AbortSignal): Promise<ConfirmForm | undefined> {
  const incident = await client.getIncident(id, signal);
  // Nothing to confirm when the API will refuse anyway (it says why): a closed or resolved incident.
  if (!(OPEN_STATUSES as readonly string[]).includes(incident.status ?? '')) return undefined;
  const current = incident.escalation_level ?? DEFAULTS.escalationLevel;
  const policy = incident.severity ? await client.getEscalationPolicy(incident.severity, signal).catch(() => undefined) : undefined;
  const next = policy?.levels.find((l) => l.level === current + 1);
  if (policy && !next) return undefined;
  const targets = next?.targets.map((t) => (t.email ? person(t.name, t.email) : t.name ?? t.type ?? '?')) ?? [];
  return {
    message: [
      `Escalate ${incidentLine(incident)} from level ${current} to level ${current + 1} of the ${incident.severity ? `${incident.severity} ` : ''}escalation policy?`,
      targets.length ? `Runframe notifies: ${targets.join('; ')}.` : `Who level ${current + 1} notifies could not be read from the escalation policy.`,
      'This sends real notifications. Decline to send nothing.',
    ].join('\n'),
    requestedSchema: { type: 'object', properties: {} },
    apply: () => ({ id }),
    notDone: 'the incident was not escalated and nobody was notified',
  };
}
