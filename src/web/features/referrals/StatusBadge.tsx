import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Referral } from './referralsApi.js';

const COLOR: Record<Referral['status'], string> = { sent: 'blue', accepted: 'teal', declined: 'orange', closed: 'green', cancelled: 'gray' };

/** Status in words (and overdue with a symbol), so it reads without colour. */
export function ReferralStatus({ referral }: { referral: Pick<Referral, 'status' | 'overdue' | 'outcome'> & Partial<Pick<Referral, 'linkEmail'>> }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      <Badge variant="light" color={COLOR[referral.status]} tt="none" data-status={referral.status}>{t(`referrals.status.${referral.status}`)}</Badge>
      {referral.overdue ? <Badge variant="filled" color="red" tt="none" leftSection={<span aria-hidden>!</span>}>{t('referrals.overdue')}</Badge> : null}
      {/* A link email that failed for good, or is being retried: the advocate gives the link by hand if it fails. */}
      {referral.linkEmail && (referral.linkEmail.status === 'failed' || referral.linkEmail.status === 'retrying') && (referral.status === 'sent' || referral.status === 'accepted') ? (
        <Badge variant={referral.linkEmail.status === 'failed' ? 'filled' : 'light'} color="orange" tt="none" data-link-email={referral.linkEmail.status} leftSection={<span aria-hidden>✉</span>}>{t(`referrals.email.badge.${referral.linkEmail.status}`)}</Badge>
      ) : null}
      {referral.outcome ? <Badge variant="light" color="gray" tt="none" data-outcome={referral.outcome}>{t(`referrals.outcome.${referral.outcome}`)}</Badge> : null}
    </Group>
  );
}
