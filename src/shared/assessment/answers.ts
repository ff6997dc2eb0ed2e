import { z } from 'zod';
import type { CompiledInstrument } from './compile.js';
import { ageGroupSchema } from './vocabulary.js';

/** One answer set as stored or sent by the UI: item id -> answer, plus what is known of the person's age. */
export const answerSetSchema = z.strictObject({
  person: z
    .strictObject({ age: z.number().min(0).max(130).optional(), ageGroup: ageGroupSchema.optional() })
    .default({}),
  answers: z.record(z.string(), z.string()),
});
export type AnswerSet = z.output<typeof answerSetSchema>;

export type AnswerIssueCode = 'unknown_item' | 'invalid_answer';
export interface AnswerIssue {
  code: AnswerIssueCode;
  itemId: string;
  message: string;
}

/** Check answers against an instrument: every key must be an item and every value one of its answers. */
export function checkAnswers(compiled: CompiledInstrument, answers: Readonly<Record<string, unknown>>): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  for (const itemId of Object.keys(answers)) {
    const index = compiled.itemIndexById.get(itemId);
    if (answers[itemId] === undefined) continue; // an explicit undefined is "not answered" (JSON never has one)
    if (index === undefined) {
      issues.push({ code: 'unknown_item', itemId, message: `'${itemId}' is not an item of instrument '${compiled.instrument.id}' v${compiled.instrument.version}` });
      continue;
    }
    const answer = answers[itemId];
    const entry = compiled.items[index];
    if (typeof answer !== 'string' || !entry.validAnswers.has(answer)) {
      issues.push({ code: 'invalid_answer', itemId, message: `${JSON.stringify(answer)} is not a valid answer for '${itemId}' (expected one of: ${[...entry.validAnswers].join(', ')})` });
    }
  }
  return issues;
}
