import { Button, Checkbox, Fieldset, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SchedulingSettings } from '../../../shared/api/scheduling.js';
import { ClockField, DaysField, NumField } from './FormFields.js';
import { issueAt, issueText, type FieldIssue } from './formIssues.js';

type SkillNeed = NonNullable<SchedulingSettings['skillNeeds']>[number];
const KINDS = ['language', 'channel:chat', 'channel:voice', 'supervisor', 'supervisor:onCall'] as const;
type Kind = (typeof KINDS)[number];

const kindOf = (skill: string): Kind => (skill.startsWith('language:') ? 'language' : ((KINDS as readonly string[]).includes(skill) ? (skill as Kind) : 'language'));

/** Overnight windows are typed as "22:00 to 07:00"; the schema wants the end after the start. */
export function normaliseSkillNeeds(needs: readonly SkillNeed[]): SkillNeed[] {
  return needs.map((n) => ({ ...n, windows: (n.windows ?? []).map((w) => ({ ...w, endMinute: w.endMinute <= w.startMinute ? w.endMinute + 1440 : w.endMinute })) }));
}

/**
 * Skills that must be on duty: a language, a channel certification or a supervisor, at least N people, all week or
 * in one weekly time window. Needs with several windows (set through the API) keep them untouched.
 */
export function SkillNeedsFields({ needs, onChange, issues }: { needs: readonly SkillNeed[]; onChange: (needs: SkillNeed[]) => void; issues: readonly FieldIssue[] }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<SkillNeed>) => onChange(needs.map((n, k) => (k === i ? { ...n, ...patch } : n)));
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb={4}>{t('scheduling.skillNeeds.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t('scheduling.skillNeeds.explain')}</Text>
      <Stack>
        {needs.length === 0 ? <Text size="sm">{t('scheduling.skillNeeds.none')}</Text> : null}
        {needs.map((need, i) => {
          const kind = kindOf(need.skill);
          const windows = need.windows ?? [];
          const window = windows[0];
          return (
            <Fieldset key={i} legend={t('scheduling.skillNeeds.legend', { n: i + 1 })}>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <NativeSelect
                  label={t('scheduling.skillNeeds.skill', { n: i + 1 })}
                  value={kind}
                  onChange={(e) => update(i, { skill: e.currentTarget.value === 'language' ? 'language:' : e.currentTarget.value })}
                  data={KINDS.map((k) => ({ value: k, label: t(`scheduling.skillNeeds.kind.${k}`) }))}
                />
                {kind === 'language' ? (
                  <TextInput
                    label={t('scheduling.skillNeeds.language', { n: i + 1 })}
                    description={t('scheduling.skillNeeds.languageHelp')}
                    value={need.skill.slice('language:'.length)}
                    onChange={(e) => update(i, { skill: `language:${e.currentTarget.value.trim().toLowerCase()}` })}
                    error={issueText(t, issueAt(issues, `skillNeeds.${i}.skill`))}
                  />
                ) : null}
                <NumField label={t('scheduling.skillNeeds.minimum', { n: i + 1 })} value={need.minimum} onChange={(v) => update(i, { minimum: v })} path={`skillNeeds.${i}.minimum`} issues={issues} placeholder="1" />
              </SimpleGrid>
              {windows.length > 1 ? (
                <Text size="sm" c="dimmed" mt="xs">{t('scheduling.skillNeeds.manyWindows', { count: windows.length })}</Text>
              ) : (
                <>
                  <Checkbox
                    mt="sm"
                    label={t('scheduling.skillNeeds.allWeek', { n: i + 1 })}
                    checked={windows.length === 0}
                    onChange={(e) => update(i, { windows: e.currentTarget.checked ? [] : [{ days: [0, 1, 2, 3, 4], startMinute: 9 * 60, endMinute: 17 * 60 }] })}
                  />
                  {window ? (
                    <Stack gap="xs" mt="xs">
                      <DaysField label={t('scheduling.skillNeeds.days', { n: i + 1 })} value={window.days} onChange={(days) => update(i, { windows: [{ ...window, days }] })} path={`skillNeeds.${i}.windows.0.days`} issues={issues} />
                      <Group>
                        <ClockField label={t('scheduling.skillNeeds.from', { n: i + 1 })} value={window.startMinute} onChange={(v) => update(i, { windows: [{ ...window, startMinute: v as number }] })} path={`skillNeeds.${i}.windows.0.startMinute`} issues={issues} />
                        <ClockField label={t('scheduling.skillNeeds.to', { n: i + 1 })} value={window.endMinute % 1440} onChange={(v) => update(i, { windows: [{ ...window, endMinute: v as number }] })} path={`skillNeeds.${i}.windows.0.endMinute`} issues={issues} />
                      </Group>
                    </Stack>
                  ) : null}
                </>
              )}
              <Button variant="subtle" color="red" mt="xs" onClick={() => onChange(needs.filter((_, k) => k !== i))}>{t('scheduling.skillNeeds.remove', { n: i + 1 })}</Button>
            </Fieldset>
          );
        })}
        <Button variant="default" w="fit-content" disabled={needs.length >= 20} onClick={() => onChange([...needs, { skill: 'language:', minimum: 1, windows: [] }])}>
          {t('scheduling.skillNeeds.add')}
        </Button>
      </Stack>
    </Paper>
  );
}
