import { Alert, Badge, Button, Center, Code, CopyButton, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { describeRequest, REQUESTS } from './RequestsPanel.js';
import { schedulingApi } from './schedulingApi.js';

const MY_SHIFTS = ['scheduling', 'my-shifts'] as const;

/** Everyone who works shifts: my published shifts, a calendar link for my phone, and leave requests. */
export function MyShiftsPanel() {
  const { t, i18n } = useTranslation();
  const query = useQuery({ queryKey: MY_SHIFTS, queryFn: ({ signal }) => schedulingApi.myShifts(signal) });
  const [feedUrl, setFeedUrl] = useState<string | null>(null);
  const token = useMutation({ mutationFn: () => schedulingApi.calendarToken(), onSuccess: (r) => setFeedUrl(new URL(r.path, window.location.origin).href) });
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const when = (iso: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(i18n.resolvedLanguage, { ...options, timeZone: query.data.timeZone }).format(new Date(iso));
  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>{t('scheduling.mine.title')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('scheduling.mine.zone', { zone: query.data.timeZone })}</Text>
        {query.data.shifts.length === 0 ? (
          <Text>{t('scheduling.mine.none')}</Text>
        ) : (
          <Table aria-label={t('scheduling.mine.title')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scheduling.mine.day')}</Table.Th>
                <Table.Th>{t('scheduling.roster.start')}</Table.Th>
                <Table.Th>{t('scheduling.roster.end')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.shifts.map((s) => (
                <Table.Tr key={`${s.rosterId}/${s.shiftId}`} data-shift-id={s.shiftId}>
                  <Table.Td>{when(s.start, { weekday: 'long', day: 'numeric', month: 'long' })}</Table.Td>
                  <Table.Td>{when(s.start, { hour: '2-digit', minute: '2-digit' })}</Table.Td>
                  <Table.Td>{when(s.end, { hour: '2-digit', minute: '2-digit' })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">{t('scheduling.mine.calendar')}</Title>
        <Text size="sm" mb="sm">{t('scheduling.mine.calendarExplain')}</Text>
        {feedUrl ? (
          <Stack gap="xs">
            <Alert color="orange" variant="light">{t('scheduling.mine.calendarSecret')}</Alert>
            <Code block data-testid="calendar-url">{feedUrl}</Code>
            <CopyButton value={feedUrl}>{({ copied, copy }) => <Button variant="default" onClick={copy} w="fit-content">{copied ? t('scheduling.mine.copied') : t('scheduling.mine.copy')}</Button>}</CopyButton>
          </Stack>
        ) : (
          <Button onClick={() => token.mutate()} loading={token.isPending}>
            {query.data.hasCalendarFeed ? t('scheduling.mine.newLink') : t('scheduling.mine.getLink')}
          </Button>
        )}
        <ErrorAlert error={token.error} />
      </Paper>
      <LeaveRequestForm />
    </Stack>
  );
}

function LeaveRequestForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const requests = useQuery({ queryKey: REQUESTS, queryFn: ({ signal }) => schedulingApi.requests(signal) });
  const create = useMutation({
    mutationFn: () => schedulingApi.createRequest({ kind: 'leave', from, to: to || from }),
    onSuccess: () => {
      setFrom('');
      setTo('');
      void client.invalidateQueries({ queryKey: REQUESTS });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="leave-title">
      <Title order={2} size="h4" mb="xs" id="leave-title">{t('scheduling.mine.leaveTitle')}</Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput type="date" label={t('scheduling.mine.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
        <TextInput type="date" label={t('scheduling.mine.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button type="submit" loading={create.isPending}>{t('scheduling.mine.askLeave')}</Button>
      </Group>
      <Text size="sm" c="dimmed" mt="xs">{t('scheduling.mine.swapNotYet')}</Text>
      <ErrorAlert error={create.error} />
      {requests.data && requests.data.requests.length > 0 ? (
        <Stack gap={4} mt="sm">
          <Text fw={600}>{t('scheduling.mine.myRequests')}</Text>
          {requests.data.requests.map((r) => (
            <Group key={r.id} gap="xs">
              <Text size="sm">{describeRequest(t, r)}</Text>
              <Badge variant="light" color={r.status === 'approved' ? 'green' : r.status === 'rejected' ? 'red' : 'blue'}>{t(`scheduling.requests.state.${r.status}`)}</Badge>
            </Group>
          ))}
        </Stack>
      ) : null}
    </Paper>
  );
}
