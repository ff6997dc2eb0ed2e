import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { eventBody } from '../../../shared/api/scheduling.js';
import { CHANNELS } from '../../../shared/intake.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { isApiError } from '../../api.js';
import { NumField } from './FormFields.js';
import { focusFirstInvalid, issueAt, issueText, issuesFromApi, issuesFromZod, type FieldIssue } from './formIssues.js';
import { schedulingApi } from './schedulingApi.js';

const EVENTS = ['scheduling', 'events'] as const;

/**
 * Holidays and planned events: a factor on the usual contacts for one date (50 % = half, 0 % = closed, 200 % = a
 * campaign), for every channel or only some. The forecast divides history on those dates by the factor and applies
 * it to the coming date.
 */
export function EventsCard() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const list = useQuery({ queryKey: EVENTS, queryFn: ({ signal }) => schedulingApi.events(signal) });
  const [date, setDate] = useState('');
  const [to, setTo] = useState('');
  const [label, setLabel] = useState('');
  const [factor, setFactor] = useState<number | undefined>(0.5);
  const [channels, setChannels] = useState<string[]>([]);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: EVENTS });
    void client.invalidateQueries({ queryKey: ['scheduling', 'forecast'] });
  };
  const add = useMutation({
    mutationFn: (body: unknown) => schedulingApi.addEvent(body),
    onSuccess: (event) => {
      setDate('');
      setTo('');
      setLabel('');
      setChannels([]);
      refresh();
      notifications.show({ color: 'green', message: t('scheduling.events.added', { label: event.label, date: event.date }) });
    },
    onError: (error) => {
      setIssues(issuesFromApi(error));
      focusFirstInvalid(formRef.current);
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => schedulingApi.deleteEvent(id), onSuccess: refresh });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Empty text is "missing" (said as such), not a badly formatted date.
    const body = { date: date || undefined, ...(to ? { to } : {}), label: label.trim() || undefined, factor, ...(channels.length > 0 ? { channels } : {}) };
    const parsed = eventBody.safeParse(body);
    const found = parsed.success ? [] : issuesFromZod(parsed.error);
    setIssues(found);
    if (!parsed.success) {
      focusFirstInvalid(formRef.current);
      return;
    }
    add.mutate(parsed.data);
  };
  const pct = (v: number) => new Intl.NumberFormat(i18n.resolvedLanguage, { style: 'percent', maximumFractionDigits: 0 }).format(v);
  const day = (iso: string) => new Intl.DateTimeFormat(i18n.resolvedLanguage, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  const events = list.data?.events ?? [];
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb={4} id="events-title">{t('scheduling.events.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t('scheduling.events.explain')}</Text>
      {events.length === 0 ? (
        <Text mb="sm">{t('scheduling.events.none')}</Text>
      ) : (
        <Table aria-label={t('scheduling.events.title')} mb="md" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('scheduling.events.date')}</Table.Th>
              <Table.Th>{t('scheduling.events.label')}</Table.Th>
              <Table.Th>{t('scheduling.events.factor')}</Table.Th>
              <Table.Th>{t('scheduling.events.channels')}</Table.Th>
              <Table.Th>{t('scheduling.events.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.map((ev) => (
              <Table.Tr key={ev.id}>
                <Table.Td>{ev.to ? t('scheduling.events.range', { from: day(ev.date), to: day(ev.to) }) : day(ev.date)}</Table.Td>
                <Table.Td>{ev.label}</Table.Td>
                <Table.Td>{pct(ev.factor)}</Table.Td>
                <Table.Td>{ev.channels ? ev.channels.map((c) => t(`channel.${c}`)).join(', ') : t('scheduling.events.allChannels')}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(ev.id)} loading={remove.isPending && remove.variables === ev.id} aria-label={t('scheduling.events.removeNamed', { label: ev.label, date: ev.date })}>
                    {t('scheduling.events.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ErrorAlert error={list.error ?? remove.error} />
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="events-add-title">
        <Title order={3} size="h5" mb="xs" id="events-add-title">{t('scheduling.events.add')}</Title>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <TextInput type="date" label={t('scheduling.events.date')} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={issueText(t, issueAt(issues, 'date'))} required />
            <TextInput type="date" label={t('scheduling.events.to')} description={t('scheduling.events.toHelp')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={issueText(t, issueAt(issues, 'to'))} />
            <TextInput label={t('scheduling.events.label')} placeholder={t('scheduling.events.labelExample')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={issueText(t, issueAt(issues, 'label'))} required maxLength={200} />
            <NumField label={t('scheduling.events.factor')} description={t('scheduling.events.factorHelp')} value={factor} onChange={setFactor} path="factor" issues={issues} scale={100} unit=" %" step={10} required />
          </SimpleGrid>
          <Checkbox.Group label={t('scheduling.events.channels')} description={t('scheduling.events.channelsHelp')} value={channels} onChange={setChannels} error={issueText(t, issueAt(issues, 'channels'))}>
            <Group gap="sm" mt={4}>
              {CHANNELS.map((c) => <Checkbox key={c} value={c} label={t(`channel.${c}`)} />)}
            </Group>
          </Checkbox.Group>
          {add.error && !isApiError(add.error, 'validation_failed') ? <ErrorAlert error={add.error} /> : null}
          <Button type="submit" loading={add.isPending} w="fit-content">{t('scheduling.events.addButton')}</Button>
        </Stack>
      </form>
    </Paper>
  );
}
