import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/assess.js';
import { CliError } from '../../cli/util.js';
import { exportInstrument } from '../../shared/assessment/instrument.json.js';
import { DEFAULT_INSTRUMENT } from './default-instrument/index.js';

const dir = mkdtempSync(join(tmpdir(), 'catalyst-assess-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const minorCrisis = file('minor.json', { person: { age: 16 }, requestType: 'crisis', answers: { pur_commercial_sex: 'yes', ctx_setting: 'street' } });

let written = '';
beforeEach(() => {
  written = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function run(...args: string[]): Promise<void> {
  const program = new Command('catalyst').exitOverride();
  register(program);
  await program.parseAsync(['assess', ...args], { from: 'user' });
}
async function failure(...args: string[]): Promise<CliError> {
  try {
    await run(...args);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected the command to fail');
}

describe('catalyst assess', () => {
  it('prints levels, explanation, protocols and tasks', async () => {
    await run('--hotline', 'demo', '--instrument', 'default', '--answers', minorCrisis, '--now', '2025-01-01T00:00:00Z', '--jurisdiction', 'consent-first');
    expect(written).toContain('Levels: sex HIGH, labour NONE');
    expect(written).toContain('minor_in_commercial_sex');
    expect(written).toMatch(/crisis — Crisis: request type crisis/);
    expect(written).toContain('Make the mandatory child-protection report');
    expect(written).toContain('3. Outdoor Solicitation');
    expect(written).toContain('minor_trafficking to child_protection within 24 h');
  });

  it('prints JSON with --json, in the chosen language for texts', async () => {
    await run('--hotline', 'demo', '--instrument', 'default', '--answers', minorCrisis, '--now', '2025-01-01T00:00:00Z', '--json');
    const value = JSON.parse(written);
    expect(value.assessment.levels).toEqual({ sex: 'high', labour: 'none' });
    expect(value.protocols.map((m: { protocol: { id: string } }) => m.protocol.id)).toEqual(['crisis', 'minor', 'likely_trafficking']);
    expect(value.tasks.find((task: { taskKey: string }) => task.taskKey === 'crisis_response').dueAt).toBe('2025-01-02T00:00:00.000Z');
    written = '';
    await run('--hotline', 'demo', '--instrument', 'default', '--answers', minorCrisis, '--lang', 'es');
    expect(written).toContain('Un menor involucrado en sexo comercial');
  });

  it('refuses an answer file with an unknown item or a bad answer, naming the key, with exit code 2', async () => {
    const unknown = await failure('--hotline', 'demo', '--instrument', 'default', '--answers', file('typo.json', { answers: { ilo_dept: 'yes' } }));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toContain('answers.ilo_dept');
    const bad = await failure('--hotline', 'demo', '--instrument', 'default', '--answers', file('bad.json', { answers: { ilo_debt: 'sometimes' } }));
    expect(bad.message).toContain('answers.ilo_debt');
    const extra = await failure('--hotline', 'demo', '--instrument', 'default', '--answers', file('extra.json', { answers: {}, persn: {} }));
    expect(extra.message).toContain('persn');
    const flag = await failure('--hotline', 'demo', '--instrument', 'default', '--answers', file('flag.json', { answers: {}, flags: ['danger'] }));
    expect(flag.message).toContain('flags[0]');
    const contradiction = await failure('--hotline', 'demo', '--instrument', 'default', '--answers', file('age.json', { answers: {}, person: { age: 40, ageGroup: 'minor' } }));
    expect(contradiction.message).toContain('person');
    expect((await failure('--hotline', 'demo', '--instrument', 'default', '--answers', file('broken.json', '{'))).message).toContain('not valid JSON');
    expect((await failure('--hotline', 'demo', '--instrument', 'default', '--answers', join(dir, 'missing.json'))).message).toContain('ENOENT');
  });

  it('explains that hotline instruments need the database, and evaluates a custom instrument file', async () => {
    const stored = await failure('--hotline', 'demo', '--instrument', 'mx-2025', '--answers', minorCrisis);
    expect(stored.message).toMatch(/database/);
    const custom = file('instrument.json', exportInstrument(DEFAULT_INSTRUMENT));
    await run('--hotline', 'demo', '--instrument-file', custom, '--answers', minorCrisis);
    expect(written).toContain('Levels: sex HIGH');
    const invalid = JSON.parse(exportInstrument(DEFAULT_INSTRUMENT));
    invalid.items[3].showIf = { op: 'yes', item: 'no_such_item' };
    const refused = await failure('--hotline', 'demo', '--instrument-file', file('invalid.json', invalid), '--answers', minorCrisis);
    expect(refused.message).toContain(`item '${invalid.items[3].id}'`);
    expect(refused.message).toContain('no_such_item');
  });

  it('refuses bad options', async () => {
    expect((await failure('--hotline', 'Demo Hotline', '--instrument', 'default', '--answers', minorCrisis)).message).toContain('--hotline');
    expect((await failure('--hotline', 'demo', '--instrument', 'default', '--answers', minorCrisis, '--lang', 'de')).message).toContain('--lang');
    expect((await failure('--hotline', 'demo', '--answers', minorCrisis)).message).toContain('--instrument');
    expect((await failure('--hotline', 'demo', '--instrument', 'default', '--answers', minorCrisis, '--jurisdiction', 'mars')).message).toContain('consent-first');
  });
});
