import { Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useFormatDateTime } from '../../i18n/format.js';
import { contactKey, QUEUE_KEY } from '../intake/intakeApi.js';
import { isOverdue, localize, type Task } from './assessmentApi.js';

/** A clock that ticks every 30 s, so "overdue" appears without a reload. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function TaskStatus({ task, now }: { task: Task; now: number }) {
  const { t } = useTranslation();
  if (task.status === 'done') return <Badge color="green" variant="light" leftSection={<span aria-hidden>✓</span>}>{t('assessment.task.done')}</Badge>;
  if (task.status === 'skipped') return <Badge color="gray" variant="light" leftSection={<span aria-hidden>–</span>}>{t('assessment.task.skipped')}</Badge>;
  if (task.escalatedAt) return <Badge color="red" variant="filled" leftSection={<span aria-hidden>!</span>}>{t('assessment.task.escalated')}</Badge>;
  if (isOverdue(task, now)) return <Badge color="red" variant="light" leftSection={<span aria-hidden>!</span>}>{t('assessment.task.overdue')}</Badge>;
  return <Badge color="blue" variant="light" leftSection={<span aria-hidden>◔</span>}>{t('assessment.task.pending')}</Badge>;
}

interface Props {
  tasks: Task[];
  me: string;
  canUpdate: boolean;
  /** Show the contact each task belongs to (the supervisors' list across contacts). */
  showContact?: boolean;
  caption: string;
  testId: string;
}

/** Tasks with their due time, owner and state; done, skipped with a reason, or open again. */
export function TaskList({ tasks, me, canUpdate, showContact = false, caption, testId }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const now = useNow();
  const [skipping, setSkipping] = useState<Task | null>(null);
  const [reason, setReason] = useState('');
  const update = useMutation({
    mutationFn: (input: { task: Task; status: 'open' | 'done' | 'skipped'; skipReason?: string }) =>
      api.patch<{ task: Task }>(`/api/tasks/${encodeURIComponent(input.task.id)}`, { status: input.status, ...(input.skipReason ? { skipReason: input.skipReason } : {}) }),
    onSuccess: (_data, input) => {
      void queryClient.invalidateQueries({ queryKey: contactKey(input.task.contactId) });
      void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
      setSkipping(null);
      setReason('');
    },
  });

  if (tasks.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t('assessment.task.none')}
      </Text>
    );
  }
  const owner = (task: Task) => (task.ownerRole === 'supervisor' ? t('assessment.task.ownerSupervisors') : task.ownerId === me ? t('assessment.task.ownerMe') : t('assessment.task.ownerAdvocate'));
  return (
    <>
      <ErrorAlert error={update.isError && !skipping ? update.error : null} title={t('assessment.task.updateFailed')} />
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing="xs" data-testid={testId}>
          <Table.Caption className="visually-hidden">{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {showContact ? <Table.Th scope="col">{t('assessment.task.contact')}</Table.Th> : null}
              <Table.Th scope="col">{t('assessment.task.title')}</Table.Th>
              <Table.Th scope="col">{t('assessment.task.owner')}</Table.Th>
              <Table.Th scope="col">{t('assessment.task.due')}</Table.Th>
              <Table.Th scope="col">{t('assessment.task.state')}</Table.Th>
              {canUpdate ? <Table.Th scope="col">{t('assessment.task.actions')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.map((task) => {
              const title = localize(task.title, lang);
              return (
                <Table.Tr key={task.id} data-task-key={task.taskKey} data-status={task.status}>
                  {showContact ? (
                    <Table.Td>
                      <Link to={`/contacts/${task.contactId}`}>{task.contactReference ?? t('assessment.task.contact')}</Link>
                    </Table.Td>
                  ) : null}
                  <Table.Td>
                    <Text size="sm">{title}</Text>
                    {task.status === 'skipped' && task.skipReason ? (
                      <Text size="xs" c="dimmed">
                        {t('assessment.reasonQuoted', { reason: task.skipReason })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{owner(task)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(task.dueAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <TaskStatus task={task} now={now} />
                  </Table.Td>
                  {canUpdate ? (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {task.status === 'open' ? (
                          <>
                            <Button size="compact-sm" variant="default" aria-label={t('assessment.task.markDoneOf', { title })} loading={update.isPending && update.variables?.task.id === task.id && update.variables.status === 'done'} onClick={() => update.mutate({ task, status: 'done' })}>
                              {t('assessment.task.markDone')}
                            </Button>
                            <Button size="compact-sm" variant="subtle" aria-label={t('assessment.task.skipOf', { title })} onClick={() => { update.reset(); setSkipping(task); }}>
                              {t('assessment.task.skip')}
                            </Button>
                          </>
                        ) : (
                          <Button size="compact-sm" variant="subtle" aria-label={t('assessment.task.reopenOf', { title })} onClick={() => update.mutate({ task, status: 'open' })}>
                            {t('assessment.task.reopen')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={skipping !== null} onClose={() => setSkipping(null)} title={t('assessment.task.skipTitle', { title: skipping ? localize(skipping.title, lang) : '' })}>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (skipping && reason.trim().length >= 3) update.mutate({ task: skipping, status: 'skipped', skipReason: reason.trim() });
          }}
        >
          <Stack gap="sm">
            <Textarea label={t('assessment.task.skipReason')} description={t('assessment.task.skipReasonHint')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <ErrorAlert error={skipping ? update.error : null} title={t('assessment.task.updateFailed')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setSkipping(null)}>
                {t('assessment.cancel')}
              </Button>
              <Button type="submit" disabled={reason.trim().length < 3} loading={update.isPending}>
                {t('assessment.task.skipConfirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
