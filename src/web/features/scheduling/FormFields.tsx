import { Checkbox, Group, NumberInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DAY_KEYS } from './schedulingApi.js';
import { clockToMinutes, issueAt, issueText, minutesToClock, type FieldIssue } from './formIssues.js';

/**
 * A number stored in one unit and shown in another: `scale` 100 shows a fraction as a percentage, 1/60 shows seconds
 * as minutes. Empty means "not set" (undefined), which the schema either defaults or refuses by name.
 */
export function NumField(props: {
  label: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  path: string;
  issues: readonly FieldIssue[];
  scale?: number;
  unit?: string;
  description?: string;
  placeholder?: string;
  step?: number;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const scale = props.scale ?? 1;
  const shown = props.value === undefined || Number.isNaN(props.value) ? '' : Math.round(props.value * scale * 1e6) / 1e6;
  return (
    <NumberInput
      label={props.label}
      description={props.description}
      placeholder={props.placeholder}
      value={shown}
      step={props.step ?? 1}
      suffix={props.unit}
      required={props.required}
      allowNegative={false}
      decimalScale={4}
      onChange={(v) => props.onChange(typeof v === 'number' ? Math.round((v / scale) * 1e9) / 1e9 : undefined)}
      error={issueText(t, issueAt(props.issues, props.path), scale, props.unit)}
    />
  );
}

/** Days of the week as checkboxes (0 = Monday), a fieldset with a legend for screen readers. */
export function DaysField(props: { label: string; value: readonly number[]; onChange: (days: number[]) => void; path: string; issues: readonly FieldIssue[]; description?: string }) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group
      label={props.label}
      description={props.description}
      value={props.value.map(String)}
      onChange={(v) => props.onChange(v.map(Number).sort((a, b) => a - b))}
      error={issueText(t, issueAt(props.issues, props.path))}
    >
      <Group gap="sm" mt={4}>
        {DAY_KEYS.map((d, i) => (
          <Checkbox key={d} value={String(i)} label={t(`scheduling.days.${d}`)} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

/** A clock time (HH:MM) stored as minutes after midnight; `endOfDay` lets 00:00 mean midnight at the end. */
export function ClockField(props: { label: string; value: number | undefined; onChange: (minutes: number | undefined) => void; path: string; issues: readonly FieldIssue[]; description?: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      type="time"
      label={props.label}
      description={props.description}
      value={props.value === undefined ? '' : minutesToClock(props.value)}
      onChange={(e) => props.onChange(clockToMinutes(e.currentTarget.value) ?? undefined)}
      error={issueText(t, issueAt(props.issues, props.path))}
    />
  );
}
