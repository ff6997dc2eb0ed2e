import { Alert, Button, Center, Checkbox, Fieldset, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SETTINGS_MESSAGES, settingsBody, type SchedulingSettings } from '../../../shared/api/scheduling.js';
import { CHANNELS } from '../../../shared/intake.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { isApiError } from '../../api.js';
import { ClockField, DaysField, NumField } from './FormFields.js';
import { clockToMinutes, focusFirstInvalid, issueAt, issueText, issuesFromApi, issuesFromZod, minutesToClock, setIn, type FieldIssue } from './formIssues.js';
import { schedulingApi } from './schedulingApi.js';
import { normaliseSkillNeeds, SkillNeedsFields } from './SkillNeedsFields.js';

export const SETTINGS = ['scheduling', 'settings'] as const;

type Path = readonly (string | number)[];
type Pattern = SchedulingSettings['patterns'][number];
type Break = NonNullable<Pattern['breaks']>[number];

const SL_BASES = ['offered', 'answered', 'excludeShortAbandons'] as const;
const CHANNEL_KINDS = ['voice', 'chat', 'deferred'] as const;

/** A new staffing channel with the defaults of its kind; the supervisor picks which contacts feed it. */
function newChannel(kind: (typeof CHANNEL_KINDS)[number], n: number): SchedulingSettings['channels'][number] {
  const id = `${kind}-${n}`;
  if (kind === 'deferred') return { sources: [], model: { id, kind, ahtSeconds: 600, responseMinutes: 240 } };
  return { sources: [], model: { id, kind, ahtSeconds: kind === 'chat' ? 1500 : 900, target: { serviceLevel: 0.8, answerSeconds: kind === 'chat' ? 60 : 30 } } };
}

/** Up to three breaks in a shift pattern: length, paid or not, and the window (after the shift starts) it may start in. */
function BreaksFields({ patternIndex, pattern, onChange, issues }: { patternIndex: number; pattern: Pattern; onChange: (breaks: Break[]) => void; issues: readonly FieldIssue[] }) {
  const { t } = useTranslation();
  const breaks = pattern.breaks ?? [];
  const update = (j: number, patch: Partial<Break>) => onChange(breaks.map((b, k) => (k === j ? { ...b, ...patch } : b)));
  const path = (j: number) => `patterns.${patternIndex}.breaks.${j}`;
  return (
    <Stack gap="xs" mt="sm">
      {breaks.map((b, j) => (
        <Paper key={j} withBorder p="xs">
          <Group align="flex-end" wrap="wrap">
            <NumField label={t('scheduling.settings.breakLength', { n: j + 1 })} value={b.lengthMinutes} onChange={(v) => update(j, { lengthMinutes: v as number })} path={`${path(j)}.lengthMinutes`} issues={issues} step={30} />
            <NumField label={t('scheduling.settings.breakEarliest', { n: j + 1 })} value={b.earliestStartMinutes} onChange={(v) => update(j, { earliestStartMinutes: v as number })} path={`${path(j)}.earliestStartMinutes`} issues={issues} step={30} />
            <NumField label={t('scheduling.settings.breakLatest', { n: j + 1 })} value={b.latestStartMinutes} onChange={(v) => update(j, { latestStartMinutes: v as number })} path={`${path(j)}.latestStartMinutes`} issues={issues} step={30} />
            <Checkbox label={t('scheduling.settings.breakPaid', { n: j + 1 })} checked={b.isPaid ?? false} onChange={(e) => update(j, { isPaid: e.currentTarget.checked })} mb={8} />
            <Button variant="subtle" color="red" onClick={() => onChange(breaks.filter((_, k) => k !== j))}>{t('scheduling.settings.removeBreak', { n: j + 1 })}</Button>
          </Group>
          {issueAt(issues, path(j), true) ? <Text size="sm" c="red.8" mt={4}>{issueText(t, issueAt(issues, path(j), true))}</Text> : null}
        </Paper>
      ))}
      <Button
        variant="default"
        w="fit-content"
        disabled={breaks.length >= 3}
        onClick={() => onChange([...breaks, { lengthMinutes: 30, isPaid: false, earliestStartMinutes: 180, latestStartMinutes: Math.max(180, Math.min(300, (pattern.lengthMinutes ?? 480) - 60)) }])}
      >
        {t('scheduling.settings.addBreak', { id: pattern.id })}
      </Button>
    </Stack>
  );
}

function getIn(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[key]), value);
}

/**
 * Supervisors: the hotline's scheduling settings as a form — service targets per channel, shrinkage, the safety
 * floor, wellness rules, the debrief rule, shift patterns, forecast history and the default contract. Checked with
 * the server's own schema before saving; each problem is shown beside its field.
 */
export function SettingsPanel() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: SETTINGS, queryFn: ({ signal }) => schedulingApi.settings(signal) });
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  return <SettingsForm key={query.data.version} initial={query.data.settings} version={query.data.version} />;
}

function SettingsForm({ initial, version }: { initial: SchedulingSettings; version: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<SchedulingSettings>(initial);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [newKind, setNewKind] = useState<(typeof CHANNEL_KINDS)[number]>('voice');
  // Start times are typed as text ("07:00, 15:00"); kept as typed until they parse.
  const [startTexts, setStartTexts] = useState<string[]>(() => initial.patterns.map((p) => p.startMinutesOfDay.map(minutesToClock).join(', ')));
  const save = useMutation({
    mutationFn: (settings: SchedulingSettings) => schedulingApi.saveSettings(version, settings),
    onSuccess: (saved) => {
      client.setQueryData(SETTINGS, saved);
      void client.invalidateQueries({ queryKey: ['scheduling', 'forecast'] });
      notifications.show({ color: 'green', message: t('scheduling.settings.saved') });
    },
    onError: (error) => {
      setIssues(issuesFromApi(error, 'settings.'));
      focusFirstInvalid(formRef.current);
    },
  });

  const set = (path: Path, value: unknown) => setDraft((d) => setIn(d, path, value));
  const num = (path: Path) => getIn(draft, path) as number | undefined;
  const key = (path: Path) => path.join('.');
  const field = (label: string, path: Path, extra: { scale?: number; unit?: string; description?: string; placeholder?: string; step?: number } = {}) => (
    <NumField label={label} value={num(path)} onChange={(v) => set(path, v)} path={key(path)} issues={issues} {...extra} />
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: FieldIssue[] = [];
    let patterns = draft.patterns;
    startTexts.forEach((text, i) => {
      const minutes = text.split(/[,\s]+/).filter(Boolean).map(clockToMinutes);
      if (minutes.length === 0 || minutes.some((m) => m === null)) found.push({ path: `patterns.${i}.startMinutesOfDay`, code: 'times', message: '' });
      else patterns = setIn(patterns, [i, 'startMinutesOfDay'], [...new Set(minutes as number[])].sort((a, b) => a - b));
    });
    const next = { ...draft, patterns, skillNeeds: normaliseSkillNeeds(draft.skillNeeds ?? []) };
    const parsed = settingsBody.safeParse({ version, settings: next });
    if (!parsed.success) {
      found.push(...issuesFromZod(parsed.error, 'settings.'));
      // zod skips the cross-field checks while any field is wrong; say this one at once too.
      const { minHoursPerWeek: min, maxHoursPerWeek: max } = next.defaultContract;
      if (min !== undefined && max !== undefined && min > max && !found.some((i) => i.path === 'defaultContract.minHoursPerWeek')) {
        found.push({ path: 'defaultContract.minHoursPerWeek', code: 'custom', message: SETTINGS_MESSAGES.minAboveMax });
      }
    }
    setIssues(found);
    if (found.length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setDraft(next);
    save.mutate(next);
  };

  const percent = { scale: 100, unit: ' %' };
  const supervisorModes = ['onDutyOrOnCall', 'onDuty'] as const;
  const nightSupervisor = ['fullOrOnCall', 'full', 'none'] as const;
  const sourcesError = (i: number) => issueText(t, issueAt(issues, `channels.${i}.sources`));
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="settings-title">
      <Stack>
        <Paper withBorder p="md">
          <Title order={2} size="h4" id="settings-title" mb={4}>{t('scheduling.settings.title')}</Title>
          <Text size="sm" c="dimmed">{t('scheduling.settings.explain')}</Text>
        </Paper>

        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">{t('scheduling.settings.targets')}</Title>
          <Stack>
            {draft.channels.map((c, i) => {
              const base = ['channels', i, 'model'] as const;
              const name = c.model.name || t(`scheduling.channel.${c.model.id}`, { defaultValue: c.model.id });
              return (
                <Fieldset key={i} legend={name}>
                  <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mb="sm">
                    <TextInput label={t('scheduling.settings.channelId', { channel: name })} description={t('scheduling.settings.channelIdHelp')} value={c.model.id} onChange={(e) => set([...base, 'id'], e.currentTarget.value)} error={issueText(t, issueAt(issues, `channels.${i}.model.id`))} />
                    <TextInput label={t('scheduling.settings.channelName', { channel: name })} description={t('scheduling.settings.optional')} value={c.model.name ?? ''} onChange={(e) => set([...base, 'name'], e.currentTarget.value || undefined)} error={issueText(t, issueAt(issues, `channels.${i}.model.name`))} />
                    <TextInput label={t('scheduling.settings.channelKind', { channel: name })} value={t(`scheduling.settings.kind.${c.model.kind}`)} readOnly />
                  </SimpleGrid>
                  <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
                    {field(t('scheduling.settings.ahtMinutes'), [...base, 'ahtSeconds'], { scale: 1 / 60, description: t('scheduling.settings.ahtHelp'), step: 1 })}
                    {c.model.kind === 'deferred' ? (
                      field(t('scheduling.settings.responseMinutes'), [...base, 'responseMinutes'], { description: t('scheduling.settings.responseHelp') })
                    ) : (
                      <>
                        {field(t('scheduling.settings.serviceLevel'), [...base, 'target', 'serviceLevel'], percent)}
                        {field(t('scheduling.settings.answerSeconds'), [...base, 'target', 'answerSeconds'])}
                        {field(t('scheduling.settings.patienceSeconds'), [...base, 'patienceSeconds'], { description: t('scheduling.settings.patienceHelp') })}
                        {field(t('scheduling.settings.maxAbandonment'), [...base, 'maxAbandonment'], { ...percent, description: t('scheduling.settings.optional') })}
                        <NativeSelect
                          label={t('scheduling.settings.slBasis')}
                          value={(getIn(draft, [...base, 'serviceLevelBasis']) as string | undefined) ?? 'offered'}
                          onChange={(e) => set([...base, 'serviceLevelBasis'], e.currentTarget.value)}
                          data={SL_BASES.map((b) => ({ value: b, label: t(`scheduling.settings.slBasisMode.${b}`) }))}
                        />
                      </>
                    )}
                    {c.model.kind === 'chat' ? field(t('scheduling.settings.concurrentChats'), [...base, 'maxConcurrentChats']) : null}
                    {field(t('scheduling.settings.maxOccupancy'), [...base, 'maxOccupancy'], { ...percent, placeholder: '85 %' })}
                  </SimpleGrid>
                  <Checkbox.Group
                    mt="sm"
                    label={t('scheduling.settings.sources', { channel: name })}
                    value={[...c.sources]}
                    onChange={(v) => set(['channels', i, 'sources'], CHANNELS.filter((s) => v.includes(s)))}
                    error={sourcesError(i)}
                  >
                    <Group gap="sm" mt={4}>
                      {CHANNELS.map((s) => <Checkbox key={s} value={s} label={t(`channel.${s}`)} />)}
                    </Group>
                  </Checkbox.Group>
                  <Button variant="subtle" color="red" mt="xs" disabled={draft.channels.length === 1} onClick={() => set(['channels'], draft.channels.filter((_, k) => k !== i))}>
                    {t('scheduling.settings.removeChannel', { channel: name })}
                  </Button>
                </Fieldset>
              );
            })}
          </Stack>
          <Group mt="sm" align="flex-end">
            <NativeSelect
              label={t('scheduling.settings.newChannelKind')}
              value={newKind}
              onChange={(e) => setNewKind(e.currentTarget.value as (typeof CHANNEL_KINDS)[number])}
              data={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`scheduling.settings.kind.${k}`) }))}
            />
            <Button variant="default" disabled={draft.channels.length >= 10} onClick={() => set(['channels'], [...draft.channels, newChannel(newKind, draft.channels.length + 1)])}>
              {t('scheduling.settings.addChannel')}
            </Button>
          </Group>
        </Paper>

        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">{t('scheduling.settings.staffing')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {field(t('scheduling.settings.shrinkage'), ['shrinkage'], { ...percent, description: t('scheduling.settings.shrinkageHelp') })}
            {field(t('scheduling.settings.minimumOnDuty'), ['floor', 'minimumOnDuty'], { description: t('scheduling.settings.minimumOnDutyHelp') })}
            <NativeSelect
              label={t('scheduling.settings.floorSupervisor')}
              value={draft.floor.supervisor ?? 'onDutyOrOnCall'}
              onChange={(e) => set(['floor', 'supervisor'], e.currentTarget.value)}
              data={supervisorModes.map((m) => ({ value: m, label: t(`scheduling.settings.floorSupervisorMode.${m}`) }))}
            />
          </SimpleGrid>
        </Paper>

        <SkillNeedsFields needs={draft.skillNeeds ?? []} onChange={(needs) => set(['skillNeeds'], needs)} issues={issues} />

        <Paper withBorder p="md">
          <Title order={3} size="h5" mb={4}>{t('scheduling.settings.wellness')}</Title>
          <Text size="sm" c="dimmed" mb="sm">{t('scheduling.settings.wellnessExplain')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {field(t('scheduling.settings.minRestHours'), ['rules', 'minRestHours'], { placeholder: '11' })}
            {field(t('scheduling.settings.maxConsecutiveDays'), ['rules', 'maxConsecutiveWorkingDays'], { placeholder: '5' })}
            {field(t('scheduling.settings.maxNightsPerWeek'), ['rules', 'maxNightShiftsPerWeek'], { placeholder: '3' })}
            {field(t('scheduling.settings.maxNightsInRow'), ['rules', 'maxConsecutiveNightShifts'], { placeholder: '3' })}
          </SimpleGrid>
          <Fieldset legend={t('scheduling.settings.nightShift')} mt="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <ClockField label={t('scheduling.settings.windowFrom')} value={num(['rules', 'nightShift', 'startMinute']) ?? 0} onChange={(v) => set(['rules', 'nightShift', 'startMinute'], v)} path="rules.nightShift.startMinute" issues={issues} />
              <ClockField label={t('scheduling.settings.windowTo')} value={num(['rules', 'nightShift', 'endMinute']) ?? 360} onChange={(v) => set(['rules', 'nightShift', 'endMinute'], v)} path="rules.nightShift.endMinute" issues={issues} />
              {field(t('scheduling.settings.nightMinimumHours'), ['rules', 'nightShift', 'minimumMinutes'], { scale: 1 / 60, placeholder: '3', step: 0.5 })}
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend={t('scheduling.settings.nightFloor')} mt="md">
            <Text size="sm" c="dimmed" mb="xs">{t('scheduling.settings.nightFloorExplain')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <ClockField label={t('scheduling.settings.windowFrom')} value={num(['rules', 'nightFloor', 'startMinute']) ?? 1320} onChange={(v) => set(['rules', 'nightFloor', 'startMinute'], v)} path="rules.nightFloor.startMinute" issues={issues} />
              <ClockField label={t('scheduling.settings.windowTo')} value={num(['rules', 'nightFloor', 'endMinute']) ?? 420} onChange={(v) => set(['rules', 'nightFloor', 'endMinute'], v)} path="rules.nightFloor.endMinute" issues={issues} />
              {field(t('scheduling.settings.nightMinimumPeople'), ['rules', 'nightFloor', 'minimumPeople'], { placeholder: '2' })}
              <NativeSelect
                label={t('scheduling.settings.nightSupervisor')}
                value={(getIn(draft, ['rules', 'nightFloor', 'supervisor']) as string | undefined) ?? 'fullOrOnCall'}
                onChange={(e) => set(['rules', 'nightFloor', 'supervisor'], e.currentTarget.value)}
                data={nightSupervisor.map((m) => ({ value: m, label: t(`scheduling.settings.nightSupervisorMode.${m}`) }))}
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend={t('scheduling.settings.debrief')} mt="md">
            <Text size="sm" c="dimmed" mb="xs">{t('scheduling.settings.debriefExplain')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {field(t('scheduling.settings.crisisShare'), ['crisisShare'], { ...percent, description: t('scheduling.settings.crisisShareHelp'), placeholder: '0 %' })}
              {field(t('scheduling.settings.debriefAfter'), ['rules', 'debrief', 'afterCrisisContacts'], { placeholder: '3' })}
              {field(t('scheduling.settings.debriefMinutes'), ['rules', 'debrief', 'minutes'], { placeholder: '30', step: 30, description: t('scheduling.settings.halfHourSteps') })}
            </SimpleGrid>
          </Fieldset>
          <DaysField
            label={t('scheduling.settings.weekendDays')}
            value={(getIn(draft, ['rules', 'weekendDays']) as number[] | undefined) ?? [5, 6]}
            onChange={(days) => set(['rules', 'weekendDays'], days)}
            path="rules.weekendDays"
            issues={issues}
          />
        </Paper>

        <Paper withBorder p="md">
          <Title order={3} size="h5" mb={4}>{t('scheduling.settings.patterns')}</Title>
          <Text size="sm" c="dimmed" mb="sm">{t('scheduling.settings.patternsExplain')}</Text>
          <Stack>
            {draft.patterns.map((p, i) => (
              <Fieldset key={i} legend={t('scheduling.settings.patternLegend', { id: p.id || '…' })}>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput label={t('scheduling.settings.patternId')} value={p.id} onChange={(e) => set(['patterns', i, 'id'], e.currentTarget.value)} error={issueText(t, issueAt(issues, `patterns.${i}.id`))} />
                  {field(t('scheduling.settings.patternHours'), ['patterns', i, 'lengthMinutes'], { scale: 1 / 60, step: 0.5 })}
                  <TextInput
                    label={t('scheduling.settings.patternStarts')}
                    description={t('scheduling.settings.patternStartsHelp')}
                    value={startTexts[i] ?? ''}
                    onChange={(e) => {
                      const text = e.currentTarget.value;
                      setStartTexts((all) => all.map((s, k) => (k === i ? text : s)));
                    }}
                    error={issueText(t, issueAt(issues, `patterns.${i}.startMinutesOfDay`))}
                  />
                </SimpleGrid>
                <DaysField label={t('scheduling.settings.patternDays')} value={p.days ?? [0, 1, 2, 3, 4, 5, 6]} onChange={(days) => set(['patterns', i, 'days'], days)} path={`patterns.${i}.days`} issues={issues} />
                <BreaksFields patternIndex={i} pattern={p} onChange={(breaks) => set(['patterns', i, 'breaks'], breaks)} issues={issues} />
                <Button
                  variant="subtle"
                  color="red"
                  mt="xs"
                  disabled={draft.patterns.length === 1}
                  onClick={() => {
                    set(['patterns'], draft.patterns.filter((_, k) => k !== i));
                    setStartTexts((all) => all.filter((_, k) => k !== i));
                  }}
                >
                  {t('scheduling.settings.removePattern', { id: p.id })}
                </Button>
              </Fieldset>
            ))}
          </Stack>
          <Button
            variant="default"
            mt="sm"
            disabled={draft.patterns.length >= 20}
            onClick={() => {
              set(['patterns'], [...draft.patterns, { id: `p${draft.patterns.length + 1}`, lengthMinutes: 480, startMinutesOfDay: [9 * 60] }]);
              setStartTexts((all) => [...all, '09:00']);
            }}
          >
            {t('scheduling.settings.addPattern')}
          </Button>
        </Paper>

        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="sm">{t('scheduling.settings.forecastAndContracts')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {field(t('scheduling.settings.historyWeeks'), ['historyWeeks'])}
            {field(t('scheduling.settings.holdoutWeeks'), ['holdoutWeeks'], { description: t('scheduling.settings.holdoutHelp') })}
            {field(t('scheduling.settings.defaultMinHours'), ['defaultContract', 'minHoursPerWeek'])}
            {field(t('scheduling.settings.defaultMaxHours'), ['defaultContract', 'maxHoursPerWeek'])}
          </SimpleGrid>
        </Paper>

        {issues.length > 0 ? (
          <Alert color="red" variant="light" role="alert" title={t('scheduling.errors.summary', { count: issues.length })}>
            {t('scheduling.errors.summaryHelp')}
          </Alert>
        ) : null}
        {save.error && !isApiError(save.error, 'validation_failed') ? <ErrorAlert error={save.error} /> : null}
        <Group>
          <Button type="submit" loading={save.isPending}>{t('scheduling.settings.save')}</Button>
          <Button variant="default" onClick={() => { setDraft(initial); setIssues([]); setStartTexts(initial.patterns.map((p) => p.startMinutesOfDay.map(minutesToClock).join(', '))); }}>
            {t('scheduling.settings.reset')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
