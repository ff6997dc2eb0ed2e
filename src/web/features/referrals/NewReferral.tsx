import { Alert, Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SHAREABLE_FIELDS, PERSON_FIELDS, type ShareableField } from '../../../shared/api/referrals.js';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useDirectorySearch, type DirectorySearch } from '../directory/directoryApi.js';
import { MatchTable } from '../directory/MatchTable.js';
import { SearchForm } from '../directory/SearchForm.js';
import { PartnerLinkList } from './PartnerLinkList.js';
import type { CaseForReferral, Consent, CreatedReferral } from './referralsApi.js';

/** Needs -> ranked partners with reasons -> choose -> consent -> the fields to share -> one link per partner. */
export function NewReferral({ kase, onDone }: { kase: CaseForReferral; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState<DirectorySearch | null>(null);
  const results = useDirectorySearch(search);
  const [chosen, setChosen] = useState<string[]>([]);
  const [consentId, setConsentId] = useState<string | null>(null);
  const [personId, setPersonId] = useState<string | null>(kase.people.find((p) => p.role === 'potential_victim')?.id ?? null);
  const [fields, setFields] = useState<ShareableField[]>([]);
  const [message, setMessage] = useState('');
  const [hours, setHours] = useState<number>(24);
  const [created, setCreated] = useState<CreatedReferral[] | null>(null);

  const consents = useQuery({
    queryKey: ['referrals', 'consents', kase.id],
    queryFn: async () => (await Promise.all(kase.contacts.map((c) => api.get<{ items: Consent[] }>(`/api/contacts/${c.id}/consents`).then((r) => r.items.map((x) => ({ ...x, contactReference: c.reference })))))).flat(),
  });
  const usable = (consents.data ?? []).filter((c) => c.disclosure === 'referral_to_services' && !c.withdrawnAt && (!c.expiresAt || Date.parse(c.expiresAt) > Date.now()));

  const send = useMutation({
    mutationFn: () => api.post<{ referrals: CreatedReferral[] }>(`/api/cases/${kase.id}/referrals`, {
      serviceIds: chosen, needs: search?.needs ?? [], consentId, personId: fields.some((f) => PERSON_FIELDS.includes(f)) ? personId : undefined, fields,
      message: fields.includes('message') ? message : undefined, areaCode: search?.areaCode, language: search?.language || undefined, acknowledgeWithinHours: hours,
    }),
    onSuccess: (data) => {
      setCreated(data.referrals);
      void queryClient.invalidateQueries({ queryKey: ['referrals'] });
    },
  });

  if (created) {
    return (
      <Paper withBorder p="md" radius="md" data-testid="referral-links">
        <Title order={3} size="h4" mb="xs">{t('referrals.new.linksTitle')}</Title>
        <Alert color="yellow" variant="light" mb="sm">{t('referrals.new.linksOnce')}</Alert>
        <PartnerLinkList referrals={created} />
        <Button mt="md" onClick={onDone}>{t('common.done')}</Button>
      </Paper>
    );
  }

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-referral-title">
      <Title order={3} size="h4" id="new-referral-title" mb="sm">{t('referrals.new.title')}</Title>
      <Stack gap="md">
        <SearchForm onSearch={(s) => { setSearch(s); setChosen([]); }} submitLabel={t('referrals.new.find')} />
        {search && results.isError ? <ErrorAlert error={results.error} /> : null}
        {search && results.data ? (
          results.data.items.length ? <MatchTable items={results.data.items} selected={chosen} onToggle={toggle} /> : <Alert color="orange" variant="light">{t('referrals.new.noMatch')}</Alert>
        ) : null}
        {chosen.length ? (
          <>
            {usable.length === 0 && consents.isSuccess ? (
              <Alert color="red" variant="light" title={t('referrals.new.noConsentTitle')} role="alert">{t('referrals.new.noConsent')}</Alert>
            ) : (
              <Select
                label={t('referrals.new.consent')}
                description={t('referrals.new.consentHint')}
                data={usable.map((c) => ({ value: c.id, label: t('referrals.new.consentOption', { contact: (c as Consent & { contactReference: string }).contactReference, date: new Date(c.givenAt).toLocaleDateString(), recipients: c.recipients === 'any_designated_agency' ? t('referrals.new.anyPartner') : t('referrals.new.namedPartners') }) }))}
                value={consentId}
                onChange={setConsentId}
                required
              />
            )}
            <Checkbox.Group label={t('referrals.new.fields')} description={t('referrals.new.fieldsHint')} value={fields} onChange={(v) => setFields(v as ShareableField[])}>
              <Group mt={4}>
                {SHAREABLE_FIELDS.map((f) => <Checkbox key={f} value={f} label={t(`referrals.field.${f}`)} />)}
              </Group>
            </Checkbox.Group>
            {fields.some((f) => PERSON_FIELDS.includes(f)) ? (
              <Select label={t('referrals.new.person')} data={kase.people.map((p) => ({ value: p.id, label: `${[p.details.givenNames, p.details.familyNames].filter(Boolean).join(' ') || '—'} (${t(`referrals.role.${p.role}`, { defaultValue: p.role })})` }))} value={personId} onChange={setPersonId} required />
            ) : null}
            {fields.includes('message') ? <Textarea label={t('referrals.new.message')} description={t('referrals.new.messageHint')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} maxLength={2000} autosize minRows={2} required /> : null}
            <NumberInput label={t('referrals.new.ackHours')} min={1} max={168} value={hours} onChange={(v) => setHours(typeof v === 'number' ? v : 24)} w={260} />
            {send.isError ? <ErrorAlert error={send.error} /> : null}
            <Group>
              <Button onClick={() => send.mutate()} loading={send.isPending} disabled={!consentId || (fields.includes('message') && !message.trim())}>{t('referrals.new.send', { count: chosen.length })}</Button>
              <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
            </Group>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
