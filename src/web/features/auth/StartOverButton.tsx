import { Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { useAfterAuthStep } from './session.js';

/** Lets someone abandon a half-finished sign-in (wrong account, lost phone) and start again. */
export function StartOverButton({ label }: { label?: string }) {
  const { t } = useTranslation();
  const afterAuthStep = useAfterAuthStep();
  const logout = useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: () => afterAuthStep(),
  });
  return (
    <Button variant="subtle" onClick={() => logout.mutate()} loading={logout.isPending}>
      {label ?? t('auth.startOver')}
    </Button>
  );
}
