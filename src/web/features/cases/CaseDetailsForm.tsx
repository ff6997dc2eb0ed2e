import { Button, Checkbox, Group, Paper, Select, Stack, Switch, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { POLARIS_TYPOLOGY } from '../../../shared/assessment/polaris-typology.js';
import type { SessionUser } from '../auth/session.js';
import { CaseMergeDialog } from './CaseMergeDialog.js';
import { CASE_STATUSES, caseKey, staleCase, TRAFFICKING_TYPES, type CaseRecord } from './casesApi.js';

export interface CaseDraft {
  title: string;
  status: string;
  traffickingTypes: string[];
  typologyCode: string | null;
  sensitivity: 'normal' | 'restricted';
  assigneeId: string | null;
}

export const draftOfCase = (c: CaseRecord): CaseDraft => ({ title: c.title, status: c.status, traffickingTypes: [...c.traffickingTypes].sort(), typologyCode: c.typologyCode, sensitivity: c.sensitivity, assigneeId: c.assigneeId });

/** The case's header fields, edited with the version the advocate opened; a stale save opens the merge dialog. */
export function CaseDetailsForm({ record, user, canEdit }: { record: CaseRecord; user: SessionUser; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [base, setBase] = useState(() => ({ version: record.version, draft: draftOfCase(record) }));
  const [draft, setDraft] = useState<CaseDraft>(() => draftOfCase(record));
  const [conflict, setConflict] = useState<CaseRecord | null>(null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(base.draft);

  // Another person's change arriving while nothing is being edited here simply replaces the form.
  useEffect(() => {
    if (record.version !== base.version && !dirty) {
      setBase({ version: record.version, draft: draftOfCase(record) });
      setDraft(draftOfCase(record));
    }
  }, [record, base.version, dirty]);

  const save = useMutation({
    mutationFn: ({ version, values, against }: { version: number; values: CaseDraft; against: CaseDraft }) => {
      // Only the fields that differ from the version being written over are sent.
      const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(against[k as keyof CaseDraft])));
      return api.patch<{ case: CaseRecord }>(`/api/cases/${encodeURIComponent(record.id)}`, { version, ...changed });
    },
    onSuccess: ({ case: saved }) => {
      queryClient.setQueryData(caseKey(record.id), saved);
      setBase({ version: saved.version, draft: draftOfCase(saved) });
      setDraft(draftOfCase(saved));
      setConflict(null);
      notifications.show({ color: 'green', message: t('cases.saved') });
    },
    onError: (error) => {
      const current = staleCase(error);
      if (current) setConflict(current);
    },
  });

  const polaris = POLARIS_TYPOLOGY.map((p) => ({ value: String(p.number), label: `${p.number}. ${p.name}` }));
  const set = <K extends keyof CaseDraft>(key: K, value: CaseDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="case-details-title">
      <Title order={2} size="h4" id="case-details-title" mb="sm">
        {t('cases.details')}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ version: base.version, values: draft, against: base.draft });
        }}
      >
        <Stack gap="sm">
          {save.isError && !staleCase(save.error) ? <ErrorAlert error={save.error} title={t('cases.saveFailed')} /> : null}
          <TextInput label={t('cases.field.title')} value={draft.title} onChange={(e) => set('title', e.currentTarget.value)} disabled={!canEdit} maxLength={300} required />
          <Group gap="md" align="flex-end" wrap="wrap">
            <Select label={t('cases.field.status')} data={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) }))} value={draft.status} onChange={(v) => v && set('status', v)} disabled={!canEdit} allowDeselect={false} w={200} data-testid="case-status-select" />
            <Checkbox.Group label={t('cases.field.traffickingTypes')} value={draft.traffickingTypes} onChange={(v) => set('traffickingTypes', [...v].sort())}>
              <Group gap="md" mt={6}>
                {TRAFFICKING_TYPES.map((k) => (
                  <Checkbox key={k} value={k} label={t(`cases.traffickingType.${k}`)} disabled={!canEdit} />
                ))}
              </Group>
            </Checkbox.Group>
          </Group>
          <Select label={t('cases.field.typology')} description={t('cases.typologyHint')} data={polaris} value={draft.typologyCode} onChange={(v) => set('typologyCode', v)} disabled={!canEdit} clearable searchable />
          <Group gap="md" align="center" wrap="wrap">
            <Switch label={t('cases.field.restricted')} description={t('cases.restrictedHint')} checked={draft.sensitivity === 'restricted'} onChange={(e) => set('sensitivity', e.currentTarget.checked ? 'restricted' : 'normal')} disabled={!canEdit} />
            {draft.assigneeId !== user.id ? (
              <Button variant="default" size="xs" onClick={() => set('assigneeId', user.id)} disabled={!canEdit}>
                {t('cases.assignToMe')}
              </Button>
            ) : null}
          </Group>
          {canEdit ? (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} disabled={!dirty || !draft.title.trim()} data-testid="case-save">
                {t('common.save')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
      <CaseMergeDialog
        opened={conflict !== null}
        base={base.draft}
        mine={draft}
        theirs={conflict ? draftOfCase(conflict) : base.draft}
        pending={save.isPending}
        onClose={() => {
          if (conflict) {
            queryClient.setQueryData(caseKey(record.id), conflict);
            setBase({ version: conflict.version, draft: draftOfCase(conflict) });
            setDraft(draftOfCase(conflict));
          }
          setConflict(null);
        }}
        onSave={(merged) => {
          if (!conflict) return;
          const theirs = draftOfCase(conflict);
          setBase({ version: conflict.version, draft: theirs });
          save.mutate({ version: conflict.version, values: merged, against: theirs });
        }}
      />
    </Paper>
  );
}
