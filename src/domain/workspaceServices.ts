/**
 * A workspace's Runframe services: the committed file `.runframe.json` at a workspace folder's
 * root says which services the code in it belongs to, e.g.
 * `{ "services": ["svc_K7QW2M9XHP"] }`. The extension reads it (a "This workspace" section, the
 * status bar, Create Incident's preselection, the MCP server's instructions) and
 * `runframe-mcp check` reads it before a push or a deploy. Its JSON schema is
 * schemas/runframe.schema.json (a test keeps the two in step). Pure.
 */
import { LIMITS, MAJOR_SEVERITIES, OPEN_STATUSES } from './contract';
import { checkServiceKey, type Checked } from './identifiers';

/** The file's name, at the root of a workspace folder. */
export const WORKSPACE_SERVICES_FILE = '.runframe.json';

/** The file's content once checked. */
export interface WorkspaceServices {
  /** Normalised service keys, without repeats, in the file's order (1-50). */
  services: string[];
}

/**
 * Parses and checks the text of a `.runframe.json`.
 * @returns the services, or a message naming the field and the expected form (never throws)
 */
export function parseWorkspaceServices(text: string): Checked<WorkspaceServices> {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, message: `${WORKSPACE_SERVICES_FILE} is not valid JSON (${(err as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, message: `${WORKSPACE_SERVICES_FILE} must hold an object such as {"services": ["svc_K7QW2M9XHP"]}` };
  const list = (data as { services?: unknown }).services;
  const { min, max } = LIMITS.services;
  if (!Array.isArray(list) || list.length < min || list.length > max) return { ok: false, message: `services: a list of ${min}-${max} service keys is required` };
  const services: string[] = [];
  for (const [i, item] of list.entries()) {
    const key = checkServiceKey(item);
    if (!key.ok) return { ok: false, message: `services[${i}]: ${key.message}` };
    if (!services.includes(key.value)) services.push(key.value);
  }
  return { ok: true, value: { services } };
}

/** The text a `.runframe.json` is written with (two-space JSON and a final newline). */
export function formatWorkspaceServices(services: readonly string[]): string {
  return `${JSON.stringify({ services }, null, 2)}\n`;
}

/** What deciding whether an incident touches a service needs of it. */
export interface ServiceTouching {
  severity?: string;
  status?: string;
  services?: readonly { service_key: string }[];
}

/** True when `incident` is on at least one of `serviceKeys`. */
export function touchesServices(incident: ServiceTouching, serviceKeys: readonly string[]): boolean {
  return (incident.services ?? []).some((s) => serviceKeys.includes(s.service_key));
}

/**
 * The incidents that should stop a push or a deploy of code on `serviceKeys`: open (a status
 * before resolved) SEV0 or SEV1 incidents on any of them.
 */
export function blockingIncidents<T extends ServiceTouching>(incidents: readonly T[], serviceKeys: readonly string[]): T[] {
  return incidents.filter(
    (i) => (MAJOR_SEVERITIES as readonly string[]).includes(i.severity ?? '') && (OPEN_STATUSES as readonly string[]).includes(i.status ?? '') && touchesServices(i, serviceKeys),
  );
}
