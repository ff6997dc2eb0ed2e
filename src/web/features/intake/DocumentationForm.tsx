import { Checkbox, Divider, Group, NativeSelect, SimpleGrid, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConfigurableFields } from './ConfigurableFields.js';
import type { Draft } from './draft.js';
import { localized, type ContactFormAnswer } from './intakeApi.js';
import { CONTACT_FLAGS, DATA_REQUEST_TYPES, HEARD_ABOUT, NON_DATA_REQUEST_TYPES, SIGNALER_TYPES } from './vocabulary.js';

interface DocumentationFormProps {
  draft: Draft;
  onChange: (draft: Draft) => void;
  config: ContactFormAnswer | undefined;
  hotlineLocales: string[];
  disabled: boolean;
}

/** The core fields every hotline records, then the hotline's own questions, all in the advocate's language. */
export function DocumentationForm({ draft, onChange, config, hotlineLocales, disabled }: DocumentationFormProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => onChange({ ...draft, [key]: value });
  const empty = { value: '', label: t('contact.notAnswered') };
  const languages = Array.from(new Set([...hotlineLocales, 'en', 'es', 'fr', ...(draft.language ? [draft.language] : [])]));
  const nonData = draft.requestType !== null && (NON_DATA_REQUEST_TYPES as readonly string[]).includes(draft.requestType);

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <NativeSelect
          label={t('contact.field.requestType')}
          value={draft.requestType ?? ''}
          onChange={(e) => set('requestType', e.currentTarget.value || null)}
          disabled={disabled}
          data={[
            empty,
            { group: t('contact.dataTypes'), items: DATA_REQUEST_TYPES.map((v) => ({ value: v, label: t(`requestType.${v}`) })) },
            { group: t('contact.nonDataTypes'), items: NON_DATA_REQUEST_TYPES.map((v) => ({ value: v, label: t(`requestType.${v}`) })) },
          ]}
        />
        <NativeSelect
          label={t('contact.field.signalerType')}
          value={draft.signalerType ?? ''}
          onChange={(e) => set('signalerType', e.currentTarget.value || null)}
          disabled={disabled}
          data={[empty, ...SIGNALER_TYPES.map((v) => ({ value: v, label: t(`signalerType.${v}`) }))]}
        />
      </SimpleGrid>
      {nonData ? (
        <Text size="sm" c="dimmed">
          {t('contact.nonDataHint')}
        </Text>
      ) : null}

      <Checkbox.Group
        label={t('contact.field.flags')}
        description={t('contact.flagsHint')}
        value={CONTACT_FLAGS.filter((f) => draft.flags[f])}
        onChange={(value) => set('flags', Object.fromEntries(CONTACT_FLAGS.map((f) => [f, value.includes(f)])) as Draft['flags'])}
      >
        <Group gap="lg" mt={6}>
          {CONTACT_FLAGS.map((flag) => (
            <Checkbox key={flag} value={flag} label={t(`flag.${flag}`)} disabled={disabled} color="red" />
          ))}
        </Group>
      </Checkbox.Group>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <NativeSelect
          label={t('contact.field.language')}
          value={draft.language ?? ''}
          onChange={(e) => set('language', e.currentTarget.value || null)}
          disabled={disabled}
          data={[empty, ...languages.map((l) => ({ value: l, label: t(`languageName.${l.slice(0, 2)}`, { defaultValue: l }) }))]}
        />
        <NativeSelect
          label={t('contact.field.area')}
          value={draft.areaCode ?? ''}
          onChange={(e) => set('areaCode', e.currentTarget.value || null)}
          disabled={disabled}
          data={[empty, ...(config?.areas ?? []).map((a) => ({ value: a.code, label: localized(a.name, locale) }))]}
        />
        <NativeSelect
          label={t('contact.field.heardAbout')}
          value={draft.heardAbout ?? ''}
          onChange={(e) => set('heardAbout', e.currentTarget.value || null)}
          disabled={disabled}
          data={[empty, ...HEARD_ABOUT.map((v) => ({ value: v, label: t(`heardAbout.${v}`) }))]}
        />
        <Stack gap={6} justify="flex-end">
          <Checkbox label={t('contact.field.interpreterUsed')} checked={draft.interpreterUsed} onChange={(e) => set('interpreterUsed', e.currentTarget.checked)} disabled={disabled} />
          <Switch
            label={t('contact.field.restricted')}
            description={t('contact.restrictedHint')}
            checked={draft.sensitivity === 'restricted'}
            onChange={(e) => set('sensitivity', e.currentTarget.checked ? 'restricted' : 'normal')}
            disabled={disabled}
          />
        </Stack>
      </SimpleGrid>

      <Textarea label={t('contact.field.summary')} description={t('contact.summaryHint')} autosize minRows={3} maxRows={12} value={draft.summary} onChange={(e) => set('summary', e.currentTarget.value)} disabled={disabled} />
      <Textarea label={t('contact.field.notes')} autosize minRows={2} maxRows={12} value={draft.notes} onChange={(e) => set('notes', e.currentTarget.value)} disabled={disabled} />

      {config && config.form.fields.length > 0 ? (
        <>
          <Divider />
          <Title order={3} size="h5">
            {t('contact.hotlineQuestions')}
          </Title>
          <ConfigurableFields
            fields={config.form.fields}
            values={draft.formData}
            locale={locale}
            disabled={disabled}
            onChange={(id, value) => onChange({ ...draft, formData: { ...draft.formData, [id]: value } })}
          />
        </>
      ) : null}
    </Stack>
  );
}
