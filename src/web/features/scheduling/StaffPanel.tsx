import { Badge, Button, Center, Checkbox, Fieldset, Group, Loader, Modal, NativeSelect, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SETTINGS_MESSAGES, staffContractBody } from '../../../shared/api/scheduling.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { isApiError } from '../../api.js';
import { ClockField, DaysField, NumField } from './FormFields.js';
import { focusFirstInvalid, issueAt, issueText, issuesFromApi, issuesFromZod, minutesToClock, type FieldIssue } from './formIssues.js';
import { SETTINGS } from './SettingsPanel.js';
import { DAY_KEYS, schedulingApi, useChannelName, type StaffContract, type StaffMember } from './schedulingApi.js';

const STAFF = ['scheduling', 'staff'] as const;
const SUPERVISOR_LEVELS = ['none', 'onCall', 'full'] as const;

/** A weekly window as the form shows it: days and two clock times; "to" at or before "from" runs past midnight. */
interface WindowDraft {
  days: number[];
  from: number | undefined;
  to: number | undefined;
}

/** Supervisors: who works shifts, their contracts, skills, availability and preferences; edit one at a time. */
export function StaffPanel() {
  const { t, i18n } = useTranslation();
  const channelName = useChannelName();
  const query = useQuery({ queryKey: STAFF, queryFn: ({ signal }) => schedulingApi.staff(signal) });
  const [editing, setEditing] = useState<StaffMember | null>(null);
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const days = (list: readonly number[] | undefined) => (list ?? []).map((d) => t(`scheduling.days.${DAY_KEYS[d]}`)).join(', ');
  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>{t('scheduling.staff.title')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('scheduling.staff.explain')}</Text>
        <ScrollArea type="auto">
          <Table aria-label={t('scheduling.staff.title')} striped miw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scheduling.staff.name')}</Table.Th>
                <Table.Th>{t('scheduling.staff.hours')}</Table.Th>
                <Table.Th>{t('scheduling.staff.languages')}</Table.Th>
                <Table.Th>{t('scheduling.staff.certified')}</Table.Th>
                <Table.Th>{t('scheduling.staff.supervisor')}</Table.Th>
                <Table.Th>{t('scheduling.staff.availability')}</Table.Th>
                <Table.Th>{t('scheduling.staff.preferences')}</Table.Th>
                <Table.Th>{t('scheduling.staff.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...query.data.staff].sort((a, b) => a.name.localeCompare(b.name, i18n.resolvedLanguage)).map((m) => {
                const c = m.contract;
                const prefs = [
                  c.avoidNights ? t('scheduling.staff.noNights') : null,
                  (c.preferredDays?.length ?? 0) > 0 ? t('scheduling.staff.prefersDays', { days: days(c.preferredDays) }) : null,
                  (c.avoidDays?.length ?? 0) > 0 ? t('scheduling.staff.avoidsDays', { days: days(c.avoidDays) }) : null,
                ].filter(Boolean);
                return (
                  <Table.Tr key={m.userId} data-user-id={m.userId}>
                    <Table.Td>{m.name}</Table.Td>
                    <Table.Td>
                      {t('scheduling.staff.hoursRange', { min: c.minHoursPerWeek, max: c.maxHoursPerWeek })}
                      {m.hasContract ? null : <Badge ml="xs" variant="light" color="gray">{t('scheduling.staff.default')}</Badge>}
                    </Table.Td>
                    <Table.Td>{(c.languages ?? []).join(', ').toUpperCase() || '—'}</Table.Td>
                    <Table.Td>{(c.channels ?? ['voice', 'chat']).map((ch) => channelName(ch)).join(', ') || '—'}</Table.Td>
                    <Table.Td>{t(`scheduling.staff.level.${m.supervisor}`)}</Table.Td>
                    <Table.Td>
                      {(c.unavailable ?? []).length === 0
                        ? t('scheduling.staff.always')
                        : (c.unavailable ?? []).map((w, i) => <Text key={i} size="sm">{days(w.days)} {minutesToClock(w.startMinute)}–{w.endMinute === 1440 ? '24:00' : minutesToClock(w.endMinute)}</Text>)}
                    </Table.Td>
                    <Table.Td>{prefs.join('; ') || '—'}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setEditing(m)} aria-label={t('scheduling.staff.editNamed', { name: m.name })}>{t('scheduling.staff.edit')}</Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? t('scheduling.staff.editTitle', { name: editing.name }) : ''} size="xl">
        {editing ? <ContractForm member={editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </Stack>
  );
}

function crossFieldIssues(c: { minHoursPerWeek?: number; maxHoursPerWeek?: number; preferredDays: number[]; avoidDays: number[] }, found: readonly FieldIssue[]): FieldIssue[] {
  const extra: FieldIssue[] = [];
  const has = (path: string) => found.some((i) => i.path === path);
  if (c.minHoursPerWeek !== undefined && c.maxHoursPerWeek !== undefined && c.minHoursPerWeek > c.maxHoursPerWeek && !has('minHoursPerWeek')) {
    extra.push({ path: 'minHoursPerWeek', code: 'custom', message: SETTINGS_MESSAGES.minAboveMax });
  }
  if (c.preferredDays.some((d) => c.avoidDays.includes(d)) && !has('avoidDays')) extra.push({ path: 'avoidDays', code: 'custom', message: SETTINGS_MESSAGES.dayPreferredAndAvoided });
  return extra;
}

function ContractForm({ member, onDone }: { member: StaffMember; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const settings = useQuery({ queryKey: SETTINGS, queryFn: ({ signal }) => schedulingApi.settings(signal) });
  const c = member.contract;
  const [minHours, setMinHours] = useState<number | undefined>(c.minHoursPerWeek);
  const [maxHours, setMaxHours] = useState<number | undefined>(c.maxHoursPerWeek);
  const [languages, setLanguages] = useState((c.languages ?? []).join(', '));
  const [channels, setChannels] = useState<string[]>([...(c.channels ?? ['voice', 'chat'])]);
  const [supervisor, setSupervisor] = useState<string>(member.supervisor);
  const [avoidNights, setAvoidNights] = useState(c.avoidNights ?? false);
  const [preferredDays, setPreferredDays] = useState<number[]>([...(c.preferredDays ?? [])]);
  const [avoidDays, setAvoidDays] = useState<number[]>([...(c.avoidDays ?? [])]);
  const [preferredPatterns, setPreferredPatterns] = useState<string[]>([...(c.preferredPatterns ?? [])]);
  const [avoidPatterns, setAvoidPatterns] = useState<string[]>([...(c.avoidPatterns ?? [])]);
  const [windows, setWindows] = useState<WindowDraft[]>(() => (c.unavailable ?? []).map((w) => ({ days: [...w.days], from: w.startMinute, to: w.endMinute % 1440 })));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const save = useMutation({
    mutationFn: (contract: StaffContract) => schedulingApi.saveContract(member.userId, contract),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: STAFF });
      notifications.show({ color: 'green', message: t('scheduling.staff.saved', { name: member.name }) });
      onDone();
    },
    onError: (error) => {
      setIssues(issuesFromApi(error));
      focusFirstInvalid(formRef.current);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const contract = {
      minHoursPerWeek: minHours,
      maxHoursPerWeek: maxHours,
      languages: languages.split(/[,\s]+/).map((l) => l.trim().toLowerCase()).filter(Boolean),
      channels,
      supervisor,
      avoidNights,
      preferredDays,
      avoidDays,
      preferredPatterns,
      avoidPatterns,
      // "to" at or before "from" is the next day: 22:00–07:00 is one window of 9 hours.
      unavailable: windows.map((w) => ({ days: w.days, startMinute: w.from, endMinute: w.to === undefined || w.from === undefined ? w.to : w.to <= w.from ? w.to + 1440 : w.to })),
    };
    const parsed = staffContractBody.safeParse(contract);
    const found = parsed.success ? [] : issuesFromZod(parsed.error);
    // zod skips the cross-field checks while any field is wrong; say everything at once.
    if (!parsed.success) found.push(...crossFieldIssues(contract, found));
    setIssues(found);
    if (!parsed.success) {
      focusFirstInvalid(formRef.current);
      return;
    }
    save.mutate(parsed.data);
  };
  const patterns = settings.data?.settings.patterns ?? [];
  const setWindow = (i: number, patch: Partial<WindowDraft>) => setWindows((all) => all.map((w, k) => (k === i ? { ...w, ...patch } : w)));
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label={t('scheduling.staff.editTitle', { name: member.name })}>
      <Stack>
        <Fieldset legend={t('scheduling.staff.contract')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumField label={t('scheduling.staff.minHours')} description={t('scheduling.staff.minHoursHelp')} value={minHours} onChange={setMinHours} path="minHoursPerWeek" issues={issues} step={0.5} />
            <NumField label={t('scheduling.staff.maxHours')} description={t('scheduling.staff.maxHoursHelp')} value={maxHours} onChange={setMaxHours} path="maxHoursPerWeek" issues={issues} step={0.5} />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={t('scheduling.staff.skills')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('scheduling.staff.languagesInput')} description={t('scheduling.staff.languagesHelp')} value={languages} onChange={(e) => setLanguages(e.currentTarget.value)} error={issueText(t, issueAt(issues, 'languages'))} />
            <NativeSelect
              label={t('scheduling.staff.supervisor')}
              value={supervisor}
              onChange={(e) => setSupervisor(e.currentTarget.value)}
              data={SUPERVISOR_LEVELS.map((l) => ({ value: l, label: t(`scheduling.staff.level.${l}`) }))}
            />
          </SimpleGrid>
          <Checkbox.Group mt="sm" label={t('scheduling.staff.certifiedFor')} value={channels} onChange={setChannels} error={issueText(t, issueAt(issues, 'channels'))}>
            <Group gap="sm" mt={4}>
              <Checkbox value="voice" label={t('scheduling.channel.voice')} />
              <Checkbox value="chat" label={t('scheduling.channel.chat')} />
            </Group>
          </Checkbox.Group>
        </Fieldset>
        <Fieldset legend={t('scheduling.staff.unavailable')}>
          <Text size="sm" c="dimmed" mb="xs">{t('scheduling.staff.unavailableHelp')}</Text>
          <Stack gap="sm">
            {windows.length === 0 ? <Text size="sm">{t('scheduling.staff.always')}</Text> : null}
            {windows.map((w, i) => (
              <Paper key={i} withBorder p="xs">
                <DaysField label={t('scheduling.staff.windowDays', { n: i + 1 })} value={w.days} onChange={(days) => setWindow(i, { days })} path={`unavailable.${i}.days`} issues={issues} />
                <Group align="flex-end" mt="xs">
                  <ClockField label={t('scheduling.staff.windowFrom', { n: i + 1 })} value={w.from} onChange={(from) => setWindow(i, { from })} path={`unavailable.${i}.startMinute`} issues={issues} />
                  <ClockField label={t('scheduling.staff.windowTo', { n: i + 1 })} value={w.to} onChange={(to) => setWindow(i, { to })} path={`unavailable.${i}.endMinute`} issues={issues} />
                  <Button variant="subtle" color="red" onClick={() => setWindows((all) => all.filter((_, k) => k !== i))}>{t('scheduling.staff.removeWindow', { n: i + 1 })}</Button>
                </Group>
              </Paper>
            ))}
            <Button variant="default" w="fit-content" disabled={windows.length >= 20} onClick={() => setWindows((all) => [...all, { days: [], from: 9 * 60, to: 17 * 60 }])}>
              {t('scheduling.staff.addWindow')}
            </Button>
          </Stack>
        </Fieldset>
        <Fieldset legend={t('scheduling.staff.preferences')}>
          <Stack gap="sm">
            <Checkbox label={t('scheduling.staff.avoidNights')} checked={avoidNights} onChange={(e) => setAvoidNights(e.currentTarget.checked)} />
            <DaysField label={t('scheduling.staff.preferredDays')} value={preferredDays} onChange={setPreferredDays} path="preferredDays" issues={issues} />
            <DaysField label={t('scheduling.staff.avoidDays')} value={avoidDays} onChange={setAvoidDays} path="avoidDays" issues={issues} />
            {patterns.length > 1 ? (
              <>
                <Checkbox.Group label={t('scheduling.staff.preferredPatterns')} value={preferredPatterns} onChange={setPreferredPatterns}>
                  <Group gap="sm" mt={4}>{patterns.map((p) => <Checkbox key={p.id} value={p.id} label={p.id} />)}</Group>
                </Checkbox.Group>
                <Checkbox.Group label={t('scheduling.staff.avoidPatterns')} value={avoidPatterns} onChange={setAvoidPatterns}>
                  <Group gap="sm" mt={4}>{patterns.map((p) => <Checkbox key={p.id} value={p.id} label={p.id} />)}</Group>
                </Checkbox.Group>
              </>
            ) : null}
          </Stack>
        </Fieldset>
        {issues.length > 0 ? <Text c="red.8" role="alert">{t('scheduling.errors.summary', { count: issues.length })}</Text> : null}
        {save.error && !isApiError(save.error, 'validation_failed') ? <ErrorAlert error={save.error} /> : null}
        <Group>
          <Button type="submit" loading={save.isPending}>{t('scheduling.staff.save')}</Button>
          <Button variant="default" onClick={onDone}>{t('scheduling.staff.cancel')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
