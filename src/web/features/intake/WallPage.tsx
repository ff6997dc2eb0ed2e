import { Alert, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hasPermission, type Session } from '../auth/session.js';
import { ChannelIcon } from './ChannelLabel.js';
import { useQueue, useWall } from './intakeApi.js';
import { LiveIndicator } from './live.js';
import { liveSlaState } from './QueueTable.js';
import { describeWait, formatWait, useNow } from './time.js';
import { CHANNELS } from './vocabulary.js';

export function WallPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  if (!hasPermission(session, 'queue.supervise')) {
    return (
      <Stack maw={720}>
        <PageHeader title={t('wall.title')} />
        <Alert color="blue" variant="light">
          {t('wall.noAccess')}
        </Alert>
      </Stack>
    );
  }
  return <Wall />;
}

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text fz={40} fw={700} lh={1.2} className="wall-number">
        {value}
      </Text>
      {detail ? (
        <Text size="sm" c="dimmed">
          {detail}
        </Text>
      ) : null}
    </Paper>
  );
}

function Wall() {
  const { t, i18n } = useTranslation();
  const wall = useWall();
  const queue = useQueue();
  const now = useNow(1000);
  const locale = i18n.resolvedLanguage ?? 'en';
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });

  if (wall.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('common.loading')}</Text>
      </Center>
    );
  }
  if (wall.isError) return <ErrorAlert error={wall.error} />;

  const data = wall.data;
  // The longest wait keeps ticking between refreshes.
  const longest = data.waiting > 0 ? data.longestWaitSeconds + Math.max(0, (now - wall.dataUpdatedAt) / 1000) : 0;
  const waitingItems = (queue.data?.items ?? []).filter((i) => i.status === 'waiting');
  const serverNow = now + (queue.data?.clockOffsetMs ?? 0);
  const overdue = waitingItems.filter((i) => liveSlaState(i, serverNow) === 'red').length;
  const byChannel = CHANNELS.map((channel) => ({ channel, count: waitingItems.filter((i) => i.channel === channel).length })).filter((c) => c.count > 0);
  const maxCount = Math.max(1, ...byChannel.map((c) => c.count));

  return (
    <Stack gap="md">
      <PageHeader title={t('wall.title')} context={t('nav.queue')} description={t('wall.intro')} actions={<LiveIndicator />} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        <Stat testId="wall-waiting" label={t('wall.waiting')} value={String(data.waiting)} detail={overdue ? t('wall.overdue', { count: overdue }) : t('wall.noneOverdue')} />
        <Stat testId="wall-longest" label={t('wall.longest')} value={formatWait(longest, t)} detail={data.waiting ? describeWait(longest, t) : t('wall.nobodyWaiting')} />
        <Stat testId="wall-available" label={t('wall.available')} value={String(data.staff.available)} detail={t('wall.staffDetail', { busy: data.staff.busy, onBreak: data.staff.onBreak })} />
        <Paper withBorder p="md" radius="md" data-testid="wall-service-level">
          <Text size="sm" fw={600}>
            {t('wall.serviceLevel')}
          </Text>
          <Gauge value={data.today.serviceLevel} label={data.today.serviceLevel === null ? t('wall.noData') : percent.format(data.today.serviceLevel)} title={t('wall.serviceLevel')} />
          <Text size="sm" c="dimmed">
            {t('wall.answeredWithin', { within: data.today.answeredWithinTarget, count: data.today.offered })}
          </Text>
        </Paper>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="wall-staff">
          <Title order={2} size="h4" id="wall-staff" mb="sm">
            {t('wall.staff')}
          </Title>
          <dl className="wall-list">
            <div>
              <dt>{t('queue.availability.available')}</dt>
              <dd>{data.staff.available}</dd>
            </div>
            <div>
              <dt>{t('wall.busy')}</dt>
              <dd>{data.staff.busy}</dd>
            </div>
            <div>
              <dt>{t('queue.availability.break')}</dt>
              <dd>{data.staff.onBreak}</dd>
            </div>
          </dl>
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="wall-channels">
          <Title order={2} size="h4" id="wall-channels" mb="sm">
            {t('wall.byChannel')}
          </Title>
          {byChannel.length === 0 ? (
            <Text c="dimmed">{t('wall.nobodyWaiting')}</Text>
          ) : (
            <ul className="plain-list wall-bars">
              {byChannel.map(({ channel, count }) => (
                <li key={channel}>
                  <Group gap="sm" wrap="nowrap">
                    <Group gap={6} w={130} wrap="nowrap">
                      <ChannelIcon channel={channel} />
                      <Text size="sm">{t(`channel.${channel}`)}</Text>
                    </Group>
                    <div className="wall-bar-track" aria-hidden>
                      <div className="wall-bar" style={{ width: `${(count / maxCount) * 100}%` }} />
                    </div>
                    <Text size="sm" fw={700} w={32} ta="right">
                      {count}
                    </Text>
                  </Group>
                </li>
              ))}
            </ul>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

/** A half-circle gauge in plain SVG; the number is also written out, and the image is named for screen readers. */
function Gauge({ value, label, title }: { value: number | null; label: string; title: string }) {
  const v = value === null ? 0 : Math.max(0, Math.min(1, value));
  const r = 80;
  const circumference = Math.PI * r;
  const color = value === null ? 'var(--mantine-color-gray-5)' : v >= 0.8 ? 'var(--mantine-color-green-8)' : v >= 0.6 ? 'var(--mantine-color-orange-8)' : 'var(--mantine-color-red-9)';
  return (
    <svg viewBox="0 0 200 120" width="100%" style={{ maxWidth: 220 }} role="img" aria-label={`${title}: ${label}`}>
      <path d="M20 100 A80 80 0 0 1 180 100" fill="none" stroke="var(--mantine-color-gray-3)" strokeWidth="18" />
      <path d="M20 100 A80 80 0 0 1 180 100" fill="none" stroke={color} strokeWidth="18" strokeDasharray={`${circumference * v} ${circumference}`} />
      <text x="100" y="96" textAnchor="middle" fontSize="30" fontWeight="700" fill="var(--mantine-color-text)">
        {label}
      </text>
    </svg>
  );
}
