import { Alert, Center, Loader, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { DataView } from './DataView.js';
import { EChart } from './EChart.js';
import { EventsCard } from './EventsCard.js';
import { schedulingApi, useChannelName, type ForecastView } from './schedulingApi.js';

const SLOTS_PER_WEEK = 336;

function slotTime(weekStart: string, slot: number): string {
  const d = new Date(Date.parse(`${weekStart}T00:00:00Z`) + slot * 30 * 60_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/** Contacts forecast per half-hour, against what actually arrived in the held-out weeks, with WAPE per channel. */
export function ForecastPanel() {
  const { t, i18n } = useTranslation();
  const channelName = useChannelName();
  const query = useQuery({ queryKey: ['scheduling', 'forecast'], queryFn: ({ signal }) => schedulingApi.forecast(2, signal) });
  const [channel, setChannel] = useState('voice');
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const data = query.data;
  const pct = (v: number | null) => (v === null ? '—' : new Intl.NumberFormat(i18n.resolvedLanguage, { style: 'percent', maximumFractionDigits: 1 }).format(v));
  const fmt = (v: number) => new Intl.NumberFormat(i18n.resolvedLanguage, { maximumFractionDigits: 0 }).format(v);
  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">{t('scheduling.forecast.title')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('scheduling.forecast.explain', { weeks: data.historyWeeks, from: data.historyStart })}</Text>
        <Table aria-label={t('scheduling.forecast.accuracy')} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('scheduling.channelHeader')}</Table.Th>
              <Table.Th>{t('scheduling.forecast.wape')}</Table.Th>
              <Table.Th>{t('scheduling.forecast.thisWeek')}</Table.Th>
              <Table.Th>{t('scheduling.forecast.nextWeek')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.forecast.channels.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{channelName(c.id)}</Table.Td>
                <Table.Td data-testid={`wape-${c.id}`}>{pct(data.backtest?.channels.find((b) => b.id === c.id)?.wape ?? null)}</Table.Td>
                <Table.Td>{fmt(c.weeklyTotals[0])}</Table.Td>
                <Table.Td>{fmt(c.weeklyTotals[1])}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {!data.backtest ? <Alert mt="sm" color="blue" variant="light">{t('scheduling.forecast.noBacktest')}</Alert> : null}
      </Paper>
      <Paper withBorder p="md">
        <NativeSelect
          label={t('scheduling.channelHeader')}
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value)}
          data={data.forecast.channels.map((c) => ({ value: c.id, label: channelName(c.id) }))}
          maw={240}
          mb="sm"
        />
        <ForecastChart data={data} channel={channel} />
      </Paper>
      <EventsCard />
    </Stack>
  );
}

function ForecastChart({ data, channel }: { data: ForecastView; channel: string }) {
  const { t } = useTranslation();
  const channelName = useChannelName();
  const { option, header, rows } = useMemo(() => {
    const back = data.backtest?.channels.find((c) => c.id === channel);
    const ahead = data.forecast.channels.find((c) => c.id === channel);
    const points: [string, number | null, number | null, number | null][] = [];
    if (back && data.backtest) back.actual.forEach((a, i) => points.push([slotTime(data.backtest!.weekStart, i), a, round(back.forecast[i]), null]));
    ahead?.forecast.forEach((f, i) => points.push([slotTime(data.forecast.weekStart, i), null, null, round(f)]));
    return {
      option: {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 24, top: 40, bottom: 56 },
        xAxis: { type: 'category', data: points.map((p) => p[0]), axisLabel: { interval: SLOTS_PER_WEEK / 7 - 1, formatter: (v: string) => v.slice(5, 10) } },
        yAxis: { type: 'value', name: t('scheduling.forecast.perHalfHour') },
        series: [
          { type: 'line', name: t('scheduling.forecast.actual'), data: points.map((p) => p[1]), showSymbol: false, lineStyle: { width: 1 } },
          { type: 'line', name: t('scheduling.forecast.backtest'), data: points.map((p) => p[2]), showSymbol: false, lineStyle: { type: 'dashed' } },
          { type: 'line', name: t('scheduling.forecast.forecast'), data: points.map((p) => p[3]), showSymbol: false },
        ],
      },
      header: [t('scheduling.forecast.time'), t('scheduling.forecast.actual'), t('scheduling.forecast.backtest'), t('scheduling.forecast.forecast')],
      rows: points,
    };
  }, [data, channel, t]);
  const title = t('scheduling.forecast.chartTitle', { channel: channelName(channel) });
  return <DataView title={title} fileName={`forecast-${channel}.csv`} header={header} rows={rows} chart={<EChart option={option} label={title} />} />;
}

const round = (v: number) => Math.round(v * 100) / 100;
