/**
 * The emulator's idea of "now" can be shifted, so tests can run the demo data as it would look
 * at another time of day or on another date (on-call shifts, SLA deadlines, ages) without
 * waiting for it.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a clock offset such as "+7h", "3d", "-90m", "45s", "0" (units: ms, s, m, h, d; a sign
 * is optional; only 0 may go without a unit).
 * @returns the offset in ms
 * @throws Error saying the accepted form when the text is not one
 */
export function parseClockOffset(text: string): number {
  const m = /^\s*([+-]?)(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m || (!m[3] && Number(m[2]) !== 0)) {
    throw new Error(`clock offset "${text.slice(0, 40)}" is not a duration; use a number with a unit (ms, s, m, h, d), e.g. +7h, 3d or -90m`);
  }
  const ms = Number(m[2]) * UNIT_MS[(m[3] ?? 'ms').toLowerCase()] * (m[1] === '-' ? -1 : 1);
  // Ten years either way is plenty; beyond it dates stop meaning anything in the demo data.
  if (!Number.isFinite(ms) || Math.abs(ms) > 3650 * UNIT_MS.d) throw new Error(`clock offset "${text.slice(0, 40)}" is more than ten years`);
  return Math.round(ms);
}
