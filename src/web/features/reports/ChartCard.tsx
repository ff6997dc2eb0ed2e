import { Box, Button, Group, Paper, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** Colours with at least 4.5:1 contrast on white, for lines, bars and their labels. */
export const PALETTE = ['#1c4f9c', '#9a4a00', '#2b6a2f', '#7b2d8e', '#a01e3c', '#0f5d66', '#5a5a00'];

function Chart({ option, label, height }: { option: ChartOption; label: string; height: number }) {
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
    chart.current?.setOption({ animation: false, color: PALETTE, textStyle: { color: '#1a1b1e' }, ...option }, true);
  }, [option]);
  return <Box ref={ref} role="img" aria-label={label} h={height} w="100%" />;
}

export interface TableData {
  columns: string[];
  rows: (string | number)[][];
}

function csvOf(table: TableData): string {
  const quote = (v: string | number) => {
    const s = String(v);
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [table.columns, ...table.rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A chart with its table view and a CSV download: every number on a chart can be read without seeing it. */
export function ChartCard({ title, option, table, file, height = 280, note, testId }: { title: string; option: ChartOption; table: TableData; file: string; height?: number; note?: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = useId();
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId} aria-labelledby={headingId} component="section">
      <Group justify="space-between" align="center" mb="xs" wrap="wrap" gap="xs">
        <Title order={3} size="h5" id={headingId}>
          {title}
        </Title>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label={t('reports.viewAs', { title })}
            value={view}
            onChange={(value) => setView(value as 'chart' | 'table')}
            data={[
              { value: 'chart', label: t('reports.chart') },
              { value: 'table', label: t('reports.table') },
            ]}
          />
          <Button size="xs" variant="default" onClick={() => download(`${file}.csv`, csvOf(table))} aria-label={t('reports.downloadCsvOf', { title })}>
            {t('reports.csv')}
          </Button>
        </Group>
      </Group>
      {note ? (
        <Text size="sm" c="dark.6" mb="xs">
          {note}
        </Text>
      ) : null}
      {view === 'chart' ? (
        <Chart option={option} label={t('reports.chartLabel', { title })} height={height} />
      ) : (
        <Box style={{ overflowX: 'auto' }} mah={height + 120}>
          <Table striped withTableBorder captionSide="top" data-testid={testId ? `${testId}-table` : undefined}>
            <Table.Caption>{title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {table.columns.map((c, i) => (
                  <Table.Th key={i} scope="col">
                    {c}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((r, i) => (
                <Table.Tr key={i}>
                  {r.map((c, j) =>
                    j === 0 ? (
                      <Table.Th key={j} scope="row" fw={500}>
                        {c}
                      </Table.Th>
                    ) : (
                      <Table.Td key={j}>{c}</Table.Td>
                    ),
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      )}
    </Paper>
  );
}
