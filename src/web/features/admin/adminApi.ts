import { useQuery } from '@tanstack/react-query';
import { api, type Locale } from '../../api.js';

export interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  isActive: boolean;
  mfaEnrolled: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
  organisationId: string | null;
  locale?: Locale;
  languages?: string[];
  skills?: string[];
  teams?: string[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  reason: string | null;
  details: unknown;
  ip: string | null;
}

export interface AuditFilters {
  action: string;
  actorId: string;
  recordType: string;
  recordId: string;
  from: string;
  to: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  problems: Array<{ seq: number; kind: string; message: string }>;
}

export const USERS_KEY = ['admin', 'users'] as const;

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => api.get<{ items: AdminUser[] }>('/api/admin/users', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ['admin', 'roles'],
    queryFn: ({ signal }) => api.get<{ roles: string[] }>('/api/admin/roles', undefined, signal),
    select: (data) => data.roles,
    staleTime: 5 * 60_000,
  });
}

export type UserStatus = 'active' | 'locked' | 'deactivated';

export function userStatus(user: AdminUser, now = Date.now()): UserStatus {
  if (!user.isActive) return 'deactivated';
  if (user.lockedUntil && new Date(user.lockedUntil).getTime() > now) return 'locked';
  return 'active';
}
