import { z } from 'zod';
import { CASE_STATUSES, TRAFFICKING_TYPES } from './cases.js';

export const SEARCH_TYPES = ['case', 'person', 'contact', 'organisation', 'place'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

/** One box across cases, people, contacts, organisations and places, with filters. Every field is optional: no query lists cases by filter. */
export const searchQuery = z.object({
  q: z.string().trim().max(200).default(''),
  types: csvOf(SEARCH_TYPES).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  type: z.enum(TRAFFICKING_TYPES).optional(),
  area: z.string().max(40).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  assignee: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** Browsing cases without words: the `next` cursor of the previous page (newest first). */
  after: z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|[0-9a-f-]{36}$/, 'a cursor from a previous page').optional(),
});
export type SearchQuery = z.infer<typeof searchQuery>;
export type SearchParams = z.input<typeof searchQuery>;

export interface SearchHit {
  type: SearchType;
  id: string;
  /** K-1042 for a case, C-2001 for a contact, the first visible case for a person, the case of an organisation or place. */
  reference: string;
  label: string;
  caseId: string | null;
  cases: { id: string; reference: string }[];
  status: string | null;
  at: string | null;
  /** Why this matched, as codes the web app translates: { code: 'name_similar', percent: 92 }. */
  reasons: SearchReason[];
  score: number;
}

export type SearchReason =
  | { code: 'same_phone' | 'same_email'; on?: string }
  | { code: 'name_similar'; percent: number; on?: string }
  | { code: 'text_match'; field: 'title' | 'note' | 'summary' | 'place' }
  | { code: 'reference' }
  | { code: 'same_birth_date'; on?: string }
  | { code: 'filter' };

/** The answer: `complete` is false when more records may match than were looked at (add a word or a filter). */
export interface SearchResult {
  kind: 'empty' | 'reference' | 'phone' | 'email' | 'words';
  items: SearchHit[];
  complete: boolean;
  /** Browsing cases without words: the cursor of the next page (pass it as `after`), or null on the last page. */
  next: string | null;
}

export const savedSearchBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    params: z.object({
      q: z.string().max(200).optional(),
      types: z.string().max(200).optional(),
      status: z.string().max(40).optional(),
      type: z.string().max(40).optional(),
      area: z.string().max(40).optional(),
      from: z.string().max(10).optional(),
      to: z.string().max(10).optional(),
      assignee: z.string().max(40).optional(),
    }).strict(),
  })
  .strict();
export const savedSearchParams = z.object({ id: z.string().uuid() });

/** Partial person fields typed on a contact, for "this may be someone we know" while the advocate types. */
export const suggestionsBody = z
  .object({
    givenNames: z.string().trim().max(200).optional(),
    familyNames: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().max(320).optional(),
    dateOfBirth: z.iso.date().optional(),
  })
  .strict();
export const suggestionsParams = z.object({ id: z.string().uuid() });

export interface Suggestion {
  type: 'person' | 'case' | 'contact';
  id: string;
  reference: string;
  label: string;
  cases: { id: string; reference: string }[];
  reasons: SearchReason[];
  score: number;
}
