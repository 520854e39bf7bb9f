/**
 * `runframe-mcp check`: a gate for a git pre-push hook or a CI step before a deploy. It asks the
 * Runframe API for open SEV0/SEV1 incidents and exits non-zero while one is on a service of this
 * code (the `--service` keys, or those of `.runframe.json`), naming each incident.
 *
 * Exit status: 0 clear (or overridden), 1 blocked by an incident, 2 cannot tell (no key, bad
 * arguments or file, API unreachable or refusing): a gate fails closed, and says how to override.
 * Source of the query: docs/runframe-api.md, GET /incidents `status` and `severity` (repeatable).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RunframeApiError, RunframeClient, RunframeInputError } from '../api';
import { MAJOR_SEVERITIES, OPEN_STATUSES } from '../domain/contract';
import { formatUtc } from '../domain/format';
import { checkApiKeyFormat, checkServiceKey } from '../domain/identifiers';
import { blockingIncidents, parseWorkspaceServices, WORKSPACE_SERVICES_FILE } from '../domain/workspaceServices';

/** The environment variable that lets one push or deploy through (any non-empty value but 0). */
export const OVERRIDE_ENV = 'RUNFRAME_ALLOW_OPEN_INCIDENTS';

export const CHECK_HELP = `Usage: runframe-mcp check [--service svc_...]... [--file PATH] [--allow-open-incidents]

Stops a push or a deploy while an open SEV0 or SEV1 incident is on one of this code's Runframe
services. The services are the --service keys, else those of --file, else those of
./${WORKSPACE_SERVICES_FILE} ({"services": ["svc_K7QW2M9XHP"]}).

Exit status: 0 no such incident (or overridden), 1 there is one (each is named), 2 the check
could not be made (no key, bad file, API unreachable): a gate fails closed.

Override once: --allow-open-incidents, or ${OVERRIDE_ENV}=1 (for git hooks, e.g.
${OVERRIDE_ENV}=1 git push). The incidents are still listed.

As a git pre-push hook (.git/hooks/pre-push, executable):
  #!/bin/sh
  exec npx -y @runframe-cockpit/mcp-server check

Environment: RUNFRAME_API_KEY (required, incidents:read), RUNFRAME_API_URL, RUNFRAME_TIMEOUT_MS.`;

/** Text from the API as a terminal may show it: control characters (escape sequences) become spaces. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** What one run of the check decided, for the CLI and for tests. */
export interface CheckOutcome {
  /** 0 clear or overridden, 1 blocked, 2 could not check */
  exitCode: 0 | 1 | 2;
  /** Lines for the person (stderr; stdout for --help, as the server's own --help) */
  lines: string[];
  /** True for --help */
  help?: boolean;
}

/**
 * Runs the check. Never throws: every failure becomes exit code 2 with a line saying why.
 * @param argv the arguments after `check`
 * @param env process environment (RUNFRAME_API_KEY, RUNFRAME_API_URL, RUNFRAME_TIMEOUT_MS, RUNFRAME_ALLOW_OPEN_INCIDENTS)
 * @param cwd where ./.runframe.json is looked for
 */
export async function runDeployCheck(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CheckOutcome> {
  const cannot = (why: string): CheckOutcome => ({ exitCode: 2, lines: [`runframe-mcp check: ${why}`, `Could not check for open incidents. To go ahead anyway: ${OVERRIDE_ENV}=1 (or --allow-open-incidents).`] });
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { service: { type: 'string', multiple: true }, file: { type: 'string' }, 'allow-open-incidents': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    return { exitCode: 2, lines: [`runframe-mcp check: ${(err as Error).message}`, CHECK_HELP] };
  }
  if (values.help) return { exitCode: 0, lines: [CHECK_HELP], help: true };

  let services: string[];
  if (values.service?.length) {
    services = [];
    for (const raw of values.service) {
      const key = checkServiceKey(raw);
      if (!key.ok) return cannot(`--service: ${key.message}`);
      services.push(key.value);
    }
  } else {
    const path = resolve(cwd, values.file ?? WORKSPACE_SERVICES_FILE);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return cannot(`no services to check: ${path} cannot be read. Give --service svc_... or write ${WORKSPACE_SERVICES_FILE} (VS Code: "Runframe: Set Workspace Services").`);
    }
    const parsed = parseWorkspaceServices(text);
    if (!parsed.ok) return cannot(`${path}: ${parsed.message}`);
    services = parsed.value.services;
  }

  const key = checkApiKeyFormat(env.RUNFRAME_API_KEY);
  if (!key.ok) return cannot(`RUNFRAME_API_KEY: ${key.message}`);
  const timeoutMs = env.RUNFRAME_TIMEOUT_MS ? Number(env.RUNFRAME_TIMEOUT_MS) : undefined;
  // The same range the server accepts (cli.ts); a value out of it is said, not ignored.
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)) {
    return cannot(`RUNFRAME_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000 (got "${String(env.RUNFRAME_TIMEOUT_MS).slice(0, 40)}")`);
  }
  let incidents;
  try {
    const client = new RunframeClient({ apiKey: key.value, baseUrl: env.RUNFRAME_API_URL || undefined, timeoutMs });
    incidents = (await client.listAllIncidents({ status: [...OPEN_STATUSES], severity: [...MAJOR_SEVERITIES] })).items;
  } catch (err) {
    // The client's errors already say what happened and what to do, without the key.
    return cannot(err instanceof RunframeApiError || err instanceof RunframeInputError || err instanceof Error ? err.message : String(err));
  }

  const blocking = blockingIncidents(incidents, services);
  const names = services.join(', ');
  if (!blocking.length) return { exitCode: 0, lines: [`runframe-mcp check: no open SEV0/SEV1 incident on ${names}.`] };
  const lines = [`runframe-mcp check: ${blocking.length} open SEV0/SEV1 incident${blocking.length === 1 ? '' : 's'} on ${names}:`];
  for (const i of blocking) {
    const on = (i.services ?? []).filter((s) => services.includes(s.service_key)).map((s) => `${s.name ?? s.service_key} (${s.service_key})`).join(', ');
    lines.push(`  ${i.incident_number} ${i.severity} ${i.status}${i.acknowledged_at ? '' : ', unacknowledged'}: "${printable(i.title ?? '')}" on ${printable(on)}, opened ${formatUtc(i.created_at)}`);
  }
  const override = values['allow-open-incidents'] ? '--allow-open-incidents' : env[OVERRIDE_ENV] && env[OVERRIDE_ENV] !== '0' ? `${OVERRIDE_ENV}=${env[OVERRIDE_ENV]}` : undefined;
  if (override) return { exitCode: 0, lines: [...lines, `Going ahead anyway (${override}).`] };
  return { exitCode: 1, lines: [...lines, `Stopped: resolve ${blocking.length === 1 ? 'it' : 'them'} first, or go ahead once with ${OVERRIDE_ENV}=1 (e.g. ${OVERRIDE_ENV}=1 git push) or --allow-open-incidents.`] };
}
