import type { Contact, ContactForm, FormField } from './intakeApi.js';
import { CONTACT_FLAGS, type ContactFlag } from './vocabulary.js';

/** What the advocate edits on the contact page; compared with the saved record to build a minimal PATCH. */
export interface Draft {
  language: string | null;
  interpreterUsed: boolean;
  signalerType: string | null;
  requestType: string | null;
  heardAbout: string | null;
  areaCode: string | null;
  flags: Record<ContactFlag, boolean>;
  sensitivity: 'normal' | 'restricted';
  summary: string;
  notes: string;
  formData: Record<string, unknown>;
}

export function draftOf(contact: Contact): Draft {
  return {
    language: contact.language,
    interpreterUsed: contact.interpreterUsed,
    signalerType: contact.signalerType,
    requestType: contact.requestType,
    heardAbout: contact.heardAbout,
    areaCode: contact.areaCode,
    flags: Object.fromEntries(CONTACT_FLAGS.map((f) => [f, !!contact.flags?.[f]])) as Record<ContactFlag, boolean>,
    sensitivity: contact.sensitivity,
    summary: contact.summary ?? '',
    notes: contact.notes ?? '',
    formData: { ...contact.formData },
  };
}

/** Skip logic: a field with `showIf` shows only while the other field holds one of the listed values. */
export function isFieldShown(field: FormField, values: Record<string, unknown>): boolean {
  if (!field.showIf) return true;
  const other = values[field.showIf.field];
  const equals = field.showIf.equals as unknown[];
  return Array.isArray(other) ? other.some((v) => equals.includes(v)) : equals.includes(other);
}

/** Answers to send: only fields of the current form that are shown, and not empty. Hidden answers are dropped. */
export function cleanFormData(form: ContactForm | undefined, values: Record<string, unknown>): Record<string, unknown> {
  if (!form) return {};
  const out: Record<string, unknown> = {};
  for (const field of form.fields) {
    const value = values[field.id];
    if (!isFieldShown(field, values)) continue;
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[field.id] = value;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function stableFormData(form: ContactForm | undefined, values: Record<string, unknown>) {
  const cleaned = cleanFormData(form, values);
  return JSON.stringify(Object.keys(cleaned).sort().map((k) => [k, cleaned[k]]));
}

/** The PATCH body for what changed between `base` (last saved) and `draft`, without `version`. */
export function changesOf(base: Draft, draft: Draft, form: ContactForm | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of ['language', 'interpreterUsed', 'signalerType', 'requestType', 'heardAbout', 'areaCode', 'sensitivity'] as const) {
    if (!same(base[key], draft[key])) body[key] = draft[key];
  }
  if (!same(base.flags, draft.flags)) body.flags = draft.flags;
  if (base.summary !== draft.summary) body.summary = draft.summary.trim() === '' ? null : draft.summary;
  if (base.notes !== draft.notes) body.notes = draft.notes.trim() === '' ? null : draft.notes;
  if (stableFormData(form, base.formData) !== stableFormData(form, draft.formData)) body.formData = cleanFormData(form, draft.formData);
  return body;
}

/** One field of the record, as the merge dialog compares it. */
export interface MergeField {
  key: string;
  get: (d: Draft) => unknown;
  set: (d: Draft, value: unknown) => Draft;
  isText?: boolean;
}

export function mergeFields(form: ContactForm | undefined): MergeField[] {
  const simple = (key: 'language' | 'interpreterUsed' | 'signalerType' | 'requestType' | 'heardAbout' | 'areaCode' | 'sensitivity'): MergeField => ({
    key,
    get: (d) => d[key],
    set: (d, v) => ({ ...d, [key]: v }),
  });
  const text = (key: 'summary' | 'notes'): MergeField => ({ key, get: (d) => d[key], set: (d, v) => ({ ...d, [key]: String(v ?? '') }), isText: true });
  return [
    simple('requestType'),
    simple('signalerType'),
    ...CONTACT_FLAGS.map((flag): MergeField => ({
      key: `flags.${flag}`,
      get: (d) => d.flags[flag],
      set: (d, v) => ({ ...d, flags: { ...d.flags, [flag]: !!v } }),
    })),
    simple('language'),
    simple('interpreterUsed'),
    simple('heardAbout'),
    simple('areaCode'),
    simple('sensitivity'),
    text('summary'),
    text('notes'),
    ...(form?.fields ?? []).map((field): MergeField => ({
      key: `form.${field.id}`,
      get: (d) => d.formData[field.id] ?? null,
      set: (d, v) => ({ ...d, formData: { ...d.formData, [field.id]: v } }),
      isText: field.type === 'text' || field.type === 'textarea',
    })),
  ];
}

export type MergeChoice = 'mine' | 'theirs' | 'both';

export interface MergeRow {
  field: MergeField;
  mine: unknown;
  theirs: unknown;
  /** Both changed it since I opened the record: the advocate must choose. */
  conflict: boolean;
  /** The sensible starting choice when only one side changed it. */
  suggested: MergeChoice | null;
}

/** Three-way comparison: base (what I opened), mine (my draft), theirs (what the other person saved). */
export function compareForMerge(base: Draft, mine: Draft, theirs: Draft, form: ContactForm | undefined): MergeRow[] {
  const rows: MergeRow[] = [];
  for (const field of mergeFields(form)) {
    const [b, m, th] = [field.get(base), field.get(mine), field.get(theirs)];
    if (same(m, th)) continue;
    const iChanged = !same(b, m);
    const theyChanged = !same(b, th);
    rows.push({ field, mine: m, theirs: th, conflict: iChanged && theyChanged, suggested: iChanged && !theyChanged ? 'mine' : !iChanged ? 'theirs' : null });
  }
  return rows;
}

export function applyMerge(theirs: Draft, rows: MergeRow[], choices: Record<string, MergeChoice>): Draft {
  let merged = theirs;
  for (const row of rows) {
    const choice = choices[row.field.key];
    if (choice === 'mine') merged = row.field.set(merged, row.mine);
    if (choice === 'both') {
      const parts = [row.theirs, row.mine].map((v) => String(v ?? '').trim()).filter(Boolean);
      merged = row.field.set(merged, parts.join('\n\n'));
    }
  }
  return merged;
}
