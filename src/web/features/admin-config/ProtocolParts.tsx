import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ProtocolInput } from '../../../server/protocols/protocol.schema.js';
import { STAFF_ROLES } from '../../../server/protocols/vocabulary.js';
import { errorAt, type ConfigIssue } from './adminConfigApi.js';
import { JsonField, LocalizedInput, MONO } from './fields.js';

type Step = ProtocolInput['steps'][number];
type Action = ProtocolInput['actions'][number];
const EMPTY = { en: '', es: '', fr: '' };

interface PartProps<T> {
  value: T;
  index: number;
  count: number;
  base: string; // e.g. protocols[2]
  readOnly: boolean;
  issues: readonly ConfigIssue[];
  setJsonInvalid: (field: string, invalid: boolean) => void;
  onChange: (value: T) => void;
  onRemove: () => void;
  onMove: (to: number) => void;
}

export function newStep(taken: string[]): Step {
  let n = taken.length + 1;
  while (taken.includes(`step_${n}`)) n++;
  return { id: `step_${n}`, kind: 'check', text: { ...EMPTY } };
}

export function newAction(taken: string[]): Action {
  let n = taken.length + 1;
  while (taken.includes(`action_${n}`)) n++;
  return { id: `action_${n}`, taskKey: `action_${n}`, title: { ...EMPTY }, ownerRole: 'advocate', dueWithinMinutes: 60, escalateToSupervisorWhenOverdue: true };
}

/** One step: what the advocate checks, says or decides; scripts in three languages; where it leads. */
export function StepForm({ value: step, index, count, base, readOnly, issues, setJsonInvalid, onChange, onRemove, onMove, stepIds }: PartProps<Step> & { stepIds: string[] }) {
  const { t } = useTranslation();
  const path = `${base}.steps[${index}]`;
  const set = (patch: Partial<Step>) => onChange({ ...step, ...patch });
  const stepError = errorAt(issues, path) && !errorAt(issues, `${path}.`) ? issues.filter((i) => i.path === path).map((i) => i.message).join('; ') : undefined;
  return (
    <Paper withBorder p="sm" radius="sm" component="li" data-step-id={step.id}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={700}>{t('adminConfig.stepTitle', { position: index + 1, id: step.id })}</Text>
          {!readOnly ? (
            <Group gap={4}>
              <ActionIcon variant="subtle" color="dark" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={t('adminConfig.moveUp', { id: step.id })}>↑</ActionIcon>
              <ActionIcon variant="subtle" color="dark" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={t('adminConfig.moveDown', { id: step.id })}>↓</ActionIcon>
              <Button size="compact-sm" variant="default" onClick={onRemove}>{t('adminConfig.removeStep', { id: step.id })}</Button>
            </Group>
          ) : null}
        </Group>
        {stepError ? <Text c="red.9" size="sm" role="alert">{stepError}</Text> : null}
        <Group grow align="flex-start">
          <TextInput label={t('adminConfig.stepId')} value={step.id} readOnly={readOnly} styles={MONO} error={errorAt(issues, `${path}.id`)} onChange={(e) => set({ id: e.currentTarget.value })} />
          <Select
            label={t('adminConfig.stepKind')}
            value={step.kind}
            readOnly={readOnly}
            allowDeselect={false}
            data={(['check', 'script', 'decision'] as const).map((k) => ({ value: k, label: t(`adminConfig.stepKinds.${k}`) }))}
            onChange={(kind) => {
              if (!kind || kind === step.kind) return;
              if (kind === 'decision') set({ kind, next: undefined, options: step.options ?? [{ id: 'yes', label: { ...EMPTY } }, { id: 'no', label: { ...EMPTY } }] });
              else set({ kind: kind as Step['kind'], options: undefined });
            }}
          />
          {step.kind !== 'decision' ? (
            <Select
              label={t('adminConfig.stepNext')}
              value={step.next ?? ''}
              readOnly={readOnly}
              allowDeselect={false}
              data={[{ value: '', label: t('adminConfig.stepEnd') }, ...stepIds.filter((id) => id !== step.id).map((id) => ({ value: id, label: id }))]}
              onChange={(next) => set({ next: next ? next : undefined })}
              error={errorAt(issues, `${path}.next`)}
            />
          ) : null}
        </Group>
        <LocalizedInput label={t('adminConfig.stepText')} value={step.text} onChange={(text) => set({ text })} path={`${path}.text`} issues={issues} readOnly={readOnly} multiline idPrefix={`${base}-step-${index}-text`} />
        <Switch label={t('adminConfig.hasScript')} checked={step.script !== undefined} disabled={readOnly} onChange={(e) => set({ script: e.currentTarget.checked ? { ...EMPTY } : undefined })} />
        {step.script ? <LocalizedInput label={t('adminConfig.script')} value={step.script} onChange={(script) => set({ script })} path={`${path}.script`} issues={issues} readOnly={readOnly} multiline idPrefix={`${base}-step-${index}-script`} /> : null}
        {step.kind === 'decision' ? (
          <JsonField
            label={t('adminConfig.decisionOptions')}
            description={t('adminConfig.decisionOptionsHint')}
            value={step.options}
            onChange={(options) => set({ options: options as Step['options'] })}
            onValidity={(ok) => setJsonInvalid(`${path}.options`, !ok)}
            path={`${path}.options`}
            issues={issues}
            readOnly={readOnly}
            minRows={4}
          />
        ) : null}
      </Stack>
    </Paper>
  );
}

/** One required action: the task it creates, who owns it and how soon it is due. */
export function ActionForm({ value: action, index, base, readOnly, issues, setJsonInvalid, onChange, onRemove }: PartProps<Action>) {
  const { t } = useTranslation();
  const path = `${base}.actions[${index}]`;
  const set = (patch: Partial<Action>) => onChange({ ...action, ...patch });
  return (
    <Paper withBorder p="sm" radius="sm" component="li" data-action-id={action.id}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={700}>{t('adminConfig.actionTitle', { position: index + 1, id: action.id })}</Text>
          {!readOnly ? <Button size="compact-sm" variant="default" onClick={onRemove}>{t('adminConfig.removeAction', { id: action.id })}</Button> : null}
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('adminConfig.actionId')} value={action.id} readOnly={readOnly} styles={MONO} error={errorAt(issues, `${path}.id`)} onChange={(e) => set({ id: e.currentTarget.value })} />
          <TextInput label={t('adminConfig.taskKey')} description={t('adminConfig.taskKeyHint')} value={action.taskKey} readOnly={readOnly} styles={MONO} error={errorAt(issues, `${path}.taskKey`)} onChange={(e) => set({ taskKey: e.currentTarget.value })} />
        </Group>
        <LocalizedInput label={t('adminConfig.taskTitle')} value={action.title} onChange={(title) => set({ title })} path={`${path}.title`} issues={issues} readOnly={readOnly} idPrefix={`${base}-action-${index}-title`} />
        <Group grow align="flex-end">
          <Select label={t('adminConfig.ownerRole')} value={action.ownerRole} readOnly={readOnly} allowDeselect={false} data={STAFF_ROLES.map((r) => ({ value: r, label: t(`adminConfig.roles.${r}`) }))} onChange={(role) => role && set({ ownerRole: role as Action['ownerRole'] })} />
          <NumberInput label={t('adminConfig.dueWithin')} description={t('adminConfig.dueWithinHint')} value={action.dueWithinMinutes} min={0} max={60 * 24 * 90} readOnly={readOnly} error={errorAt(issues, `${path}.dueWithinMinutes`)} onChange={(v) => set({ dueWithinMinutes: typeof v === 'number' ? v : 0 })} />
          <Switch label={t('adminConfig.escalate')} checked={action.escalateToSupervisorWhenOverdue} disabled={readOnly} onChange={(e) => set({ escalateToSupervisorWhenOverdue: e.currentTarget.checked })} />
        </Group>
        <JsonField
          label={t('adminConfig.onlyIf')}
          description={t('adminConfig.onlyIfHint')}
          value={action.onlyIf}
          optional
          onChange={(onlyIf) => set({ onlyIf: onlyIf as Action['onlyIf'] })}
          onValidity={(ok) => setJsonInvalid(`${path}.onlyIf`, !ok)}
          path={`${path}.onlyIf`}
          issues={issues}
          readOnly={readOnly}
        />
      </Stack>
    </Paper>
  );
}
