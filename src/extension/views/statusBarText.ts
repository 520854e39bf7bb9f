/**
 * What the status bar says: the open SEV0/SEV1 incidents and the unacknowledged open incidents
 * (the same count as the Incidents view's badge, unacknowledgedCount; alarm when a SEV0/SEV1 is
 * unacknowledged),
 * whether the key's user is on call now, the environment and when data was last updated. Pure.
 */
import type { Incident, OnCallSnapshot } from '../../api/types';
import { isOnCallNow, type CurrentUser } from './incidentFilters';
import { clockTime, escapeMarkdown } from '../../domain/format';
import { MAJOR_SEVERITIES } from '../../domain/contract';
import { blockingIncidents, WORKSPACE_SERVICES_FILE } from '../../domain/workspaceServices';
import { isUnacknowledged, unacknowledgedCount } from '../../domain/attention';

export interface StatusBarModel {
  /** With codicons, e.g. "$(flame) 2 SEV0/1 · 3 unacked  $(bell) On call" (unacked: every severity, as the badge) */
  text: string;
  /** Markdown */
  tooltip: string;
  /** True when a SEV0/SEV1 is unacknowledged: the item gets the error background */
  alarm: boolean;
  /** undefined when the user is unknown */
  onCall?: boolean;
  /** Accessible label (no codicons) */
  accessibilityLabel: string;
}


/**
 * @param incidents open incidents, or undefined before the first load
 * @param updatedAt ms since epoch of the last successful refresh
 * @param error what the last refresh failed with, in words
 * @param problem the same in a few words ("key rejected", "offline or wrong URL"), shown when there is nothing else to show
 * @param workspaceServices service keys of this workspace's .runframe.json: an open SEV0/SEV1 on one is named first
 */
export function statusBarModel(args: { incidents?: readonly Incident[]; oncall?: OnCallSnapshot; user?: CurrentUser; environment: string; updatedAt?: number; error?: string; problem?: string; workspaceServices?: readonly string[] }): StatusBarModel {
  const major = (args.incidents ?? []).filter((i) => (MAJOR_SEVERITIES as readonly string[]).includes(i.severity ?? ''));
  // Open SEV0/SEV1 on a service of this workspace's code (.runframe.json): said first, by number.
  const here = blockingIncidents(args.incidents ?? [], args.workspaceServices ?? []);
  const unacked = major.filter(isUnacknowledged);
  const unackedAll = unacknowledgedCount(args.incidents ?? []);
  const onCall = args.user?.email && args.oncall ? isOnCallNow(args.user, args.oncall) : undefined;
  const hereText = here.length ? `${here.length === 1 ? `${here[0].incident_number} ${here[0].severity}` : `${here.length} SEV0/1`} on this workspace · ` : '';
  const counts = args.incidents === undefined ? (args.error ? `Runframe: ${args.problem ?? 'refresh failed'}` : '…') : `${hereText}${major.length ? `${major.length} SEV0/1` : 'No SEV0/1'}${unackedAll ? ` · ${unackedAll} unacked` : ''}`;
  const icon = args.error ? '$(warning)' : unacked.length ? '$(flame)' : major.length ? '$(error)' : '$(pass)';
  const oncallText = onCall === undefined ? '' : onCall ? '  $(bell) On call' : '  $(bell-slash) Off call';
  const lines = [`**Runframe · ${escapeMarkdown(args.environment)}**`, ''];
  if (here.length) {
    lines.push(`**On this workspace's services** (${WORKSPACE_SERVICES_FILE}):`);
    for (const i of here) lines.push(`- ${i.severity} ${escapeMarkdown(i.incident_number)} ${escapeMarkdown(i.title)}${isUnacknowledged(i) ? ' — **unacknowledged**' : ''}`);
    lines.push('');
  }
  if (args.incidents !== undefined) {
    lines.push(`${unackedAll} unacknowledged open incident${unackedAll === 1 ? '' : 's'} (every severity, as the Incidents badge).`, '');
    lines.push(major.length ? `${major.length} open SEV0/SEV1 incident${major.length === 1 ? '' : 's'}, ${unacked.length} unacknowledged:` : 'No open SEV0/SEV1 incidents.');
    for (const i of major.slice(0, 8)) lines.push(`- ${i.severity} ${escapeMarkdown(i.incident_number)} ${escapeMarkdown(i.title)}${isUnacknowledged(i) ? ' — **unacknowledged**' : ''}`);
    if (major.length > 8) lines.push(`- … and ${major.length - 8} more`);
  }
  if (onCall !== undefined) lines.push('', onCall ? `You (${escapeMarkdown(args.user?.name ?? args.user?.email ?? '')}) are on call now.` : 'You are not on call now.');
  if (args.error) lines.push('', `Last refresh failed: ${escapeMarkdown(args.error)}`);
  if (args.updatedAt) lines.push('', `Updated ${clockTime(args.updatedAt)}. Click to open the Incidents view.`);
  const plainOnCall = onCall === undefined ? '' : onCall ? ', you are on call' : ', you are not on call';
  return {
    text: `${icon} ${counts}${oncallText}`,
    tooltip: lines.join('\n'),
    alarm: unacked.length > 0,
    onCall,
    accessibilityLabel: `Runframe ${args.environment}: ${counts.replaceAll('SEV0/1', 'SEV0 or SEV1 incidents').replaceAll('unacked', 'unacknowledged')}${plainOnCall}`,
  };
}
