import { Accordion, Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { contactPath, localize, tasksKey, useContactTasks, type ProtocolView, type TriggerReason } from './assessmentApi.js';
import { TaskList } from './TaskList.js';

function useReasonText() {
  const { t } = useTranslation();
  return (reason: TriggerReason) => {
    switch (reason.kind) {
      case 'request_type':
        return t('assessment.protocols.because.requestType', { value: t(`requestType.${reason.requestType}`, { defaultValue: reason.requestType }) });
      case 'level':
        return t('assessment.protocols.because.level', { type: t(`assessment.type.${reason.type}`), level: t(`assessment.level.${reason.level}`) });
      case 'flag':
        return t('assessment.protocols.because.flag', { value: t(`flag.${reason.flag}`, { defaultValue: reason.flag }) });
      default:
        return t('assessment.protocols.because.withoutFlags');
    }
  };
}

interface Props {
  contactId: string;
  me: string;
  /** The protocols the current answers trigger (the live preview), with their steps. */
  protocols: ProtocolView[] | undefined;
  canAct: boolean;
  canReadTasks: boolean;
}

/** The protocols that apply, their steps as a checklist to follow, and the tasks they created with due times. */
export function ProtocolsSection({ contactId, me, protocols, canAct, canReadTasks }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const queryClient = useQueryClient();
  const tasks = useContactTasks(contactId);
  const reasonText = useReasonText();
  const run = useMutation({
    mutationFn: () => api.post<{ createdTaskIds: string[]; protocols: ProtocolView[] }>(contactPath(contactId, 'protocols/run')),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: tasksKey(contactId) });
      notifications.show({ color: 'green', message: t('assessment.protocols.ran', { count: result.createdTaskIds.length }) });
    },
  });
  const open = tasks.data?.filter((task) => task.status === 'open').length ?? 0;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="protocols-title" data-testid="protocols-section">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="protocols-title">
          {t('assessment.protocols.title')}
        </Title>
        {canAct ? (
          <Button variant="default" size="sm" onClick={() => run.mutate()} loading={run.isPending}>
            {t('assessment.protocols.run')}
          </Button>
        ) : null}
      </Group>
      <Stack gap="md">
        <ErrorAlert error={run.error} title={t('assessment.protocols.runFailed')} />
        <div>
          <Text size="sm" c="dimmed" mb={4}>
            {t('assessment.protocols.forAnswers')}
          </Text>
          {!protocols ? (
            <Text size="sm" c="dimmed">{canAct ? t('assessment.protocols.waiting') : t('assessment.protocols.onlyHandler')}</Text>
          ) : protocols.length === 0 ? (
            <Text size="sm" data-testid="protocols-none">{t('assessment.protocols.none')}</Text>
          ) : (
            <Accordion multiple variant="separated" data-testid="protocols-list">
              {protocols.map((protocol) => (
                <Accordion.Item key={protocol.id} value={protocol.id} data-protocol={protocol.id}>
                  <Accordion.Control>
                    <Group gap="xs">
                      <Text fw={600} size="sm">
                        {localize(protocol.title, lang)}
                      </Text>
                      <Badge variant="light" color="gray" size="sm">
                        {t('assessment.protocols.version', { version: protocol.version })}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('assessment.protocols.triggeredBy')}{' '}
                      {protocol.matchedClauses.flatMap((clause) => clause.reasons.map(reasonText)).join(' + ')}
                    </Text>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <Text size="sm" mb="xs">
                      {localize(protocol.summary, lang)}
                    </Text>
                    <List type="ordered" size="sm" spacing={6}>
                      {protocol.steps.map((step) => (
                        <List.Item key={step.id}>
                          {localize(step.text, lang)}
                          {step.script ? (
                            <Text size="sm" fs="italic" mt={2}>
                              {t('assessment.protocols.say', { script: localize(step.script, lang) })}
                            </Text>
                          ) : null}
                          {step.options ? (
                            <Text size="xs" c="dimmed">
                              {step.options.map((option) => localize(option.label, lang)).join(' / ')}
                            </Text>
                          ) : null}
                        </List.Item>
                      ))}
                    </List>
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          )}
        </div>
        <div>
          <Group justify="space-between" mb={4}>
            <Title order={3} size="h5">
              {t('assessment.task.heading')}
            </Title>
            {tasks.data ? (
              <Text size="sm" c="dimmed" role="status">
                {t('assessment.task.openCount', { count: open })}
              </Text>
            ) : null}
          </Group>
          {!canReadTasks ? (
            <Text size="sm" c="dimmed">{t('assessment.task.cannotRead')}</Text>
          ) : (
            <>
              <ErrorAlert error={tasks.error} title={t('assessment.task.loadFailed')} />
              {tasks.data ? <TaskList tasks={tasks.data} me={me} canUpdate={canAct} caption={t('assessment.task.caption')} testId="contact-tasks" /> : null}
            </>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
