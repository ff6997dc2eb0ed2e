import type { CompiledInstrument } from '../../shared/assessment/compile.js';
import { evaluateAssessment, type AssessmentResult } from '../../shared/assessment/evaluate.js';
import { protocolContextFor } from '../protocols/context.js';
import type { JurisdictionRules } from '../protocols/jurisdiction.schema.js';
import { matchProtocols, planTasksForMatches, type PlannedTask, type ProtocolContext, type ProtocolMatch } from '../protocols/match.js';
import type { Protocol } from '../protocols/protocol.schema.js';
import { mandatoryReports, type RequiredReport } from '../protocols/report-gate.js';
import type { AnswerFile } from './answer-file.js';

export interface ContactAssessment {
  assessment: AssessmentResult;
  context: ProtocolContext;
  protocols: ProtocolMatch[];
  tasks: PlannedTask[];
  /** Reports the jurisdiction requires, when a jurisdiction was given. */
  requiredReports?: RequiredReport[];
}

/**
 * One contact from answers to response: evaluate the instrument, match the protocols on the resulting levels and
 * contact flags, and plan the tasks. Pure (time is passed in); the service layer will persist the result.
 */
export function assessContact(
  compiled: CompiledInstrument,
  protocols: readonly Protocol[],
  answerFile: AnswerFile,
  now: Date,
  jurisdiction?: JurisdictionRules,
): ContactAssessment {
  const assessment = evaluateAssessment(compiled, answerFile.answers, answerFile.person, { form: answerFile.form });
  const context = protocolContextFor(assessment, { requestType: answerFile.requestType, flags: answerFile.flags });
  const matches = matchProtocols(protocols, context);
  const tasks = planTasksForMatches(matches, context, now);
  const requiredReports = jurisdiction
    ? mandatoryReports(jurisdiction, { victimIsMinor: context.flags.includes('minor'), imminentDanger: context.flags.includes('imminent_danger'), levels: context.levels })
    : undefined;
  return { assessment, context, protocols: matches, tasks, ...(requiredReports ? { requiredReports } : {}) };
}
