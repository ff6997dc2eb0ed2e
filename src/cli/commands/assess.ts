import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compileInstrument } from '../../shared/assessment/compile.js';
import { importInstrument } from '../../shared/assessment/instrument.json.js';
import { formatInstrumentIssues } from '../../shared/assessment/instrument.validate.js';
import type { Instrument } from '../../shared/assessment/instrument.schema.js';
import { LANGUAGES, type Language } from '../../shared/assessment/vocabulary.js';
import { parseAnswerFile } from '../../server/assessment/answer-file.js';
import { assessContact, type ContactAssessment } from '../../server/assessment/assess-contact.js';
import { DEFAULT_INSTRUMENT } from '../../server/assessment/default-instrument/index.js';
import { DEFAULT_PROTOCOLS } from '../../server/protocols/defaults/index.js';
import { DEFAULT_JURISDICTIONS, defaultJurisdiction } from '../../server/protocols/defaults/jurisdictions.js';
import type { TriggerReason } from '../../server/protocols/match.js';
import { CliError, output } from '../util.js';

/** Exit code for bad input (options, files): the same as `numberOption` in util.ts. */
const INPUT_ERROR = 2;

interface AssessOptions {
  hotline: string;
  instrument?: string;
  instrumentFile?: string;
  answers: string;
  jurisdiction?: string;
  lang: string;
  now?: string;
  json?: boolean;
}

/** `catalyst assess`: evaluate one answer file and show the levels, why, and the protocols and tasks it triggers. */
export function register(program: Command): void {
  program
    .command('assess')
    .description('evaluate a trafficking assessment answer file and show the levels, the explanation, and the protocols and tasks it triggers')
    .requiredOption('--hotline <slug>', 'hotline whose instrument and protocols apply')
    .option('--instrument <id>', 'instrument id; "default" is the instrument shipped with Catalyst')
    .option('--instrument-file <path>', 'evaluate a custom instrument exported as JSON')
    .requiredOption('--answers <file>', 'answer file (JSON, see docs/assessment.md)')
    .option('--jurisdiction <id>', `also list mandatory reports under a jurisdiction pack (${DEFAULT_JURISDICTIONS.map((pack) => pack.id).join(', ')})`)
    .option('--lang <lang>', 'language of rule and task texts (en, es, fr)', 'en')
    .option('--now <iso>', 'time the contact is assessed (default: now), for reproducible due times')
    .option('--json', 'print JSON')
    .action((options: AssessOptions) => runAssess(options));
}

export function runAssess(options: AssessOptions): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(options.hotline)) throw new CliError(`--hotline must be a hotline slug (lower-case letters, digits, "-"); got "${options.hotline}"`, INPUT_ERROR);
  if (!(LANGUAGES as readonly string[]).includes(options.lang)) throw new CliError(`--lang must be one of ${LANGUAGES.join(', ')} (got "${options.lang}")`, INPUT_ERROR);
  const lang = options.lang as Language;
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new CliError(`--now must be an ISO date-time (got "${options.now}")`, INPUT_ERROR);
  const jurisdiction = options.jurisdiction === undefined ? undefined : defaultJurisdiction(options.jurisdiction);
  if (options.jurisdiction !== undefined && !jurisdiction) {
    throw new CliError(`unknown jurisdiction pack "${options.jurisdiction}" (known: ${DEFAULT_JURISDICTIONS.map((pack) => pack.id).join(', ')})`, INPUT_ERROR);
  }

  const compiled = compileInstrument(loadInstrument(options));
  const parsed = parseAnswerFile(readJson(options.answers, 'answer file'), compiled);
  if (!parsed.ok) {
    throw new CliError(`invalid answer file ${options.answers}: ${parsed.issues.map((issue) => `${issue.key}: ${issue.message}`).join('; ')}`, INPUT_ERROR);
  }
  // Hotline-specific protocols live in the database (not wired yet): the defaults apply.
  const result = assessContact(compiled, DEFAULT_PROTOCOLS, parsed.answerFile, now, jurisdiction);
  output(options.json, { hotline: options.hotline, ...result }, () => describe(options.hotline, result, lang));
}

function loadInstrument(options: AssessOptions): Instrument {
  if (options.instrumentFile !== undefined) {
    const parsed = importInstrument(readText(options.instrumentFile, 'instrument file'));
    if (!parsed.ok) throw new CliError(`invalid instrument file ${options.instrumentFile}: ${formatInstrumentIssues(parsed.issues)}`, INPUT_ERROR);
    if (options.instrument !== undefined && options.instrument !== parsed.instrument.id) {
      throw new CliError(`--instrument "${options.instrument}" does not match the id "${parsed.instrument.id}" in ${options.instrumentFile}`, INPUT_ERROR);
    }
    return parsed.instrument;
  }
  if (options.instrument === undefined) throw new CliError('give --instrument default or --instrument-file <path>', INPUT_ERROR);
  if (options.instrument === 'default' || options.instrument === DEFAULT_INSTRUMENT.id) return DEFAULT_INSTRUMENT;
  throw new CliError(
    `instrument "${options.instrument}" of hotline "${options.hotline}" would be read from the database, which this command cannot do yet; use --instrument default or --instrument-file <path>`,
    INPUT_ERROR,
  );
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, INPUT_ERROR);
  }
}

function readJson(path: string, what: string): unknown {
  const content = readText(path, what);
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new CliError(`${what} ${path} is not valid JSON: ${(error as Error).message}`, INPUT_ERROR);
  }
}

function describe(hotline: string, result: ContactAssessment, lang: Language): string {
  const { assessment, context } = result;
  const lines: string[] = [
    `Hotline ${hotline} · instrument ${assessment.instrumentId} v${assessment.instrumentVersion} (${assessment.form} form) · person: ${assessment.person.ageGroup}`,
    `Levels: sex ${assessment.levels.sex.toUpperCase()}, labour ${assessment.levels.labour.toUpperCase()}`,
    '',
    'Why:',
  ];
  if (assessment.explanation.length === 0) lines.push('  no rule fired');
  for (const entry of assessment.explanation) {
    const answers = entry.matchedAnswers.map((a) => `${a.itemId}=${a.answer}`).join(', ');
    lines.push(`  ${entry.decisive ? '*' : ' '} ${entry.type} ${entry.level} [${entry.ruleKind}] ${entry.ruleId}: ${entry.ruleText[lang]}${answers ? ` (${answers})` : ''}`);
  }
  if (assessment.indicators.length > 0) lines.push('', `ILO indicators: ${assessment.indicators.map((i) => `${i.indicator} (${i.itemIds.join(', ')})`).join('; ')}`);
  if (assessment.redFlags.length > 0) lines.push(`Red flags: ${assessment.redFlags.map((g) => `${g.group} (${g.itemIds.join(', ')})`).join('; ')}`);
  if (assessment.polarisTypeSuggestions.length > 0) {
    lines.push(`Polaris typology suggestions: ${assessment.polarisTypeSuggestions.map((s) => `${s.number}. ${s.name}`).join('; ')}`);
  }
  if (assessment.ignoredAnswers.length > 0) lines.push(`Answers not counted (hidden by skip logic or age): ${assessment.ignoredAnswers.join(', ')}`);
  lines.push('', `Protocols (request type: ${context.requestType ?? 'not given'}; flags: ${context.flags.join(', ') || 'none'}):`);
  if (result.protocols.length === 0) lines.push('  none');
  for (const match of result.protocols) {
    const reasons = match.matchedClauses.flatMap((clause) => clause.reasons.map(describeReason));
    lines.push(`  ${match.protocol.id} — ${match.protocol.title[lang]}: ${[...new Set(reasons)].join(', ')}`);
  }
  lines.push('', 'Tasks:');
  if (result.tasks.length === 0) lines.push('  none');
  for (const task of result.tasks) {
    const due = task.dueWithinMinutes === 0 ? 'now' : `within ${formatMinutes(task.dueWithinMinutes)}`;
    lines.push(`  ${due.padEnd(14)} ${task.ownerRole.padEnd(10)} ${task.title[lang]}${task.escalateToSupervisorWhenOverdue ? ' [escalates when overdue]' : ''} (due ${task.dueAt})`);
  }
  if (result.requiredReports) {
    lines.push('', 'Mandatory reports:');
    if (result.requiredReports.length === 0) lines.push('  none');
    for (const report of result.requiredReports) lines.push(`  ${report.report} to ${report.agencyIds.join(', ')} within ${report.withinHours} h (${report.dutyId})`);
  }
  return lines.join('\n');
}

function describeReason(reason: TriggerReason): string {
  switch (reason.kind) {
    case 'request_type': return `request type ${reason.requestType}`;
    case 'level': return `${reason.type} level ${reason.level} (>= ${reason.atLeast})`;
    case 'flag': return `flag ${reason.flag}`;
    case 'without_flags': return `no ${reason.flags.join('/')} flag`;
  }
}

function formatMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
