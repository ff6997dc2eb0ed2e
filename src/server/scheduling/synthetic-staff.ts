/**
 * Seeded synthetic staff for tests, benchmarks and demos: names from the project's generator, a mix
 * of full- and part-time contracts, languages, supervisors, recurring unavailability, some leave,
 * preferences and a history. Never real people.
 */
import type { Staff } from '../../shared/scheduling/roster-schemas.js';
import { syntheticPerson } from '../synthetic/people.js';
import { Random } from '../synthetic/random.js';

export interface SyntheticStaffOptions {
  readonly count: number;
  readonly seed: number | string;
  /** The Monday of the rostered week, for leave dates. */
  readonly weekStart: string;
  /** Fraction who cannot work nights (22:00–07:00). Default 0.25. */
  readonly noNights?: number;
  /** Fraction with a week-day they never work. Default 0.5. */
  readonly oneDayOff?: number;
  /** Fraction with two days of leave this week. Default 0.05. */
  readonly onLeave?: number;
}

export function syntheticStaff(options: SyntheticStaffOptions): Staff[] {
  const random = new Random(`staff:${options.seed}`);
  const staff: Staff[] = [];
  for (let i = 0; i < options.count; i++) {
    const r = random.fork(`member-${i}`);
    const person = syntheticPerson(r, 'US');
    const isPartTime = r.chance(0.2);
    const languages = ['en'];
    if (person.culture === 'es' || r.chance(0.25)) languages.push('es');
    if (r.chance(0.1)) languages.push('fr');
    // Every fifth person a supervisor, every tenth on-call qualified: enough for the night floor.
    const supervisor = i % 5 === 0 ? 'full' : i % 10 === 3 ? 'onCall' : 'none';
    const unavailable: NonNullable<Staff['unavailable']> = [];
    if (supervisor === 'none' && r.chance(options.noNights ?? 0.25)) unavailable.push({ days: [0, 1, 2, 3, 4, 5, 6], startMinute: 22 * 60, endMinute: 31 * 60 });
    if (r.chance(options.oneDayOff ?? 0.5)) unavailable.push({ days: [r.int(0, 6)], startMinute: 0, endMinute: 24 * 60 });
    const leave: NonNullable<Staff['leave']> = [];
    if (r.chance(options.onLeave ?? 0.05)) {
      const day = r.int(0, 5);
      leave.push({ from: addDays(options.weekStart, day), to: addDays(options.weekStart, day + 1), kind: 'annual' });
    }
    staff.push({
      id: `s${String(i + 1).padStart(3, '0')}`,
      name: `${person.givenName} ${person.familyName}`,
      contract: isPartTime ? { minHoursPerWeek: 16, maxHoursPerWeek: 24 } : { minHoursPerWeek: 30, maxHoursPerWeek: 40 },
      skills: { languages, channels: r.chance(0.85) ? ['voice', 'chat'] : ['voice'], supervisor },
      unavailable,
      leave,
      preferences: {
        preferredDays: r.chance(0.3) ? [r.int(0, 4), r.int(0, 4)] : [],
        avoidDays: r.chance(0.3) ? [r.int(5, 6)] : [],
        avoidNights: r.chance(0.3),
      },
      history: {
        consecutiveDaysWorked: r.int(0, 3),
        recentNightShifts: r.int(0, 6),
        recentWeekendShifts: r.int(0, 4),
        ...(r.chance(0.5) ? { lastShiftEndMinute: -r.int(2, 40) * 60 } : {}),
      },
    });
  }
  return staff;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
