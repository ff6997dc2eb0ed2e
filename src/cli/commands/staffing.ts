import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { calculatorInputSchema } from '../../shared/scheduling/schemas.js';
import { rosterInputSchema, type RosterInput } from '../../shared/scheduling/roster-schemas.js';
import { assignStaff, type RosterResult } from '../../server/scheduling/roster-assign.js';
import { planRoster, planRosterInputSchema, type PlanRosterInput } from '../../server/scheduling/roster-plan.js';
import { calculateStaffing, type CalculatorResult } from '../../server/scheduling/calculator.js';
import { erlangCMetrics, leastAgentsErlangC } from '../../server/scheduling/erlang.js';
import { erlangAMetrics, leastAgentsErlangA } from '../../server/scheduling/erlang-a.js';
import { CliError, numberOption, output } from '../util.js';
import { backtest, forecastContacts, forecastInputSchema } from '../../server/scheduling/forecast.js';

interface ErlangOptions {
  arrivalsPerHour: string;
  ahtSeconds: string;
  targetSeconds: string;
  agents?: string;
  patienceSeconds?: string;
  serviceLevel: string;
  maxOccupancy?: string;
  maxAbandonment?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const staffing = program.command('staffing').description('staffing maths: Erlang C/A queues and a staffing calculator (no database needed)');

  staffing
    .command('erlang')
    .description('service level, ASA and occupancy for N agents; without --agents, the least agents meeting --service-level')
    .requiredOption('--arrivals-per-hour <n>', 'mean contacts arriving per hour')
    .requiredOption('--aht-seconds <s>', 'average handle time in seconds, wrap-up included')
    .requiredOption('--target-seconds <t>', 'answer-time target in seconds (the 20 in 80/20)')
    .option('--agents <n>', 'agents answering; omit to find the least that meet --service-level')
    .option('--patience-seconds <p>', "callers' mean patience before hanging up: switches to Erlang A and reports abandonment")
    .option('--service-level <fraction>', 'target fraction answered within --target-seconds, below 1', '0.8')
    .option('--max-occupancy <fraction>', 'upper bound on occupancy when searching for agents (default: none)')
    .option('--max-abandonment <fraction>', 'with --patience-seconds: upper bound on the fraction who hang up, when searching for agents')
    .option('--json', 'machine-readable output')
    .action((opts: ErlangOptions) => {
      const result = asCliError(() => runErlang(opts));
      output(opts.json, result, () => describeErlang(result));
    });

  staffing
    .command('roster')
    .description('assign named staff to shifts under the wellness rules; with "patterns" in the file, choose the shifts first (see docs/scheduling.md)')
    .requiredOption('--input <file.json>', 'a roster input (shifts, staff, required per interval), or { "roster": …, "patterns": [...] }')
    .option('--json', 'machine-readable output: assignments, debriefs, coverage per interval, gaps, violations')
    .action(async (opts: { input: string; json?: boolean }) => {
      const json = await readJson(opts.input);
      const result = await runRoster(json, opts.input);
      output(opts.json, result, () => describeRoster(result));
    });

  staffing
    .command('calculate')
    .description('FTE and cost for a hotline being designed, from annual contacts per channel (see docs/scheduling.md for the input file)')
    .requiredOption('--input <file.json>', 'calculator input: channels with annualContacts, targets, shrinkage, floor, costs')
    .option('--json', 'machine-readable output, including every interval and the service-level curves')
    .action(async (opts: { input: string; json?: boolean }) => {
      const input = await readCalculatorInput(opts.input);
      const result = asCliError(() => calculateStaffing(input));
      output(opts.json, result, () => describeCalculation(result));
    });

  staffing
    .command('forecast')
    .description('contacts per channel per half-hour for coming weeks from whole weeks of history, with a backtest (WAPE) on held-out weeks')
    .requiredOption('--input <file.json>', '{ historyStart (a Monday), history: { <channel>: [336 per week] }, horizonWeeks?, events?: [{ date, factor }] }')
    .option('--holdout-weeks <n>', 'weeks held out for the backtest', '2')
    .option('--json', 'machine-readable output: every half-hour of the forecast and the backtest')
    .action(async (opts: { input: string; holdoutWeeks: string; json?: boolean }) => {
      const parsed = forecastInputSchema.safeParse(await readJson(opts.input));
      if (!parsed.success) throw new CliError(`--input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`, 2);
      const holdout = numberOption('--holdout-weeks', opts.holdoutWeeks, { integer: true, min: 1 }) ?? 2;
      const result = { forecast: forecastContacts(parsed.data), backtest: backtest(parsed.data, holdout) };
      output(opts.json, result, () =>
        [
          `Forecast from ${result.forecast.weekStart}, ${result.forecast.weeks} week(s), half-hourly:`,
          ...result.forecast.channels.map((c) => {
            const wape = result.backtest?.channels.find((b) => b.id === c.id)?.wape;
            return `  ${c.id}: ${c.weeklyTotals.map((w) => w.toFixed(0)).join(' / ')} contacts per week; trend ${c.trendPerWeek.toFixed(1)}/week; WAPE ${wape === undefined ? 'n/a (too little history)' : wape === null ? 'n/a (no contacts)' : `${(wape * 100).toFixed(1)} %`}`;
          }),
        ].join('\n'),
      );
    });
}

export interface ErlangReport {
  readonly model: 'erlangC' | 'erlangA';
  readonly agents: number;
  readonly offeredLoad: number;
  readonly probabilityOfWaiting: number;
  readonly serviceLevel: number;
  readonly asaSeconds: number | null;
  readonly occupancy: number;
  readonly abandonment: number | null;
  /** Why ASA is null: the agents cannot keep up with the arrivals. */
  readonly unstableReason: string | null;
  /** Present when the agent count was searched for. */
  readonly targetServiceLevel: number | null;
}

export function runErlang(opts: ErlangOptions): ErlangReport {
  const arrivalsPerHour = required('arrivals-per-hour', opts.arrivalsPerHour, { min: 0 });
  const ahtSeconds = required('aht-seconds', opts.ahtSeconds, { min: 0 });
  if (ahtSeconds === 0) throw new CliError('--aht-seconds must be above 0', 2);
  const targetSeconds = required('target-seconds', opts.targetSeconds, { min: 0 });
  const agents = numberOption('agents', opts.agents, { min: 0, integer: true });
  const patienceSeconds = numberOption('patience-seconds', opts.patienceSeconds, { min: 0 });
  if (patienceSeconds === 0) throw new CliError('--patience-seconds must be above 0 (omit it for Erlang C: callers who never hang up)', 2);
  const maxOccupancy = numberOption('max-occupancy', opts.maxOccupancy, { min: 0 });
  if (maxOccupancy !== undefined && !(maxOccupancy > 0 && maxOccupancy <= 1)) throw new CliError(`--max-occupancy must be above 0 and at most 1 (got "${opts.maxOccupancy}")`, 2);
  const maxAbandonment = numberOption('max-abandonment', opts.maxAbandonment, { min: 0 });
  if (maxAbandonment !== undefined && !(maxAbandonment > 0 && maxAbandonment <= 1)) throw new CliError(`--max-abandonment must be above 0 and at most 1 (got "${opts.maxAbandonment}")`, 2);
  if (maxAbandonment !== undefined && patienceSeconds === undefined) throw new CliError('--max-abandonment needs --patience-seconds (Erlang C callers never hang up)', 2);
  const serviceLevel = required('service-level', opts.serviceLevel, { min: 0 });
  if (serviceLevel >= 1) throw new CliError(`--service-level must be a fraction below 1, such as 0.8 (got "${opts.serviceLevel}")`, 2);

  const queue = { arrivalsPerHour, ahtSeconds, targetSeconds };
  const targetServiceLevel = agents === undefined ? serviceLevel : null;
  if (patienceSeconds === undefined) {
    const m = agents === undefined ? leastAgentsErlangC({ ...queue, serviceLevel, maxOccupancy }) : erlangCMetrics({ ...queue, agents });
    return { model: 'erlangC', ...pick(m), abandonment: null, unstableReason: m.unstableReason, targetServiceLevel };
  }
  const m = agents === undefined ? leastAgentsErlangA({ ...queue, patienceSeconds, serviceLevel, maxOccupancy, maxAbandonment }) : erlangAMetrics({ ...queue, patienceSeconds, agents });
  return { model: 'erlangA', ...pick(m), abandonment: m.probabilityOfAbandonment, unstableReason: m.unstableReason, targetServiceLevel };
}

/** The maths refuses impossible inputs with a RangeError; on the command line that is a usage error. */
function asCliError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message, 2);
    throw error;
  }
}

function pick(m: { agents: number; offeredLoad: number; probabilityOfWaiting: number; serviceLevel: number; asaSeconds: number | null; occupancy: number }) {
  return { agents: m.agents, offeredLoad: m.offeredLoad, probabilityOfWaiting: m.probabilityOfWaiting, serviceLevel: m.serviceLevel, asaSeconds: m.asaSeconds, occupancy: m.occupancy };
}

function required(name: string, raw: string, limits: { min?: number; integer?: boolean }): number {
  const value = numberOption(name, raw, limits);
  if (value === undefined) throw new CliError(`--${name} is required`, 2);
  return value;
}

export function describeErlang(r: ErlangReport): string {
  const rows: [string, string][] = [
    ['Model', r.model === 'erlangA' ? 'Erlang A (callers hang up)' : 'Erlang C (callers wait indefinitely)'],
    ['Offered load', `${r.offeredLoad.toFixed(3)} Erlangs`],
    ['Agents', `${r.agents}${r.targetServiceLevel !== null ? ` (least meeting service level ${percent(r.targetServiceLevel)})` : ''}`],
    ['Probability of waiting', percent(r.probabilityOfWaiting)],
    ['Service level', percent(r.serviceLevel)],
    ['Average speed of answer', r.asaSeconds === null ? 'unbounded' : `${r.asaSeconds.toFixed(1)} s`],
    ['Occupancy', percent(r.occupancy)],
  ];
  if (r.abandonment !== null) rows.push(['Abandonment', percent(r.abandonment)]);
  const lines = rows.map(([label, value]) => `${`${label}:`.padEnd(25)}${value}`);
  if (r.unstableReason) lines.push(`Warning: ${r.unstableReason}.`);
  return lines.join('\n');
}

async function readCalculatorInput(path: string): Promise<z.input<typeof calculatorInputSchema>> {
  const json = await readJson(path);
  const parsed = calculatorInputSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`--input: ${path} is not a valid calculator input:\n${z.prettifyError(parsed.error)}`, 2);
  return json as z.input<typeof calculatorInputSchema>;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`--input: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--input: ${path} is not valid JSON: ${(error as Error).message}`, 2);
  }
  return json;
}

export interface RosterReportOutput {
  readonly mode: 'assign' | 'plan';
  /** Paid hours of the shifts chosen by the covering, and its LP bound (plan mode only). */
  readonly covering: { readonly paidHours: number; readonly lpBound: number; readonly gapToLpBound: number } | null;
  readonly roster: RosterResult;
}

export async function runRoster(json: unknown, path: string): Promise<RosterReportOutput> {
  const isPlan = typeof json === 'object' && json !== null && 'patterns' in json;
  if (isPlan) {
    const parsed = planRosterInputSchema.safeParse(json);
    const roster = parsed.success ? rosterInputSchema.safeParse({ ...parsed.data.roster, shifts: [] }) : undefined;
    if (!parsed.success || !roster?.success) throw new CliError(`--input: ${path} is not a valid roster plan:\n${z.prettifyError((parsed.success ? roster!.error : parsed.error)!)}`, 2);
    const plan = await planRoster(json as PlanRosterInput);
    if (plan.status !== 'planned') throw new CliError(`no shifts can cover this requirement: ${plan.message}`, 1);
    return { mode: 'plan', covering: { paidHours: plan.covering.paidHours, lpBound: plan.covering.lpBound, gapToLpBound: plan.covering.gapToLpBound }, roster: plan.roster };
  }
  const parsed = rosterInputSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`--input: ${path} is not a valid roster input:\n${z.prettifyError(parsed.error)}`, 2);
  return { mode: 'assign', covering: null, roster: await assignStaff(json as RosterInput) };
}

export function describeRoster(r: RosterReportOutput): string {
  const { report } = r.roster;
  const lines: string[] = [];
  if (r.covering) lines.push(`Shifts chosen: ${r.covering.paidHours} paid hours (LP bound ${r.covering.lpBound.toFixed(1)}, gap ${(r.covering.gapToLpBound * 100).toFixed(2)} %)`);
  lines.push(
    `Roster: ${r.roster.status}${r.roster.isDeterministic ? '' : ' (stopped by the time limit: may differ between machines)'}, ${r.roster.solveSeconds.toFixed(2)} s`,
    `Seats filled: ${report.totals.filledSeats} of ${report.totals.seats}; ${report.totals.rosteredPaidHours} paid hours for ${report.totals.requiredPersonHours} required person-hours`,
    `Rule violations: ${report.violations.length}`,
  );
  if (report.gaps.length === 0) lines.push('Coverage: every interval met.');
  else {
    lines.push(`Coverage gaps (${report.totals.shortPersonHours} person-hours short):`);
    for (const g of report.gaps) lines.push(`  ${g.from}–${g.to}  ${g.kind}${g.skill ? ` ${g.skill}` : ''} short by ${g.shortBy}: ${g.reasons.join('; ')}`);
  }
  for (const c of report.contractShortfalls) lines.push(`Under contract: ${c.staffId} ${c.rosteredHours} h of at least ${c.minimumHours.toFixed(1)} h`);
  lines.push('', 'Staff     shifts  hours  nights  weekends');
  for (const s of report.staffSummary) lines.push(`${s.staffId.padEnd(9)} ${String(s.shifts).padStart(6)} ${String(s.paidHours).padStart(6)} ${String(s.nightShifts).padStart(7)} ${String(s.weekendShifts).padStart(9)}`);
  return lines.join('\n');
}

export function describeCalculation(r: CalculatorResult): string {
  const lines = [
    `Staff-hours needed per week: ${r.requiredStaffHoursPerWeek.toFixed(1)} (safety floor alone: ${r.floorStaffHoursPerWeek})`,
    `Paid hours per week:         ${r.paidHoursPerWeek.toFixed(1)}`,
    `FTE:                         ${r.fte.toFixed(1)}`,
  ];
  if (r.annualCost !== null) lines.push(`Annual cost:                 ${Math.round(r.annualCost).toLocaleString('en')}${r.currency ? ` ${r.currency}` : ''}`);
  lines.push(`Most people on duty at once: ${r.peakScheduled}`, '', 'Channel      contacts/week  staff-hours/week  peak staff');
  for (const c of r.channels) {
    lines.push(`${c.id.padEnd(12)} ${c.contactsPerWeek.toFixed(0).padStart(13)}  ${c.productiveHoursPerWeek.toFixed(1).padStart(16)}  ${(Number.isInteger(c.peakStaff) ? String(c.peakStaff) : c.peakStaff.toFixed(2)).padStart(10)}`);
  }
  return lines.join('\n');
}

function percent(p: number): string {
  return `${(p * 100).toFixed(2)} %`;
}
