import { Alert, Badge, Button, Center, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { schedulingApi, type ScheduleRequest } from './schedulingApi.js';

export const REQUESTS = ['scheduling', 'requests'] as const;

type T = (k: string, o?: Record<string, unknown>) => string;

/** "Tuesday 1 December, 07:00–15:00" in the reader's language and the hotline's zone (or the browser's when unknown). */
export function shiftWhen(locale: string | undefined, shift: { start: string; end: string }, timeZone?: string): string {
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(new Date(shift.start));
  const time = (iso: string) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
  return `${day}, ${time(shift.start)}–${time(shift.end)}`;
}

export function describeRequest(t: T, r: ScheduleRequest, locale?: string): string {
  if (r.details.kind === 'leave') return t(r.details.enteredBy ? 'scheduling.requests.leaveDetailEntered' : 'scheduling.requests.leaveDetail', { from: r.details.from, to: r.details.to, kind: t(`scheduling.leaveKind.${r.details.leaveKind ?? 'annual'}`) });
  if (r.shift && r.colleague) {
    const when = shiftWhen(locale, r.shift, r.timeZone);
    if (r.details.kind === 'handover') return t('scheduling.requests.handoverWith', { when, name: r.colleague.name });
    if (r.withShift) return t('scheduling.requests.exchangeWith', { when, name: r.colleague.name, their: shiftWhen(locale, r.withShift, r.timeZone) });
  }
  return t(`scheduling.requests.${r.details.kind}Detail`, { shift: r.details.shiftId });
}

/** What the check found, in words: the wellness rules by name, then lost coverage. */
export function describeCheck(t: T, check: NonNullable<ScheduleRequest['check']>): string[] {
  if (check.isAllowed) return [t('scheduling.requests.fine')];
  const lines: string[] = [];
  if (check.rules && check.rules.length > 0) lines.push(t('scheduling.requests.breaks', { rules: check.rules.map((r) => t(`scheduling.rules.${r}`)).join('; ') }));
  if (check.coverageLosses > 0) lines.push(t('scheduling.requests.coverage', { count: check.coverageLosses }));
  if (lines.length === 0) lines.push(t('scheduling.requests.issues', { count: check.newViolations.length }));
  return lines;
}

/** Supervisors: swap and leave requests, with what the check found, to approve or reject. */
export function RequestsPanel() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: REQUESTS, queryFn: ({ signal }) => schedulingApi.requests(signal) });
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) => schedulingApi.decide(id, approve),
    // A refusal also changes the request (its check is recorded again), so reload either way.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['scheduling'] });
    },
  });
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const date = (iso: string) => new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  return (
    <Stack gap="md">
    <EnterLeaveForm />
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">{t('scheduling.requests.title')}</Title>
      {isApiError(decide.error) && decide.error.code === 'conflict' ? (
        <Alert color="red" variant="light" role="alert">{t('scheduling.requests.refused')}</Alert>
      ) : (
        <ErrorAlert error={decide.error} />
      )}
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
                <Table.Td>{describeRequest(t, r, i18n.resolvedLanguage)}</Table.Td>
                <Table.Td data-testid={`check-${r.id}`}>
                  {r.check ? describeCheck(t, r.check).map((line) => <Text key={line} size="sm" fw={r.check?.isAllowed ? undefined : 600}>{line}</Text>) : null}
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
    </Stack>
  );
}

const LEAVE_KINDS = ['annual', 'sick', 'training', 'other'] as const;

/** Supervisors enter leave for someone (a phone call, a doctor's note); it is checked and then approved like a request. */
function EnterLeaveForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const staff = useQuery({ queryKey: ['scheduling', 'staff'], queryFn: ({ signal }) => schedulingApi.staff(signal) });
  const [staffId, setStaffId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [kind, setKind] = useState<string>('sick');
  const create = useMutation({
    mutationFn: () => schedulingApi.createRequest({ kind: 'leave', staffId, from, to: to || from, leaveKind: kind }),
    onSuccess: () => {
      setFrom('');
      setTo('');
      void client.invalidateQueries({ queryKey: REQUESTS });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (staffId && from) create.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="enter-leave-title" noValidate>
      <Title order={2} size="h4" mb="xs" id="enter-leave-title">{t('scheduling.requests.enterLeaveTitle')}</Title>
      <Text size="sm" c="dimmed" mb="xs">{t('scheduling.requests.enterLeaveHint')}</Text>
      <Group align="flex-end" wrap="wrap">
        <Select label={t('scheduling.requests.who')} searchable required data={(staff.data?.staff ?? []).map((s) => ({ value: s.userId, label: s.name }))} value={staffId} onChange={setStaffId} w={240} data-testid="leave-staff" />
        <TextInput type="date" label={t('scheduling.mine.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
        <TextInput type="date" label={t('scheduling.mine.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Select label={t('scheduling.requests.leaveKindLabel')} data={LEAVE_KINDS.map((k) => ({ value: k, label: t(`scheduling.leaveKind.${k}`) }))} value={kind} onChange={(v) => setKind(v ?? 'sick')} allowDeselect={false} w={160} />
        <Button type="submit" loading={create.isPending} disabled={!staffId || !from}>{t('scheduling.requests.enterLeave')}</Button>
      </Group>
      <ErrorAlert error={create.error ?? staff.error} />
    </Paper>
  );
}
