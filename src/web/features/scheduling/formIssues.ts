import type { z } from 'zod';
import { SETTINGS_MESSAGES } from '../../../shared/api/scheduling.js';
import { isApiError } from '../../api.js';

/**
 * Validation issues of the scheduling forms, keyed by a dotted path (`channels.0.model.ahtSeconds`). The forms check
 * with the same zod schemas the server uses, so the server rarely refuses; when it does, its issues land on the same
 * paths. Words come from the reader's language, never from zod's English.
 */
export interface FieldIssue {
  path: string;
  code: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
  expected?: string;
  origin?: string;
  message: string;
}

export function issuesFromZod(error: z.ZodError, strip = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const raw = issue as unknown as Record<string, unknown>;
    const path = issue.path.map(String).join('.');
    return {
      path: strip && path.startsWith(strip) ? path.slice(strip.length) : path,
      code: issue.code,
      minimum: typeof raw.minimum === 'number' ? raw.minimum : typeof raw.minimum === 'bigint' ? Number(raw.minimum) : undefined,
      maximum: typeof raw.maximum === 'number' ? raw.maximum : typeof raw.maximum === 'bigint' ? Number(raw.maximum) : undefined,
      inclusive: typeof raw.inclusive === 'boolean' ? raw.inclusive : undefined,
      expected: typeof raw.expected === 'string' ? raw.expected : undefined,
      origin: typeof raw.origin === 'string' ? raw.origin : undefined,
      message: issue.message,
    };
  });
}

/** Issues of a refused request (`validation_failed` with `issues` whose paths look like `/settings/shrinkage`). */
export function issuesFromApi(error: unknown, strip = ''): FieldIssue[] {
  if (!isApiError(error, 'validation_failed')) return [];
  const issues = error.body.issues;
  if (!Array.isArray(issues)) return [];
  return (issues as { path?: string; message?: string }[]).map((i) => {
    const path = (i.path ?? '').replace(/^\//, '').replace(/\//g, '.');
    return { path: strip && path.startsWith(strip) ? path.slice(strip.length) : path, code: 'server', message: i.message ?? '' };
  });
}

export function issueAt(issues: readonly FieldIssue[], path: string, exact = false): FieldIssue | undefined {
  return issues.find((i) => i.path === path) ?? (exact ? undefined : issues.find((i) => i.path.startsWith(`${path}.`)));
}

const CUSTOM_KEYS: Record<string, string> = Object.fromEntries(Object.entries(SETTINGS_MESSAGES).map(([key, message]) => [message, key]));

/**
 * The issue in words. `scale` turns the stored unit into the one shown (100 for a fraction shown as a percentage,
 * 1/60 for seconds shown as minutes), so "at least 0.5" reads "at least 50 %" where the field shows percentages.
 */
export function issueText(t: (key: string, options?: Record<string, unknown>) => string, issue: FieldIssue | undefined, scale = 1, unit = ''): string | undefined {
  if (!issue) return undefined;
  const shown = (v: number) => `${Math.round(v * scale * 1000) / 1000}${unit}`;
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? t('scheduling.errors.whole') : t('scheduling.errors.required');
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return t('scheduling.errors.chooseOne');
      if (issue.origin === 'string') return t('scheduling.errors.required');
      return issue.inclusive === false ? t('scheduling.errors.above', { value: shown(issue.minimum ?? 0) }) : t('scheduling.errors.atLeast', { value: shown(issue.minimum ?? 0) });
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return t('scheduling.errors.tooMany', { count: issue.maximum ?? 0 });
      if (issue.origin === 'string') return t('scheduling.errors.tooLong', { count: issue.maximum ?? 0 });
      return issue.inclusive === false ? t('scheduling.errors.below', { value: shown(issue.maximum ?? 0) }) : t('scheduling.errors.atMost', { value: shown(issue.maximum ?? 0) });
    case 'invalid_format':
      return t('scheduling.errors.format');
    case 'custom': {
      const key = CUSTOM_KEYS[issue.message];
      if (key) return t(`scheduling.errors.${key}`);
      if (/endMinute/.test(issue.message) || /`to`/.test(issue.message)) return t('scheduling.errors.endAfterStart');
      // The shift pattern's own checks on its breaks (src/shared/scheduling/schemas.ts).
      if (/latestStartMinutes is before earliestStartMinutes/.test(issue.message)) return t('scheduling.errors.breakWindow');
      if (/break can end after the shift/.test(issue.message)) return t('scheduling.errors.breakAfterShift');
      return t('scheduling.errors.invalid');
    }
    case 'times':
      return t('scheduling.errors.times');
    default:
      return issue.message || t('scheduling.errors.invalid');
  }
}

/** Returns a copy of `value` with `path` set to `next` (objects and arrays copied along the way). */
export function setIn<T>(value: T, path: readonly (string | number)[], next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const container = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const child = container[head] ?? (typeof rest[0] === 'number' ? [] : {});
  if (rest.length === 0 && next === undefined && !Array.isArray(container)) delete container[head];
  else container[head] = setIn(child, rest, next);
  return container as T;
}

/** "07:30" ↔ 450 minutes after midnight. */
export function clockToMinutes(clock: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(clock.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export function minutesToClock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** After a refused save, move the keyboard to the first field that needs attention. */
export function focusFirstInvalid(root: HTMLElement | null): void {
  requestAnimationFrame(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
