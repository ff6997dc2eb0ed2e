import { Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useFormatDateTime } from '../../i18n/format.js';
import { contactKey, QUEUE_KEY } from '../intake/intakeApi.js';
import { localize, refusalReason, type Jurisdiction, type Report } from './assessmentApi.js';
import { SendReportModal } from './SendReportModal.js';

const STATUS_COLOR: Record<Report['status'], string> = { requested: 'orange', approved: 'blue', sent: 'green', refused: 'gray' };

/** A refusal in words: the stable reason code when the server gave one, else the generic error text. */
export function useRefusalText() {
  const { t } = useTranslation();
  return (error: unknown): string | null => {
    const reason = refusalReason(error);
    return reason ? t(`assessment.refusal.${reason}`, { defaultValue: reason }) : null;
  };
}

interface Props {
  reports: Report[];
  jurisdiction: Jurisdiction | undefined;
  me: string;
  canApprove: boolean;
  canSend: boolean;
  showContact?: boolean;
  caption: string;
  testId: string;
}

export function ReportTable({ reports, jurisdiction, me, canApprove, canSend, showContact = false, caption, testId }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const refusalText = useRefusalText();
  const [refusing, setRefusing] = useState<Report | null>(null);
  const [sending, setSending] = useState<Report | null>(null);
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: (input: { report: Report; action: 'approve' | 'refuse'; reason?: string }) =>
      api.post<{ report: Report }>(`/api/reports/${encodeURIComponent(input.report.id)}/${input.action}`, input.action === 'refuse' ? { reason: input.reason } : {}),
    onSuccess: (_data, input) => {
      void queryClient.invalidateQueries({ queryKey: contactKey(input.report.contactId) });
      void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
      setRefusing(null);
      setReason('');
      notifications.show({ color: 'green', message: t(`assessment.report.${input.action}Done`) });
    },
  });
  const agencyName = (id: string) => localize(jurisdiction?.agencies.find((a) => a.id === id)?.name, lang) || id;
  if (reports.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t('assessment.report.none')}
      </Text>
    );
  }
  const failure = act.isError ? refusalText(act.error) : null;
  return (
    <>
      {act.isError && !refusing ? failure ? <Text role="alert" c="red.9" size="sm">{failure}</Text> : <ErrorAlert error={act.error} /> : null}
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing="xs" data-testid={testId}>
          <Table.Caption className="visually-hidden">{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {showContact ? <Table.Th scope="col">{t('assessment.task.contact')}</Table.Th> : null}
              <Table.Th scope="col">{t('assessment.report.agency')}</Table.Th>
              <Table.Th scope="col">{t('assessment.report.kind')}</Table.Th>
              <Table.Th scope="col">{t('assessment.report.basis')}</Table.Th>
              <Table.Th scope="col">{t('assessment.report.state')}</Table.Th>
              <Table.Th scope="col">{t('assessment.task.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reports.map((report) => {
              const label = `${agencyName(report.agencyId)} · ${t(`assessment.reportKind.${report.report}`)}`;
              const own = report.requestedBy === me;
              return (
                <Table.Tr key={report.id} data-report-status={report.status}>
                  {showContact ? (
                    <Table.Td>
                      <Link to={`/contacts/${report.contactId}`}>{report.contactReference ?? t('assessment.task.contact')}</Link>
                    </Table.Td>
                  ) : null}
                  <Table.Td>
                    <Text size="sm">{agencyName(report.agencyId)}</Text>
                    <Text size="xs" c="dimmed">{t('assessment.report.requestedAt', { time: formatDateTime(report.requestedAt) })}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`assessment.reportKind.${report.report}`)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {report.basis === 'exception' && report.exception
                        ? t('assessment.report.basisException', { exception: t(`assessment.exception.${report.exception.basis}`) })
                        : t(`assessment.report.basisValue.${report.basis}`)}
                    </Text>
                    {report.exception?.citation ? <Text size="xs" c="dimmed">{report.exception.citation}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[report.status]} variant="light">{t(`assessment.report.status.${report.status}`)}</Badge>
                    {report.status === 'requested' ? <Text size="xs" c="dimmed">{t('assessment.report.awaitingApproval')}</Text> : null}
                    {report.status === 'refused' && report.refusalReason ? <Text size="xs" c="dimmed">{t('assessment.reasonQuoted', { reason: report.refusalReason })}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {canApprove && report.status === 'requested' ? (
                        own ? (
                          <Text size="xs" c="dimmed">{t('assessment.report.notOwn')}</Text>
                        ) : (
                          <>
                            <Button size="compact-sm" aria-label={t('assessment.report.approveOf', { report: label })} loading={act.isPending && act.variables?.report.id === report.id && act.variables.action === 'approve'} onClick={() => act.mutate({ report, action: 'approve' })}>
                              {t('assessment.report.approve')}
                            </Button>
                            <Button size="compact-sm" variant="default" aria-label={t('assessment.report.refuseOf', { report: label })} onClick={() => { act.reset(); setRefusing(report); }}>
                              {t('assessment.report.refuse')}
                            </Button>
                          </>
                        )
                      ) : null}
                      {canSend && report.status === 'approved' ? (
                        <Button size="compact-sm" variant="default" aria-label={t('assessment.report.sendOf', { report: label })} onClick={() => { act.reset(); setSending(report); }}>
                          {t('assessment.report.sendOpen')}
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {sending ? (
        <SendReportModal
          report={sending}
          agencyName={agencyName(sending.agencyId)}
          onClose={() => setSending(null)}
          onSent={() => {
            void queryClient.invalidateQueries({ queryKey: contactKey(sending.contactId) });
            void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
            void queryClient.invalidateQueries({ queryKey: ['referrals'] });
            notifications.show({ color: 'green', message: t('assessment.report.sendDone') });
          }}
        />
      ) : null}
      <Modal opened={refusing !== null} onClose={() => setRefusing(null)} title={t('assessment.report.refuseTitle')}>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (refusing && reason.trim().length >= 3) act.mutate({ report: refusing, action: 'refuse', reason: reason.trim() });
          }}
        >
          <Stack gap="sm">
            <Textarea label={t('assessment.report.refuseReason')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            {refusing && act.isError ? <ErrorAlert error={act.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRefusing(null)}>{t('assessment.cancel')}</Button>
              <Button type="submit" color="red.9" disabled={reason.trim().length < 3} loading={act.isPending}>{t('assessment.report.refuseConfirm')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
