import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Referrals of one case. Closed-loop referrals are not built yet: say so plainly rather than pretend. */
export function CaseReferrals(_props: { caseId: string }) {
  const { t } = useTranslation();
  return <Alert color="gray" title={t('shell.notAvailableTitle', { defaultValue: 'Not available yet' })}>{t('shell.notAvailableBody', { defaultValue: 'Referrals are not available yet.' })}</Alert>;
}
