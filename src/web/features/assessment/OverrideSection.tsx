import { Button, Group, List, Modal, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useFormatDateTime } from '../../i18n/format.js';
import type { InstrumentShape } from '../../../shared/assessment/instrument.schema.js';
import { INDICATOR_LEVELS } from '../../../shared/assessment/vocabulary.js';
import { assessmentKey, contactPath, tasksKey, type AssessmentView, type IndicatorLevel, type RecordedAssessment, type TraffickingType } from './assessmentApi.js';
import { LevelBadge, LevelsWithExplanation } from './Levels.js';

/** The saved assessment: its final levels, every override with the computed level and the reason, and a way to override. */
export function OverrideSection({ contactId, latest, instrument, canOverride }: { contactId: string; latest: AssessmentView | null; instrument: InstrumentShape; canOverride: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<TraffickingType>('sex');
  const [level, setLevel] = useState<IndicatorLevel>('high');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);

  const override = useMutation({
    mutationFn: () => api.post<RecordedAssessment>(contactPath(contactId, 'assessment/override'), { type, level, reason }),
    onSuccess: (recorded) => {
      queryClient.setQueryData(assessmentKey(contactId), (old: { history: AssessmentView[] } | undefined) => ({ latest: recorded.assessment, history: [recorded.assessment, ...(old?.history.slice(1) ?? [])] }));
      void queryClient.invalidateQueries({ queryKey: tasksKey(contactId) });
      setOpen(false);
      setReason('');
      setTouched(false);
      notifications.show({ color: 'green', message: t('assessment.overrideSaved') });
    },
  });

  return (
    <section aria-labelledby="assessment-saved-title" data-testid="saved-assessment">
      <Title order={3} size="h5" id="assessment-saved-title" mb="xs">
        {t('assessment.savedTitle')}
      </Title>
      {!latest ? (
        <Text size="sm" c="dimmed">
          {t('assessment.notSavedYet')}
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('assessment.savedAt', { time: formatDateTime(latest.assessedAt) })}
          </Text>
          <Group gap="lg">
            {(['sex', 'labour'] as const).map((kind) => (
              <Group key={kind} gap={6} data-testid={`final-level-${kind}`}>
                <Text size="sm" fw={600}>
                  {t(`assessment.type.${kind}`)}
                </Text>
                <LevelBadge level={latest.finalLevels[kind]} size="md" />
                {latest.finalLevels[kind] !== latest.levels[kind] ? (
                  <Text size="xs" c="dimmed">
                    {t('assessment.computedWas', { level: t(`assessment.level.${latest.levels[kind]}`) })}
                  </Text>
                ) : null}
              </Group>
            ))}
          </Group>
          {latest.overrides.length > 0 ? (
            <List size="sm" spacing={4} aria-label={t('assessment.overrides')} data-testid="overrides">
              {latest.overrides.map((o) => (
                <List.Item key={o.overriddenAt + o.type}>
                  {t('assessment.overrideLine', {
                    type: t(`assessment.type.${o.type}`),
                    computed: t(`assessment.level.${o.computedLevel}`),
                    from: t(`assessment.level.${o.previousLevel}`),
                    to: t(`assessment.level.${o.level}`),
                    direction: t(`assessment.direction.${o.direction}`),
                    time: formatDateTime(o.overriddenAt),
                  })}
                  <Text size="sm" fs="italic">
                    {t('assessment.reasonQuoted', { reason: o.reason })}
                  </Text>
                </List.Item>
              ))}
            </List>
          ) : null}
          {canOverride ? (
            <Group>
              <Button variant="default" size="sm" onClick={() => { override.reset(); setOpen(true); }}>
                {t('assessment.override')}
              </Button>
            </Group>
          ) : null}
          <details>
            <summary>
              <Text span size="sm">
                {t('assessment.savedExplanation')}
              </Text>
            </summary>
            <LevelsWithExplanation result={latest.result} instrument={instrument} testId="saved-levels" />
          </details>
        </Stack>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('assessment.overrideTitle')}>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setTouched(true);
            if (reason.trim().length >= 3) override.mutate();
          }}
        >
          <Stack gap="sm">
            <Text size="sm">{t('assessment.overrideIntro')}</Text>
            <NativeSelect label={t('assessment.overrideType')} value={type} onChange={(e) => setType(e.currentTarget.value as TraffickingType)} data={(['sex', 'labour'] as const).map((v) => ({ value: v, label: t(`assessment.type.${v}`) }))} />
            {latest ? (
              <Text size="sm">
                {t('assessment.currentLevel', { level: t(`assessment.level.${latest.finalLevels[type]}`), computed: t(`assessment.level.${latest.levels[type]}`) })}
              </Text>
            ) : null}
            <NativeSelect label={t('assessment.overrideLevel')} value={level} onChange={(e) => setLevel(e.currentTarget.value as IndicatorLevel)} data={INDICATOR_LEVELS.map((v) => ({ value: v, label: t(`assessment.level.${v}`) }))} />
            <Textarea
              label={t('assessment.overrideReason')}
              required
              autosize
              minRows={3}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={touched && reason.trim().length < 3 ? t('assessment.reasonRequired') : undefined}
            />
            <ErrorAlert error={override.error} title={t('assessment.overrideFailed')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('assessment.cancel')}
              </Button>
              <Button type="submit" loading={override.isPending}>
                {t('assessment.overrideSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </section>
  );
}
