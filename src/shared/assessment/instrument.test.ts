import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultInstrumentData } from '../../server/assessment/default-instrument/index.js';
import { exportInstrument, importInstrument } from './instrument.json.js';
import type { InstrumentInput } from './instrument.schema.js';
import { parseInstrument, type InstrumentIssueCode } from './instrument.validate.js';
import { syntheticInstrument } from './synthetic-instrument.js';
import { localized } from './vocabulary.js';

const t = (word: string) => localized(word, `${word} (es)`, `${word} (fr)`);
const yesNoItem = (id: string, extra: Partial<InstrumentInput['items'][number]> = {}): InstrumentInput['items'][number] => ({
  id, text: t(id), domain: 'means', scope: { ages: ['adult', 'minor'], types: ['sex', 'labour'] }, answer: { type: 'yes_no' }, short: false, ...extra,
});
const baseInstrument = (): InstrumentInput => ({
  id: 'tiny', version: 1, title: t('Tiny'),
  items: [yesNoItem('work', { domain: 'purpose' }), yesNoItem('threat'), yesNoItem('threat_detail', { showIf: { op: 'yes', item: 'threat' } })],
  rules: [{ id: 'pm', kind: 'combination', types: ['labour'], level: 'moderate', when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'amp', element: 'means' }] }, text: t('pm') }],
});

function refusal(raw: unknown) {
  const parsed = parseInstrument(raw);
  if (parsed.ok) throw new Error('expected the instrument to be refused');
  return parsed.issues;
}
function expectIssue(raw: unknown, code: InstrumentIssueCode, subject: string, messagePart?: string) {
  const issue = refusal(raw).find((candidate) => candidate.code === code);
  expect(issue, `no ${code} issue`).toBeDefined();
  expect(issue!.subject).toBe(subject);
  if (messagePart) expect(issue!.message).toContain(messagePart);
}

describe('instrument validation', () => {
  it('accepts a well-formed instrument and applies defaults', () => {
    const parsed = parseInstrument(baseInstrument());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.instrument.minorAgeBelow).toBe(18);
      expect(parsed.instrument.items[0].weight).toBe(1);
    }
  });

  it('refuses duplicate item ids, naming the item', () => {
    const raw = baseInstrument();
    raw.items.push(yesNoItem('threat'));
    expectIssue(raw, 'duplicate_item_id', "item 'threat'");
  });

  it('refuses a missing translation, naming the item and the language', () => {
    const raw = baseInstrument();
    raw.items[1].text = { en: 'x', es: 'y' } as never;
    const issues = refusal(raw);
    expect(issues[0]).toMatchObject({ code: 'invalid_shape', subject: "item 'threat'", path: 'items[1].text.fr' });
    expect(issues[0].message).toContain('fr translation is missing');
  });

  it('refuses an empty translation', () => {
    const raw = baseInstrument();
    raw.rules[0].text = { en: 'x', es: '  ', fr: 'z' };
    expect(refusal(raw)[0]).toMatchObject({ subject: "rule 'pm'", path: 'rules[0].text.es' });
  });

  it('refuses a showIf that refers to an unknown item', () => {
    const raw = baseInstrument();
    raw.items[2].showIf = { op: 'yes', item: 'threatt' };
    expectIssue(raw, 'unknown_item', "item 'threat_detail'", "'threatt'");
  });

  it('refuses a rule that refers to an unknown item', () => {
    const raw = baseInstrument();
    raw.rules[0].when = { op: 'yes', item: 'nope' };
    expectIssue(raw, 'unknown_item', "rule 'pm'", "'nope'");
  });

  it('refuses a cycle in skip logic, naming the items on it', () => {
    const raw = baseInstrument();
    raw.items[1].showIf = { op: 'yes', item: 'threat_detail' };
    const issue = refusal(raw).find((candidate) => candidate.code === 'skip_logic_cycle')!;
    expect(issue.message).toMatch(/threat(_detail)? -> threat(_detail)? -> threat/);
  });

  it('refuses an item shown depending on itself', () => {
    const raw = baseInstrument();
    raw.items[1].showIf = { op: 'yes', item: 'threat' };
    expectIssue(raw, 'self_reference', "item 'threat'");
  });

  it('refuses conditions testing a yes/no item for anything but yes (monotonicity)', () => {
    const raw = baseInstrument();
    raw.items[2].showIf = { op: 'answer', item: 'threat', in: ['no'] };
    expectIssue(raw, 'non_monotone_condition', "item 'threat_detail'");
  });

  it('refuses unknown choice options in conditions', () => {
    const raw = baseInstrument();
    raw.items.push({ ...yesNoItem('origin', { domain: 'context' }), answer: { type: 'choice', options: [{ id: 'here', label: t('here') }, { id: 'abroad', label: t('abroad') }] } });
    raw.items[2].showIf = { op: 'answer', item: 'origin', in: ['mars'] };
    expectIssue(raw, 'unknown_option', "item 'threat_detail'", "'mars'");
  });

  it('refuses a short-form item that depends on a long-form item', () => {
    const raw = baseInstrument();
    raw.items[2].short = true;
    expectIssue(raw, 'short_item_depends_on_long_item', "item 'threat_detail'");
  });

  it('refuses an evidence choice item with no positive option', () => {
    const raw = baseInstrument();
    raw.items.push({ ...yesNoItem('how_paid'), answer: { type: 'choice', options: [{ id: 'cash', label: t('cash') }, { id: 'bank', label: t('bank') }] } });
    expectIssue(raw, 'evidence_never_possible', "item 'how_paid'");
  });

  it('refuses an atLeast that needs more conditions than it has', () => {
    const raw = baseInstrument();
    raw.rules[0].when = { op: 'atLeast', count: 3, of: [{ op: 'yes', item: 'work' }, { op: 'yes', item: 'threat' }] };
    expectIssue(raw, 'unsatisfiable_count', "rule 'pm'");
  });

  it('refuses derived facts in skip logic and unknown keys', () => {
    const raw = baseInstrument();
    raw.items[2].showIf = { op: 'amp', element: 'means' } as never;
    expect(refusal(raw)[0]).toMatchObject({ code: 'invalid_shape', subject: "item 'threat_detail'" });
    const typo = baseInstrument();
    (typo.items[0] as Record<string, unknown>).showif = { op: 'yes', item: 'threat' };
    expect(refusal(typo)[0]).toMatchObject({ code: 'invalid_shape', subject: "item 'work'" });
  });

  it('refuses any single corruption of the default instrument with an issue naming the corrupted item', () => {
    const corruptions = ['duplicate_id', 'unknown_showif', 'missing_translation', 'cycle', 'bad_domain'] as const;
    fc.assert(
      fc.property(fc.nat({ max: defaultInstrumentData.items.length - 2 }), fc.constantFrom(...corruptions), (index, corruption) => {
        const raw = structuredClone(defaultInstrumentData);
        const item = raw.items[index];
        const next = raw.items[index + 1];
        let named = item.id;
        if (corruption === 'duplicate_id') { next.id = item.id; named = item.id; }
        if (corruption === 'unknown_showif') item.showIf = { op: 'yes', item: `${item.id}_missing` };
        if (corruption === 'missing_translation') delete (item.text as Partial<typeof item.text>).es;
        if (corruption === 'cycle') { item.showIf = { op: 'yes', item: next.id }; next.showIf = { op: 'yes', item: item.id }; }
        if (corruption === 'bad_domain') (item as Record<string, unknown>).domain = 'motive';
        const parsed = parseInstrument(raw);
        expect(parsed.ok).toBe(false);
        if (parsed.ok) return;
        const mentions = parsed.issues.some((issue) => issue.subject.includes(named) || issue.message.includes(named));
        expect(mentions, JSON.stringify(parsed.issues)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('instrument JSON import/export', () => {
  it('round-trips and is byte-stable whatever the key order of the input', () => {
    for (const seed of [1, 2, 3]) {
      const parsed = parseInstrument(syntheticInstrument({ items: 40, rules: 12, seed }));
      if (!parsed.ok) throw new Error('synthetic instrument invalid');
      const json = exportInstrument(parsed.instrument);
      const reimported = importInstrument(json);
      expect(reimported.ok).toBe(true);
      if (!reimported.ok) return;
      expect(reimported.instrument).toEqual(parsed.instrument);
      const shuffled = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(json)).reverse()));
      const again = importInstrument(shuffled);
      expect(again.ok && exportInstrument(again.instrument)).toBe(json);
    }
  });

  it('reports invalid JSON as an issue, not an exception', () => {
    const result = importInstrument('{"id": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].code).toBe('invalid_json');
  });
});
