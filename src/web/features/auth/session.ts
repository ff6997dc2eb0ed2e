import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, type Locale } from '../../api.js';

export type SessionState = 'anonymous' | 'mfa_required' | 'mfa_enrol_required' | 'signed_in';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  locale: Locale;
  mustChangePassword: boolean;
  hotline: { id: string; slug: string; name: string; locales: string[] };
}

export interface Session {
  state: SessionState;
  csrfToken: string | null;
  user: SessionUser | null;
  permissions: string[];
}

export interface AuthStepResult {
  state: SessionState;
  csrfToken: string | null;
}

export const SESSION_KEY = ['session'] as const;

export async function fetchSession(): Promise<Session> {
  const session = await api.get<Session>('/api/auth/session');
  setCsrfToken(session.csrfToken);
  return session;
}

export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: 1,
  });
}

/** After any auth step the server has moved the session on: keep its CSRF token and reload the session. */
export function useAfterAuthStep(): (result: AuthStepResult | void) => Promise<void> {
  const queryClient = useQueryClient();
  return async (result) => {
    if (result && 'csrfToken' in result) setCsrfToken(result.csrfToken);
    await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
  };
}

export function hasPermission(session: Session | undefined, ...actions: string[]): boolean {
  if (!session) return false;
  return actions.some((action) => session.permissions.includes(action));
}

export const ADMIN_PERMISSIONS = ['user.list', 'user.create', 'audit.read', 'audit.verify', 'channel.manage', 'config.manage'] as const;

export function canSeeAdmin(session: Session | undefined): boolean {
  return hasPermission(session, ...ADMIN_PERMISSIONS);
}
