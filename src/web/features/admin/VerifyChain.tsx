import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import type { ChainCheck } from './adminApi.js';

/** Re-computes the audit hash chain on the server and reports any break in plain words. */
export function VerifyChain() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: () => api.get<ChainCheck>('/api/admin/audit/verify') });

  return (
    <Stack gap="sm">
      <div>
        <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending}>
          {t('audit.verify')}
        </Button>
      </div>
      <div aria-live="polite">
        {verify.isError ? <ErrorAlert error={verify.error} /> : null}
        {verify.data?.ok ? (
          <Alert color="green" variant="light" title={t('audit.verifyOkTitle')}>
            {t('audit.verifyOk', { count: verify.data.checked })}
          </Alert>
        ) : null}
        {verify.data && !verify.data.ok ? (
          <Alert color="red" variant="light" title={t('audit.verifyFailedTitle')} role="alert">
            <Text mb="xs">{t('audit.verifyFailed', { count: verify.data.problems.length, checked: verify.data.checked })}</Text>
            <List spacing={4}>
              {verify.data.problems.map((problem, index) => (
                <List.Item key={`${problem.seq}-${index}`}>
                  {t('audit.problem', { seq: problem.seq, kind: problem.kind, message: problem.message })}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
      </div>
    </Stack>
  );
}
