import { Badge, Button, Center, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { schedulingApi, type ScheduleRequest } from './schedulingApi.js';

export const REQUESTS = ['scheduling', 'requests'] as const;

export function describeRequest(t: (k: string, o?: Record<string, unknown>) => string, r: ScheduleRequest): string {
  if (r.details.kind === 'leave') return t('scheduling.requests.leaveDetail', { from: r.details.from, to: r.details.to });
  return t(`scheduling.requests.${r.details.kind}Detail`, { shift: r.details.shiftId });
}

/** Supervisors: swap and leave requests, with what the check found, to approve or reject. */
export function RequestsPanel() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: REQUESTS, queryFn: ({ signal }) => schedulingApi.requests(signal) });
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) => schedulingApi.decide(id, approve),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: REQUESTS });
      void client.invalidateQueries({ queryKey: ['scheduling'] });
    },
  });
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const date = (iso: string) => new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">{t('scheduling.requests.title')}</Title>
      <ErrorAlert error={decide.error} />
      {query.data.requests.length === 0 ? (
        <Text>{t('scheduling.requests.none')}</Text>
      ) : (
        <Table aria-label={t('scheduling.requests.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('scheduling.requests.who')}</Table.Th>
              <Table.Th>{t('scheduling.requests.what')}</Table.Th>
              <Table.Th>{t('scheduling.requests.check')}</Table.Th>
              <Table.Th>{t('scheduling.requests.status')}</Table.Th>
              <Table.Th>{t('scheduling.requests.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data.requests.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.requestedBy.name}<Text size="xs" c="dimmed">{date(r.createdAt)}</Text></Table.Td>
                <Table.Td>{describeRequest(t, r)}</Table.Td>
                <Table.Td>
                  {r.check?.isAllowed ? t('scheduling.requests.fine') : t('scheduling.requests.issues', { count: (r.check?.coverageLosses ?? 0) + (r.check?.newViolations.length ?? 0) })}
                  {r.check?.newViolations.map((v) => <Text key={v} size="xs" c="dimmed">{v}</Text>)}
                </Table.Td>
                <Table.Td><Badge variant="light" color={r.status === 'approved' ? 'green' : r.status === 'rejected' ? 'red' : 'blue'}>{t(`scheduling.requests.state.${r.status}`)}</Badge></Table.Td>
                <Table.Td>
                  {r.status === 'pending' ? (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" onClick={() => decide.mutate({ id: r.id, approve: true })} loading={decide.isPending && decide.variables?.id === r.id && decide.variables.approve} aria-label={t('scheduling.requests.approveFor', { name: r.requestedBy.name })}>{t('scheduling.requests.approve')}</Button>
                      <Button size="xs" variant="default" onClick={() => decide.mutate({ id: r.id, approve: false })} aria-label={t('scheduling.requests.rejectFor', { name: r.requestedBy.name })}>{t('scheduling.requests.reject')}</Button>
                    </Group>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
