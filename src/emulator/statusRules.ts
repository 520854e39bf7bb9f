/**
 * The emulator's own status rules, written out as a table on purpose and not taken from the
 * client's `allowedTransitions` (src/domain/order.ts): the two are compared by a test, so a wrong
 * rule on either side shows up instead of being agreed with. Part B (assumed) of
 * docs/runframe-api.md: forward along the lifecycle (steps may be skipped), resolved may reopen
 * to investigating, nothing leaves closed, and a change to the current status is rejected.
 */
const NEXT: Readonly<Record<string, readonly string[]>> = {
  new: ['investigating', 'fixing', 'monitoring', 'resolved', 'closed'],
  investigating: ['fixing', 'monitoring', 'resolved', 'closed'],
  fixing: ['monitoring', 'resolved', 'closed'],
  monitoring: ['resolved', 'closed'],
  resolved: ['investigating', 'closed'],
  closed: [],
};

/** The statuses an incident in `from` may change to; none for an unknown status. */
export function nextStatuses(from: string): readonly string[] {
  return Object.hasOwn(NEXT, from) ? NEXT[from] : [];
}
