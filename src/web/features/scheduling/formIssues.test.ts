import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventBody, settingsBody, staffContractBody, DEFAULT_SCHEDULING_SETTINGS } from '../../../shared/api/scheduling.js';
import { clockToMinutes, issueAt, issueText, issuesFromZod, minutesToClock, setIn } from './formIssues.js';

// The scheduling forms' validation words: zod's issues become messages in the reader's language, in the unit the
// field shows, at the path of the field. `t` here echoes the key and its values so the test reads what was chosen.
const t = (key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key);

describe('scheduling form issues', () => {
  it('shows a fraction field’s limit in the unit the field shows (percent)', () => {
    const parsed = settingsBody.safeParse({ version: 1, settings: { ...DEFAULT_SCHEDULING_SETTINGS, shrinkage: 0.95 } });
    expect(parsed.success).toBe(false);
    const issues = issuesFromZod(parsed.error!, 'settings.');
    expect(issueText(t, issueAt(issues, 'shrinkage'), 100, ' %')).toBe('scheduling.errors.atMost {"value":"90 %"}');
  });

  it('names a missing value, a fractional count and an empty choice differently', () => {
    const parsed = staffContractBody.safeParse({ minHoursPerWeek: undefined, maxHoursPerWeek: 40, channels: ['voice'], unavailable: [{ days: [], startMinute: 0, endMinute: 60 }] });
    const issues = issuesFromZod(parsed.error!);
    expect(issueText(t, issueAt(issues, 'minHoursPerWeek'))).toBe('scheduling.errors.required');
    expect(issueText(t, issueAt(issues, 'unavailable.0.days'))).toBe('scheduling.errors.chooseOne');
    const fractional = issuesFromZod(settingsBody.safeParse({ version: 1, settings: { ...DEFAULT_SCHEDULING_SETTINGS, historyWeeks: 2.5 } }).error!, 'settings.');
    expect(issueText(t, issueAt(fractional, 'historyWeeks'))).toBe('scheduling.errors.whole');
  });

  it('maps the shared cross-field messages to their own words', () => {
    const clash = issuesFromZod(staffContractBody.safeParse({ minHoursPerWeek: 30, maxHoursPerWeek: 20 }).error!);
    expect(issueText(t, issueAt(clash, 'minHoursPerWeek'))).toBe('scheduling.errors.minAboveMax');
    const backwards = issuesFromZod(eventBody.safeParse({ date: '2026-12-09', to: '2026-12-07', factor: 0, label: 'x' }).error!);
    expect(issueText(t, issueAt(backwards, 'to'))).toBe('scheduling.errors.endAfterStart');
    const twice = { ...DEFAULT_SCHEDULING_SETTINGS, patterns: [DEFAULT_SCHEDULING_SETTINGS.patterns[0], DEFAULT_SCHEDULING_SETTINGS.patterns[0]] };
    expect(issueText(t, issueAt(issuesFromZod(settingsBody.safeParse({ version: 1, settings: twice }).error!, 'settings.'), 'patterns.1.id'))).toBe('scheduling.errors.duplicateId');
    const oddBreak = { ...DEFAULT_SCHEDULING_SETTINGS, patterns: [{ ...DEFAULT_SCHEDULING_SETTINGS.patterns[0], breaks: [{ lengthMinutes: 45, earliestStartMinutes: 180, latestStartMinutes: 240 }] }] };
    expect(issueText(t, issueAt(issuesFromZod(settingsBody.safeParse({ version: 1, settings: oddBreak }).error!, 'settings.'), 'patterns.0.breaks.0', true))).toBe('scheduling.errors.halfHours');
    const lateBreak = { ...DEFAULT_SCHEDULING_SETTINGS, patterns: [{ ...DEFAULT_SCHEDULING_SETTINGS.patterns[0], breaks: [{ lengthMinutes: 30, earliestStartMinutes: 240, latestStartMinutes: 180 }] }] };
    expect(issueText(t, issueAt(issuesFromZod(settingsBody.safeParse({ version: 1, settings: lateBreak }).error!, 'settings.'), 'patterns.0.breaks.0', true))).toBe('scheduling.errors.breakWindow');
  });

  it('sets a nested value without touching the original', () => {
    const original = { a: { b: [1, 2] }, c: 1 };
    const next = setIn(original, ['a', 'b', 1], 5);
    expect(next).toEqual({ a: { b: [1, 5] }, c: 1 });
    expect(original.a.b).toEqual([1, 2]);
    expect(setIn({ a: 1, b: 2 }, ['b'], undefined)).toEqual({ a: 1 });
  });

  it('reads and writes clock times', () => {
    expect(clockToMinutes('07:30')).toBe(450);
    expect(clockToMinutes('24:00')).toBeNull();
    expect(clockToMinutes('7h')).toBeNull();
    expect(minutesToClock(1860)).toBe('07:00');
  });

  it('has every scheduling string in English, Spanish and French', () => {
    const keys = (value: unknown, prefix = ''): string[] =>
      Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const read = (locale: string) => keys(JSON.parse(readFileSync(new URL(`../../i18n/features/scheduling.${locale}.json`, import.meta.url), 'utf8'))).sort();
    expect(read('es')).toEqual(read('en'));
    expect(read('fr')).toEqual(read('en'));
  });
});
