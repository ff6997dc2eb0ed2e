import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { compileInstrument } from '../../../shared/assessment/compile.js';
import { evaluateAssessment } from '../../../shared/assessment/evaluate.js';
import type { InstrumentShape } from '../../../shared/assessment/instrument.schema.js';
import { assertValidInstrument } from '../../../shared/assessment/instrument.validate.js';
import { CONTACT_FLAGS, REQUEST_TYPES } from '../../../shared/intake.js';
import type { Contact } from '../intake/intakeApi.js';
import { AssessmentForm, type AssessmentDraft } from './AssessmentForm.js';
import { assessmentKey, contactPath, localize, tasksKey, type AssessmentView, type Preview, type RecordedAssessment } from './assessmentApi.js';
import { LevelsWithExplanation } from './Levels.js';
import { OverrideSection } from './OverrideSection.js';
import { useDebounced } from './useDebounced.js';

/** The contact facts protocols match on (request type and flags), as the contact has them saved. */
export function protocolFacts(contact: Contact) {
  const requestType = (REQUEST_TYPES as readonly string[]).includes(contact.requestType ?? '') ? contact.requestType! : undefined;
  return { ...(requestType ? { requestType } : {}), flags: CONTACT_FLAGS.filter((flag) => contact.flags?.[flag]) };
}

function draftOf(latest: AssessmentView | null, contact: Contact): AssessmentDraft {
  if (latest) return { answers: { ...latest.answers }, person: { ...latest.person }, form: latest.form };
  // The contact's minor flag (e.g. from the chat's age question) starts the age group; the advocate confirms it.
  return { answers: {}, person: contact.flags?.minor ? { ageGroup: 'minor' } : {}, form: 'short' };
}

interface Props {
  contact: Contact;
  instrument: InstrumentShape;
  latest: AssessmentView | null;
  canAct: boolean;
  onPreview: (preview: Preview | undefined) => void;
}

/**
 * The assessment beside the contact: questions on the left, the level per type and its explanation on the right,
 * re-evaluated by the server (preview, nothing stored) a moment after each answer. Saving stores it and runs the
 * protocols it triggers.
 */
export function AssessmentPanel({ contact, instrument, latest, canAct, onPreview }: Props) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<AssessmentDraft>(() => draftOf(latest, contact));
  const compiled = useMemo(() => compileInstrument(assertValidInstrument(instrument)), [instrument]);

  // Skip logic runs here too (the same shared evaluator as the server), so follow-up questions appear at once.
  const local = useMemo(() => {
    try {
      return { result: evaluateAssessment(compiled, draft.answers, draft.person, { form: draft.form }), error: null };
    } catch (error) {
      return { result: null, error: error as Error };
    }
  }, [compiled, draft]);
  // While the age fields contradict each other, keep showing the questions shown before.
  const lastVisible = useRef<ReadonlySet<string>>(new Set());
  const visible = useMemo(() => (local.result ? new Set(local.result.visibleItems) : lastVisible.current), [local.result]);
  useEffect(() => {
    lastVisible.current = visible;
  }, [visible]);

  const settled = useDebounced(draft, 400);
  const facts = protocolFacts(contact);
  const preview = useQuery({
    queryKey: ['assessment-preview', contact.id, settled, facts],
    queryFn: () => api.post<Preview>('/api/assessment/preview', { answers: settled.answers, person: settled.person, form: settled.form, ...facts }),
    enabled: canAct && local.error === null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const previewData = preview.data;
  useEffect(() => onPreview(previewData), [previewData, onPreview]);
  const isStale = preview.isFetching || settled !== draft;

  const save = useMutation({
    mutationFn: () => api.post<RecordedAssessment>(contactPath(contact.id, 'assessment'), { answers: draft.answers, person: draft.person, form: draft.form }),
    onSuccess: (recorded) => {
      queryClient.setQueryData(assessmentKey(contact.id), (old: { history: AssessmentView[] } | undefined) => ({ latest: recorded.assessment, history: [recorded.assessment, ...(old?.history ?? [])] }));
      void queryClient.invalidateQueries({ queryKey: tasksKey(contact.id) });
      notifications.show({ color: 'green', message: t('assessment.saved', { count: recorded.createdTaskIds.length }) });
    },
  });

  const unanswered = local.result?.pendingItems.length ?? 0;
  const ignored = local.result?.ignoredAnswers.length ?? 0;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="assessment-title" data-testid="assessment-panel">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="assessment-title">
          {t('assessment.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('assessment.instrument', { title: localize(instrument.title, i18n.resolvedLanguage ?? 'en'), version: instrument.version })}
        </Text>
      </Group>
      <div className="assessment-columns" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(340px, 1fr))', gap: 'var(--mantine-spacing-lg)' }}>
        <Stack gap="sm">
          {!canAct ? <Alert color="gray" variant="light">{t('assessment.readOnly')}</Alert> : null}
          {local.error ? <Alert color="red" variant="light" role="alert">{t('assessment.personInvalid')}</Alert> : null}
          <AssessmentForm instrument={instrument} draft={draft} visibleItems={visible} disabled={!canAct} onChange={setDraft} />
          <Text size="sm" c="dimmed" role="status">
            {t('assessment.unanswered', { count: unanswered })}
            {ignored > 0 ? ` ${t('assessment.ignored', { count: ignored })}` : ''}
          </Text>
          {canAct ? (
            <Group justify="flex-end">
              <ErrorAlert error={save.error} title={t('assessment.saveFailed')} />
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={local.error !== null}>
                {t('assessment.save')}
              </Button>
            </Group>
          ) : null}
        </Stack>
        <Stack gap="md" style={{ alignSelf: 'start', position: 'sticky', top: 'calc(var(--app-shell-header-height, 60px) + 8px)' }}>
          {canAct ? (
            <section aria-labelledby="assessment-live-title" aria-busy={isStale}>
              <Group gap="xs" mb="xs">
                <Title order={3} size="h5" id="assessment-live-title">
                  {t('assessment.liveTitle')}
                </Title>
                {isStale ? <Loader size="xs" aria-hidden /> : null}
                <Text size="xs" c="dimmed" role="status" data-testid="preview-state">
                  {isStale ? t('assessment.updating') : t('assessment.upToDate')}
                </Text>
              </Group>
              <ErrorAlert error={preview.error} title={t('assessment.previewFailed')} />
              {previewData ? <LevelsWithExplanation result={previewData.result} instrument={instrument} testId="live-levels" /> : null}
            </section>
          ) : null}
          <OverrideSection contactId={contact.id} latest={latest} instrument={instrument} canOverride={canAct} />
        </Stack>
      </div>
    </Paper>
  );
}
