/**
 * Every concrete shift the covering model may choose: each pattern × allowed day × start time ×
 * placement of its breaks. Explicit break placements (rather than Aykin's implicit break model)
 * because they gave the smaller gap in our measurements (SCHEDULING.md §3, variants E and F).
 * The week is cyclic: a shift starting Sunday 22:00 covers Monday's first hours.
 */
import { MINUTES_PER_WEEK, type ParsedShiftCoveringInput } from '../../shared/scheduling/schemas.js';

export interface ShiftBreak {
  /** Minutes after Monday 00:00 (may exceed one week for a shift that wraps; take it modulo the week). */
  readonly startMinuteOfWeek: number;
  readonly lengthMinutes: number;
  readonly isPaid: boolean;
}

export interface CandidateShift {
  readonly patternId: string;
  readonly day: number;
  readonly startMinuteOfWeek: number;
  readonly lengthMinutes: number;
  readonly breaks: readonly ShiftBreak[];
  readonly paidHours: number;
  readonly cost: number;
  /** Interval indexes (0…n−1) when this shift is on duty and not on a break, ascending. */
  readonly coveredIntervals: readonly number[];
}

export function candidateShifts(input: ParsedShiftCoveringInput): CandidateShift[] {
  const step = input.intervalMinutes;
  const intervalsPerWeek = MINUTES_PER_WEEK / step;
  const shifts: CandidateShift[] = [];
  for (const pattern of input.patterns) {
    const unpaidMinutes = (placement: readonly ShiftBreak[]) => placement.filter((b) => !b.isPaid).reduce((sum, b) => sum + b.lengthMinutes, 0);
    for (const day of new Set(pattern.days)) {
      for (const startOfDay of new Set(pattern.startMinutesOfDay)) {
        const start = day * 24 * 60 + startOfDay;
        for (const placement of breakPlacements(pattern.breaks, start, step)) {
          const paidHours = (pattern.lengthMinutes - unpaidMinutes(placement)) / 60;
          const covered: number[] = [];
          for (let minute = start; minute < start + pattern.lengthMinutes; minute += step) {
            const onBreak = placement.some((b) => minute >= b.startMinuteOfWeek && minute < b.startMinuteOfWeek + b.lengthMinutes);
            if (!onBreak) covered.push((minute / step) % intervalsPerWeek);
          }
          shifts.push({
            patternId: pattern.id,
            day,
            startMinuteOfWeek: start,
            lengthMinutes: pattern.lengthMinutes,
            breaks: placement,
            paidHours,
            cost: paidHours * pattern.costPerPaidHour,
            coveredIntervals: covered.sort((a, b) => a - b),
          });
        }
      }
    }
  }
  return shifts;
}

/** Every way to place the pattern's breaks on the interval grid without two breaks overlapping. */
function breakPlacements(breaks: ParsedShiftCoveringInput['patterns'][number]['breaks'], shiftStart: number, step: number): ShiftBreak[][] {
  let placements: ShiftBreak[][] = [[]];
  for (const b of breaks) {
    const next: ShiftBreak[][] = [];
    for (const partial of placements) {
      for (let offset = b.earliestStartMinutes; offset <= b.latestStartMinutes; offset += step) {
        const candidate = { startMinuteOfWeek: shiftStart + offset, lengthMinutes: b.lengthMinutes, isPaid: b.isPaid };
        const overlaps = partial.some((p) => candidate.startMinuteOfWeek < p.startMinuteOfWeek + p.lengthMinutes && p.startMinuteOfWeek < candidate.startMinuteOfWeek + candidate.lengthMinutes);
        if (!overlaps) next.push([...partial, candidate]);
      }
    }
    placements = next;
  }
  return placements;
}
