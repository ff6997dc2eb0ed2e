import { Button, Group, Paper, Select, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPTS_FLAGS, VETTING_STATUSES } from '../../../shared/directory/needs.js';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { localize, useJurisdiction } from '../assessment/assessmentApi.js';
import type { PartnerProfile } from './directoryApi.js';

const triState = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : 'unknown');
const fromTriState = (v: string | null) => (v === 'yes' ? true : v === 'no' ? false : null);

/**
 * Catalyst's own data about a partner, beside its HSDS record (admins): vetting and its evidence, the annual review
 * date, the MoU, what it accepts, its referral protocol, its time zone, and whether it is one of the jurisdiction's
 * reporting agencies (then reports to that agency reach it as referrals, and ordinary referrals to it are refused).
 */
export function PartnerDataForm({ partner }: { partner: PartnerProfile }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const queryClient = useQueryClient();
  const jurisdiction = useJurisdiction();
  const [form, setForm] = useState(() => ({
    vettingStatus: partner.vettingStatus,
    vettingEvidence: partner.vettingEvidence ?? '',
    reviewDueOn: partner.reviewDueOn ?? '',
    mouSignedOn: partner.mouSignedOn ?? '',
    mouExpiresOn: partner.mouExpiresOn ?? '',
    referralProtocol: partner.referralProtocol ?? '',
    timeZone: partner.timeZone ?? '',
    reportingAgencyId: partner.reportingAgencyId ?? '',
    accepts: Object.fromEntries(ACCEPTS_FLAGS.map((f) => [f, triState(partner.accepts[f])])) as Record<string, string>,
  }));
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () =>
      api.patch<{ partner: PartnerProfile }>(`/api/directory/organizations/${encodeURIComponent(partner.id)}`, {
        vettingStatus: form.vettingStatus,
        vettingEvidence: form.vettingEvidence.trim() || null,
        reviewDueOn: form.reviewDueOn || null,
        mouSignedOn: form.mouSignedOn || null,
        mouExpiresOn: form.mouExpiresOn || null,
        referralProtocol: form.referralProtocol.trim() || null,
        timeZone: form.timeZone.trim() || null,
        reportingAgencyId: form.reportingAgencyId || null,
        accepts: Object.fromEntries(ACCEPTS_FLAGS.map((f) => [f, fromTriState(form.accepts[f])])),
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(['directory', 'partner', partner.id], data.partner);
      void queryClient.invalidateQueries({ queryKey: ['directory'] });
      notifications.show({ color: 'green', message: t('directory.edit.saved') });
    },
  });
  const agencies = jurisdiction.data?.agencies ?? [];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="partner-edit">
      <Title order={2} size="h4" id="partner-edit" mb="sm">{t('directory.edit.title')}</Title>
      <form noValidate onSubmit={(event) => { event.preventDefault(); save.mutate(); }}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <Select label={t('directory.edit.vetting')} data={VETTING_STATUSES.map((v) => ({ value: v, label: t(`directory.vetting.${v}`) }))} value={form.vettingStatus} onChange={(v) => v && set('vettingStatus', v)} allowDeselect={false} />
            <TextInput type="date" label={t('directory.edit.reviewDueOn')} description={t('directory.edit.reviewDueOnHint')} value={form.reviewDueOn} onChange={(e) => set('reviewDueOn', e.currentTarget.value)} />
            <TextInput label={t('directory.timeZone')} placeholder="America/Toronto" value={form.timeZone} onChange={(e) => set('timeZone', e.currentTarget.value)} />
            <TextInput type="date" label={t('directory.edit.mouSignedOn')} value={form.mouSignedOn} onChange={(e) => set('mouSignedOn', e.currentTarget.value)} />
            <TextInput type="date" label={t('directory.edit.mouExpiresOn')} value={form.mouExpiresOn} onChange={(e) => set('mouExpiresOn', e.currentTarget.value)} />
            <Select
              label={t('directory.edit.reportingAgency')}
              description={t('directory.edit.reportingAgencyHint')}
              data={[{ value: '', label: t('directory.edit.notAnAgency') }, ...agencies.map((a) => ({ value: a.id, label: localize(a.name, lang) || a.id }))]}
              value={form.reportingAgencyId}
              onChange={(v) => set('reportingAgencyId', v ?? '')}
              allowDeselect={false}
              data-testid="reporting-agency"
            />
          </SimpleGrid>
          <Textarea label={t('directory.evidence')} autosize minRows={2} value={form.vettingEvidence} onChange={(e) => set('vettingEvidence', e.currentTarget.value)} />
          <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
            {ACCEPTS_FLAGS.map((flag) => (
              <Select
                key={flag}
                label={t(`directory.accepts.${flag}`)}
                data={[{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }, { value: 'unknown', label: t('directory.unknown') }]}
                value={form.accepts[flag]}
                onChange={(v) => setForm((f) => ({ ...f, accepts: { ...f.accepts, [flag]: v ?? 'unknown' } }))}
                allowDeselect={false}
              />
            ))}
          </SimpleGrid>
          <Textarea label={t('directory.protocolTitle')} autosize minRows={3} value={form.referralProtocol} onChange={(e) => set('referralProtocol', e.currentTarget.value)} />
          {save.isError ? <ErrorAlert error={save.error} /> : null}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>{t('directory.edit.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
