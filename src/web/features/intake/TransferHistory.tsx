import { Alert, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDateTime } from '../../i18n/format.js';
import type { Contact, ContactTransfer } from './intakeApi.js';

/**
 * The handing-over note, shown to whoever received the contact while it is still theirs (or still waiting for the
 * supervisors): the reason a colleague passed it on is the first thing to read before replying.
 */
export function TransferReceived({ contact, currentUserId, isSupervisor }: { contact: Contact; currentUserId: string; isSupervisor: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const latest = contact.transfers[0];
  if (!latest || contact.status === 'closed') return null;
  const toMe = latest.to?.id === currentUserId && contact.assignedTo === currentUserId;
  const toSupervisors = latest.toRole === 'supervisor' && isSupervisor && contact.status === 'waiting' && contact.team === 'supervisors';
  if (!toMe && !toSupervisors) return null;
  const name = latest.from?.name ?? t('transfer.someone');
  return (
    <Alert color="grape" variant="light" title={toMe ? t('transfer.receivedTitleToYou', { name }) : t('transfer.receivedTitleToSupervisors', { name })} data-testid="transfer-received">
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {formatDateTime(latest.at)}
        </Text>
        {latest.note ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="transfer-note">
            {latest.note}
          </Text>
        ) : (
          <Text size="sm">{t('transfer.noNote')}</Text>
        )}
      </Stack>
    </Alert>
  );
}

/** Every transfer of the contact, newest first, with its note: part of the contact's history. */
export function TransferHistory({ transfers }: { transfers: ContactTransfer[] }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  if (transfers.length === 0) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="transfers-title" data-testid="transfer-history">
      <Title order={2} size="h4" id="transfers-title" mb="xs">
        {t('transfer.historyTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('transfer.historyCount', { count: transfers.length })}
      </Text>
      <Timeline bulletSize={14} lineWidth={2} active={-1}>
        {transfers.map((transfer) => {
          const from = transfer.from?.name ?? t('transfer.someone');
          return (
            <Timeline.Item
              key={transfer.id}
              title={transfer.toRole === 'supervisor' ? t('transfer.historyToSupervisors', { from }) : t('transfer.historyToUser', { from, to: transfer.to?.name ?? t('transfer.someone') })}
            >
              <Text size="xs" c="dimmed">
                {formatDateTime(transfer.at)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {transfer.note ?? t('transfer.noNote')}
              </Text>
            </Timeline.Item>
          );
        })}
      </Timeline>
    </Paper>
  );
}
