import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';

export interface Need {
  key: string;
  labels: Record<string, string>;
}

export type MatchReason =
  | { code: 'need'; needs: string[] }
  | { code: 'covers_area'; area: string }
  | { code: 'distance'; km: number }
  | { code: 'open_now' | 'closed_now'; zone: string }
  | { code: 'speaks_language'; language: string }
  | { code: 'accepts' | 'accepts_unknown'; flag: string }
  | { code: 'area_unknown' | 'hours_unknown' | 'language_unknown' | 'vetted' | 'not_vetted' };

export interface DirectoryMatch {
  serviceId: string;
  serviceName: string;
  organizationId: string;
  organizationName: string;
  score: number;
  distanceKm: number | null;
  openNow: boolean | null;
  reasons: MatchReason[];
  vettingStatus: string | null;
  reviewDueOn: string | null;
  /** Places with coordinates (for the map) and service area names. */
  places?: { locationId: string; name: string | null; lat: number; lon: number }[];
  areas?: string[];
}

export interface DirectorySearch {
  needs: string[];
  areaCode?: string;
  lat?: string;
  lon?: string;
  withinKm?: string;
  language?: string;
  population: string[];
  openNow?: boolean;
  includeUnvetted?: boolean;
}

export interface PartnerProfile {
  id: string;
  name: string;
  description: string | null;
  website: string | null;
  email: string | null;
  vettingStatus: string;
  vettingEvidence: string | null;
  reviewDueOn: string | null;
  reviewOverdue: boolean;
  mouSignedOn: string | null;
  mouExpiresOn: string | null;
  accepts: Record<string, boolean | null>;
  referralProtocol: string | null;
  timeZone: string | null;
  /** The jurisdiction agency this organisation is (reports to it become referrals), if any. */
  reportingAgencyId: string | null;
  services: { id: string; name: string; status: string; description: string | null; needs: string[] }[];
  locations: { id: string; name: string | null; latitude: number | null; longitude: number | null }[];
  phones: { id: string; number: string; description: string | null }[];
}

export function useNeeds() {
  return useQuery({ queryKey: ['directory', 'needs'], queryFn: ({ signal }) => api.get<{ items: Need[] }>('/api/directory/needs', undefined, signal).then((r) => r.items), staleTime: 300_000 });
}

export function searchQuery(s: DirectorySearch): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {
    needs: s.needs.join(',') || undefined,
    areaCode: s.areaCode || undefined,
    lat: s.lat || undefined,
    lon: s.lon || undefined,
    withinKm: s.lat && s.lon ? s.withinKm || undefined : undefined,
    language: s.language || undefined,
    openNow: s.openNow ? 'true' : undefined,
    includeUnvetted: s.includeUnvetted ? 'true' : undefined,
  };
  for (const flag of s.population) query[flag] = 'true';
  return query;
}

export function useDirectorySearch(search: DirectorySearch | null) {
  return useQuery({
    queryKey: ['directory', 'search', search],
    enabled: search !== null,
    queryFn: ({ signal }) => api.get<{ total: number; items: DirectoryMatch[] }>('/api/directory/search', searchQuery(search!), signal),
  });
}

export function usePartnerProfile(id: string) {
  return useQuery({ queryKey: ['directory', 'partner', id], queryFn: ({ signal }) => api.get<{ partner: PartnerProfile }>(`/api/directory/organizations/${id}`, undefined, signal).then((r) => r.partner) });
}

/** A need's label in the reader's language (falls back to English, then the key). */
export function needLabel(needs: Need[] | undefined, key: string, locale: string) {
  const need = needs?.find((n) => n.key === key);
  return need?.labels[locale] ?? need?.labels.en ?? key.replace(/_/g, ' ');
}

/** Map tiles when the server has them configured; otherwise the map draws without tiles. */
export function useMapSettings() {
  return useQuery({ queryKey: ['directory', 'map'], queryFn: ({ signal }) => api.get<{ tileUrl: string | null; attribution: string | null }>('/api/directory/map', undefined, signal), staleTime: Infinity });
}
