import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, isApiError, type ApiError } from '../../api.js';
import type { SearchHit, SearchReason, Suggestion } from '../../../shared/api/search.js';

export type { SearchHit, SearchReason, Suggestion };

export interface PersonDetails {
  givenNames?: string;
  familyNames?: string;
  aliases?: string[];
  dateOfBirth?: string;
  phones?: string[];
  emails?: string[];
  socialHandles?: string[];
  languages?: string[];
  identifyingDetails?: string;
}

export interface CasePerson {
  id: string;
  role: string;
  gender: string | null;
  ageRange: string | null;
  nationality: string | null;
  details: PersonDetails;
}

export interface TimelineEntry {
  kind: string;
  at: string;
  data: Record<string, unknown>;
  body: string | null;
  actorId: string | null;
}

export interface CaseRecord {
  id: string;
  reference: string;
  title: string;
  status: string;
  traffickingTypes: string[];
  typologyCode: string | null;
  sensitivity: 'normal' | 'restricted';
  assigneeId: string | null;
  openedAt: string;
  closedAt: string | null;
  version: number;
  people: CasePerson[];
  contacts: { id: string; reference: string; channel: string; receivedAt: string; requestType: string | null; status: string }[];
  access: { userId: string; kind: string; expiresAt: string | null }[];
  timeline: TimelineEntry[];
  entities?: CaseEntity[];
}

/** An organisation (business, venue) or a place on a case. */
export interface CaseEntity {
  id: string;
  kind: 'organisation' | 'place';
  name: string;
  aliases: string[];
  industry: string | null;
  isicSection: string | null;
  address: { street?: string; city?: string; postcode?: string; country?: string } | null;
  normalisedAddress: string | null;
  adminArea: string | null;
  coordinates: { lat: number; lon: number } | null;
  description: string | null;
}

export const CASE_STATUSES = ['open', 'active', 'follow_up', 'closed', 'closed_referred'] as const;
export const TRAFFICKING_TYPES = ['sex', 'labour'] as const;
export const PERSON_ROLES = ['potential_victim', 'signaler', 'suspected_trafficker', 'witness', 'other'] as const;

export const caseKey = (id: string) => ['case', id] as const;

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: ({ signal }) => api.get<{ case: CaseRecord }>(`/api/cases/${encodeURIComponent(id)}`, undefined, signal).then((r) => r.case),
    retry: (count, error) => !isApiError(error, 'not_found') && count < 2,
  });
}

export interface SearchParams {
  q?: string;
  types?: string;
  status?: string;
  type?: string;
  area?: string;
  from?: string;
  to?: string;
  assignee?: string;
}

/**
 * The search page's results: one page, and further pages on demand when browsing cases without words (the server
 * gives a `next` cursor; a search with words is ranked and asks to be narrowed instead).
 */
export function useSearchPages(params: SearchParams) {
  return useInfiniteQuery({
    queryKey: ['search', 'pages', params],
    queryFn: ({ signal, pageParam }) => api.get<{ kind: string; items: SearchHit[]; complete: boolean; next: string | null }>('/api/search', { ...params, ...(pageParam ? { after: pageParam } : {}) }, signal),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useSearch(params: SearchParams, enabled = true) {
  return useQuery({
    queryKey: ['search', params],
    queryFn: ({ signal }) => api.get<{ kind: string; items: SearchHit[]; complete: boolean }>('/api/search', { ...params }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export interface SavedSearch {
  id: string;
  name: string;
  params: SearchParams;
  createdAt: string;
}

export function useSavedSearches() {
  return useQuery({ queryKey: ['search', 'saved'], queryFn: ({ signal }) => api.get<{ items: SavedSearch[] }>('/api/search/saved', undefined, signal).then((r) => r.items) });
}

export function useRecentCases() {
  return useQuery({ queryKey: ['search', 'recent'], queryFn: ({ signal }) => api.get<{ items: { type: 'case' | 'contact'; id: string; reference: string; label: string | null; status: string; channel: string | null; viewedAt: string }[] }>('/api/search/recent', undefined, signal).then((r) => r.items) });
}

/** The current case a 409 carries, so the merge dialog can show both versions. */
export function staleCase(error: unknown): CaseRecord | null {
  if (!isApiError(error, 'stale_version')) return null;
  const current = (error as ApiError).body.current;
  return current && typeof current === 'object' ? (current as CaseRecord) : null;
}

export function personName(details: PersonDetails): string {
  return [details.givenNames, details.familyNames].filter(Boolean).join(' ') || details.aliases?.[0] || '—';
}
