import { z } from 'zod';
import { answerSetSchema, checkAnswers } from '../../shared/assessment/answers.js';
import type { CompiledInstrument } from '../../shared/assessment/compile.js';
import { resolveAgeGroup, AssessmentInputError } from '../../shared/assessment/evaluate.js';
import { formatPath } from '../../shared/assessment/instrument.validate.js';
import { contactFlagSchema, requestTypeSchema } from '../protocols/vocabulary.js';

/**
 * The answer file read by `catalyst assess` (documented in docs/assessment.md): one answer set plus the contact facts
 * protocols need. The same shape is what the API will accept for a contact's assessment.
 */
export const answerFileSchema = answerSetSchema.extend({
  requestType: requestTypeSchema.optional(),
  flags: z.array(contactFlagSchema).default([]),
  form: z.enum(['short', 'full']).default('full'),
});
export type AnswerFile = z.output<typeof answerFileSchema>;

export interface AnswerFileIssue {
  /** The key at fault, e.g. `answers.ilo_debt` or `person.age`. */
  key: string;
  message: string;
}
export type ParseAnswerFileResult = { ok: true; answerFile: AnswerFile } | { ok: false; issues: AnswerFileIssue[] };

export function parseAnswerFile(raw: unknown, compiled: CompiledInstrument): ParseAnswerFileResult {
  const shaped = answerFileSchema.safeParse(raw);
  if (!shaped.success) {
    return {
      ok: false,
      issues: shaped.error.issues.map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const path = formatPath([...issue.path, ...(keys.length === 1 ? keys : [])]);
        return { key: path, message: issue.message };
      }),
    };
  }
  const issues: AnswerFileIssue[] = checkAnswers(compiled, shaped.data.answers).map((issue) => ({ key: `answers.${issue.itemId}`, message: issue.message }));
  try {
    resolveAgeGroup(shaped.data.person, compiled.instrument.minorAgeBelow);
  } catch (error) {
    if (!(error instanceof AssessmentInputError)) throw error;
    issues.push({ key: 'person', message: error.message });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answerFile: shaped.data };
}
