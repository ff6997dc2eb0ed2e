import { Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CreatedReferral } from './referralsApi.js';

/** Partner links just created (shown once: only their hashes are stored), with whether each was emailed. */
export function PartnerLinkList({ referrals }: { referrals: CreatedReferral[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {referrals.map((r) => {
        const url = `${window.location.origin}${r.link}`;
        return (
          <Stack key={r.id} gap={4}>
            <Text fw={600}>{r.organizationName} — {r.serviceName}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code data-testid="partner-link" style={{ wordBreak: 'break-all' }}>{url}</Code>
              <CopyButton value={url}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</Button>}</CopyButton>
            </Group>
            <Text size="sm" c="dimmed">{t('referrals.new.expires', { date: new Date(r.linkExpiresAt).toLocaleString() })}</Text>
            <Text size="sm" data-testid="link-email-status">{r.email?.emailed ? t('referrals.email.sent') : r.email?.reason === 'send_failed' && r.email.retryAt ? t('referrals.email.retrying', { at: new Date(r.email.retryAt).toLocaleTimeString() }) : t(`referrals.email.notSent.${r.email?.reason ?? 'no_relay'}`)}</Text>
          </Stack>
        );
      })}
    </Stack>
  );
}
