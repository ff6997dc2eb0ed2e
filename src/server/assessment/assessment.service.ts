import './schema.js';
import type { z } from 'zod';
import type { overrideBody, previewAssessmentBody, recordAssessmentBody } from '../../shared/api/assessment.js';
import type { CompiledInstrument } from '../../shared/assessment/compile.js';
import { evaluateAssessment, type AssessmentResult } from '../../shared/assessment/evaluate.js';
import { applyOverride, outcomeOf, type AssessmentOutcome, type LevelOverride } from '../../shared/assessment/override.js';
import type { IndicatorLevel, TraffickingType } from '../../shared/assessment/vocabulary.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx, Tx } from '../db/db.js';
import { protocolContextFor } from '../protocols/context.js';
import { matchProtocols, planTasksForMatches, type ProtocolContext, type ProtocolMatch } from '../protocols/match.js';
import { mandatoryReports } from '../protocols/report-gate.js';
import type { ContactFlag, RequestType } from '../protocols/vocabulary.js';
import type { ActorContext } from '../queue/queue.service.js';
import { parseAnswerFile } from './answer-file.js';
import { contactForAction, type ContactFacts } from './contact-access.js';
import { instrumentFor, jurisdictionFor, protocolsFor } from './hotline-config.js';
import { createPlannedTasks } from './tasks.service.js';

type AnswerInput = z.infer<typeof recordAssessmentBody>;

/** Checks answers against the instrument: unknown items, invalid answers and contradictory ages are a 400 naming the key. */
function checkInput(compiled: CompiledInstrument, input: AnswerInput): Result<AnswerInput> {
  const parsed = parseAnswerFile({ person: input.person, answers: input.answers, form: input.form }, compiled);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    return fail('validation_failed', `${first.key}: ${first.message}`, { issues: parsed.issues.slice(0, 50) });
  }
  return ok(input);
}

function evaluate(compiled: CompiledInstrument, input: AnswerInput): AssessmentResult {
  return evaluateAssessment(compiled, input.answers, input.person, { form: input.form });
}

const presentMatch = (match: ProtocolMatch) => ({
  id: match.protocol.id,
  version: match.protocol.version,
  priority: match.protocol.priority,
  title: match.protocol.title,
  summary: match.protocol.summary,
  steps: match.protocol.steps,
  matchedClauses: match.matchedClauses,
});

/** Plans the response for a context without storing anything: the protocols that trigger, their tasks, required reports. */
async function planResponse(ctx: AppContext, hotlineId: string, context: ProtocolContext, now: Date) {
  const [protocols, jurisdiction] = await Promise.all([protocolsFor(ctx.db, hotlineId), jurisdictionFor(ctx.db, hotlineId)]);
  const matches = matchProtocols(protocols, context);
  const tasks = planTasksForMatches(matches, context, now);
  const requiredReports = mandatoryReports(jurisdiction.rules, { victimIsMinor: context.flags.includes('minor'), imminentDanger: context.flags.includes('imminent_danger'), levels: context.levels });
  return { matches, tasks, requiredReports };
}

/** The live panel: evaluate answers and show the protocols and tasks they would trigger. Nothing is stored or audited (no record is read). */
export async function previewAssessment(ctx: AppContext, who: ActorContext, input: z.infer<typeof previewAssessmentBody>, now = new Date()) {
  const compiled = await instrumentFor(ctx.db, who.actor.hotlineId);
  const checked = checkInput(compiled, input);
  if (!checked.ok) return checked;
  const result = evaluate(compiled, input);
  const context = protocolContextFor(result, { requestType: input.requestType as RequestType | undefined, flags: input.flags as ContactFlag[] });
  const { matches, tasks, requiredReports } = await planResponse(ctx, who.actor.hotlineId, context, now);
  return ok({ result, context, protocols: matches.map(presentMatch), tasks, requiredReports });
}

interface StoredAssessment {
  id: string;
  contactId: string;
  result: AssessmentResult;
  answers: AnswerInput;
  overrides: LevelOverride[];
  assessedBy: string | null;
  assessedAt: string;
}

async function loadAssessments(ctx: AppContext, db: DbOrTx, hotlineId: string, contactId: string, limit: number): Promise<StoredAssessment[]> {
  const rows = await db
    .selectFrom('assessment')
    .select(['id', 'contact_id', 'answers', 'result', 'assessed_by', 'assessed_at'])
    .where('hotline_id', '=', hotlineId)
    .where('contact_id', '=', contactId)
    .orderBy('assessed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const overrides = await db
    .selectFrom('assessment_override')
    .select(['assessment_id', 'type', 'computed_level', 'previous_level', 'level', 'direction', 'reason', 'overridden_by', 'overridden_at'])
    .where('hotline_id', '=', hotlineId)
    .where('assessment_id', 'in', rows.map((row) => row.id))
    .orderBy('overridden_at')
    .execute();
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      contactId: row.contact_id,
      result: JSON.parse(await ctx.keys.decrypt(hotlineId, 'assessment.result', row.result)) as AssessmentResult,
      answers: JSON.parse(await ctx.keys.decrypt(hotlineId, 'assessment.answers', row.answers)) as AnswerInput,
      overrides: await Promise.all(
        overrides
          .filter((o) => o.assessment_id === row.id)
          .map(async (o) => ({
            type: o.type as TraffickingType,
            computedLevel: o.computed_level as IndicatorLevel,
            previousLevel: o.previous_level as IndicatorLevel,
            level: o.level as IndicatorLevel,
            direction: o.direction as 'raised' | 'lowered',
            reason: await ctx.keys.decrypt(hotlineId, 'assessment_override.reason', o.reason),
            overriddenBy: o.overridden_by,
            overriddenAt: o.overridden_at.toISOString(),
          })),
      ),
      assessedBy: row.assessed_by,
      assessedAt: row.assessed_at.toISOString(),
    })),
  );
}

/** Rebuilds the outcome: computed levels with the stored overrides applied in order. */
function outcomeFor(stored: StoredAssessment): AssessmentOutcome {
  let outcome = outcomeOf(stored.result);
  for (const override of stored.overrides) {
    const applied = applyOverride(outcome, override);
    if (applied.ok) outcome = applied.outcome;
  }
  return outcome;
}

function presentAssessment(stored: StoredAssessment) {
  const outcome = outcomeFor(stored);
  return {
    id: stored.id,
    contactId: stored.contactId,
    instrument: { id: stored.result.instrumentId, version: stored.result.instrumentVersion },
    form: stored.result.form,
    person: stored.answers.person,
    ageGroup: stored.result.person.ageGroup,
    answers: stored.answers.answers,
    levels: stored.result.levels,
    finalLevels: outcome.finalLevels,
    overrides: stored.overrides,
    explanation: stored.result.explanation,
    result: stored.result,
    assessedBy: stored.assessedBy,
    assessedAt: stored.assessedAt,
  };
}
export type AssessmentView = ReturnType<typeof presentAssessment>;

/**
 * Runs the matched protocols for a contact in the caller's transaction: final levels (overrides applied) and the
 * contact's request type and flags, the minor flag added from the assessment. Creates the tasks not created yet.
 */
async function runProtocolsInTx(ctx: AppContext, tx: Tx, who: ActorContext, contact: ContactFacts, stored: StoredAssessment | undefined, outcome: AssessmentOutcome | undefined, now: Date) {
  const context: ProtocolContext = outcome
    ? protocolContextFor(outcome, { requestType: contact.requestType, flags: contact.flags })
    : { requestType: contact.requestType, levels: { sex: 'none', labour: 'none' }, flags: [...contact.flags].sort() };
  const { matches, tasks, requiredReports } = await planResponse(ctx, who.actor.hotlineId, context, now);
  const created = await createPlannedTasks(tx, who, contact, stored?.id ?? null, tasks, now);
  await appendAudit(tx, {
    hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'protocols.run', recordType: 'contact', recordId: contact.id, ip: who.ip,
    details: { assessmentId: stored?.id ?? null, protocols: matches.map((m) => `${m.protocol.id}@${m.protocol.version}`), createdTasks: created.map((task) => task.id) },
  });
  return { context, protocols: matches.map(presentMatch), createdTaskIds: created.map((task) => task.id), requiredReports };
}

/**
 * Records an assessment of a contact with the hotline's instrument and runs the protocols it triggers, in one
 * transaction: the stored result, the tasks and their audit rows commit together or not at all.
 */
export async function recordAssessment(ctx: AppContext, who: ActorContext, contactId: string, input: AnswerInput, now = new Date()) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'assessment.record');
  if (!contact.ok) return contact;
  const compiled = await instrumentFor(ctx.db, hotlineId);
  const checked = checkInput(compiled, input);
  if (!checked.ok) return checked;
  const result = evaluate(compiled, input);
  const answers = await ctx.keys.encrypt(hotlineId, 'assessment.answers', JSON.stringify({ person: input.person, answers: input.answers, form: input.form }));
  const sealedResult = await ctx.keys.encrypt(hotlineId, 'assessment.result', JSON.stringify(result));
  const run = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('assessment')
      .values({
        hotline_id: hotlineId, contact_id: contactId, instrument_id: result.instrumentId, instrument_version: result.instrumentVersion, form: result.form,
        age_group: result.person.ageGroup, sex_level: result.levels.sex, labour_level: result.levels.labour, answers, result: sealedResult,
        assessed_by: who.actor.id, assessed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'assessment.record', recordType: 'contact', recordId: contactId, ip: who.ip,
      details: { assessmentId: row.id, instrument: `${result.instrumentId}@${result.instrumentVersion}`, levels: result.levels },
    });
    const stored: StoredAssessment = { id: row.id, contactId, result, answers: input, overrides: [], assessedBy: who.actor.id, assessedAt: now.toISOString() };
    return { stored, ...(await runProtocolsInTx(ctx, tx, who, contact.value, stored, outcomeOf(result), now)) };
  });
  return ok({ assessment: presentAssessment(run.stored), protocols: run.protocols, createdTaskIds: run.createdTaskIds, requiredReports: run.requiredReports });
}

/** The latest assessment of a contact and its history (newest first, at most 50), decrypted; the read is audited. */
export async function readAssessments(ctx: AppContext, who: ActorContext, contactId: string) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'contact.read');
  if (!contact.ok) return contact;
  const stored = await ctx.db.transaction().execute(async (tx) => {
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'assessment.read', recordType: 'contact', recordId: contactId, ip: who.ip });
    return loadAssessments(ctx, tx, hotlineId, contactId, 50);
  });
  const views = stored.map(presentAssessment);
  return ok({ latest: views[0] ?? null, history: views });
}

/**
 * An advocate's override of the latest assessment: the computed result never changes; the override is stored beside it
 * with its reason (encrypted) and audited with the reason. Protocols then run on the final levels (new tasks only:
 * tasks already created stay, and are skipped with a reason if no longer needed).
 */
export async function overrideAssessment(ctx: AppContext, who: ActorContext, contactId: string, input: z.infer<typeof overrideBody>, now = new Date()) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'assessment.override');
  if (!contact.ok) return contact;
  const [latest] = await loadAssessments(ctx, ctx.db, hotlineId, contactId, 1);
  if (!latest) return fail('conflict', 'This contact has no assessment to override yet');
  const applied = applyOverride(outcomeFor(latest), { ...input, overriddenBy: who.actor.id, overriddenAt: now.toISOString() });
  if (!applied.ok) return fail(applied.code === 'level_unchanged' ? 'conflict' : 'validation_failed', applied.message, { reason: applied.code });
  const override = applied.outcome.overrides[applied.outcome.overrides.length - 1];
  const reason = await ctx.keys.encrypt(hotlineId, 'assessment_override.reason', override.reason);
  const run = await ctx.db.transaction().execute(async (tx) => {
    // Serialise overrides of one assessment so two at once cannot both compute from the same previous level.
    await tx.selectFrom('assessment').select('id').where('id', '=', latest.id).forUpdate().execute();
    const row = await tx
      .insertInto('assessment_override')
      .values({
        hotline_id: hotlineId, assessment_id: latest.id, type: override.type, computed_level: override.computedLevel, previous_level: override.previousLevel,
        level: override.level, direction: override.direction, reason, overridden_by: who.actor.id, overridden_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'assessment.override', recordType: 'contact', recordId: contactId, ip: who.ip, reason: override.reason,
      details: { assessmentId: latest.id, overrideId: row.id, type: override.type, computedLevel: override.computedLevel, previousLevel: override.previousLevel, level: override.level, direction: override.direction },
    });
    const stored = { ...latest, overrides: applied.outcome.overrides };
    return { stored, ...(await runProtocolsInTx(ctx, tx, who, contact.value, stored, applied.outcome, now)) };
  });
  return ok({ assessment: presentAssessment(run.stored), protocols: run.protocols, createdTaskIds: run.createdTaskIds, requiredReports: run.requiredReports });
}

/** Runs the protocols again (e.g. after the contact's flags or request type changed), on the latest assessment if any. */
export async function runProtocols(ctx: AppContext, who: ActorContext, contactId: string, now = new Date()) {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'assessment.record');
  if (!contact.ok) return contact;
  const [latest] = await loadAssessments(ctx, ctx.db, hotlineId, contactId, 1);
  const run = await ctx.db.transaction().execute((tx) => runProtocolsInTx(ctx, tx, who, contact.value, latest, latest ? outcomeFor(latest) : undefined, now));
  return ok(run);
}

export async function publishedInstrument(ctx: AppContext, who: ActorContext) {
  return (await instrumentFor(ctx.db, who.actor.hotlineId)).instrument;
}
