import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { caseKey, PERSON_ROLES, type CaseRecord } from './casesApi.js';

const AGE_RANGES = ['under_12', '12_17', '18_24', '25_34', '35_49', '50_plus', 'unknown'] as const;
const EMPTY = { role: 'potential_victim', givenNames: '', familyNames: '', aliases: '', phone: '', email: '', dateOfBirth: '', ageRange: '' };

/** Add a person to the case with their role. Names and contact details are encrypted on the server. */
export function AddPersonModal({ caseId, opened, onClose }: { caseId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY) => (value: string | null) => setForm((f) => ({ ...f, [key]: value ?? '' }));
  const add = useMutation({
    mutationFn: () =>
      api.post<{ case: CaseRecord }>(`/api/cases/${encodeURIComponent(caseId)}/people`, {
        role: form.role,
        details: {
          ...(form.givenNames.trim() && { givenNames: form.givenNames.trim() }),
          ...(form.familyNames.trim() && { familyNames: form.familyNames.trim() }),
          aliases: form.aliases.split(',').map((a) => a.trim()).filter(Boolean),
          phones: form.phone.trim() ? [form.phone.trim()] : [],
          emails: form.email.trim() ? [form.email.trim()] : [],
          ...(form.dateOfBirth && { dateOfBirth: form.dateOfBirth }),
        },
        ...(form.ageRange && { ageRange: form.ageRange }),
      }),
    onSuccess: ({ case: saved }) => {
      queryClient.setQueryData(caseKey(caseId), saved);
      setForm(EMPTY);
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('cases.addPerson')} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorAlert error={add.error} title={t('cases.addPersonFailed')} />
          <Select label={t('cases.col.role')} data={PERSON_ROLES.map((r) => ({ value: r, label: t(`cases.role.${r}`) }))} value={form.role} onChange={set('role')} allowDeselect={false} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('cases.person.givenNames')} value={form.givenNames} onChange={(e) => set('givenNames')(e.currentTarget.value)} maxLength={200} data-autofocus />
            <TextInput label={t('cases.person.familyNames')} value={form.familyNames} onChange={(e) => set('familyNames')(e.currentTarget.value)} maxLength={200} />
            <TextInput label={t('cases.person.aliases')} description={t('cases.person.aliasesHint')} value={form.aliases} onChange={(e) => set('aliases')(e.currentTarget.value)} />
            <TextInput type="date" label={t('cases.person.dateOfBirth')} value={form.dateOfBirth} onChange={(e) => set('dateOfBirth')(e.currentTarget.value)} />
            <TextInput label={t('cases.person.phone')} value={form.phone} onChange={(e) => set('phone')(e.currentTarget.value)} maxLength={40} />
            <TextInput type="email" label={t('cases.person.email')} value={form.email} onChange={(e) => set('email')(e.currentTarget.value)} maxLength={320} />
            <Select label={t('cases.person.ageRange')} data={AGE_RANGES.map((a) => ({ value: a, label: t(`cases.ageRange.${a}`) }))} value={form.ageRange || null} onChange={set('ageRange')} clearable />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={add.isPending}>{t('cases.addPerson')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
