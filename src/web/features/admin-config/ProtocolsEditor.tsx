import { Badge, Button, Checkbox, Grid, Group, List, NativeSelect, NumberInput, Paper, SegmentedControl, Stack, Tabs, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INDICATOR_LEVELS, type IndicatorLevel } from '../../../shared/assessment/vocabulary.js';
import { matchProtocols, planTasksForMatches } from '../../../server/protocols/match.js';
import type { ProtocolInput } from '../../../server/protocols/protocol.schema.js';
import { CONTACT_FLAGS, REQUEST_TYPES, type ContactFlag, type RequestType } from '../../../server/protocols/vocabulary.js';
import { LOCALE_NAMES, LOCALES } from '../../i18n/index.js';
import { errorAt, issuesAt } from './adminConfigApi.js';
import type { EditorProps } from './ConfigWorkspace.js';
import { JsonField, LocalizedInput, MONO } from './fields.js';
import { ActionForm, newAction, newStep, StepForm } from './ProtocolParts.js';
import { validateProtocolSetDraft, type ProtocolSetDraft } from './protocolSet.js';

const EMPTY = { en: '', es: '', fr: '' };

function newProtocol(taken: string[]): ProtocolInput {
  let n = taken.length + 1;
  while (taken.includes(`protocol_${n}`)) n++;
  return { id: `protocol_${n}`, version: 1, title: { ...EMPTY }, summary: { ...EMPTY }, priority: 500, triggers: [{ requestTypes: ['tip'] }], steps: [{ id: 'first_step', kind: 'check', text: { ...EMPTY } }], actions: [] };
}

/** The protocol set as forms: each protocol's triggers (validated JSON), steps, required actions, and a preview. */
export function ProtocolsEditor({ data, setData, readOnly, issues, setJsonInvalid }: EditorProps<ProtocolSetDraft>) {
  const { t, i18n } = useTranslation();
  const lang = (i18n.resolvedLanguage ?? 'en') as 'en' | 'es' | 'fr';
  const [selected, setSelected] = useState(0);
  const [generation, setGeneration] = useState(0);
  const protocols = data.protocols;
  const index = Math.min(selected, protocols.length - 1);
  const protocol = protocols[index];
  const base = `protocols[${index}]`;

  const setProtocols = (next: ProtocolInput[]) => setData({ ...data, protocols: next });
  const setProtocol = (next: ProtocolInput) => setProtocols(protocols.map((p, i) => (i === index ? next : p)));
  const set = (patch: Partial<ProtocolInput>) => setProtocol({ ...protocol, ...patch });
  const restructure = (next: ProtocolInput) => {
    setGeneration((g) => g + 1);
    setProtocol(next);
  };
  const moveStep = (from: number, to: number) => {
    const steps = [...protocol.steps];
    const [step] = steps.splice(from, 1);
    steps.splice(to, 0, step);
    restructure({ ...protocol, steps });
  };

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="protocols-title">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h5" id="protocols-title">{t('adminConfig.protocols')}</Title>
            {!readOnly ? (
              <Button size="compact-sm" onClick={() => { setProtocols([...protocols, newProtocol(protocols.map((p) => p.id))]); setSelected(protocols.length); setGeneration((g) => g + 1); }}>
                {t('adminConfig.addProtocol')}
              </Button>
            ) : null}
          </Group>
          <ol className="plain-list" style={{ margin: 0, padding: 0 }}>
            {protocols.map((p, i) => {
              const count = issuesAt(issues, `protocols[${i}]`).length;
              return (
                <li key={`${generation}:${i}`}>
                  <Group gap={4} wrap="nowrap" p={4} style={{ borderRadius: 6, background: i === index ? 'var(--mantine-color-blue-light)' : undefined }}>
                    <UnstyledButton onClick={() => { setSelected(i); setGeneration((g) => g + 1); }} style={{ flex: 1, minWidth: 0 }} aria-current={i === index ? 'true' : undefined}>
                      <Text size="sm" fw={600} truncate lang={lang}>{p.title?.[lang] || p.id}</Text>
                      <Text size="xs" c="dark.6" ff="monospace">{p.id} · v{p.version} · {t('adminConfig.priorityShort', { priority: p.priority })}</Text>
                    </UnstyledButton>
                    {count ? <Badge color="red" variant="light" c="red.9" aria-label={t('adminConfig.itemProblems', { count })}>{count}</Badge> : null}
                  </Group>
                </li>
              );
            })}
          </ol>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        {protocol ? (
          <Tabs defaultValue="details" keepMounted={false} key={`${generation}:${index}`}>
            <Tabs.List aria-label={t('adminConfig.protocolParts')}>
              <Tabs.Tab value="details">{t('adminConfig.tabDetails')}</Tabs.Tab>
              <Tabs.Tab value="steps">{t('adminConfig.tabSteps', { count: protocol.steps.length })}</Tabs.Tab>
              <Tabs.Tab value="actions">{t('adminConfig.tabActions', { count: protocol.actions.length })}</Tabs.Tab>
              <Tabs.Tab value="preview">{t('adminConfig.tabPreview')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="details" pt="md">
              <Stack gap="sm">
                <Group grow align="flex-start">
                  <TextInput label={t('adminConfig.protocolId')} value={protocol.id} readOnly={readOnly} styles={MONO} error={errorAt(issues, `${base}.id`)} onChange={(e) => set({ id: e.currentTarget.value })} />
                  <NumberInput label={t('adminConfig.priority')} description={t('adminConfig.priorityHint')} value={protocol.priority} min={0} max={1000} readOnly={readOnly} error={errorAt(issues, `${base}.priority`)} onChange={(v) => set({ priority: typeof v === 'number' ? v : 0 })} />
                  <TextInput label={t('adminConfig.protocolVersion')} description={t('adminConfig.protocolVersionHint')} value={String(protocol.version)} readOnly />
                </Group>
                <LocalizedInput label={t('adminConfig.protocolTitle')} value={protocol.title} onChange={(title) => set({ title })} path={`${base}.title`} issues={issues} readOnly={readOnly} idPrefix={`${base}-title`} />
                <LocalizedInput label={t('adminConfig.protocolSummary')} value={protocol.summary} onChange={(summary) => set({ summary })} path={`${base}.summary`} issues={issues} readOnly={readOnly} multiline idPrefix={`${base}-summary`} />
                <JsonField label={t('adminConfig.triggers')} description={t('adminConfig.triggersHint')} value={protocol.triggers} onChange={(triggers) => set({ triggers: triggers as ProtocolInput['triggers'] })} onValidity={(ok) => setJsonInvalid(`${base}.triggers`, !ok)} path={`${base}.triggers`} issues={issues} readOnly={readOnly} minRows={4} />
                {!readOnly ? (
                  <Group>
                    <Button variant="default" color="red" disabled={protocols.length < 2} onClick={() => { setProtocols(protocols.filter((_, i) => i !== index)); setSelected(Math.max(0, index - 1)); setGeneration((g) => g + 1); }}>
                      {t('adminConfig.removeProtocol', { id: protocol.id })}
                    </Button>
                  </Group>
                ) : null}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="steps" pt="md">
              <Stack gap="sm" component="ol" className="plain-list" style={{ margin: 0, padding: 0 }}>
                {protocol.steps.map((step, i) => (
                  <StepForm
                    key={`${generation}:${i}`}
                    value={step}
                    index={i}
                    count={protocol.steps.length}
                    base={base}
                    stepIds={protocol.steps.map((s) => s.id)}
                    readOnly={readOnly}
                    issues={issues}
                    setJsonInvalid={setJsonInvalid}
                    onChange={(next) => set({ steps: protocol.steps.map((s, j) => (j === i ? next : s)) })}
                    onRemove={() => restructure({ ...protocol, steps: protocol.steps.filter((_, j) => j !== i) })}
                    onMove={(to) => moveStep(i, to)}
                  />
                ))}
              </Stack>
              {!readOnly ? <Button mt="sm" variant="default" onClick={() => restructure({ ...protocol, steps: [...protocol.steps, newStep(protocol.steps.map((s) => s.id))] })}>{t('adminConfig.addStep')}</Button> : null}
            </Tabs.Panel>
            <Tabs.Panel value="actions" pt="md">
              <Stack gap="sm" component="ol" className="plain-list" style={{ margin: 0, padding: 0 }}>
                {protocol.actions.map((action, i) => (
                  <ActionForm
                    key={`${generation}:${i}`}
                    value={action}
                    index={i}
                    count={protocol.actions.length}
                    base={base}
                    readOnly={readOnly}
                    issues={issues}
                    setJsonInvalid={setJsonInvalid}
                    onChange={(next) => set({ actions: protocol.actions.map((a, j) => (j === i ? next : a)) })}
                    onRemove={() => restructure({ ...protocol, actions: protocol.actions.filter((_, j) => j !== i) })}
                    onMove={() => undefined}
                  />
                ))}
              </Stack>
              {protocol.actions.length === 0 ? <Text size="sm">{t('adminConfig.noActions')}</Text> : null}
              {!readOnly ? <Button mt="sm" variant="default" onClick={() => restructure({ ...protocol, actions: [...protocol.actions, newAction(protocol.actions.map((a) => a.id))] })}>{t('adminConfig.addAction')}</Button> : null}
            </Tabs.Panel>
            <Tabs.Panel value="preview" pt="md">
              <ProtocolPreview data={data} index={index} />
            </Tabs.Panel>
          </Tabs>
        ) : (
          <Text>{t('adminConfig.noProtocols')}</Text>
        )}
      </Grid.Col>
    </Grid>
  );
}

/** The protocol as the advocate reads it, and which protocols of the draft a contact would trigger, with their tasks. */
function ProtocolPreview({ data, index }: { data: ProtocolSetDraft; index: number }) {
  const { t } = useTranslation();
  const [lang, setLang] = useState<'en' | 'es' | 'fr'>('en');
  const [requestType, setRequestType] = useState<RequestType | ''>('tip');
  const [levels, setLevels] = useState<{ sex: IndicatorLevel; labour: IndicatorLevel }>({ sex: 'none', labour: 'none' });
  const [flags, setFlags] = useState<ContactFlag[]>([]);
  const valid = useMemo(() => validateProtocolSetDraft(data), [data]);
  const protocol = data.protocols[index];
  const context = { requestType: requestType || undefined, levels, flags: [...flags].sort() };
  const matches = valid.issues.length ? [] : matchProtocols(valid.protocols, context);
  const tasks = valid.issues.length ? [] : planTasksForMatches(matches, context, new Date());

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="protocol-preview-title" lang={lang} data-testid="protocol-preview">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h5" id="protocol-preview-title">{protocol.title[lang] || protocol.id}</Title>
            <SegmentedControl size="xs" value={lang} onChange={(v) => setLang(v as typeof lang)} aria-label={t('adminConfig.previewLanguage')} data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} />
          </Group>
          <Text size="sm" mb="sm">{protocol.summary[lang]}</Text>
          <List type="ordered" spacing="xs" size="sm">
            {protocol.steps.map((step) => (
              <List.Item key={step.id}>
                <Text span fw={600}>{step.text[lang]}</Text>
                {step.script ? <Text size="sm" fs="italic" c="dark.7">“{step.script[lang]}”</Text> : null}
                {step.options ? <Text size="xs" c="dark.6">{step.options.map((o) => `${o.label[lang]} → ${o.next ?? t('adminConfig.stepEnd', { lng: lang })}`).join(' · ')}</Text> : null}
              </List.Item>
            ))}
          </List>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="protocol-tester-title">
          <Stack gap="sm">
            <Title order={3} size="h5" id="protocol-tester-title">{t('adminConfig.testerTitle')}</Title>
            <Group grow>
              <NativeSelect label={t('adminConfig.requestType')} value={requestType} onChange={(e) => setRequestType(e.currentTarget.value as RequestType | '')} data={[{ value: '', label: '—' }, ...REQUEST_TYPES.map((r) => ({ value: r, label: r.replace(/_/g, ' ') }))]} />
              {(['sex', 'labour'] as const).map((type) => (
                <NativeSelect key={type} label={t('adminConfig.levelOf', { type: t(`adminConfig.type.${type}`) })} value={levels[type]} onChange={(e) => setLevels({ ...levels, [type]: e.currentTarget.value as IndicatorLevel })} data={INDICATOR_LEVELS.map((l) => ({ value: l, label: t(`adminConfig.level.${l}`) }))} />
              ))}
            </Group>
            <Checkbox.Group label={t('adminConfig.flags')} value={flags} onChange={(v) => setFlags(v as ContactFlag[])}>
              <Group gap="md" mt={4}>
                {CONTACT_FLAGS.map((f) => <Checkbox key={f} value={f} label={t(`adminConfig.flag.${f}`)} />)}
              </Group>
            </Checkbox.Group>
            {valid.issues.length ? (
              <Text size="sm" c="red.9">{t('adminConfig.previewNeedsValid')}</Text>
            ) : (
              <Stack gap={4} aria-live="polite" data-testid="protocol-tester-result">
                <Text size="sm" fw={600}>{t('adminConfig.triggered', { count: matches.length })}</Text>
                <List size="sm">{matches.map((m) => <List.Item key={m.protocol.id}>{m.protocol.title[lang]} ({m.protocol.id})</List.Item>)}</List>
                <Text size="sm" fw={600}>{t('adminConfig.tasks', { count: tasks.length })}</Text>
                <List size="sm">{tasks.map((task) => <List.Item key={task.taskKey}>{task.title[lang]} — {t(`adminConfig.roles.${task.ownerRole}`)}, {t('adminConfig.dueIn', { minutes: task.dueWithinMinutes })}</List.Item>)}</List>
              </Stack>
            )}
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
