import { Alert, Badge, Button, Center, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { NewReferral } from './NewReferral.js';
import { useCaseForReferral, useReferrals, type Referral } from './referralsApi.js';
import { ReferralStatus } from './StatusBadge.js';

/** Referrals of one case: what was sent to whom, where each stands, and a new referral. Rendered on the case page. */
export function CaseReferrals({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const referrals = useReferrals({ caseId });
  const kase = useCaseForReferral(caseId);
  const [making, setMaking] = useState(false);
  const [transfer, setTransfer] = useState<Referral | null>(null);
  const [link, setLink] = useState<{ id: string; url: string } | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['referrals'] });
  const reissue = useMutation({ mutationFn: (id: string) => api.post<{ link: string }>(`/api/referrals/${id}/link`, {}), onSuccess: (data, id) => { setLink({ id, url: `${window.location.origin}${data.link}` }); refresh(); } });
  const cancel = useMutation({ mutationFn: (id: string) => api.post(`/api/referrals/${id}/cancel`), onSuccess: refresh });

  return (
    <Stack gap="sm" data-testid="case-referrals">
      <Group justify="space-between">
        <Title order={2} size="h3">{t('referrals.caseTitle')}</Title>
        {!making && kase.data ? <Button onClick={() => setMaking(true)}>{t('referrals.new.open')}</Button> : null}
      </Group>
      {referrals.isPending ? <Center><Loader size="sm" aria-label={t('common.loading')} /></Center> : referrals.isError ? <ErrorAlert error={referrals.error} /> : referrals.data.length === 0 ? (
        <Text c="dimmed">{t('referrals.noneForCase')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('referrals.col.partner')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.status')}</Table.Th>
                <Table.Th scope="col">{t('referrals.col.sent')}</Table.Th>
                <Table.Th scope="col"><span className="visually-hidden">{t('referrals.col.actions')}</span></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {referrals.data.map((r) => (
                <Table.Tr key={r.id} data-referral-id={r.id}>
                  <Table.Th scope="row" fw={400}><Text fw={600}>{r.organizationName}</Text><Text size="sm">{r.serviceName}</Text>{r.reportId ? <Badge size="sm" variant="light" color="indigo" data-testid="referral-is-report">{t('referrals.isReport')}</Badge> : null}</Table.Th>
                  <Table.Td><ReferralStatus referral={r} /></Table.Td>
                  <Table.Td>{new Date(r.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>
                    {r.status === 'sent' || r.status === 'accepted' ? (
                      <Group gap="xs">
                        <Button size="xs" variant="default" onClick={() => reissue.mutate(r.id)}>{t('referrals.newLink')}</Button>
                        <Button size="xs" variant="default" onClick={() => setTransfer(r)}>{t('referrals.warmTransfer')}</Button>
                        <Button size="xs" variant="default" color="red" onClick={() => cancel.mutate(r.id)}>{t('referrals.cancel')}</Button>
                      </Group>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {link ? <Alert color="yellow" variant="light" title={t('referrals.new.linksOnce')} withCloseButton onClose={() => setLink(null)}><Text style={{ wordBreak: 'break-all' }} data-testid="reissued-link">{link.url}</Text></Alert> : null}
      {reissue.isError ? <ErrorAlert error={reissue.error} /> : null}
      {cancel.isError ? <ErrorAlert error={cancel.error} /> : null}
      {kase.isError ? <ErrorAlert error={kase.error} /> : null}
      {making && kase.data ? <NewReferral kase={kase.data} onDone={() => setMaking(false)} /> : null}
      <WarmTransferModal referral={transfer} onClose={() => { setTransfer(null); refresh(); }} />
    </Stack>
  );
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function WarmTransferModal({ referral, onClose }: { referral: Referral | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [started, setStarted] = useState(localInput(new Date(Date.now() - 15 * 60_000)));
  const [ended, setEnded] = useState(localInput(new Date()));
  const save = useMutation({ mutationFn: () => api.post(`/api/referrals/${referral!.id}/warm-transfer`, { startedAt: new Date(started).toISOString(), endedAt: new Date(ended).toISOString() }), onSuccess: onClose });
  return (
    <Modal opened={!!referral} onClose={onClose} title={t('referrals.warmTransferTitle', { partner: referral?.organizationName ?? '' })}>
      <Stack>
        <TextInput type="datetime-local" label={t('referrals.transferStarted')} value={started} onChange={(e) => setStarted(e.currentTarget.value)} />
        <TextInput type="datetime-local" label={t('referrals.transferEnded')} value={ended} onChange={(e) => setEnded(e.currentTarget.value)} />
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <Group><Button onClick={() => save.mutate()} loading={save.isPending}>{t('common.save')}</Button><Button variant="default" onClick={onClose}>{t('common.cancel')}</Button></Group>
      </Stack>
    </Modal>
  );
}
