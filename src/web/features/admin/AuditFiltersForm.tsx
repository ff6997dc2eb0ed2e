import { Autocomplete, Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, AuditFilters } from './adminApi.js';

export const EMPTY_FILTERS: AuditFilters = { action: '', actorId: '', recordType: '', recordId: '', from: '', to: '' };

/** Actions the foundation writes today; the field still accepts any other action name. */
const KNOWN_ACTIONS = [
  'auth.*',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.locked',
  'auth.sign_out',
  'auth.mfa_enrolled',
  'auth.password_changed',
  'user.*',
  'user.create',
  'user.update',
  'user.deactivate',
  'user.reactivate',
  'user.reset_password',
  'user.reset_mfa',
  'user.preferences',
  'permissions.update',
  'audit.read',
  'record.read',
];

interface AuditFiltersFormProps {
  value: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  users: AdminUser[] | undefined;
}

export function AuditFiltersForm({ value, onApply, users }: AuditFiltersFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditFilters>(value);
  const set = (key: keyof AuditFilters) => (next: string) => setDraft((old) => ({ ...old, [key]: next }));
  const rangeError = draft.from && draft.to && draft.from > draft.to ? t('audit.rangeInvalid') : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (rangeError) return;
    onApply({ ...draft, action: draft.action.trim(), recordType: draft.recordType.trim(), recordId: draft.recordId.trim() });
  };

  return (
    <form onSubmit={onSubmit} aria-label={t('audit.filters')} role="search">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        <Autocomplete
          label={t('audit.action')}
          description={t('audit.actionHint')}
          data={KNOWN_ACTIONS}
          value={draft.action}
          onChange={set('action')}
        />
        {users ? (
          <NativeSelect label={t('audit.actor')} value={draft.actorId} onChange={(e) => set('actorId')(e.currentTarget.value)}>
            <option value="">{t('audit.anyActor')}</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {user.displayName} ({user.email})
              </option>
            ))}
          </NativeSelect>
        ) : (
          <TextInput label={t('audit.actorId')} value={draft.actorId} onChange={(e) => set('actorId')(e.currentTarget.value)} />
        )}
        <TextInput
          label={t('audit.recordType')}
          value={draft.recordType}
          onChange={(e) => set('recordType')(e.currentTarget.value)}
        />
        <TextInput label={t('audit.recordId')} value={draft.recordId} onChange={(e) => set('recordId')(e.currentTarget.value)} />
        <TextInput
          type="date"
          label={t('audit.from')}
          value={draft.from}
          onChange={(e) => set('from')(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('audit.to')}
          value={draft.to}
          onChange={(e) => set('to')(e.currentTarget.value)}
          error={rangeError}
        />
      </SimpleGrid>
      <Group mt="md" gap="sm">
        <Button type="submit">{t('audit.apply')}</Button>
        <Button
          variant="default"
          onClick={() => {
            setDraft(EMPTY_FILTERS);
            onApply(EMPTY_FILTERS);
          }}
        >
          {t('audit.clear')}
        </Button>
      </Group>
    </form>
  );
}

/** Dates are picked as whole local days; the API takes instants, so widen `to` to the end of its day. */
export function filtersToQuery(filters: AuditFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.action) query.action = filters.action;
  if (filters.actorId) query.actorId = filters.actorId;
  if (filters.recordType) query.recordType = filters.recordType;
  if (filters.recordId) query.recordId = filters.recordId;
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) query.to = new Date(`${filters.to}T23:59:59.999`).toISOString();
  return query;
}
