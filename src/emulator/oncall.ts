/**
 * Who is on call now, computed from the rotations at request time so the demo stays "live".
 * Shape: Runframe v1 GET /on-call/current (docs/runframe-api.md part A, snake_case).
 */
import type { OnCallEngineer, OnCallService, OnCallSnapshot } from '../api/types';
import type { EmulatorState, ScheduleRecord } from './model';

const HOUR = 3_600_000;

/** The shift of `schedule` that contains `nowMs`: index, holder's email, start and end (ms). */
export function currentShift(schedule: ScheduleRecord, nowMs: number): { index: number; email: string; startMs: number; endMs: number } | undefined {
  if (schedule.rotation.length === 0) return undefined;
  const len = schedule.shift_hours * HOUR;
  const epoch = Date.parse(schedule.epoch);
  const index = Math.floor((nowMs - epoch) / len);
  const email = schedule.rotation[((index % schedule.rotation.length) + schedule.rotation.length) % schedule.rotation.length];
  return { index, email, startMs: epoch + index * len, endMs: epoch + (index + 1) * len };
}

/**
 * The on-call snapshot for every service (or one team's services).
 * @param teamName exact team name, or undefined for all teams
 */
export function onCallSnapshot(state: EmulatorState, nowMs: number, teamName?: string): OnCallSnapshot {
  const users = new Map(state.users.map((u) => [u.email, u]));
  const teams = new Map(state.teams.map((t) => [t.name, t]));
  const services: OnCallService[] = [];
  for (const svc of state.services) {
    if (teamName !== undefined && svc.team_name !== teamName) continue;
    const engineers: OnCallEngineer[] = [];
    const scheduleNames: string[] = [];
    for (const schedule of state.schedules) {
      if (!schedule.service_keys.includes(svc.service_key)) continue;
      const shift = currentShift(schedule, nowMs);
      const user = shift && users.get(shift.email);
      if (!shift || !user || !user.is_active) continue;
      scheduleNames.push(schedule.name);
      engineers.push({
        shift_id: `${schedule.id}:${shift.index}`,
        id: user.id,
        name: user.name,
        email: user.email,
        slack_user_id: user.slack_user_id,
        role: schedule.role,
        schedule_id: schedule.id,
        schedule_name: schedule.name,
        shift_starts_at: new Date(shift.startMs).toISOString(),
        shift_ends_at: new Date(shift.endMs).toISOString(),
      });
    }
    const primary = engineers.find((e) => e.role === 'primary') ?? engineers[0];
    services.push({
      service_key: svc.service_key,
      service_name: svc.name,
      service_description: svc.description,
      team_name: svc.team_name,
      team_description: teams.get(svc.team_name)?.description ?? null,
      has_coverage: engineers.length > 0,
      primary_on_call: primary ? { id: primary.id, name: primary.name, role: primary.role } : null,
      schedule_names: scheduleNames,
      on_call_engineers: engineers,
    });
  }
  const covered = services.filter((s) => s.has_coverage).length;
  return {
    timestamp: new Date(nowMs).toISOString(),
    summary: {
      total_services: services.length,
      services_with_coverage: covered,
      services_without_coverage: services.length - covered,
      coverage_percentage: services.length ? Math.round((covered / services.length) * 1000) / 10 : 0,
    },
    services,
  };
}
