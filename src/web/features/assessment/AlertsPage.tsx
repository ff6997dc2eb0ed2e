import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hasPermission, type Session, type SessionUser } from '../auth/session.js';
import { LiveIndicator } from '../intake/live.js';
import { ALERT_TASKS_KEY, APPROVALS_KEY, isOverdue, useJurisdiction, type Report, type Task } from './assessmentApi.js';
import { ReportTable } from './ReportTable.js';
import { TaskList, useNow } from './TaskList.js';

/**
 * The supervisors' alerts: escalated and overdue protocol tasks, and reports waiting for approval. The lists sit
 * under the queue's query key, so every live event (an escalation, a report requested elsewhere) re-reads them.
 */
export function AlertsPage({ session }: { session: Session & { user: SessionUser } }) {
  const { t } = useTranslation();
  const now = useNow();
  const canApprove = hasPermission(session, 'report.approve');
  const tasks = useQuery({ queryKey: ALERT_TASKS_KEY, queryFn: () => api.get<{ items: Task[] }>('/api/tasks', { status: 'open', limit: 500 }), select: (d) => d.items });
  const reports = useQuery({ queryKey: APPROVALS_KEY, queryFn: () => api.get<{ items: Report[] }>('/api/reports', { status: 'requested', limit: 200 }), select: (d) => d.items, enabled: canApprove });
  const jurisdiction = useJurisdiction();
  const alerts = (tasks.data ?? []).filter((task) => task.escalatedAt !== null || isOverdue(task, now));
  alerts.sort((a, b) => Number(b.escalatedAt !== null) - Number(a.escalatedAt !== null) || Date.parse(a.dueAt) - Date.parse(b.dueAt));

  return (
    <Stack gap="md">
      <PageHeader
        title={t('assessment.alerts.title')}
        context={t('nav.queue')}
        description={t('assessment.alerts.description')}
        actions={
          <>
            <LiveIndicator />
            <Anchor component={Link} to="/queue">
              {t('assessment.alerts.backToQueue')}
            </Anchor>
          </>
        }
      />
      {canApprove ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="approvals-title">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="approvals-title">
              {t('assessment.alerts.approvals')}
            </Title>
            <Text size="sm" c="dimmed" role="status" data-testid="approvals-count">
              {t('assessment.alerts.approvalsCount', { count: reports.data?.length ?? 0 })}
            </Text>
          </Group>
          <ErrorAlert error={reports.error} />
          {reports.data ? <ReportTable reports={reports.data} jurisdiction={jurisdiction.data} me={session.user.id} canApprove canSend={false} showContact caption={t('assessment.alerts.approvals')} testId="approvals" /> : null}
        </Paper>
      ) : null}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="task-alerts-title">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="task-alerts-title">
            {t('assessment.alerts.tasks')}
          </Title>
          <Text size="sm" c="dimmed" role="status" data-testid="alerts-count">
            {t('assessment.alerts.tasksCount', { count: alerts.length })}
          </Text>
        </Group>
        <ErrorAlert error={tasks.error} />
        {tasks.data ? <TaskList tasks={alerts} me={session.user.id} canUpdate={hasPermission(session, 'task.update')} showContact caption={t('assessment.alerts.tasks')} testId="task-alerts" /> : null}
      </Paper>
    </Stack>
  );
}
