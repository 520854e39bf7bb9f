/**
 * Announcements of new high-severity incidents: notifications with Acknowledge, Open and Ask
 * Copilot buttons. (Not "alerts": in incident response an alert is the monitoring signal that
 * opens an incident.) Which incidents to announce is decided by the pure incidentsToAnnounce;
 * what was announced is kept per environment in global state, so a reload or a second refresh
 * never repeats one.
 */
import * as vscode from 'vscode';
import type { Incident } from '../../api/types';
import * as settings from '../state/settings';
import { incidentsToAnnounce, type AnnouncementMemory } from './announcementRules';
import { isUnacknowledged } from '../../domain/attention';

/** More new incidents than this at once become one summary notification. */
const MAX_INDIVIDUAL = 3;

/** Notifies about new incidents, remembering per environment (global state) what was announced. */
export class IncidentAnnouncer {
  /** Numbers the person created or re-rated here since the last look: not announced to them */
  readonly #own = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Records that the person made this change themselves (created the incident, changed its
   * severity), so the next look does not announce it back to them.
   */
  markOwn(incidentNumber: string): void {
    this.#own.add(incidentNumber);
  }

  /**
   * Looks at a fresh list of open incidents of environment `scope` and notifies about the new ones.
   * @param scope e.g. the environment id or "sandbox"
   */
  async observe(scope: string, incidents: readonly Incident[]): Promise<void> {
    // The stored name keeps the word it had before "alerts" became "announcements": renaming it
    // would forget what was announced and repeat those notifications once.
    const key = `runframe.alerts.${scope}`;
    const threshold = settings.notificationsMinimumSeverity();
    const own = new Set(this.#own);
    const { announce, raised, memory } = incidentsToAnnounce(incidents, threshold, this.state.get<AnnouncementMemory>(key), own);
    // Forget own marks once the list shows them (a later change by someone else is news again).
    const listed = new Set(incidents.map((i) => i.incident_number));
    for (const n of own) if (listed.has(n)) this.#own.delete(n);
    await this.state.update(key, memory);
    if (!announce.length) return;
    this.log.info(`New incidents at or above ${threshold}: ${announce.map((i) => i.incident_number).join(', ')}`);
    if (announce.length > MAX_INDIVIDUAL) {
      const worst = announce[0].severity ?? '';
      const show = vscode.window.showWarningMessage(`${announce.length} new incidents at ${threshold} or above (worst: ${worst} ${announce[0].incident_number} ${announce[0].title}).`, 'Show Incidents');
      void show.then((c) => c && vscode.commands.executeCommand('runframe.incidents.focus'));
      return;
    }
    for (const incident of announce) void this.#notify(incident, raised.has(incident.incident_number));
  }

  async #notify(incident: Incident, raised: boolean): Promise<void> {
    const unacked = isUnacknowledged(incident);
    const services = incident.services.map((s) => s.name ?? s.service_key).join(', ');
    const what = raised ? `${incident.incident_number} raised to ${incident.severity}` : `New ${incident.severity} incident ${incident.incident_number}`;
    const text = `${what}: ${incident.title}${services ? ` (${services})` : ''}${unacked ? ', unacknowledged' : `, acknowledged by ${incident.assigned_to?.name ?? 'someone'}`}.`;
    const buttons = [...(unacked ? ['Acknowledge'] : []), 'Open', 'Ask Copilot'];
    const show = incident.severity === 'SEV0' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const choice = await show(text, ...buttons);
    if (choice === 'Acknowledge') await vscode.commands.executeCommand('runframe.acknowledgeIncident', incident.incident_number);
    if (choice === 'Open') await vscode.commands.executeCommand('runframe.openIncident', incident.incident_number);
    if (choice === 'Ask Copilot') await vscode.commands.executeCommand('runframe.askCopilot', incident.incident_number);
  }
}
