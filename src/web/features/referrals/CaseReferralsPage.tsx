import { Anchor, Center, List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { CaseReferrals } from './CaseReferrals.js';
import { REFERRAL_EVENT_KINDS, useCaseForReferral } from './referralsApi.js';

/** A case's referrals and their part of the case timeline, until the case page shows them itself. */
export function CaseReferralsPage() {
  const { caseId = '' } = useParams();
  const { t } = useTranslation();
  const kase = useCaseForReferral(caseId);
  if (kase.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (kase.isError) return <ErrorAlert error={kase.error} />;
  const events = kase.data.timeline.filter((e) => REFERRAL_EVENT_KINDS.includes(e.kind));
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/referrals">{t('referrals.back')}</Anchor>
      <PageHeader title={t('referrals.casePageTitle', { reference: kase.data.reference })} context={t('referrals.title')} description={kase.data.title} />
      <CaseReferrals caseId={caseId} />
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="referral-timeline">
        <Title order={2} size="h3" id="referral-timeline" mb="sm">{t('referrals.timelineTitle')}</Title>
        {events.length === 0 ? <Text c="dimmed">{t('referrals.timelineEmpty')}</Text> : (
          <List data-testid="referral-timeline" spacing="xs">
            {events.map((e, i) => (
              <List.Item key={i} data-kind={e.kind}>
                <Text span fw={600}>{new Date(e.at).toLocaleString()}</Text>{' — '}
                {t(`referrals.event.${e.kind}`, { partner: String(e.data.organizationName ?? ''), outcome: e.data.outcome ? t(`referrals.outcome.${String(e.data.outcome)}`) : '' })}
              </List.Item>
            ))}
          </List>
        )}
      </Paper>
    </Stack>
  );
}
