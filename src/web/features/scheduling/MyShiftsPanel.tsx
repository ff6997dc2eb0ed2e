import { Alert, Badge, Button, Center, Code, CopyButton, Group, Loader, NativeSelect, Paper, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { describeCheck, describeRequest, REQUESTS, shiftWhen } from './RequestsPanel.js';
import { schedulingApi, type MyShift, type ScheduleRequest } from './schedulingApi.js';

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
      <SwapRequestForm shifts={query.data.shifts} timeZone={query.data.timeZone} />
      <LeaveRequestForm />
    </Stack>
  );
}

function LeaveRequestForm() {
  const { t, i18n } = useTranslation();
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
      <ErrorAlert error={create.error} />
      {requests.data && requests.data.requests.length > 0 ? (
        <Stack gap={4} mt="sm">
          <Text fw={600}>{t('scheduling.mine.myRequests')}</Text>
          {requests.data.requests.map((r) => (
            <Group key={r.id} gap="xs">
              <Text size="sm">{describeRequest(t, r, i18n.resolvedLanguage)}</Text>
              <Badge variant="light" color={r.status === 'approved' ? 'green' : r.status === 'rejected' ? 'red' : 'blue'}>{t(`scheduling.requests.state.${r.status}`)}</Badge>
            </Group>
          ))}
        </Stack>
      ) : null}
    </Paper>
  );
}

/**
 * Offer one of my coming shifts to a colleague, or trade it for one of theirs. The server checks the change against
 * the wellness rules at once (shown here) and again when the supervisor decides.
 */
function SwapRequestForm({ shifts, timeZone }: { shifts: MyShift[]; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const coming = shifts.filter((s) => Date.parse(s.start) > Date.now());
  const [shiftKey, setShiftKey] = useState('');
  const [kind, setKind] = useState<'handover' | 'exchange'>('handover');
  const [colleagueId, setColleagueId] = useState('');
  const [theirShiftId, setTheirShiftId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<ScheduleRequest | null>(null);
  const mine = coming.find((s) => `${s.rosterId}/${s.shiftId}` === shiftKey);
  const team = useQuery({ queryKey: ['scheduling', 'team', mine?.rosterId], queryFn: ({ signal }) => schedulingApi.team(mine!.rosterId, signal), enabled: !!mine });
  const colleague = team.data?.colleagues.find((c) => c.userId === colleagueId);
  // Someone already on that very shift cannot take it.
  const candidates = (team.data?.colleagues ?? []).filter((c) => !c.shifts.some((s) => s.shiftId === mine?.shiftId));
  const tradable = (colleague?.shifts ?? []).filter((s) => !coming.some((m) => m.rosterId === mine?.rosterId && m.shiftId === s.shiftId));
  const create = useMutation({
    mutationFn: () =>
      schedulingApi.createRequest(
        kind === 'handover'
          ? { kind, rosterId: mine!.rosterId, shiftId: mine!.shiftId, toUserId: colleagueId }
          : { kind, rosterId: mine!.rosterId, shiftId: mine!.shiftId, withUserId: colleagueId, withShiftId: theirShiftId },
      ),
    onSuccess: (request) => {
      setSent(request);
      setShiftKey('');
      setColleagueId('');
      setTheirShiftId('');
      void client.invalidateQueries({ queryKey: REQUESTS });
    },
  });
  const when = (s: { start: string; end: string }) => shiftWhen(i18n.resolvedLanguage, s, timeZone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!mine) found.shift = t('scheduling.mine.needShift');
    if (!colleagueId) found.colleague = t('scheduling.mine.needColleague');
    if (kind === 'exchange' && !theirShiftId) found.theirShift = t('scheduling.mine.needTheirShift');
    setErrors(found);
    setSent(null);
    if (Object.keys(found).length === 0) create.mutate();
  };
  const choose = { value: '', label: t('scheduling.mine.choose') };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="swap-title" noValidate>
      <Title order={2} size="h4" mb={4} id="swap-title">{t('scheduling.mine.swapTitle')}</Title>
      <Text size="sm" mb="sm">{t('scheduling.mine.swapExplain')}</Text>
      {coming.length === 0 ? (
        <Text>{t('scheduling.mine.noFutureShifts')}</Text>
      ) : (
        <Stack gap="sm" maw={560}>
          <NativeSelect
            label={t('scheduling.mine.yourShift')}
            value={shiftKey}
            onChange={(e) => { setShiftKey(e.currentTarget.value); setColleagueId(''); setTheirShiftId(''); }}
            data={[choose, ...coming.map((s) => ({ value: `${s.rosterId}/${s.shiftId}`, label: when(s) }))]}
            error={errors.shift}
          />
          <Radio.Group label={t('scheduling.mine.swapKind')} value={kind} onChange={(v) => setKind(v as 'handover' | 'exchange')}>
            <Group mt={4}>
              <Radio value="handover" label={t('scheduling.mine.handover')} />
              <Radio value="exchange" label={t('scheduling.mine.exchange')} />
            </Group>
          </Radio.Group>
          <NativeSelect
            label={t('scheduling.mine.colleague')}
            value={colleagueId}
            onChange={(e) => { setColleagueId(e.currentTarget.value); setTheirShiftId(''); }}
            data={[choose, ...candidates.map((c) => ({ value: c.userId, label: c.name }))]}
            disabled={!mine || team.isPending}
            error={errors.colleague}
          />
          {kind === 'exchange' ? (
            colleague && tradable.length === 0 ? (
              <Text size="sm">{t('scheduling.mine.noColleagueShifts')}</Text>
            ) : (
              <NativeSelect
                label={t('scheduling.mine.theirShift')}
                value={theirShiftId}
                onChange={(e) => setTheirShiftId(e.currentTarget.value)}
                data={[choose, ...tradable.map((s) => ({ value: s.shiftId, label: when(s) }))]}
                disabled={!colleague}
                error={errors.theirShift}
              />
            )
          ) : null}
          <Button type="submit" loading={create.isPending} w="fit-content">{t('scheduling.mine.sendSwap')}</Button>
        </Stack>
      )}
      <ErrorAlert error={create.error ?? team.error} />
      {sent ? (
        <Alert mt="sm" color={sent.check?.isAllowed ? 'green' : 'orange'} variant="light" role="status" title={t('scheduling.mine.sent')}>
          <Text size="sm">{describeRequest(t, sent, i18n.resolvedLanguage)}</Text>
          {sent.check ? describeCheck(t, sent.check).map((line) => <Text key={line} size="sm">{line}</Text>) : null}
        </Alert>
      ) : null}
    </Paper>
  );
}
