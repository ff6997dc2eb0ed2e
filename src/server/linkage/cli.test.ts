import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/linkage.js';
import { CliError } from '../../cli/util.js';
import { parseIdPairsCsv, parsePeopleCsv } from './people-csv.js';

// The CLI command lives in src/cli/commands/linkage.ts; its tests live here with the engine they drive.
const FIXTURE = new URL('../../../test/fixtures/linkage/people-small.csv', import.meta.url);

async function runCli(...args: string[]): Promise<string> {
  const program = new Command('catalyst').exitOverride();
  register(program);
  let printed = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'catalyst', ...args]);
  } finally {
    write.mockRestore();
  }
  return printed;
}

describe('people CSV', () => {
  it('reads loosely named headers, skips unknown columns and empty values, and strips a byte-order mark', () => {
    const result = parsePeopleCsv(readFileSync(FIXTURE, 'utf8'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(11);
    expect(result.value[0]).toMatchObject({ id: 'a1', given_names: 'José María', family_names: 'García López', country: 'MX' });
    expect(result.value[1]).not.toHaveProperty('admin_area');
    expect(result.value[0]).not.toHaveProperty('notes');
  });

  it.each([
    ['given_names\nAna\n', 'missing_column'],
    ['id,given_names\n1,Ana\n1,Rosa\n', 'duplicate_id'],
    ['id,given_names\n ,Ana\n', 'empty_id'],
    ['', 'malformed_csv'],
    ['id,given_names\n"1,Ana\n', 'malformed_csv'],
  ])('rejects %j with %s', (text, code) => {
    const result = parsePeopleCsv(text);
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });
});

describe('catalyst linkage', () => {
  let directory: string;
  beforeEach(() => { directory = mkdtempSync(join(tmpdir(), 'catalyst-linkage-')); });
  afterEach(() => vi.restoreAllMocks());

  it('runs on the fixture and links the duplicates but not the namesakes or the daughter', async () => {
    const output = join(directory, 'pairs.csv');
    const summary = JSON.parse(await runCli('linkage', 'run', '--input', FIXTURE.pathname, '--output', output, '--json', '--quiet'));
    expect(summary).toMatchObject({ records: 11 });
    const pairs = parseIdPairsCsv(readFileSync(output, 'utf8'));
    expect(pairs.ok && pairs.value.map(([a, b]) => `${a}-${b}`).sort()).toEqual(['a1-a2', 'b1-b2', 'c1-c2', 'e1-e2']);
    expect(readFileSync(output, 'utf8').split('\n')[0]).toBe('id_a,id_b,score,probability,class,given_names,family_names,date_of_birth,sex,phone,email,address');
  });

  it('writes a benchmark, links it and evaluates it end to end with F1 above 0.95', async () => {
    await runCli('linkage', 'benchmark', '--size', '1500', '--out-dir', directory, '--seed', '8');
    const pairsFile = join(directory, 'pairs.csv');
    await runCli('linkage', 'run', '--input', join(directory, 'people.csv'), '--output', pairsFile, '--review', '--quiet');
    const quality = JSON.parse(await runCli('linkage', 'evaluate', '--pairs', pairsFile, '--truth', join(directory, 'truth.csv'), '--json'));
    expect(quality.f1).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    [['linkage', 'run', '--input', '/nonexistent/people.csv', '--output', '/tmp/x.csv'], /input file not found/],
    [['linkage', 'run', '--input', 'NOID', '--output', '/tmp/x.csv'], /no "id" column/],
    [['linkage', 'run', '--input', 'DUP', '--output', '/tmp/x.csv'], /appears more than once/],
    [['linkage', 'run', '--input', 'NOID', '--output', '/tmp/x.csv', '--threshold', 'high'], /--threshold must be a number/],
    [['linkage', 'benchmark', '--size', '-5', '--out-dir', '/tmp/x'], /--size must be an integer >= 1/],
  ])('fails clearly on %j', async (args, message) => {
    writeFileSync(join(directory, 'noid.csv'), 'name\nAna\n');
    writeFileSync(join(directory, 'dup.csv'), 'id\n1\n1\n');
    const resolved = args.map((arg) => (arg === 'NOID' ? join(directory, 'noid.csv') : arg === 'DUP' ? join(directory, 'dup.csv') : arg));
    const failure = runCli(...resolved);
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toThrow(message);
  });
});
