import { Alert, Anchor, Button, Center, Group, Loader, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { usePartnerReferral, usePartnerReferrals, type PartnerReferralView } from './referralsApi.js';

const OUTCOMES = ['contacted', 'services_provided', 'could_not_reach', 'declined'] as const;

/**
 * Partner staff signed in: the referrals sent to their own organisation (no personal data in the list), one at a time
 * with what the person agreed to share, accept or decline, and report outcomes — the same steps as the partner link.
 */
export function PartnerReferralsPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const list = usePartnerReferrals();
  return (
    <Stack gap="md">
      <PageHeader title={t('referrals.partner.title')} description={t('referrals.partner.intro')} />
      {id ? <PartnerReferralDetail id={id} /> : null}
      {list.isPending ? <Center py="lg"><Loader aria-label={t('common.loading')} /></Center> : list.isError ? <ErrorAlert error={list.error} /> : list.data.length === 0 ? (
        <Text c="dimmed">{t('referrals.partner.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" data-testid="partner-referrals-table" highlightOnHover>
            <Table.Caption className="visually-hidden">{t('referrals.partner.title')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('referrals.partner.service')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.status')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.sent')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.due')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((r) => (
                <Table.Tr key={r.id} data-referral-id={r.id}>
                  <Table.Th scope="row">
                    {r.status === 'sent' || r.status === 'accepted' ? <Anchor component={Link} to={`/partner-referrals/${r.id}`}>{r.serviceName}</Anchor> : r.serviceName}
                  </Table.Th>
                  <Table.Td>{t(`referrals.status.${r.status}`)}{r.outcome ? ` · ${t(`referrals.outcome.${r.outcome}`)}` : ''}{r.overdue ? ` · ${t('referrals.overdue')}` : ''}</Table.Td>
                  <Table.Td>{new Date(r.sentAt).toLocaleString()}</Table.Td>
                  <Table.Td>{r.status === 'sent' ? t('referrals.answerBy', { date: new Date(r.respondBy).toLocaleString() }) : r.status === 'accepted' && r.outcomeDueAt ? t('referrals.outcomeBy', { date: new Date(r.outcomeDueAt).toLocaleString() }) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function PartnerReferralDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const referral = usePartnerReferral(id);
  const [note, setNote] = useState('');
  const done = (updated: { referral: PartnerReferralView }) => {
    setNote('');
    queryClient.setQueryData(['partner-referrals', id], updated.referral);
    void queryClient.invalidateQueries({ queryKey: ['partner-referrals'] });
  };
  const respond = useMutation({ mutationFn: (decision: 'accept' | 'decline') => api.post<{ referral: PartnerReferralView }>(`/api/partner/referrals/${id}/respond`, { decision, note: note || undefined }), onSuccess: done });
  const outcome = useMutation({ mutationFn: (value: string) => api.post<{ referral: PartnerReferralView }>(`/api/partner/referrals/${id}/outcome`, { outcome: value, note: note || undefined }), onSuccess: done });
  if (referral.isPending) return <Center><Loader size="sm" aria-label={t('common.loading')} /></Center>;
  if (referral.isError) return <ErrorAlert error={referral.error} />;
  const r = referral.data;
  const isOpen = r.status === 'sent' || r.status === 'accepted';
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="partner-referral-title" data-testid="partner-referral">
      <Title order={2} size="h3" id="partner-referral-title">{r.serviceName}</Title>
      <Text size="sm" mb="sm">{t('referrals.partner.from', { hotline: r.hotlineName, date: new Date(r.sentAt).toLocaleString() })} · {t(`referrals.status.${r.status}`)}{r.outcome ? ` · ${t(`referrals.outcome.${r.outcome}`)}` : ''}</Text>
      {r.shared ? (
        <Table withTableBorder mb="sm" data-testid="partner-shared">
          <Table.Caption>{t('referrals.partner.shared')}</Table.Caption>
          <Table.Tbody>
            {Object.entries(r.shared).map(([field, value]) => (
              <Table.Tr key={field}><Table.Th scope="row" w={200}>{t(`referrals.field.${field}`)}</Table.Th><Table.Td>{value ?? '—'}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Alert color="yellow" variant="light" mb="sm">{t('referrals.partner.consentWithdrawn')}</Alert>
      )}
      {isOpen ? (
        <Stack gap="sm">
          <Textarea label={t('referrals.partner.note')} description={t('referrals.partner.noteHint')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
          {respond.isError ? <ErrorAlert error={respond.error} /> : null}
          {outcome.isError ? <ErrorAlert error={outcome.error} /> : null}
          {r.status === 'sent' ? (
            <Group>
              <Button onClick={() => respond.mutate('accept')} loading={respond.isPending} disabled={!r.consentActive}>{t('referrals.partner.accept')}</Button>
              <Button variant="default" onClick={() => respond.mutate('decline')} loading={respond.isPending}>{t('referrals.partner.decline')}</Button>
            </Group>
          ) : (
            <Group>
              <Text fw={600}>{t('referrals.partner.reportOutcome')}</Text>
              {OUTCOMES.map((o) => <Button key={o} variant="default" onClick={() => outcome.mutate(o)} loading={outcome.isPending}>{t(`referrals.outcome.${o}`)}</Button>)}
            </Group>
          )}
        </Stack>
      ) : null}
    </Paper>
  );
}
