import { Checkbox, Group, NativeSelect, NumberInput, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isFieldShown } from './draft.js';
import { localized, type FormField } from './intakeApi.js';

interface ConfigurableFieldsProps {
  fields: FormField[];
  values: Record<string, unknown>;
  onChange: (id: string, value: unknown) => void;
  /** The language the labels are shown in (the advocate's, or the previewed one). */
  locale: string;
  disabled?: boolean;
  idPrefix?: string;
}

/** The hotline's own questions, in the given language, with skip logic applied as answers change. */
export function ConfigurableFields({ fields, values, onChange, locale, disabled, idPrefix = 'cf' }: ConfigurableFieldsProps) {
  const { t } = useTranslation(undefined, { lng: locale });
  return (
    <Stack gap="sm">
      {fields.filter((field) => isFieldShown(field, values)).map((field) => {
        const label = localized(field.label, locale);
        const description = field.help ? localized(field.help, locale) : undefined;
        const id = `${idPrefix}-${field.id}`;
        const value = values[field.id];
        const common = { id, label, description, required: field.required, disabled };
        switch (field.type) {
          case 'text':
            return <TextInput key={field.id} {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(field.id, e.currentTarget.value)} />;
          case 'textarea':
            return <Textarea key={field.id} {...common} autosize minRows={2} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(field.id, e.currentTarget.value)} />;
          case 'number':
            return (
              <NumberInput
                key={field.id}
                {...common}
                min={field.min}
                max={field.max}
                value={typeof value === 'number' ? value : ''}
                onChange={(v) => onChange(field.id, typeof v === 'number' ? v : null)}
              />
            );
          case 'date':
            return <TextInput key={field.id} {...common} type="date" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(field.id, e.currentTarget.value || null)} />;
          case 'select':
            return (
              <NativeSelect
                key={field.id}
                {...common}
                value={typeof value === 'string' ? value : ''}
                onChange={(e) => onChange(field.id, e.currentTarget.value || null)}
                data={[{ value: '', label: t('contact.notAnswered') }, ...(field.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, locale) }))]}
              />
            );
          case 'multiselect':
            return (
              <Checkbox.Group key={field.id} {...common} value={Array.isArray(value) ? (value as string[]) : []} onChange={(v) => onChange(field.id, v)}>
                <Group gap="md" mt={4}>
                  {(field.options ?? []).map((o) => (
                    <Checkbox key={o.value} value={o.value} label={localized(o.label, locale)} disabled={disabled} />
                  ))}
                </Group>
              </Checkbox.Group>
            );
          case 'boolean':
            return (
              <Radio.Group
                key={field.id}
                {...common}
                value={value === true ? 'yes' : value === false ? 'no' : ''}
                onChange={(v) => onChange(field.id, v === 'yes' ? true : v === 'no' ? false : null)}
              >
                <Group gap="md" mt={4}>
                  <Radio value="yes" label={t('common.yes')} disabled={disabled} />
                  <Radio value="no" label={t('common.no')} disabled={disabled} />
                </Group>
              </Radio.Group>
            );
          default:
            return null;
        }
      })}
    </Stack>
  );
}
