import type { AssessmentResult } from '../../shared/assessment/evaluate.js';
import type { AssessmentOutcome } from '../../shared/assessment/override.js';
import type { ProtocolContext } from './match.js';
import type { ContactFlag, RequestType } from './vocabulary.js';

/**
 * Build the protocol context from an assessment: final levels (overrides applied) and the `minor` flag whenever the
 * assessment found the person to be a minor, so the minors protocol cannot be missed by forgetting to tick a box.
 */
export function protocolContextFor(
  assessment: AssessmentResult | AssessmentOutcome,
  contact: { requestType?: RequestType; flags?: readonly ContactFlag[] },
): ProtocolContext {
  const result = 'result' in assessment ? assessment.result : assessment;
  const levels = 'finalLevels' in assessment ? assessment.finalLevels : result.levels;
  const flags = new Set<ContactFlag>(contact.flags ?? []);
  if (result.person.ageGroup === 'minor') flags.add('minor');
  return { requestType: contact.requestType, levels: { ...levels }, flags: [...flags].sort() };
}
