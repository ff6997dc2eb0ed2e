import { Alert, Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { describeError } from '../auth/errors.js';
import { hasPermission, type Session, type SessionUser } from '../auth/session.js';
import { AvailabilitySwitch } from './AvailabilitySwitch.js';
import { useQueue, useQueueAction, type QueueItem } from './intakeApi.js';
import { LiveIndicator } from './live.js';
import { QueueAnnouncer } from './QueueAnnouncer.js';
import { QueueTable } from './QueueTable.js';
import { useNow } from './time.js';

export function QueuePage({ session }: { session: Session & { user: SessionUser } }) {
  const { t } = useTranslation();
  const canRead = hasPermission(session, 'queue.read');
  if (!canRead) {
    return (
      <Stack maw={720}>
        <PageHeader title={t('nav.queue')} />
        <Alert color="blue" variant="light" title={t('queue.noAccessTitle')}>
          {t('queue.noAccess')}
        </Alert>
      </Stack>
    );
  }
  return <Queue session={session} />;
}

function Queue({ session }: { session: Session & { user: SessionUser } }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queue = useQueue();
  const action = useQueueAction();
  const now = useNow(1000);
  const canClaim = hasPermission(session, 'queue.claim');
  const canSupervise = hasPermission(session, 'queue.supervise');
  const items = queue.data?.items;
  const waiting = items?.filter((i) => i.status === 'waiting').length ?? 0;
  const locale = i18n.resolvedLanguage ?? 'en';

  const failed = (error: unknown) => {
    const message = isApiError(error, 'conflict') ? t('queue.alreadyTaken') : describeError(error, t, locale);
    notifications.show({ color: 'red', title: t('queue.takeFailed'), message });
  };

  const take = (item: QueueItem) =>
    action.mutate({ action: 'claim', id: item.id }, { onSuccess: () => navigate(`/contacts/${item.id}`), onError: failed });

  const takeNext = () =>
    action.mutate(
      { action: 'next' },
      {
        onSuccess: (answer) => {
          if (answer.contactId) navigate(`/contacts/${answer.contactId}`);
          else notifications.show({ color: 'blue', message: t('queue.nothingWaiting') });
        },
        onError: failed,
      },
    );

  // Keyboard: "n" takes the next contact from anywhere on this page (not while typing in a field).
  useEffect(() => {
    if (!canClaim) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== 'n' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      if (!action.isPending) takeNext();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const takingId = action.isPending && action.variables && 'id' in action.variables ? action.variables.id : null;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.queue')}
        description={items ? t('queue.summary', { count: waiting, total: items.length }) : undefined}
        actions={
          <>
            <LiveIndicator />
            {hasPermission(session, 'task.read') ? (
              <Button variant="default" component={Link} to="/queue/alerts">
                {t('assessment.alerts.title')}
              </Button>
            ) : null}
            {canSupervise ? (
              <Button variant="default" component={Link} to="/queue/wall">
                {t('wall.title')}
              </Button>
            ) : null}
            {canClaim ? (
              <Button onClick={takeNext} loading={action.isPending && action.variables?.action === 'next'} disabled={waiting === 0} aria-keyshortcuts="n">
                {t('queue.takeNext')}
              </Button>
            ) : null}
          </>
        }
      />
      <Paper withBorder p="sm" radius="md">
        <Group justify="space-between" align="flex-end" gap="md">
          <AvailabilitySwitch userId={session.user.id} />
          {canClaim ? (
            <Text size="sm" c="dimmed">
              {t('queue.shortcutHint')}
            </Text>
          ) : null}
        </Group>
      </Paper>
      <QueueAnnouncer items={items} now={now} clockOffsetMs={queue.data?.clockOffsetMs ?? 0} />
      {queue.isPending ? (
        <Center py="xl" role="status">
          <Loader aria-hidden size="sm" mr="sm" />
          <Text>{t('common.loading')}</Text>
        </Center>
      ) : queue.isError ? (
        <ErrorAlert error={queue.error} />
      ) : items && items.length > 0 ? (
        <QueueTable
          items={items}
          now={now}
          clockOffsetMs={queue.data.clockOffsetMs}
          currentUserId={session.user.id}
          canClaim={canClaim}
          takingId={takingId}
          onTake={take}
        />
      ) : (
        <Paper withBorder p="xl" radius="md">
          <Text ta="center" data-testid="queue-empty">
            {t('queue.empty')}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}
