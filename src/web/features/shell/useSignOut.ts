import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { setCsrfToken } from '../../api.js';
import { SESSION_KEY } from '../auth/session.js';

/** Signing out forgets every cached answer so nothing from this session lingers in memory. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: async () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
}
