/** Stand statistics from the scan facts on the device (pure; tested with the screen in e2e). */
export interface StandStats {
  today: number;
  total: number;
  unique: number;
  /** Visits per local hour of today, 0–23. */
  perHour: number[];
}

export function standStats(scans: readonly { participantId: string; occurredAt: string }[], now: Date): StandStats {
  const perHour = Array.from({ length: 24 }, () => 0);
  const startOfDay = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const endOfDay = startOfDay + 86_400_000;
  let today = 0;
  const people = new Set<string>();
  for (const s of scans) {
    people.add(s.participantId);
    const at = new Date(s.occurredAt);
    const ms = at.getTime();
    if (ms >= startOfDay && ms < endOfDay) {
      today += 1;
      perHour[at.getHours()] = (perHour[at.getHours()] ?? 0) + 1;
    }
  }
  return { today, total: scans.length, unique: people.size, perHour };
}
