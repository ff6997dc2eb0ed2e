import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

const MIN_REASON = 10;

/**
 * A supervisor may open a restricted case they are not named on, in an emergency, with a written reason. The reason
 * goes to the audit log, admins see it, and access lasts an hour.
 */
export function BreakGlassPanel({ caseId, onOpened }: { caseId: string; onOpened: () => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const open = useMutation({
    mutationFn: () => api.post(`/api/cases/${encodeURIComponent(caseId)}/break-glass`, { reason: reason.trim() }),
    onSuccess: () => {
      setOpened(false);
      onOpened();
    },
  });
  const tooShort = reason.trim().length < MIN_REASON;
  return (
    <>
      <Alert color="red" variant="light" title={t('cases.breakGlass.title')}>
        <Stack gap="sm">
          <Text size="sm">{t('cases.breakGlass.explain')}</Text>
          <Group>
            <Button color="red" variant="outline" onClick={() => setOpened(true)}>{t('cases.breakGlass.button')}</Button>
          </Group>
        </Stack>
      </Alert>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('cases.breakGlass.title')}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (!tooShort) open.mutate();
          }}
        >
          <Stack gap="sm">
            <Text size="sm">{t('cases.breakGlass.warning')}</Text>
            <ErrorAlert error={open.error} title={t('cases.breakGlass.failed')} />
            <Textarea
              label={t('cases.breakGlass.reason')}
              description={t('cases.breakGlass.reasonHint', { count: MIN_REASON })}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={tried && tooShort ? t('cases.breakGlass.reasonTooShort', { count: MIN_REASON }) : undefined}
              minRows={3}
              autosize
              required
              maxLength={2000}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>{t('common.cancel')}</Button>
              <Button type="submit" color="red" loading={open.isPending}>{t('cases.breakGlass.confirm')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
