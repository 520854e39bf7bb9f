/**
 * Create Incident as a five-step input (multiStepInput.ts): title, severity, affected services,
 * description, then a review that lists every field with "Create" and "Edit …" rows. Nothing is
 * sent before "Create"; Back keeps what was typed; closing with something typed asks first.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunframeClient } from '../../api/client';
import type { Service } from '../../api/types';
import { DEFAULTS, LIMITS, textLength } from '../../domain/contract';
import { requireClient, runAction, type Cockpit } from './cockpit';
import { describeError } from '../errorMessages';
import { runSteps, type Step, type StepIO } from './multiStepInput';
import { loadAllServices, severityItems } from './pickers';

/** What the person has entered so far. */
interface Draft {
  title: string;
  severity: string;
  services: Service[];
  description: string;
}

const TITLE = 'Runframe: Create Incident';

function titleStep(d: Draft): Step {
  return async (io) => {
    const { exit, value } = await io.inputBox({
      prompt: 'Title: what is broken, as people will search for it',
      placeholder: 'e.g. Checkout API returning 502s',
      value: d.title,
      validate: (v) => (!v.trim() ? 'An incident needs a title.' : textLength(v.trim()) > LIMITS.title.max ? `At most ${LIMITS.title.max} characters (${textLength(v.trim())} now).` : undefined),
    });
    d.title = value;
    return exit === 'accept' ? 'next' : exit;
  };
}

function severityStep(d: Draft): Step {
  return async (io) => {
    const items = severityItems(undefined, d.severity);
    const { exit, selected } = await io.pick({ placeholder: 'Severity', items, active: items.find((i) => i.picked) });
    if (exit === 'accept') d.severity = selected[0].severity;
    return exit === 'accept' ? 'next' : exit;
  };
}

/**
 * Services load once in the background; a failure is shown as a row whose Enter loads again.
 * The workspace's services (.runframe.json) are listed first and ticked on the first visit.
 */
function servicesStep(d: Draft, client: RunframeClient, workspaceServices: readonly string[]): Step {
  let visited = false;
  let loading: Promise<Service[]> | undefined;
  const load = () => (loading ??= loadAllServices(client).catch((err: unknown) => {
    loading = undefined;
    throw err;
  }));
  void load().catch(() => undefined);
  return async (io) => {
    let services: Service[] | undefined;
    while (!services) {
      try {
        services = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading Runframe services…' }, load);
      } catch (err) {
        const { exit } = await io.pick({ placeholder: 'The services could not be loaded', items: [{ label: '$(refresh) Load the services again', detail: describeError(err) }] });
        if (exit !== 'accept') return exit;
      }
    }
    if (!services.length) {
      void vscode.window.showErrorMessage('Runframe lists no services, and an incident needs at least one.');
      return 'back';
    }
    const ours = (s: Service) => workspaceServices.includes(s.service_key);
    const items = [...services.filter(ours), ...services.filter((s) => !ours(s))].map((s) => ({
      label: s.name,
      description: ours(s) ? `${s.service_key} · this workspace` : s.service_key,
      detail: [s.team_name, s.description].filter(Boolean).join(' · ') || undefined,
      service: s,
    }));
    if (!visited && !d.services.length) d.services = services.filter(ours);
    visited = true;
    const keys = new Set(d.services.map((s) => s.service_key));
    const { exit, selected } = await io.pick({
      placeholder: 'Affected services: type to filter, Enter ticks the highlighted one (or click its box); Enter with an empty filter goes on',
      emptyMessage: 'Tick at least one service: type part of its name and press Enter, or click its box',
      items,
      selected: items.filter((i) => keys.has(i.service.service_key)),
      canSelectMany: true,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    d.services = selected.map((s) => s.service);
    return exit === 'accept' ? 'next' : exit;
  };
}

function descriptionStep(d: Draft): Step {
  return async (io) => {
    const { exit, value } = await io.inputBox({
      prompt: 'Description (optional): impact, what you know so far',
      value: d.description,
      validate: (v) => (textLength(v) > LIMITS.description.max ? `At most ${LIMITS.description.max.toLocaleString('en')} characters.` : undefined),
    });
    d.description = value;
    return exit === 'accept' ? 'next' : exit;
  };
}

/** The review: every field, "Create" first; choosing a field goes to its step and back here. */
function reviewStep(d: Draft, created: { confirmed: boolean }): Step {
  return async (io: StepIO) => {
    const none = '(none)';
    const items = [
      { label: '$(check) Create', description: 'send it to Runframe', target: -1 },
      { label: `Title: ${d.title.trim()}`, description: 'Edit field', target: 0 },
      { label: `Severity: ${d.severity}`, description: 'Edit field', target: 1 },
      { label: `Services: ${d.services.map((s) => s.name).join(', ') || none}`, description: 'Edit field', target: 2 },
      { label: `Description: ${d.description.trim() || none}`, description: 'Edit field', target: 3 },
    ];
    const { exit, selected } = await io.pick({ placeholder: 'Review: Enter on "Create" sends it; Enter on a field edits it', items, active: items[0] });
    if (exit !== 'accept') return exit;
    const target = selected[0].target;
    if (target >= 0) return { goto: target };
    created.confirmed = true;
    return 'next';
  };
}

/**
 * Runframe v1: POST /incidents with an Idempotency-Key made once per incident as reviewed, so
 * Retry (and the client's own retries) can never create it twice. Sent only after the review's
 * "Create". A failure offers "Edit", which comes back to the review with everything as typed
 * (sending the same fields again reuses their Idempotency-Key).
 * @param previous what was typed and sent before, when coming back from a failure
 */
export async function createIncident(deps: Cockpit, previous?: { draft: Draft; sent: { body: string; key: string } }): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const draft: Draft = previous?.draft ?? { title: '', severity: DEFAULTS.severity, services: [], description: '' };
  const review = { confirmed: false };
  const done = await runSteps({
    title: TITLE,
    startAt: previous ? 4 : 0,
    steps: [titleStep(draft), severityStep(draft), servicesStep(draft, client, deps.workspace.services), descriptionStep(draft), reviewStep(draft, review)],
    isDirty: () => Boolean(draft.title.trim() || draft.services.length || draft.description.trim()),
    discardQuestion: 'Discard the new incident?',
  });
  if (!done || !review.confirmed) return;
  const body = { title: draft.title.trim(), severity: draft.severity, service_ids: draft.services.map((s) => s.service_key), description: draft.description.trim() || undefined };
  const sent = JSON.stringify(body);
  const idempotencyKey = previous?.sent.body === sent ? previous.sent.key : randomUUID();
  await runAction(deps, {
    title: `Creating "${body.title}"…`,
    failure: 'create the incident',
    run: async (c) => {
      const r = await c.createIncident(body, { idempotencyKey });
      deps.markOwn(r.incident_number); // the success toast says it; no "new incident" announcement too
      return r;
    },
    success: (r) => `Created ${r.incident_number} (${r.severity ?? body.severity}): ${r.title}.`,
    successActions: [
      { label: 'Open', run: (r) => vscode.commands.executeCommand('runframe.openIncident', r.incident_number) },
      { label: 'Acknowledge', run: (r) => vscode.commands.executeCommand('runframe.acknowledgeIncident', r.incident_number) },
    ],
    failureActions: [{ label: 'Edit', run: () => createIncident(deps, { draft, sent: { body: sent, key: idempotencyKey } }) }],
  });
}
