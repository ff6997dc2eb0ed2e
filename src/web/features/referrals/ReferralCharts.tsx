import { Box, Button, Group, Paper, SegmentedControl, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { downloadCsv, type Count, type ReferralMetrics } from './referralsApi.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Bar colours with at least 4.5:1 contrast on white. */
const COLOURS = ['#1c4f9c', '#2b6a2f', '#a01e3c', '#9a4a00'];

/** "<3" (a suppressed small count) is drawn as an empty bar; its table cell says "<3". */
const plotted = (c: Count) => (typeof c === 'number' ? c : null);

function BarPicture({ option, label }: { option: echarts.EChartsCoreOption; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = echarts.init(ref.current, undefined, { renderer: 'svg' });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => chart.current?.resize());
    observer?.observe(ref.current);
    return () => {
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, color: COLOURS, textStyle: { color: '#1a1b1e' }, ...option }, true);
  }, [option]);
  return <Box ref={ref} role="img" aria-label={label} h={280} w="100%" />;
}

interface Series { name: string; values: Count[] }

/** A horizontal bar chart with its table view and CSV download. */
function BarCard({ title, categories, series, file, testId, empty }: { title: string; categories: string[]; series: Series[]; file: string; testId: string; empty?: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = useId();
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 160, overflow: 'truncate' } },
    series: series.map((s) => ({ name: s.name, type: 'bar', data: s.values.map(plotted) })),
  }), [categories, series]);
  const header = [t('referrals.charts.category'), ...series.map((s) => s.name)];
  const rows = categories.map((c, i) => [c, ...series.map((s) => s.values[i])]);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={3} size="h5" id={headingId}>{title}</Title>
        <Group gap="xs">
          <SegmentedControl size="xs" aria-label={t('referrals.charts.viewAs', { title })} value={view} onChange={(v) => setView(v as 'chart' | 'table')} data={[{ value: 'chart', label: t('referrals.charts.chart') }, { value: 'table', label: t('referrals.charts.table') }]} />
          <Button size="xs" variant="default" onClick={() => downloadCsv(`${file}.csv`, [header, ...rows])} aria-label={t('referrals.charts.csvOf', { title })}>{t('referrals.metrics.csv')}</Button>
        </Group>
      </Group>
      {categories.length === 0 ? <Text c="dimmed">{empty ?? t('referrals.metrics.none')}</Text> : view === 'chart' ? (
        <BarPicture option={option} label={t('referrals.charts.label', { title })} />
      ) : (
        <Table data-testid={`${testId}-table`} withTableBorder captionSide="top">
          <Table.Caption>{title}</Table.Caption>
          <Table.Thead><Table.Tr>{header.map((h) => <Table.Th key={h} scope="col">{h}</Table.Th>)}</Table.Tr></Table.Thead>
          <Table.Tbody>{rows.map((r, i) => <Table.Tr key={i}>{r.map((cell, j) => (j === 0 ? <Table.Th key={j} scope="row" fw={500}>{cell}</Table.Th> : <Table.Td key={j}>{cell}</Table.Td>))}</Table.Tr>)}</Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** Referrals per partner, per need, and unmet needs, as bar charts (each with a table view and CSV). */
export function ReferralCharts({ metrics, needLabel }: { metrics: ReferralMetrics; needLabel: (key: string) => string }) {
  const { t } = useTranslation();
  const outcomeSeries = (rows: ReferralMetrics['byPartner'] | ReferralMetrics['byNeed']): Series[] => [
    { name: t('referrals.metrics.made'), values: rows.map((r) => r.made) },
    { name: t('referrals.metrics.accepted'), values: rows.map((r) => r.accepted) },
    { name: t('referrals.metrics.declined'), values: rows.map((r) => r.declined) },
    { name: t('referrals.outcome.services_provided'), values: rows.map((r) => r.servicesProvided) },
  ];
  return (
    <Box>
      {metrics.suppressed ? <Text size="sm" mb="xs" data-testid="suppression-note">{t('referrals.charts.suppressed')}</Text> : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <BarCard title={t('referrals.charts.byPartner')} testId="chart-by-partner" file="referrals-by-partner" categories={metrics.byPartner.map((p) => p.organizationName)} series={outcomeSeries(metrics.byPartner)} />
        <BarCard title={t('referrals.charts.byNeed')} testId="chart-by-need" file="referrals-by-need" categories={metrics.byNeed.map((n) => needLabel(n.need))} series={outcomeSeries(metrics.byNeed)} />
        <BarCard
          title={t('referrals.metrics.unmetTitle')}
          testId="chart-unmet"
          file="referrals-unmet-needs"
          empty={t('referrals.metrics.noUnmet')}
          categories={metrics.unmetNeeds.map((u) => `${needLabel(u.need)} · ${u.areaCode ?? t('referrals.metrics.anyArea')}`)}
          series={[{ name: t('referrals.metrics.searches'), values: metrics.unmetNeeds.map((u) => u.searches) }]}
        />
      </SimpleGrid>
    </Box>
  );
}
