/**
 * Where an incident stands against one SLA target (acknowledge or resolve), from its due time and
 * the time the target was reached. Pure; "now" is passed in (ms since epoch). Fields: Runframe v1
 * `sla.acknowledge_due_at` / `sla.resolve_due_at`, `acknowledged_at` / `resolved_at`
 * (docs/runframe-api.md, part B, assumed).
 */
import { formatSpan, formatUtc, isoToMs } from './format';

/**
 * - `none`: no due time known
 * - `met` / `missed`: the target was reached, before or after its due time
 * - `due` / `breached`: not reached yet, due time ahead or passed
 */
export type SlaKind = 'none' | 'met' | 'missed' | 'due' | 'breached';

export interface SlaStatus {
  kind: SlaKind;
  /** Words without markup: "due in 8m (Sat 21 Nov 14:05 UTC)", "breached 12m ago (due …)", "met (4m before due)" */
  text: string;
}

/**
 * The state of one SLA target.
 * @param due ISO due time (missing: no target)
 * @param doneAt ISO time the target was reached (acknowledged or resolved), if it was
 * @param nowMs now, ms since epoch
 */
export function slaStatus(due: string | null | undefined, doneAt: string | null | undefined, nowMs: number): SlaStatus {
  const dueMs = isoToMs(due);
  if (!dueMs) return { kind: 'none', text: 'no target' };
  const done = isoToMs(doneAt);
  const span = (ms: number) => formatSpan(Math.abs(ms), Math.round);
  if (done) return done <= dueMs ? { kind: 'met', text: `met (${span(dueMs - done)} before due)` } : { kind: 'missed', text: `missed by ${span(done - dueMs)}` };
  return nowMs <= dueMs
    ? { kind: 'due', text: `due in ${span(dueMs - nowMs)} (${formatUtc(due)})` }
    : { kind: 'breached', text: `breached ${span(nowMs - dueMs)} ago (due ${formatUtc(due)})` };
}
