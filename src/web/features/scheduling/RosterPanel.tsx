import { Badge, Button, Center, Group, List, Loader, NativeSelect, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Figure } from './CalculatorPanel.js';
import { DataView } from './DataView.js';
import { EChart } from './EChart.js';
import { DAY_KEYS, schedulingApi, slotLabel, type Roster } from './schedulingApi.js';
import { SickCallCard } from './SickCallCard.js';

const ROSTERS = ['scheduling', 'rosters'] as const;

const addDaysIso = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Supervisors: generate next week's roster from the forecast, check its coverage, publish it. */
export function RosterPanel() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ROSTERS, queryFn: ({ signal }) => schedulingApi.rosters(signal) });
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    if (!selected && list.data?.rosters[0]) setSelected(list.data.rosters[0].id);
  }, [list.data, selected]);
  // This week's Monday in the hotline's zone comes with the forecast (the same query as the Forecast tab).
  const forecast = useQuery({ queryKey: ['scheduling', 'forecast'], queryFn: ({ signal }) => schedulingApi.forecast(2, signal) });
  const thisMonday = forecast.data?.forecast.weekStart;
  const weeks = thisMonday ? Array.from({ length: 8 }, (_, k) => addDaysIso(thisMonday, 7 * k)) : [];
  const [week, setWeek] = useState('');
  const chosen = week || weeks[1] || '';
  const isNextWeek = !thisMonday || chosen === weeks[1];
  const generate = useMutation({
    mutationFn: () => schedulingApi.generate(isNextWeek ? undefined : chosen),
    onSuccess: (roster) => {
      client.setQueryData(['scheduling', 'roster', roster.id], roster);
      void client.invalidateQueries({ queryKey: ROSTERS });
      setSelected(roster.id);
      notifications.show({ color: 'green', message: t('scheduling.roster.generated', { week: roster.weekStart }) });
    },
  });
  return (
    <Stack>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Title order={2} size="h4">{t('scheduling.roster.title')}</Title>
            <Text size="sm" c="dimmed">{t('scheduling.roster.explain')}</Text>
          </Stack>
          <Group align="flex-end">
            {weeks.length > 0 ? (
              <NativeSelect
                label={t('scheduling.roster.weekToPlan')}
                value={chosen}
                onChange={(e) => setWeek(e.currentTarget.value)}
                data={weeks.map((w, k) => ({ value: w, label: k === 0 ? t('scheduling.roster.thisWeek', { week: w }) : k === 1 ? t('scheduling.roster.nextWeek', { week: w }) : t('scheduling.roster.weekOf', { week: w }) }))}
              />
            ) : null}
            <Button onClick={() => generate.mutate()} loading={generate.isPending}>{isNextWeek ? t('scheduling.roster.generate') : t('scheduling.roster.generateFor', { week: chosen })}</Button>
          </Group>
        </Group>
        {generate.isPending ? <Text role="status" mt="sm">{t('scheduling.roster.solving')}</Text> : null}
        <ErrorAlert error={generate.error} />
        {list.data && list.data.rosters.length > 0 ? (
          <NativeSelect
            mt="md"
            maw={420}
            label={t('scheduling.roster.choose')}
            value={selected ?? ''}
            onChange={(e) => setSelected(e.currentTarget.value)}
            data={list.data.rosters.map((r) => ({ value: r.id, label: t('scheduling.roster.option', { week: r.weekStart, status: t(`scheduling.status.${r.status}`) }) }))}
          />
        ) : list.data ? <Text mt="md">{t('scheduling.roster.none')}</Text> : null}
      </Paper>
      {selected ? <RosterView id={selected} /> : null}
    </Stack>
  );
}

function RosterView({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['scheduling', 'roster', id], queryFn: ({ signal }) => schedulingApi.roster(id, signal) });
  const publish = useMutation({
    mutationFn: (r: Roster) => schedulingApi.publish(r.id, r.version),
    onSuccess: (roster) => {
      client.setQueryData(['scheduling', 'roster', roster.id], roster);
      void client.invalidateQueries({ queryKey: ROSTERS });
      notifications.show({ color: 'green', message: t('scheduling.roster.publishedNote', { week: roster.weekStart }) });
    },
  });
  if (query.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const roster = query.data;
  const fmt = (v: number) => new Intl.NumberFormat(i18n.resolvedLanguage, { maximumFractionDigits: 1 }).format(v);
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.resolvedLanguage, { timeZone: roster.timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return (
    <Stack>
      <Paper withBorder p="md">
        <Group justify="space-between" wrap="wrap" mb="md">
          <Group gap="sm">
            <Title order={2} size="h4">{t('scheduling.roster.weekOf', { week: roster.weekStart })}</Title>
            <Badge color={roster.status === 'published' ? 'green' : 'gray'} variant="light">{t(`scheduling.status.${roster.status}`)}</Badge>
          </Group>
          {roster.status === 'draft' ? (
            <Button onClick={() => publish.mutate(roster)} loading={publish.isPending}>{t('scheduling.roster.publish')}</Button>
          ) : null}
        </Group>
        <ErrorAlert error={publish.error} />
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Figure label={t('scheduling.roster.seats')} value={`${roster.totals.filledSeats} / ${roster.totals.seats}`} />
          <Figure label={t('scheduling.roster.paidHours')} value={fmt(roster.totals.rosteredPaidHours)} />
          <Figure label={t('scheduling.roster.shortHours')} value={fmt(roster.totals.shortPersonHours)} />
          <Figure label={t('scheduling.roster.gapCount')} value={String(roster.gaps.length)} />
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">{t('scheduling.heatmap.title')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('scheduling.heatmap.explain', { zone: roster.timeZone })}</Text>
        <CoverageHeatmap roster={roster} />
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">{t('scheduling.roster.gaps')}</Title>
        {roster.gaps.length === 0 ? (
          <Text>{t('scheduling.roster.noGaps')}</Text>
        ) : (
          <List spacing="xs">
            {roster.gaps.slice(0, 30).map((g, i) => (
              <List.Item key={i}>
                <Text fw={600} span>{t(`scheduling.gapKind.${g.kind}`)}: {slotLabel(t, g.fromInterval)} – {slotLabel(t, g.toInterval + 1)}</Text>{' '}
                <Text span>{t('scheduling.roster.shortBy', { count: g.shortBy })}</Text>
                {g.reasons.length > 0 ? <Text size="sm" c="dimmed">{g.reasons.join(' ')}</Text> : null}
              </List.Item>
            ))}
          </List>
        )}
      </Paper>
      {roster.status === 'published' ? <SickCallCard roster={roster} /> : null}
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs" id="roster-staff-title">{t('scheduling.rosterStaff.title')}</Title>
        <ScrollArea h={roster.staff.length > 12 ? 360 : undefined} type="auto">
          <Table striped stickyHeader aria-labelledby="roster-staff-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scheduling.roster.staff')}</Table.Th>
                <Table.Th>{t('scheduling.rosterStaff.shifts')}</Table.Th>
                <Table.Th>{t('scheduling.rosterStaff.paidHours')}</Table.Th>
                <Table.Th>{t('scheduling.rosterStaff.nights')}</Table.Th>
                <Table.Th>{t('scheduling.rosterStaff.weekends')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roster.staff.map((p) => (
                <Table.Tr key={p.userId} data-user-id={p.userId}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{p.shifts}</Table.Td>
                  <Table.Td data-testid={`paid-hours-${p.userId}`}>{fmt(p.paidHours)}</Table.Td>
                  <Table.Td>{p.nightShifts}</Table.Td>
                  <Table.Td>{p.weekendShifts}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">{t('scheduling.roster.shifts')}</Title>
        <ScrollArea h={420} type="auto">
          <Table striped stickyHeader aria-label={t('scheduling.roster.shifts')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scheduling.roster.start')}</Table.Th>
                <Table.Th>{t('scheduling.roster.end')}</Table.Th>
                <Table.Th>{t('scheduling.roster.staff')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roster.shifts.map((s) => (
                <Table.Tr key={s.shiftId}>
                  <Table.Td>{when(s.start)}</Table.Td>
                  <Table.Td>{when(s.end)}</Table.Td>
                  <Table.Td>
                    {s.staff.map((p) => p.name).join(', ') || '—'}
                    {s.staff.length < s.seats ? <Badge ml="xs" color="red" variant="light">{t('scheduling.roster.unfilled', { count: s.seats - s.staff.length })}</Badge> : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
    </Stack>
  );
}

/** Required against rostered people per half-hour, days down and times across; short intervals in red. */
function CoverageHeatmap({ roster }: { roster: Roster }) {
  const { t } = useTranslation();
  const { heatmap } = roster;
  const { option, rows } = useMemo(() => {
    const slots = Array.from({ length: 48 }, (_, k) => `${String(Math.floor(k / 2)).padStart(2, '0')}:${k % 2 ? '30' : '00'}`);
    const days = DAY_KEYS.map((d) => t(`scheduling.days.${d}`));
    const data = heatmap.required.map((req, i) => [i % 48, Math.floor(i / 48), heatmap.rostered[i] - req]);
    return {
      option: {
        tooltip: {
          formatter: (p: { value: [number, number, number] }) => {
            const i = p.value[1] * 48 + p.value[0];
            return `${days[p.value[1]]} ${slots[p.value[0]]}<br/>${t('scheduling.heatmap.required')}: ${heatmap.required[i]}<br/>${t('scheduling.heatmap.rostered')}: ${heatmap.rostered[i]}`;
          },
        },
        grid: { left: 56, right: 16, top: 8, bottom: 72 },
        xAxis: { type: 'category', data: slots, axisLabel: { interval: 3 } },
        yAxis: { type: 'category', data: days, inverse: true },
        visualMap: {
          type: 'piecewise',
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
          pieces: [
            { lt: 0, label: t('scheduling.heatmap.short'), color: '#c92a2a' },
            { value: 0, label: t('scheduling.heatmap.exact'), color: '#d3f9d8' },
            { gt: 0, label: t('scheduling.heatmap.over'), color: '#2b8a3e' },
          ],
        },
        series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
      },
      rows: heatmap.required.map((req, i) => [slotLabel(t, i, heatmap.intervalMinutes), req, heatmap.rostered[i], heatmap.isGap[i] ? t('scheduling.heatmap.gapYes') : '']),
    };
  }, [heatmap, t]);
  const title = t('scheduling.heatmap.title');
  return (
    <DataView
      title={title}
      fileName={`coverage-${roster.weekStart}.csv`}
      header={[t('scheduling.heatmap.when'), t('scheduling.heatmap.required'), t('scheduling.heatmap.rostered'), t('scheduling.heatmap.gap')]}
      rows={rows}
      chart={<EChart option={option} label={t('scheduling.heatmap.label', { gaps: heatmap.isGap.filter(Boolean).length })} height={300} />}
    />
  );
}
