import { Alert, Badge, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { applyMerge, compareForMerge, type Draft, type MergeChoice, type MergeRow } from './draft.js';
import { localized, type ContactFormAnswer } from './intakeApi.js';

interface MergeDialogProps {
  opened: boolean;
  base: Draft;
  mine: Draft;
  theirs: Draft;
  config: ContactFormAnswer | undefined;
  pending: boolean;
  error: unknown;
  onSave: (merged: Draft) => void;
  onClose: () => void;
}

/**
 * Someone saved the contact while this advocate was editing it. Both versions are shown field by field; fields only
 * one person changed start on that person's value; fields both changed wait for an explicit choice. Nothing is saved
 * until the advocate confirms.
 */
export function MergeDialog(props: MergeDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('merge.title')} size="xl" closeOnClickOutside={false}>
      {props.opened ? <MergeForm {...props} /> : null}
    </Modal>
  );
}

function MergeForm({ base, mine, theirs, config, pending, error, onSave, onClose }: MergeDialogProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  const rows = useMemo(() => compareForMerge(base, mine, theirs, config?.form), [base, mine, theirs, config]);
  const [choices, setChoices] = useState<Record<string, MergeChoice>>(() =>
    Object.fromEntries(rows.filter((r) => r.suggested).map((r) => [r.field.key, r.suggested!])),
  );
  const [tried, setTried] = useState(false);
  const missing = rows.filter((r) => !choices[r.field.key]);

  const labelOf = (row: MergeRow): string => {
    const key = row.field.key;
    if (key.startsWith('flags.')) return t(`flag.${key.slice(6)}`);
    if (key.startsWith('form.')) {
      const field = config?.form.fields.find((f) => f.id === key.slice(5));
      return field ? localized(field.label, locale) : key.slice(5);
    }
    return t(`contact.field.${key === 'areaCode' ? 'area' : key === 'sensitivity' ? 'restricted' : key}`);
  };

  const show = (row: MergeRow, value: unknown): string => {
    const key = row.field.key;
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('merge.empty');
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (key === 'requestType') return t(`requestType.${value}`);
    if (key === 'signalerType') return t(`signalerType.${value}`);
    if (key === 'heardAbout') return t(`heardAbout.${value}`);
    if (key === 'language') return t(`languageName.${String(value).slice(0, 2)}`, { defaultValue: String(value) });
    if (key === 'sensitivity') return value === 'restricted' ? t('common.yes') : t('common.no');
    if (key === 'areaCode') {
      const area = config?.areas.find((a) => a.code === value);
      return area ? localized(area.name, locale) : String(value);
    }
    if (key.startsWith('form.')) {
      const field = config?.form.fields.find((f) => f.id === key.slice(5));
      const option = (v: unknown) => (field?.options?.find((o) => o.value === v) ? localized(field.options.find((o) => o.value === v)!.label, locale) : String(v));
      return Array.isArray(value) ? value.map(option).join(', ') : option(value);
    }
    return String(value);
  };

  const save = () => {
    setTried(true);
    if (missing.length) return;
    onSave(applyMerge(theirs, rows, choices));
  };

  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" title={t('merge.nothingLost')}>
        {t('merge.intro')}
      </Alert>
      <ErrorAlert error={error} title={t('contact.saveFailed')} />
      {rows.length === 0 ? <Text>{t('merge.noDifferences')}</Text> : null}
      {rows.map((row) => (
        <Radio.Group
          key={row.field.key}
          name={`merge-${row.field.key}`}
          label={
            <Group gap="xs" component="span">
              <span>{labelOf(row)}</span>
              {row.conflict ? (
                <Badge color="orange" variant="light" size="sm">
                  {t('merge.bothChanged')}
                </Badge>
              ) : null}
            </Group>
          }
          value={choices[row.field.key] ?? ''}
          onChange={(v) => setChoices((c) => ({ ...c, [row.field.key]: v as MergeChoice }))}
          error={tried && !choices[row.field.key] ? t('merge.choose') : undefined}
          className="merge-row"
          data-testid={`merge-${row.field.key}`}
        >
          <Stack gap={6} mt={6}>
            <Radio value="mine" label={t('merge.keepMine')} description={<span className="merge-value">{show(row, row.mine)}</span>} />
            <Radio value="theirs" label={t('merge.keepTheirs')} description={<span className="merge-value">{show(row, row.theirs)}</span>} />
            {row.field.isText && row.mine && row.theirs ? <Radio value="both" label={t('merge.keepBoth')} description={t('merge.keepBothHint')} /> : null}
          </Stack>
        </Radio.Group>
      ))}
      {tried && missing.length ? (
        <Text c="red.9" size="sm" role="alert">
          {t('merge.missing', { count: missing.length })}
        </Text>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('merge.later')}
        </Button>
        <Button onClick={save} loading={pending}>
          {t('merge.save')}
        </Button>
      </Group>
    </Stack>
  );
}
