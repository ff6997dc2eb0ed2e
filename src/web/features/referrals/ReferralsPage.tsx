import { Anchor, Button, Center, Checkbox, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hasPermission, type Session } from '../auth/session.js';
import { needLabel, useNeeds } from '../directory/directoryApi.js';
import { downloadCsv, useReferralMetrics, useReferrals } from './referralsApi.js';
import { ReferralCharts } from './ReferralCharts.js';
import { ReferralStatus } from './StatusBadge.js';

const STATUSES = ['sent', 'accepted', 'declined', 'closed', 'cancelled'];

export function ReferralsPage({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | null>(null);
  const [overdue, setOverdue] = useState(false);
  const referrals = useReferrals({ status: status ?? undefined, overdue });
  const needs = useNeeds();
  const cases = useQuery({ queryKey: ['referrals', 'cases'], enabled: hasPermission(session, 'case.read'), queryFn: ({ signal }) => api.get<{ items: { id: string; reference: string; title: string }[] }>('/api/cases', { limit: 200 }, signal).then((r) => r.items) });
  const label = (key: string) => needLabel(needs.data, key, i18n.resolvedLanguage ?? 'en');
  return (
    <Stack gap="md">
      <PageHeader title={t('referrals.title')} description={t('referrals.intro')} />
      {hasPermission(session, 'referral.create') && cases.data ? (
        <Select
          label={t('referrals.referACase')}
          placeholder={t('referrals.chooseCase')}
          data={cases.data.map((c) => ({ value: c.id, label: `${c.reference} — ${c.title}` }))}
          searchable
          onChange={(id) => id && navigate(`/referrals/cases/${id}`)}
          w={{ base: '100%', sm: 480 }}
        />
      ) : null}
      <Group align="flex-end">
        <Select label={t('referrals.filterStatus')} data={STATUSES.map((s) => ({ value: s, label: t(`referrals.status.${s}`) }))} value={status} onChange={setStatus} clearable placeholder={t('referrals.allStatuses')} w={220} />
        <Checkbox label={t('referrals.onlyOverdue')} checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} mb={8} />
      </Group>
      {referrals.isPending ? <Center py="lg"><Loader aria-label={t('common.loading')} /></Center> : referrals.isError ? <ErrorAlert error={referrals.error} /> : referrals.data.length === 0 ? (
        <Text c="dimmed" aria-live="polite">{t('referrals.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="sm" data-testid="referrals-table" highlightOnHover>
            <Table.Caption className="visually-hidden">{t('referrals.caption', { count: referrals.data.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('referrals.col.case')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.partner')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.needs')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.status')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.sent')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.due')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {referrals.data.map((r) => (
                <Table.Tr key={r.id} data-referral-id={r.id}>
                  <Table.Th scope="row"><Anchor component={Link} to={`/referrals/cases/${r.caseId}`}>{r.caseReference}</Anchor></Table.Th>
                  <Table.Td><Text fw={600}>{r.organizationName}</Text><Text size="sm">{r.serviceName}</Text></Table.Td>
                  <Table.Td>{r.needs.map(label).join(', ')}</Table.Td>
                  <Table.Td><ReferralStatus referral={r} /></Table.Td>
                  <Table.Td>{new Date(r.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>{r.status === 'sent' ? t('referrals.answerBy', { date: new Date(r.ackDueAt).toLocaleString() }) : r.status === 'accepted' && r.outcomeDueAt ? t('referrals.outcomeBy', { date: new Date(r.outcomeDueAt).toLocaleString() }) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {hasPermission(session, 'referral.metrics') ? <MetricsSection /> : null}
    </Stack>
  );
}

function MetricsSection() {
  const { t, i18n } = useTranslation();
  const metrics = useReferralMetrics(true);
  const needs = useNeeds();
  const label = (key: string) => needLabel(needs.data, key, i18n.resolvedLanguage ?? 'en');
  if (metrics.isPending) return <Center><Loader size="sm" aria-label={t('common.loading')} /></Center>;
  if (metrics.isError) return <ErrorAlert error={metrics.error} />;
  const m = metrics.data;
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
  const header = [t('referrals.metrics.partner'), t('referrals.metrics.need'), t('referrals.metrics.made'), t('referrals.metrics.accepted'), t('referrals.metrics.declined'), t('referrals.metrics.rate'), t('referrals.metrics.ackHours'), t('referrals.outcome.contacted'), t('referrals.outcome.services_provided'), t('referrals.outcome.could_not_reach'), t('referrals.outcome.declined'), t('referrals.overdue')];
  const rows = m.byPartnerAndNeed.map((r) => [r.organizationName, label(r.need), r.made, r.accepted, r.declined, pct(r.acceptanceRate), r.medianHoursToAcknowledge ?? '—', r.outcomes.contacted, r.outcomes.services_provided, r.outcomes.could_not_reach, r.outcomes.declined, r.overdue]);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="referral-metrics">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="referral-metrics">{t('referrals.metrics.title')}</Title>
        <Button variant="default" size="xs" onClick={() => downloadCsv('referral-metrics.csv', [header, ...rows])} disabled={!rows.length}>{t('referrals.metrics.csv')}</Button>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">{t('referrals.metrics.since', { date: new Date(m.since).toLocaleDateString() })}</Text>
      <ReferralCharts metrics={m} needLabel={label} />
      <Title order={3} size="h4" mt="md" mb="xs">{t('referrals.charts.detailTitle')}</Title>
      {rows.length === 0 ? <Text c="dimmed">{t('referrals.metrics.none')}</Text> : (
        <Table.ScrollContainer minWidth={1000}>
          <Table data-testid="metrics-table" verticalSpacing="xs">
            <Table.Thead><Table.Tr>{header.map((h) => <Table.Th key={h} scope="col">{h}</Table.Th>)}</Table.Tr></Table.Thead>
            <Table.Tbody>{rows.map((row, i) => <Table.Tr key={i}>{row.map((cell, j) => (j === 0 ? <Table.Th key={j} scope="row" fw={400}>{cell}</Table.Th> : <Table.Td key={j}>{cell}</Table.Td>))}</Table.Tr>)}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Title order={3} size="h4" mt="md" mb="xs">{t('referrals.metrics.unmetTitle')}</Title>
      {m.unmetNeeds.length === 0 ? <Text c="dimmed">{t('referrals.metrics.noUnmet')}</Text> : (
        <Table data-testid="unmet-table" verticalSpacing="xs">
          <Table.Thead><Table.Tr><Table.Th scope="col">{t('referrals.metrics.need')}</Table.Th><Table.Th scope="col">{t('referrals.metrics.area')}</Table.Th><Table.Th scope="col">{t('referrals.metrics.searches')}</Table.Th><Table.Th scope="col">{t('referrals.metrics.last')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>{m.unmetNeeds.map((u) => <Table.Tr key={`${u.need}-${u.areaCode}`}><Table.Th scope="row" fw={400}>{label(u.need)}</Table.Th><Table.Td>{u.areaCode ?? t('referrals.metrics.anyArea')}</Table.Td><Table.Td>{u.searches}</Table.Td><Table.Td>{new Date(u.lastSearchedAt).toLocaleString()}</Table.Td></Table.Tr>)}</Table.Tbody>
        </Table>
      )}
      {m.needsWithoutPartner.length ? <Text mt="sm">{t('referrals.metrics.withoutPartner', { needs: m.needsWithoutPartner.map(label).join(', ') })}</Text> : null}
    </Paper>
  );
}
