import { Alert, Button, Group, List, NativeSelect, Paper, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useFormatDateTime } from '../../i18n/format.js';
import { CONSENT_GIVERS, DISCLOSURES } from '../../../shared/api/assessment.js';
import { consentsKey, contactPath, localize, reportsKey, useConsents, useJurisdiction, useReports, type Consent, type Jurisdiction } from './assessmentApi.js';
import { ReportTable, useRefusalText } from './ReportTable.js';

interface Props {
  contactId: string;
  me: string;
  /** Handling advocate or supervisor: may record consent and ask for reports. */
  canAct: boolean;
  canApprove: boolean;
}

/** Consent to disclosures, and reports to authorities with why a report is blocked or waiting. */
export function ConsentReports({ contactId, me, canAct, canApprove }: Props) {
  const { t, i18n } = useTranslation();
  const jurisdiction = useJurisdiction();
  const consents = useConsents(contactId);
  const reports = useReports(contactId);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="consent-reports-title" data-testid="consent-reports">
      <Title order={2} size="h4" id="consent-reports-title" mb="sm">
        {t('assessment.consent.sectionTitle')}
      </Title>
      <Stack gap="lg">
        <ErrorAlert error={jurisdiction.error ?? consents.error ?? reports.error} />
        {jurisdiction.data ? (
          <Text size="sm" c="dimmed">
            {t('assessment.consent.rules', { title: localize(jurisdiction.data.title, i18n.resolvedLanguage ?? 'en') })}
          </Text>
        ) : null}
        <ConsentBlock contactId={contactId} consents={consents.data ?? []} jurisdiction={jurisdiction.data} canAct={canAct} />
        <div>
          <Title order={3} size="h5" mb="xs">
            {t('assessment.report.heading')}
          </Title>
          <ReportTable reports={reports.data ?? []} jurisdiction={jurisdiction.data} me={me} canApprove={canApprove} canSend={canAct} caption={t('assessment.report.caption')} testId="contact-reports" />
        </div>
        {canAct && jurisdiction.data ? <RequestReport contactId={contactId} jurisdiction={jurisdiction.data} consents={consents.data ?? []} /> : null}
      </Stack>
    </Paper>
  );
}

function ConsentBlock({ contactId, consents, jurisdiction, canAct }: { contactId: string; consents: Consent[]; jurisdiction: Jurisdiction | undefined; canAct: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [givenBy, setGivenBy] = useState<string>('victim');
  const [disclosure, setDisclosure] = useState<string>('report_to_authorities');
  const [recipient, setRecipient] = useState<string>('any_designated_agency');
  const [method, setMethod] = useState<string>('verbal');
  const [scopeNote, setScopeNote] = useState('');
  const record = useMutation({
    mutationFn: () =>
      api.post(contactPath(contactId, 'consents'), { givenBy, disclosure, recipients: recipient === 'any_designated_agency' ? 'any_designated_agency' : [recipient], method, ...(scopeNote.trim() ? { scopeNote: scopeNote.trim() } : {}) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: consentsKey(contactId) });
      setOpen(false);
      setScopeNote('');
      notifications.show({ color: 'green', message: t('assessment.consent.recorded') });
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => api.post(`/api/consents/${encodeURIComponent(id)}/withdraw`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: consentsKey(contactId) }),
  });
  const recipientsText = (c: Consent) => (c.recipients === 'any_designated_agency' ? t('assessment.consent.anyAgency') : c.recipients.map((id) => localize(jurisdiction?.agencies.find((a) => a.id === id)?.name, lang) || id).join(', '));

  return (
    <div>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('assessment.consent.heading')}
        </Title>
        {canAct && !open ? (
          <Button size="compact-sm" variant="default" onClick={() => { record.reset(); setOpen(true); }}>
            {t('assessment.consent.record')}
          </Button>
        ) : null}
      </Group>
      {consents.length === 0 ? (
        <Text size="sm" c="dimmed">{t('assessment.consent.none')}</Text>
      ) : (
        <List size="sm" spacing={6} data-testid="consents">
          {consents.map((c) => (
            <List.Item key={c.id}>
              {t('assessment.consent.line', {
                who: t(`assessment.consent.giver.${c.givenBy}`),
                what: t(`assessment.consent.disclosure.${c.disclosure}`),
                to: recipientsText(c),
                how: t(`assessment.consent.method.${c.method}`),
                time: formatDateTime(c.givenAt),
              })}
              {c.withdrawnAt ? <Text size="xs" c="red.9">{t('assessment.consent.withdrawnAt', { time: formatDateTime(c.withdrawnAt) })}</Text> : null}
              {c.scopeNote ? <Text size="xs" c="dimmed">{c.scopeNote}</Text> : null}
              {canAct && !c.withdrawnAt ? (
                <Button size="compact-xs" variant="subtle" onClick={() => withdraw.mutate(c.id)} loading={withdraw.isPending && withdraw.variables === c.id}>
                  {t('assessment.consent.withdraw')}
                </Button>
              ) : null}
            </List.Item>
          ))}
        </List>
      )}
      <ErrorAlert error={withdraw.error} />
      {open ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            record.mutate();
          }}
        >
          <Stack gap="xs" mt="sm">
            <NativeSelect label={t('assessment.consent.givenBy')} value={givenBy} onChange={(e) => setGivenBy(e.currentTarget.value)} data={CONSENT_GIVERS.map((v) => ({ value: v, label: t(`assessment.consent.giver.${v}`) }))} />
            <NativeSelect label={t('assessment.consent.disclosureLabel')} value={disclosure} onChange={(e) => setDisclosure(e.currentTarget.value)} data={DISCLOSURES.map((v) => ({ value: v, label: t(`assessment.consent.disclosure.${v}`) }))} />
            <NativeSelect
              label={t('assessment.consent.toWhom')}
              value={recipient}
              onChange={(e) => setRecipient(e.currentTarget.value)}
              data={[{ value: 'any_designated_agency', label: t('assessment.consent.anyAgency') }, ...(jurisdiction?.agencies ?? []).map((a) => ({ value: a.id, label: localize(a.name, lang) }))]}
            />
            <Radio.Group label={t('assessment.consent.how')} value={method} onChange={setMethod}>
              <Group gap="md" mt={4}>
                {(['verbal', 'written', 'electronic'] as const).map((m) => (
                  <Radio key={m} value={m} label={t(`assessment.consent.method.${m}`)} />
                ))}
              </Group>
            </Radio.Group>
            <Textarea label={t('assessment.consent.scopeNote')} autosize minRows={2} value={scopeNote} onChange={(e) => setScopeNote(e.currentTarget.value)} />
            <ErrorAlert error={record.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>{t('assessment.cancel')}</Button>
              <Button type="submit" loading={record.isPending}>{t('assessment.consent.save')}</Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </div>
  );
}

function RequestReport({ contactId, jurisdiction, consents }: { contactId: string; jurisdiction: Jurisdiction; consents: Consent[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const queryClient = useQueryClient();
  const refusalText = useRefusalText();
  const [agencyId, setAgencyId] = useState(jurisdiction.agencies[0]?.id ?? '');
  const agency = jurisdiction.agencies.find((a) => a.id === agencyId);
  const [report, setReport] = useState<string>('');
  const kind = agency?.receives.includes(report) ? report : (agency?.receives[0] ?? '');
  const [authority, setAuthority] = useState<'consent' | 'exception' | 'none'>('none');
  const usable = consents.filter((c) => c.disclosure === 'report_to_authorities' && !c.withdrawnAt);
  const [consentId, setConsentId] = useState('');
  const [exception, setException] = useState('minor');
  const [citation, setCitation] = useState('');
  const [note, setNote] = useState('');
  const policy = jurisdiction.policies.find((p) => p.agencyKind === agency?.kind);

  const request = useMutation({
    mutationFn: () =>
      api.post(contactPath(contactId, 'reports'), {
        agencyId,
        report: kind,
        ...(authority === 'consent' && (consentId || usable[0]) ? { consentId: consentId || usable[0].id } : {}),
        ...(authority === 'exception' ? { exception: { basis: exception, ...(citation.trim() ? { citation: citation.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) } } : {}),
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: reportsKey(contactId) });
      notifications.show({ color: 'green', message: t('assessment.report.requested') });
    },
  });
  const blocked = request.isError ? refusalText(request.error) : null;

  return (
    <form
      noValidate
      aria-labelledby="request-report-title"
      onSubmit={(event) => {
        event.preventDefault();
        request.mutate();
      }}
    >
      <Stack gap="xs">
        <Title order={3} size="h5" id="request-report-title">
          {t('assessment.report.requestTitle')}
        </Title>
        <Group grow align="flex-start">
          <NativeSelect label={t('assessment.report.agency')} value={agencyId} onChange={(e) => setAgencyId(e.currentTarget.value)} data={jurisdiction.agencies.map((a) => ({ value: a.id, label: localize(a.name, lang) }))} />
          <NativeSelect label={t('assessment.report.kind')} value={kind} onChange={(e) => setReport(e.currentTarget.value)} data={(agency?.receives ?? []).map((r) => ({ value: r, label: t(`assessment.reportKind.${r}`) }))} />
        </Group>
        {policy ? (
          <Alert color="blue" variant="light" title={t('assessment.report.whatIsNeeded')} data-testid="report-policy">
            <List size="sm" spacing={2}>
              <List.Item>
                {policy.requiresConsent
                  ? policy.consentExceptions.length > 0
                    ? t('assessment.report.needsConsentOrException', { exceptions: policy.consentExceptions.map((e) => t(`assessment.exception.${e}`)).join(', ') })
                    : t('assessment.report.needsConsent')
                  : t('assessment.report.noConsentNeeded')}
              </List.Item>
              <List.Item>{t(`assessment.report.approval.${policy.supervisorApproval}`)}</List.Item>
            </List>
          </Alert>
        ) : null}
        <Radio.Group label={t('assessment.report.authority')} value={authority} onChange={(v) => setAuthority(v as typeof authority)}>
          <Group gap="md" mt={4}>
            <Radio value="none" label={t('assessment.report.authorityNone')} />
            <Radio value="consent" label={t('assessment.report.authorityConsent')} disabled={usable.length === 0} />
            <Radio value="exception" label={t('assessment.report.authorityException')} />
          </Group>
        </Radio.Group>
        {authority === 'consent' && usable.length > 0 ? (
          <NativeSelect label={t('assessment.report.whichConsent')} value={consentId || usable[0].id} onChange={(e) => setConsentId(e.currentTarget.value)} data={usable.map((c) => ({ value: c.id, label: `${t(`assessment.consent.giver.${c.givenBy}`)} · ${t(`assessment.consent.method.${c.method}`)}` }))} />
        ) : null}
        {authority === 'exception' ? (
          <>
            <NativeSelect label={t('assessment.report.exceptionBasis')} value={exception} onChange={(e) => setException(e.currentTarget.value)} data={(['minor', 'imminent_danger', 'legal_duty'] as const).map((e) => ({ value: e, label: t(`assessment.exception.${e}`) }))} />
            {exception === 'legal_duty' ? <TextInput label={t('assessment.report.citation')} value={citation} onChange={(e) => setCitation(e.currentTarget.value)} /> : null}
            <Textarea label={t('assessment.report.exceptionNote')} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          </>
        ) : null}
        {blocked ? (
          <Alert color="red" variant="light" role="alert" title={t('assessment.report.blocked')} data-testid="report-blocked">
            {blocked}
          </Alert>
        ) : (
          <ErrorAlert error={request.error} />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={request.isPending} disabled={!kind}>
            {t('assessment.report.request')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
