import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/staffing.js';
import { CliError } from '../../cli/util.js';

let written: string;
beforeEach(() => {
  written = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function run(...args: string[]): Promise<string> {
  const program = new Command('catalyst').exitOverride();
  register(program);
  const propagate = (command: Command) => command.commands.forEach((c) => { c.exitOverride(); c.configureOutput({ writeErr: () => {} }); propagate(c); });
  propagate(program);
  await program.parseAsync(['node', 'catalyst', 'staffing', ...args]);
  return written;
}

async function failure(...args: string[]): Promise<CliError> {
  const error = await run(...args).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

const callCentreHelper = ['--arrivals-per-hour', '200', '--aht-seconds', '180', '--target-seconds', '20'];

describe('catalyst staffing erlang', () => {
  it('prints Erlang C figures for a given number of agents', async () => {
    const out = await run('erlang', ...callCentreHelper, '--agents', '14');
    expect(out).toContain('Erlang C');
    expect(out).toContain('Service level:           88.84 %');
    expect(out).toContain('Probability of waiting:  17.41 %');
    expect(out).toContain('7.8 s');
  });

  it('finds the least agents for the default 80 % service level', async () => {
    const report = JSON.parse(await run('erlang', ...callCentreHelper, '--json'));
    expect(report).toMatchObject({ model: 'erlangC', agents: 14, targetServiceLevel: 0.8, abandonment: null });
    const stricter = JSON.parse((written = '', await run('erlang', ...callCentreHelper, '--service-level', '0.95', '--json')));
    expect(stricter.agents).toBeGreaterThan(14);
  });

  it('switches to Erlang A and reports abandonment when patience is given', async () => {
    const report = JSON.parse(await run('erlang', ...callCentreHelper, '--agents', '14', '--patience-seconds', '300', '--json'));
    expect(report.model).toBe('erlangA');
    expect(report.abandonment).toBeCloseTo(0.013984, 6);
    expect(report.serviceLevel).toBeCloseTo(0.916792, 6);
  });

  it('adds agents to keep abandonment under --max-abandonment', async () => {
    const args = ['erlang', '--arrivals-per-hour', '2000', '--aht-seconds', '300', '--target-seconds', '20', '--patience-seconds', '120', '--json'];
    const loose = JSON.parse(await run(...args));
    written = '';
    const strict = JSON.parse(await run(...args, '--max-abandonment', '0.02'));
    expect(loose.abandonment).toBeGreaterThan(0.02);
    expect(strict.abandonment).toBeLessThanOrEqual(0.02);
    expect(strict.agents).toBeGreaterThan(loose.agents);
  });

  it('answers an overloaded queue with service level 0 and a null ASA with the reason, not NaN', async () => {
    const text = await run('erlang', ...callCentreHelper, '--agents', '8');
    expect(text).toContain('Service level:           0.00 %');
    expect(text).toContain('unbounded');
    expect(text).toContain('Warning: offered load 10 Erlangs needs more than 8 agents');
    expect(text).not.toContain('NaN');
    written = '';
    const report = JSON.parse(await run('erlang', ...callCentreHelper, '--agents', '8', '--json'));
    expect(report).toMatchObject({ serviceLevel: 0, asaSeconds: null });
    expect(report.unstableReason).toMatch(/grows without bound/);
  });

  it('names the option at fault and exits with code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--arrivals-per-hour', 'many', '--aht-seconds', '180', '--target-seconds', '20'], /--arrivals-per-hour must be a number/],
      [[...callCentreHelper, '--agents', '2.5'], /--agents must be an integer/],
      [[...callCentreHelper, '--service-level', '80'], /--service-level must be a fraction below 1/],
      [['--arrivals-per-hour', '10', '--aht-seconds', '0', '--target-seconds', '20'], /--aht-seconds must be above 0/],
      [[...callCentreHelper, '--patience-seconds', '0'], /--patience-seconds must be above 0/],
      [[...callCentreHelper, '--max-occupancy', '1.5'], /--max-occupancy/],
      [[...callCentreHelper, '--max-abandonment', '0.05'], /--max-abandonment needs --patience-seconds/],
    ];
    for (const [args, message] of cases) {
      const error = await failure('erlang', ...args);
      expect(error.message).toMatch(message);
      expect(error.exitCode).toBe(2);
    }
  });

  it('refuses to run without a required option', async () => {
    await expect(run('erlang', '--arrivals-per-hour', '10', '--aht-seconds', '180')).rejects.toThrow(/--target-seconds/);
  });
});

describe('catalyst staffing calculate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-staffing-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('prints FTE and cost for a design input', async () => {
    const input = file('ok.json', JSON.stringify({
      channels: [{ id: 'voice', kind: 'voice', annualContacts: 30000, ahtSeconds: 600, target: { serviceLevel: 0.8, answerSeconds: 30 } }],
      annualCostPerFte: 50000,
      currency: 'EUR',
    }));
    const text = await run('calculate', '--input', input);
    expect(text).toMatch(/FTE: +\d+\.\d/);
    expect(text).toMatch(/Annual cost: +[\d,]+ EUR/);
    written = '';
    const json = JSON.parse(await run('calculate', '--input', input, '--json'));
    expect(json.requirement.intervals).toHaveLength(336);
    expect(json.channels[0].peakCurve.length).toBeGreaterThan(3);
  });

  it('explains what is wrong with the input file', async () => {
    expect((await failure('calculate', '--input', join(dir, 'missing.json'))).message).toMatch(/--input: cannot read .*ENOENT/);
    expect((await failure('calculate', '--input', file('bad.json', '{ nope'))).message).toMatch(/not valid JSON/);
    const invalid = await failure('calculate', '--input', file('invalid.json', JSON.stringify({ channels: [{ id: 'voice', kind: 'voice', annualContacts: -5 }] })));
    expect(invalid.message).toMatch(/not a valid calculator input/);
    expect(invalid.message).toMatch(/annualContacts/);
    expect(invalid.exitCode).toBe(2);
  });
});

describe('catalyst staffing roster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-roster-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const required = Array.from({ length: 168 }, (_, h) => (h % 24 >= 9 && h % 24 < 17 && h < 120 ? 1 : 0));
  const staff = [
    { id: 'a', name: 'Ana', contract: { maxHoursPerWeek: 24 } },
    { id: 'b', name: 'Bea', contract: { maxHoursPerWeek: 24 } },
  ];
  const shifts = [0, 1, 2, 3, 4].map((d) => ({ id: `day${d}`, patternId: '8h', startMinuteOfWeek: d * 1440 + 540, lengthMinutes: 480 }));

  it('assigns staff to the shifts in the file and prints coverage and the staff table', async () => {
    const out = await run('roster', '--input', file('roster.json', { weekStart: '2026-11-30', intervalMinutes: 60, required, shifts, staff }));
    expect(out).toContain('Seats filled: 5 of 5; 40 paid hours for 40 required person-hours');
    expect(out).toContain('Rule violations: 0');
    expect(out).toContain('Coverage: every interval met.');
    expect(out).toMatch(/^a\s+[23]\s+(16|24)\s+0\s+0$/m);
  });

  it('chooses the shifts first when the file gives patterns, and reports gaps with reasons in JSON', async () => {
    const out = await run('roster', '--json', '--input', file('plan.json', {
      roster: { weekStart: '2026-11-30', intervalMinutes: 60, required: required.map((r, h) => (h >= 96 && h < 120 ? 2 * r : r)), staff: staff.slice(0, 1) },
      patterns: [{ id: '8h', lengthMinutes: 480, startMinutesOfDay: [540] }],
    }));
    const result = JSON.parse(out);
    expect(result.mode).toBe('plan');
    expect(result.covering.paidHours).toBe(48);
    expect(result.roster.report.violations).toEqual([]);
    expect(result.roster.report.gaps.length).toBeGreaterThan(0);
    expect(result.roster.report.gaps[0].reasons.join(' ')).toMatch(/unfilled seat/);
  });

  it('names the field at fault and exits with code 2', async () => {
    const error = await failure('roster', '--input', file('bad.json', { weekStart: '2026-12-01', intervalMinutes: 60, required, shifts, staff }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/weekStart/);
    expect(error.message).toMatch(/Monday/);
  });
});
