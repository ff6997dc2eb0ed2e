import { Button, Checkbox, Fieldset, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InstrumentInput } from '../../../shared/assessment/instrument.schema.js';
import { AGE_SCOPES, ILO_INDICATORS, ITEM_DOMAINS, RED_FLAG_GROUPS, TRAFFICKING_TYPES } from '../../../shared/assessment/vocabulary.js';
import { errorAt, type ConfigIssue } from './adminConfigApi.js';
import { JsonField, LocalizedInput, type Localized, MONO } from './fields.js';

export type ItemDraft = InstrumentInput['items'][number];
type Option = Extract<ItemDraft['answer'], { type: 'choice' }>['options'][number];

const EMPTY: Localized = { en: '', es: '', fr: '' };

/** A new yes/no item with a free id; its texts start empty so validation asks for all three languages. */
export function newItem(taken: string[]): ItemDraft {
  let n = taken.length + 1;
  while (taken.includes(`new_item_${n}`)) n++;
  return { id: `new_item_${n}`, text: { ...EMPTY }, domain: 'context', scope: { ages: ['adult', 'minor'], types: ['sex', 'labour'] }, answer: { type: 'yes_no' }, short: false, weight: 1 };
}

interface ItemFormProps {
  item: ItemDraft;
  index: number;
  itemIds: string[];
  readOnly: boolean;
  issues: readonly ConfigIssue[];
  setJsonInvalid: (field: string, invalid: boolean) => void;
  onChange: (item: ItemDraft) => void;
  onRemove: () => void;
}

/** One item as a form; each field shows the validation issue at its path beside it. */
export function ItemForm({ item, index, readOnly, issues, setJsonInvalid, onChange, onRemove }: ItemFormProps) {
  const { t } = useTranslation();
  const at = (suffix: string) => `items[${index}]${suffix}`;
  const err = (suffix: string) => errorAt(issues, at(suffix));
  const set = (patch: Partial<ItemDraft>) => onChange({ ...item, ...patch });
  const optionsOf = (): Option[] => (item.answer.type === 'choice' ? item.answer.options : []);
  const setOptions = (options: Option[]) => set({ answer: { type: 'choice', options } });
  const hasGuidance = item.guidance !== undefined;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="item-form-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5" id="item-form-title">
            {t('adminConfig.itemTitle', { position: index + 1, id: item.id })}
          </Title>
          {!readOnly ? <Button size="compact-sm" variant="default" color="red" onClick={onRemove}>{t('adminConfig.removeItem')}</Button> : null}
        </Group>
        <TextInput label={t('adminConfig.itemId')} description={t('adminConfig.itemIdHint')} value={item.id} readOnly={readOnly} onChange={(e) => set({ id: e.currentTarget.value })} error={err('.id')} styles={MONO} />
        <LocalizedInput label={t('adminConfig.itemText')} value={item.text} onChange={(text) => set({ text })} path={at('.text')} issues={issues} readOnly={readOnly} multiline idPrefix={`item-${index}-text`} />
        <Switch
          label={t('adminConfig.hasGuidance')}
          checked={hasGuidance}
          disabled={readOnly}
          onChange={(e) => set({ guidance: e.currentTarget.checked ? { ...EMPTY } : undefined })}
        />
        {hasGuidance ? <LocalizedInput label={t('adminConfig.guidance')} value={item.guidance} onChange={(guidance) => set({ guidance })} path={at('.guidance')} issues={issues} readOnly={readOnly} multiline idPrefix={`item-${index}-guidance`} /> : null}
        <Group grow align="flex-start">
          <Select
            label={t('adminConfig.domainLabel')}
            data={ITEM_DOMAINS.map((d) => ({ value: d, label: t(`adminConfig.domain.${d}`) }))}
            value={item.domain}
            readOnly={readOnly}
            allowDeselect={false}
            onChange={(domain) => domain && set({ domain: domain as ItemDraft['domain'] })}
            error={err('.domain')}
          />
          <Select
            label={t('adminConfig.iloLabel')}
            placeholder={t('adminConfig.none')}
            data={ILO_INDICATORS.map((d) => ({ value: d, label: t(`adminConfig.ilo.${d}`) }))}
            value={item.ilo ?? null}
            readOnly={readOnly}
            clearable
            onChange={(ilo) => set({ ilo: (ilo ?? undefined) as ItemDraft['ilo'] })}
            error={err('.ilo')}
          />
          <Select
            label={t('adminConfig.redFlagLabel')}
            placeholder={t('adminConfig.none')}
            data={RED_FLAG_GROUPS.map((d) => ({ value: d, label: t(`adminConfig.redFlag.${d}`) }))}
            value={item.redFlag ?? null}
            readOnly={readOnly}
            clearable
            onChange={(redFlag) => set({ redFlag: (redFlag ?? undefined) as ItemDraft['redFlag'] })}
            error={err('.redFlag')}
          />
        </Group>
        <Group grow align="flex-start">
          <Checkbox.Group label={t('adminConfig.agesLabel')} value={item.scope.ages} onChange={(ages) => !readOnly && set({ scope: { ...item.scope, ages: ages as ItemDraft['scope']['ages'] } })} error={err('.scope.ages')}>
            <Group gap="md" mt={4}>
              {AGE_SCOPES.map((age) => <Checkbox key={age} value={age} label={t(`adminConfig.age.${age}`)} disabled={readOnly} />)}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label={t('adminConfig.typesLabel')} value={item.scope.types} onChange={(types) => !readOnly && set({ scope: { ...item.scope, types: types as ItemDraft['scope']['types'] } })} error={err('.scope.types')}>
            <Group gap="md" mt={4}>
              {TRAFFICKING_TYPES.map((type) => <Checkbox key={type} value={type} label={t(`adminConfig.type.${type}`)} disabled={readOnly} />)}
            </Group>
          </Checkbox.Group>
        </Group>
        <Group grow align="flex-end">
          <Switch label={t('adminConfig.shortForm')} checked={item.short} disabled={readOnly} onChange={(e) => set({ short: e.currentTarget.checked })} />
          <NumberInput label={t('adminConfig.weight')} value={item.weight ?? 1} min={0} max={100} readOnly={readOnly} onChange={(value) => set({ weight: typeof value === 'number' ? value : 1 })} error={err('.weight')} />
        </Group>

        <Fieldset legend={t('adminConfig.answerType')}>
          <Stack gap="xs">
            <SegmentedControl
              aria-label={t('adminConfig.answerType')}
              disabled={readOnly}
              value={item.answer.type}
              data={[{ value: 'yes_no', label: t('adminConfig.yesNo') }, { value: 'choice', label: t('adminConfig.choice') }]}
              onChange={(type) =>
                set({
                  answer: type === 'yes_no' ? { type: 'yes_no' } : { type: 'choice', options: [{ id: 'option_1', label: { ...EMPTY }, positive: true }, { id: 'option_2', label: { ...EMPTY }, positive: false }] },
                })
              }
            />
            {item.answer.type === 'choice' ? (
              <>
                {err('.answer.options') && !optionsOf().some((_, o) => err(`.answer.options[${o}]`)) ? <Text c="red.9" size="sm" role="alert">{err('.answer.options')}</Text> : null}
                {optionsOf().map((option, o) => (
                  <Paper key={o} withBorder p="xs" radius="sm">
                    <Stack gap={6}>
                      <Group align="flex-end" grow>
                        <TextInput label={t('adminConfig.optionId', { n: o + 1 })} value={option.id} readOnly={readOnly} styles={MONO} error={err(`.answer.options[${o}].id`)} onChange={(e) => setOptions(optionsOf().map((x, j) => (j === o ? { ...x, id: e.currentTarget.value } : x)))} />
                        <Checkbox label={t('adminConfig.positive')} checked={option.positive ?? false} disabled={readOnly} onChange={(e) => setOptions(optionsOf().map((x, j) => (j === o ? { ...x, positive: e.currentTarget.checked } : x)))} />
                        {!readOnly ? <Button size="compact-sm" variant="default" onClick={() => setOptions(optionsOf().filter((_, j) => j !== o))}>{t('adminConfig.removeOption', { n: o + 1 })}</Button> : null}
                      </Group>
                      <LocalizedInput label={t('adminConfig.optionLabel', { n: o + 1 })} value={option.label} onChange={(label) => setOptions(optionsOf().map((x, j) => (j === o ? { ...x, label } : x)))} path={at(`.answer.options[${o}].label`)} issues={issues} readOnly={readOnly} idPrefix={`item-${index}-option-${o}`} />
                    </Stack>
                  </Paper>
                ))}
                {!readOnly ? (
                  <Button size="compact-sm" variant="default" onClick={() => setOptions([...optionsOf(), { id: `option_${optionsOf().length + 1}`, label: { ...EMPTY }, positive: false }])}>
                    {t('adminConfig.addOption')}
                  </Button>
                ) : null}
              </>
            ) : (
              <Text size="sm" c="dark.6">{t('adminConfig.yesNoHint')}</Text>
            )}
          </Stack>
        </Fieldset>

        <JsonField
          label={t('adminConfig.showIf')}
          description={t('adminConfig.showIfHint')}
          value={item.showIf}
          optional
          onChange={(showIf) => set({ showIf: showIf as ItemDraft['showIf'] })}
          onValidity={(ok) => setJsonInvalid(`items[${index}].showIf`, !ok)}
          path={at('.showIf')}
          issues={issues}
          readOnly={readOnly}
        />
      </Stack>
    </Paper>
  );
}
