import { Button, Checkbox, Group, MultiSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { needLabel, useNeeds, type DirectorySearch } from './directoryApi.js';

export const POPULATION_FLAGS = ['men', 'minors', 'lgbtq', 'foreign_nationals'] as const;

interface SearchFormProps {
  initial?: Partial<DirectorySearch>;
  onSearch: (search: DirectorySearch) => void;
  /** The directory screen offers distance and unvetted partners; the referral flow only vetted partners. */
  full?: boolean;
  submitLabel?: string;
}

/** Search by need, admin area or distance, language, who must be accepted, open now. */
export function SearchForm({ initial, onSearch, full = false, submitLabel }: SearchFormProps) {
  const { t, i18n } = useTranslation();
  const needs = useNeeds();
  const [value, setValue] = useState<DirectorySearch>({ needs: [], population: [], ...initial });
  const set = (patch: Partial<DirectorySearch>) => setValue((v) => ({ ...v, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch({ ...value, areaCode: value.areaCode?.trim().toUpperCase() || undefined });
  };
  return (
    <form onSubmit={submit} aria-label={t('directory.searchForm')}>
      <Stack gap="sm">
        <MultiSelect
          label={t('directory.needs')}
          placeholder={value.needs.length ? undefined : t('directory.needsPlaceholder')}
          data={(needs.data ?? []).map((n) => ({ value: n.key, label: needLabel(needs.data, n.key, i18n.resolvedLanguage ?? 'en') }))}
          value={value.needs}
          onChange={(v) => set({ needs: v })}
          searchable
          clearable
        />
        <SimpleGrid cols={{ base: 1, sm: full ? 4 : 2 }}>
          <TextInput label={t('directory.areaCode')} description={t('directory.areaCodeHint')} value={value.areaCode ?? ''} onChange={(e) => set({ areaCode: e.currentTarget.value })} />
          <TextInput label={t('directory.language')} description={t('directory.languageHint')} value={value.language ?? ''} onChange={(e) => set({ language: e.currentTarget.value })} />
          {full ? <TextInput label={t('directory.latitude')} inputMode="decimal" value={value.lat ?? ''} onChange={(e) => set({ lat: e.currentTarget.value })} /> : null}
          {full ? <TextInput label={t('directory.longitude')} inputMode="decimal" value={value.lon ?? ''} onChange={(e) => set({ lon: e.currentTarget.value })} /> : null}
          {full ? <TextInput label={t('directory.withinKm')} inputMode="decimal" value={value.withinKm ?? ''} onChange={(e) => set({ withinKm: e.currentTarget.value })} /> : null}
        </SimpleGrid>
        <Checkbox.Group label={t('directory.mustAccept')} value={value.population} onChange={(v) => set({ population: v })}>
          <Group mt={4}>
            {POPULATION_FLAGS.map((flag) => (
              <Checkbox key={flag} value={flag} label={t(`directory.accepts.${flag}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Checkbox label={t('directory.openNow')} checked={!!value.openNow} onChange={(e) => set({ openNow: e.currentTarget.checked })} />
          {full ? <Checkbox label={t('directory.includeUnvetted')} checked={!!value.includeUnvetted} onChange={(e) => set({ includeUnvetted: e.currentTarget.checked })} /> : null}
        </Group>
        <Group>
          <Button type="submit">{submitLabel ?? t('directory.search')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
