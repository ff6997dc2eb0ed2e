import { Alert, Button, Checkbox, Group, Loader, Modal, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PERSON_FIELDS, SHAREABLE_FIELDS, type ShareableField } from '../../../shared/api/referrals.js';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { personName, useCase } from '../cases/casesApi.js';
import { PartnerLinkList } from '../referrals/PartnerLinkList.js';
import type { CreatedReferral } from '../referrals/referralsApi.js';
import type { Report } from './assessmentApi.js';

interface Delivery {
  agency: { organizationId: string; organizationName: string } | null;
  cases: { id: string; reference: string }[];
}
export interface SentReport {
  report: Report;
  referral: CreatedReferral | null;
  referralSkipped: 'agency_not_in_directory' | 'agency_has_no_service' | 'contact_not_on_case' | null;
}

/**
 * Sending an approved report. When the agency is in the directory and the contact is on a case, the case is referred
 * to it (the agency gets a link to acknowledge and report back); the advocate chooses what to share. Otherwise the
 * report is recorded as sent and the advocate sends it by the agency's usual channel — the dialog says which.
 */
export function SendReportModal({ report, agencyName, onClose, onSent }: { report: Report; agencyName: string; onClose: () => void; onSent: (sent: SentReport) => void }) {
  const { t } = useTranslation();
  const delivery = useQuery({ queryKey: ['report-delivery', report.id], queryFn: ({ signal }) => api.get<Delivery>(`/api/reports/${encodeURIComponent(report.id)}/delivery`, undefined, signal) });
  const [caseId, setCaseId] = useState<string | null>(null);
  const chosenCase = caseId ?? delivery.data?.cases[0]?.id ?? null;
  const [fields, setFields] = useState<ShareableField[]>([]);
  const [personId, setPersonId] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState<SentReport | null>(null);
  const refers = !!delivery.data?.agency && !!chosenCase;
  const send = useMutation({
    mutationFn: () =>
      api.post<SentReport>(`/api/reports/${encodeURIComponent(report.id)}/send`, refers
        ? { caseId: chosenCase, fields, personId: fields.some((f) => PERSON_FIELDS.includes(f)) ? personId ?? undefined : undefined, message: fields.includes('message') ? message : undefined }
        : {}),
    onSuccess: (data) => {
      setSent(data);
      onSent(data);
    },
  });
  const needsPerson = fields.some((f) => PERSON_FIELDS.includes(f));
  return (
    <Modal opened onClose={onClose} title={t('assessment.report.sendTitle', { agency: agencyName })} size="lg">
      {sent ? (
        <Stack gap="sm" data-testid="report-sent">
          {sent.referral ? (
            <>
              <Alert color="green" variant="light">{t('assessment.report.sentReferred', { org: sent.referral.organizationName })}</Alert>
              <Alert color="yellow" variant="light">{t('referrals.new.linksOnce')}</Alert>
              <PartnerLinkList referrals={[sent.referral]} />
            </>
          ) : (
            <Alert color="blue" variant="light">{t(`assessment.report.sentOnly.${sent.referralSkipped ?? 'agency_not_in_directory'}`, { agency: agencyName })}</Alert>
          )}
          <Group justify="flex-end"><Button onClick={onClose}>{t('common.done')}</Button></Group>
        </Stack>
      ) : delivery.isPending ? (
        <Loader aria-label={t('common.loading')} />
      ) : delivery.isError ? (
        <ErrorAlert error={delivery.error} />
      ) : (
        <form noValidate onSubmit={(event) => { event.preventDefault(); send.mutate(); }}>
          <Stack gap="sm">
            {!delivery.data.agency ? (
              <Alert color="blue" variant="light" data-testid="report-delivery">{t('assessment.report.deliveryOutside', { agency: agencyName })}</Alert>
            ) : !chosenCase ? (
              <Alert color="blue" variant="light" data-testid="report-delivery">{t('assessment.report.deliveryNoCase', { org: delivery.data.agency.organizationName })}</Alert>
            ) : (
              <>
                <Text data-testid="report-delivery">{t('assessment.report.deliveryReferral', { org: delivery.data.agency.organizationName })}</Text>
                {delivery.data.cases.length > 1 ? (
                  <Select label={t('assessment.report.case')} data={delivery.data.cases.map((k) => ({ value: k.id, label: k.reference }))} value={chosenCase} onChange={(v) => { setCaseId(v); setPersonId(null); }} allowDeselect={false} />
                ) : null}
                <Checkbox.Group label={t('referrals.new.fields')} description={t('assessment.report.fieldsHint')} value={fields} onChange={(v) => setFields(v as ShareableField[])}>
                  <SimpleGrid cols={{ base: 2, sm: 3 }} mt="xs">
                    {SHAREABLE_FIELDS.map((f) => <Checkbox key={f} value={f} label={t(`referrals.field.${f}`)} />)}
                  </SimpleGrid>
                </Checkbox.Group>
                {needsPerson ? <PersonSelect caseId={chosenCase} value={personId} onChange={setPersonId} /> : null}
                {fields.includes('message') ? <Textarea label={t('referrals.new.message')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} maxLength={2000} autosize minRows={2} required /> : null}
              </>
            )}
            {send.isError ? <ErrorAlert error={send.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>{t('assessment.cancel')}</Button>
              <Button type="submit" loading={send.isPending} disabled={(refers && needsPerson && !personId) || (refers && fields.includes('message') && !message.trim())}>
                {refers ? t('assessment.report.sendAndRefer') : t('assessment.report.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function PersonSelect({ caseId, value, onChange }: { caseId: string; value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const kase = useCase(caseId);
  const people = kase.data?.people;
  // The potential victim is the usual subject of a report: chosen by default, changeable.
  useEffect(() => {
    if (!value && people) onChange(people.find((p) => p.role === 'potential_victim')?.id ?? people[0]?.id ?? null);
  }, [value, people, onChange]);
  if (kase.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (kase.isError) return <ErrorAlert error={kase.error} />;
  return (
    <Select
      label={t('referrals.new.person')}
      required
      data={kase.data.people.map((p) => ({ value: p.id, label: `${personName(p.details)} (${t(`referrals.role.${p.role}`, { defaultValue: p.role })})` }))}
      value={value}
      onChange={onChange}
      allowDeselect={false}
    />
  );
}
