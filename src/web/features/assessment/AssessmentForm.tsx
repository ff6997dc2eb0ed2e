import { Button, Group, NativeSelect, NumberInput, Radio, SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InstrumentShape, Item } from '../../../shared/assessment/instrument.schema.js';
import { YES_NO_ANSWERS } from '../../../shared/assessment/vocabulary.js';
import { localize, type Person } from './assessmentApi.js';

export interface AssessmentDraft {
  answers: Record<string, string>;
  person: Person;
  form: 'short' | 'full';
}

interface Props {
  instrument: InstrumentShape;
  draft: AssessmentDraft;
  visibleItems: ReadonlySet<string>;
  disabled: boolean;
  onChange: (draft: AssessmentDraft) => void;
}

/** The questions, in instrument order, only those the skip logic shows for the answers so far. */
export function AssessmentForm({ instrument, draft, visibleItems, disabled, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const setAnswer = (id: string, value: string | null) => {
    const answers = { ...draft.answers };
    if (value) answers[id] = value;
    else delete answers[id];
    onChange({ ...draft, answers });
  };
  const items = instrument.items.filter((item) => visibleItems.has(item.id));
  return (
    <Stack gap="md">
      <Group gap="md" align="flex-end" wrap="wrap">
        <Radio.Group
          label={t('assessment.ageGroup')}
          value={draft.person.ageGroup ?? 'unknown'}
          onChange={(value) => onChange({ ...draft, person: { ...draft.person, ageGroup: value as Person['ageGroup'] } })}
        >
          <Group gap="md" mt={4}>
            {(['minor', 'adult', 'unknown'] as const).map((group) => (
              <Radio key={group} value={group} label={t(`assessment.age.${group}`)} disabled={disabled} />
            ))}
          </Group>
        </Radio.Group>
        <NumberInput
          label={t('assessment.ageYears')}
          w={130}
          min={0}
          max={130}
          allowDecimal={false}
          allowNegative={false}
          disabled={disabled}
          value={draft.person.age ?? ''}
          onChange={(value) => {
            const person = { ...draft.person };
            if (typeof value === 'number') person.age = value;
            else delete person.age;
            onChange({ ...draft, person });
          }}
        />
        <div>
          <Text size="sm" fw={500} id="assessment-form-length">
            {t('assessment.formLength')}
          </Text>
          <SegmentedControl
            aria-labelledby="assessment-form-length"
            value={draft.form}
            onChange={(value) => onChange({ ...draft, form: value as 'short' | 'full' })}
            data={[
              { value: 'short', label: t('assessment.shortForm') },
              { value: 'full', label: t('assessment.fullForm') },
            ]}
          />
        </div>
      </Group>
      {items.map((item) => (
        <Question key={item.id} item={item} lang={lang} value={draft.answers[item.id] ?? null} disabled={disabled} onChange={(value) => setAnswer(item.id, value)} />
      ))}
    </Stack>
  );
}

function Question({ item, lang, value, disabled, onChange }: { item: Item; lang: string; value: string | null; disabled: boolean; onChange: (value: string | null) => void }) {
  const { t } = useTranslation();
  const label = localize(item.text, lang);
  const description = item.guidance ? localize(item.guidance, lang) : undefined;
  const clear =
    value && !disabled ? (
      <Button variant="subtle" size="compact-xs" onClick={() => onChange(null)} aria-label={t('assessment.clearAnswerOf', { question: label })}>
        {t('assessment.clearAnswer')}
      </Button>
    ) : null;
  if (item.answer.type === 'choice') {
    return (
      <Group gap="xs" align="flex-end" wrap="nowrap" data-item={item.id}>
        <NativeSelect
          style={{ flex: 1 }}
          label={label}
          description={description}
          value={value ?? ''}
          disabled={disabled}
          onChange={(event) => onChange(event.currentTarget.value || null)}
          data={[
            { value: '', label: t('assessment.notAsked') },
            ...item.answer.options.map((option) => ({ value: option.id, label: localize(option.label, lang) })),
            { value: 'unknown', label: t('assessment.answer.unknown') },
            { value: 'declined', label: t('assessment.answer.declined') },
          ]}
        />
        {clear}
      </Group>
    );
  }
  return (
    <Radio.Group label={label} description={description} value={value ?? ''} onChange={(next) => onChange(next || null)} data-item={item.id}>
      <Group gap="md" mt={4}>
        {YES_NO_ANSWERS.map((answer) => (
          <Radio key={answer} value={answer} label={t(`assessment.answer.${answer}`)} disabled={disabled} />
        ))}
        {clear}
      </Group>
    </Radio.Group>
  );
}
