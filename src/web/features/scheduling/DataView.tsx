import { Button, Group, ScrollArea, SegmentedControl, Stack, Table } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadCsv, toCsv } from './schedulingApi.js';

interface DataViewProps {
  /** Names the chart and table for assistive technology and the CSV file. */
  title: string;
  fileName: string;
  chart: ReactNode;
  header: readonly string[];
  rows: readonly (readonly (string | number | null)[])[];
}

/** A chart with its numbers: switch to a table view, or download them as CSV. */
export function DataView({ title, fileName, chart, header, rows }: DataViewProps) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          aria-label={t('scheduling.viewAs', { title })}
          value={view}
          onChange={(v) => setView(v as 'chart' | 'table')}
          data={[{ value: 'chart', label: t('scheduling.chart') }, { value: 'table', label: t('scheduling.table') }]}
        />
        <Button variant="default" size="xs" onClick={() => downloadCsv(fileName, toCsv(header, rows))}>
          {t('scheduling.downloadCsv')}
        </Button>
      </Group>
      {view === 'chart' ? (
        chart
      ) : (
        <ScrollArea h={360} type="auto">
          <Table striped stickyHeader aria-label={title}>
            <Table.Thead>
              <Table.Tr>{header.map((h) => <Table.Th key={h}>{h}</Table.Th>)}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => (
                <Table.Tr key={i}>{r.map((v, j) => <Table.Td key={j}>{v ?? '—'}</Table.Td>)}</Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}
