import type { AssessmentResult } from './evaluate.js';
import { levelRank, type IndicatorLevel, type LevelsByType, type TraffickingType } from './vocabulary.js';

/**
 * Advocate overrides. The computed result is never changed: an override is recorded beside it with its reason, so
 * the record always shows what the instrument said, what the advocate decided and why.
 */
export interface LevelOverride {
  type: TraffickingType;
  /** Level the instrument computed. */
  computedLevel: IndicatorLevel;
  /** Level in force just before this override (a previous override may have changed it). */
  previousLevel: IndicatorLevel;
  level: IndicatorLevel;
  reason: string;
  overriddenBy: string;
  overriddenAt: string;
  direction: 'raised' | 'lowered';
}

export interface AssessmentOutcome {
  result: AssessmentResult;
  overrides: LevelOverride[];
  /** Levels in force: the computed levels with the latest override per type applied. */
  finalLevels: LevelsByType;
}

export interface OverrideRequest {
  type: TraffickingType;
  level: IndicatorLevel;
  reason: string;
  overriddenBy: string;
  overriddenAt: string;
}

export type OverrideRefusal = 'reason_required' | 'actor_required' | 'level_unchanged';
export type OverrideResult = { ok: true; outcome: AssessmentOutcome } | { ok: false; code: OverrideRefusal; message: string };

export function outcomeOf(result: AssessmentResult): AssessmentOutcome {
  return { result, overrides: [], finalLevels: { ...result.levels } };
}

export function applyOverride(outcome: AssessmentOutcome, request: OverrideRequest): OverrideResult {
  const reason = request.reason.trim();
  if (reason === '') return { ok: false, code: 'reason_required', message: 'an override needs a reason' };
  if (request.overriddenBy.trim() === '') return { ok: false, code: 'actor_required', message: 'an override must name who made it' };
  const previousLevel = outcome.finalLevels[request.type];
  if (previousLevel === request.level) {
    return { ok: false, code: 'level_unchanged', message: `the ${request.type} level is already ${request.level}` };
  }
  const override: LevelOverride = {
    type: request.type,
    computedLevel: outcome.result.levels[request.type],
    previousLevel,
    level: request.level,
    reason,
    overriddenBy: request.overriddenBy,
    overriddenAt: request.overriddenAt,
    direction: levelRank(request.level) > levelRank(previousLevel) ? 'raised' : 'lowered',
  };
  return {
    ok: true,
    outcome: {
      result: outcome.result,
      overrides: [...outcome.overrides, override],
      finalLevels: { ...outcome.finalLevels, [request.type]: request.level },
    },
  };
}
