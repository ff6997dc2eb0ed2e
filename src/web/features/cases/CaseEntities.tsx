import { Badge, Button, Group, Modal, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ISIC_SECTIONS } from '../../../shared/api/cases.js';
import { caseKey, type CaseEntity, type CaseRecord } from './casesApi.js';

const EMPTY = { kind: 'organisation' as 'organisation' | 'place', name: '', aliases: '', industry: '', isicSection: '', street: '', city: '', postcode: '', adminArea: '', description: '' };

function addressLine(e: CaseEntity) {
  return [e.address?.street, e.address?.postcode, e.address?.city, e.address?.country].filter(Boolean).join(', ');
}

/** The organisations (businesses, venues) and places on a case, and a form to add one (stored encrypted, searchable). */
export function CaseEntities({ record, canEdit }: { record: CaseRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const entities = record.entities ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="entities-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="entities-title">{t('search.entities.title')}</Title>
        {canEdit ? <Button size="xs" variant="default" onClick={() => setAdding(true)}>{t('search.entities.add')}</Button> : null}
      </Group>
      {entities.length === 0 ? <Text size="sm" c="dimmed">{t('search.entities.none')}</Text> : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" data-testid="case-entities">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('search.entities.col.name')}</Table.Th>
                <Table.Th scope="col">{t('search.entities.col.address')}</Table.Th>
                <Table.Th scope="col">{t('search.entities.col.industry')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entities.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Badge size="sm" variant="light" color={e.kind === 'place' ? 'orange' : 'teal'}>{t(`search.type.${e.kind}`)}</Badge>
                      <Text size="sm" fw={600}>{e.name}</Text>
                    </Group>
                    {e.aliases.length ? <Text size="xs" c="dimmed">{t('search.entities.aliases', { aliases: e.aliases.join(', ') })}</Text> : null}
                    {e.description ? <Text size="xs">{e.description}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{addressLine(e) || '—'}</Text>
                    {e.adminArea ? <Text size="xs" c="dimmed">{e.adminArea}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{[e.industry, e.isicSection ? t('search.entities.isic', { section: e.isicSection }) : null].filter(Boolean).join(' · ') || '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddEntityModal caseId={record.id} opened={adding} onClose={() => setAdding(false)} />
    </Paper>
  );
}

function AddEntityModal({ caseId, opened, onClose }: { caseId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY) => (value: string | null) => setForm((f) => ({ ...f, [key]: value ?? '' }));
  const trimmed = (v: string) => v.trim() || undefined;
  const add = useMutation({
    mutationFn: () => {
      const address = { street: trimmed(form.street), city: trimmed(form.city), postcode: trimmed(form.postcode) };
      return api.post<{ case: CaseRecord }>(`/api/cases/${encodeURIComponent(caseId)}/entities`, {
        kind: form.kind,
        name: form.name.trim(),
        aliases: form.aliases.split(',').map((a) => a.trim()).filter(Boolean),
        industry: trimmed(form.industry),
        isicSection: form.isicSection || undefined,
        address: Object.values(address).some(Boolean) ? address : undefined,
        adminArea: trimmed(form.adminArea),
        description: trimmed(form.description),
      });
    },
    onSuccess: ({ case: saved }) => {
      queryClient.setQueryData(caseKey(caseId), saved);
      setForm(EMPTY);
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('search.entities.add')} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorAlert error={add.error} title={t('search.entities.addFailed')} />
          <SegmentedControl
            value={form.kind}
            onChange={(v) => set('kind')(v)}
            data={[{ value: 'organisation', label: t('search.type.organisation') }, { value: 'place', label: t('search.type.place') }]}
            aria-label={t('search.entities.kind')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('search.entities.name')} value={form.name} onChange={(e) => set('name')(e.currentTarget.value)} required maxLength={200} data-autofocus />
            <TextInput label={t('search.entities.otherNames')} description={t('search.entities.otherNamesHint')} value={form.aliases} onChange={(e) => set('aliases')(e.currentTarget.value)} />
            <TextInput label={t('search.entities.industry')} value={form.industry} onChange={(e) => set('industry')(e.currentTarget.value)} maxLength={200} />
            <Select label={t('search.entities.isicSection')} data={ISIC_SECTIONS.map((s) => ({ value: s, label: t(`search.entities.isicSections.${s}`) }))} value={form.isicSection || null} onChange={set('isicSection')} clearable searchable />
            <TextInput label={t('search.entities.street')} value={form.street} onChange={(e) => set('street')(e.currentTarget.value)} maxLength={200} />
            <TextInput label={t('search.entities.city')} value={form.city} onChange={(e) => set('city')(e.currentTarget.value)} maxLength={100} />
            <TextInput label={t('search.entities.postcode')} value={form.postcode} onChange={(e) => set('postcode')(e.currentTarget.value)} maxLength={20} />
            <TextInput label={t('search.entities.adminArea')} value={form.adminArea} onChange={(e) => set('adminArea')(e.currentTarget.value)} maxLength={40} />
          </SimpleGrid>
          <Textarea label={t('search.entities.description')} value={form.description} onChange={(e) => set('description')(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
          <Text size="xs" c="dimmed">{t('search.entities.encrypted')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={add.isPending} disabled={!form.name.trim()}>{t('search.entities.add')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
