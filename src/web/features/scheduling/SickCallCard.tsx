import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { focusFirstInvalid } from './formIssues.js';
import { schedulingApi, type Roster } from './schedulingApi.js';

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(instant / 1000) * 1000;
}

/** A wall-clock time typed in the hotline's zone ("2026-12-02T07:00") as an instant, whatever the browser's zone. */
export function wallTimeToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/**
 * A sick call on a published roster: the person is off from–to (in the hotline's time), and the roster is
 * re-optimised keeping everyone else's published shifts wherever it can.
 */
export function SickCallCard({ roster }: { roster: Roster }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const record = useMutation({
    mutationFn: (body: { userId: string; from: string; to: string }) => schedulingApi.recordAbsence(roster.id, body),
    onSuccess: (result) => {
      client.setQueryData(['scheduling', 'roster', roster.id], result.roster);
      void client.invalidateQueries({ queryKey: ['scheduling', 'my-shifts'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const fromIso = wallTimeToIso(from, roster.timeZone);
    const toIso = wallTimeToIso(to, roster.timeZone);
    if (!userId) found.userId = t('scheduling.sick.needPerson');
    if (!fromIso) found.from = t('scheduling.errors.required');
    if (!toIso) found.to = t('scheduling.errors.required');
    else if (fromIso && Date.parse(toIso) <= Date.parse(fromIso)) found.to = t('scheduling.errors.endAfterStart');
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    record.mutate({ userId, from: fromIso!, to: toIso! });
  };
  const people = roster.staff.filter((s) => s.shifts > 0);
  const done = record.data;
  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="sick-title">
        <Title order={3} size="h5" mb={4} id="sick-title">{t('scheduling.sick.title')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('scheduling.sick.explain', { zone: roster.timeZone })}</Text>
        <Stack gap="sm" maw={640}>
          <NativeSelect
            label={t('scheduling.sick.person')}
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
            data={[{ value: '', label: t('scheduling.mine.choose') }, ...people.map((p) => ({ value: p.userId, label: p.name }))]}
            error={errors.userId}
          />
          <Group grow align="flex-start">
            <TextInput type="datetime-local" label={t('scheduling.sick.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={errors.from} />
            <TextInput type="datetime-local" label={t('scheduling.sick.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors.to} />
          </Group>
          <Button type="submit" loading={record.isPending} w="fit-content">{t('scheduling.sick.submit')}</Button>
        </Stack>
      </form>
      {record.isPending ? <Text role="status" mt="sm">{t('scheduling.roster.solving')}</Text> : null}
      <ErrorAlert error={record.error} />
      {done ? (
        <Alert mt="sm" color="green" variant="light" role="status" title={t('scheduling.sick.done')}>
          {t('scheduling.sick.changes', { count: done.changes.length })} {t('scheduling.sick.others', { count: done.othersAffected })}
        </Alert>
      ) : null}
    </Paper>
  );
}
