import { Alert, Badge, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDraft } from './CaseDetailsForm.js';

type Choice = 'mine' | 'theirs';
const FIELDS: (keyof CaseDraft)[] = ['title', 'status', 'traffickingTypes', 'typologyCode', 'sensitivity', 'assigneeId'];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Props {
  opened: boolean;
  base: CaseDraft;
  mine: CaseDraft;
  theirs: CaseDraft;
  pending: boolean;
  onSave: (merged: CaseDraft) => void;
  onClose: () => void;
}

/**
 * Someone saved the case while this advocate was editing it. Fields only one side changed start on that side; fields
 * both changed wait for an explicit choice; nothing is written until the advocate confirms.
 */
export function CaseMergeDialog(props: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('cases.merge.title')} size="lg" closeOnClickOutside={false}>
      {props.opened ? <MergeForm {...props} /> : null}
    </Modal>
  );
}

function MergeForm({ base, mine, theirs, pending, onSave, onClose }: Props) {
  const { t } = useTranslation();
  const rows = useMemo(
    () =>
      FIELDS.filter((f) => !same(mine[f], theirs[f])).map((f) => {
        const iChanged = !same(mine[f], base[f]);
        const theyChanged = !same(theirs[f], base[f]);
        return { field: f, conflict: iChanged && theyChanged, suggested: (iChanged && !theyChanged ? 'mine' : !iChanged && theyChanged ? 'theirs' : undefined) as Choice | undefined };
      }),
    [base, mine, theirs],
  );
  const [choices, setChoices] = useState<Partial<Record<keyof CaseDraft, Choice>>>(() => Object.fromEntries(rows.filter((r) => r.suggested).map((r) => [r.field, r.suggested])));
  const [tried, setTried] = useState(false);
  const missing = rows.filter((r) => !choices[r.field]);

  const show = (field: keyof CaseDraft, value: unknown) => {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('cases.merge.empty');
    if (field === 'status') return t(`cases.status.${value}`);
    if (field === 'traffickingTypes') return (value as string[]).map((v) => t(`cases.traffickingType.${v}`)).join(', ');
    if (field === 'sensitivity') return value === 'restricted' ? t('common.yes') : t('common.no');
    if (field === 'assigneeId') return t('cases.merge.someone');
    return String(value);
  };

  const save = () => {
    setTried(true);
    if (missing.length) return;
    const merged = { ...theirs };
    for (const r of rows) if (choices[r.field] === 'mine') (merged as Record<string, unknown>)[r.field] = mine[r.field];
    onSave(merged);
  };

  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" title={t('cases.merge.nothingLost')}>
        {t('cases.merge.intro')}
      </Alert>
      {rows.length === 0 ? <Text>{t('cases.merge.noDifferences')}</Text> : null}
      {rows.map((row) => (
        <Radio.Group
          key={row.field}
          name={`case-merge-${row.field}`}
          label={
            <Group gap="xs" component="span">
              <span>{t(`cases.field.${row.field === 'sensitivity' ? 'restricted' : row.field === 'typologyCode' ? 'typology' : row.field === 'assigneeId' ? 'assignee' : row.field}`)}</span>
              {row.conflict ? (
                <Badge color="orange" variant="light" size="sm">
                  {t('cases.merge.bothChanged')}
                </Badge>
              ) : null}
            </Group>
          }
          value={choices[row.field] ?? ''}
          onChange={(v) => setChoices((c) => ({ ...c, [row.field]: v as Choice }))}
          error={tried && !choices[row.field] ? t('cases.merge.choose') : undefined}
          data-testid={`case-merge-${row.field}`}
        >
          <Stack gap={6} mt={6}>
            <Radio value="mine" label={t('cases.merge.keepMine')} description={show(row.field, mine[row.field])} />
            <Radio value="theirs" label={t('cases.merge.keepTheirs')} description={show(row.field, theirs[row.field])} />
          </Stack>
        </Radio.Group>
      ))}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('cases.merge.discard')}
        </Button>
        <Button onClick={save} loading={pending}>
          {t('cases.merge.save')}
        </Button>
      </Group>
    </Stack>
  );
}
