import { Center, Group, Loader, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { LiveResult } from '../../../shared/metrics/definitions.js';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ChartCard } from './ChartCard.js';
import { barOption, breakdownTable, categoryLabeller, cellLabel, formatDuration, heatmapOption, heatmapTable } from './charts.js';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="sm" c="dark.6">
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2}>
        {value}
      </Text>
    </Paper>
  );
}

/** Today (hotline time) and the queue now; refreshed every 30 seconds. */
export function LiveDashboard() {
  const { t } = useTranslation();
  const live = useQuery({ queryKey: ['metrics', 'live'], queryFn: ({ signal }) => api.get<LiveResult>('/api/metrics/live', undefined, signal), refetchInterval: 30_000 });
  if (live.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('common.loading')}</Text>
      </Center>
    );
  }
  if (live.isError) return <ErrorAlert error={live.error} />;
  const d = live.data;
  const today = d.today;
  const na = t('reports.notAvailableShort');
  const sl = today.access.live.serviceLevel;
  const channel = categoryLabeller(t, 'channel');
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Text size="sm" c="dark.6" aria-live="polite">
          {t('reports.liveUpdated', { time: new Date(d.now).toLocaleTimeString() })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat testId="live-waiting" label={t('reports.waitingNow')} value={String(d.waiting)} />
        <Stat label={t('reports.longestWait')} value={d.waiting === 0 ? na : formatDuration(t, d.longestWaitSeconds, na)} />
        <Stat label={t('reports.inProgress')} value={String(d.inProgress)} />
        <Stat label={t('reports.wrapUp')} value={String(d.wrapUp)} />
        <Stat label={t('reports.contactsToday')} value={cellLabel(today.access.contacts)} />
        <Stat label={t('reports.offeredToday')} value={cellLabel(today.access.live.offered.total)} />
        <Stat label={t('reports.serviceLevelToday')} value={sl === null ? na : `${Math.round(sl * 1000) / 10} %`} />
        <Stat label={t('reports.asa')} value={formatDuration(t, today.access.live.speedOfAnswerSeconds.mean, na)} />
        <Stat label={t('reports.aht')} value={formatDuration(t, today.access.live.handleSeconds.mean, na)} />
        <Stat testId="live-occupancy" label={t('reports.occupancyToday')} value={today.access.live.occupancy === null ? na : `${Math.round(today.access.live.occupancy * 1000) / 10} %`} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartCard title={t('reports.byChannelToday')} file="today-by-channel" option={barOption(today.access.byChannel, channel)} table={breakdownTable(today.access.byChannel, channel, t)} />
        <ChartCard title={t('reports.liveOutcomes')} file="today-live-outcomes" option={barOption(today.access.live.offered, (k) => t(`reports.outcome.${k}`))} table={breakdownTable(today.access.live.offered, (k) => t(`reports.outcome.${k}`), t)} />
      </SimpleGrid>
      <ChartCard title={t('reports.heatmapToday')} file="today-hour-weekday" option={heatmapOption(today.access.hourByWeekday, t)} table={heatmapTable(today.access.hourByWeekday, t)} height={520} />
    </Stack>
  );
}
