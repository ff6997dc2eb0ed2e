import { Button, Center, Group, Loader, NativeSelect, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import type { SlaConfig } from '../../../shared/sla.js';
import { describeTarget } from '../intake/time.js';
import { CHANNELS, DATA_REQUEST_TYPES } from '../intake/vocabulary.js';

const SLA_KEY = ['admin', 'sla'] as const;
const UNITS = { seconds: 1, minutes: 60, hours: 3600 } as const;
type Unit = keyof typeof UNITS;

interface Target {
  amount: number | '';
  unit: Unit;
}

function toTarget(seconds: number | undefined): Target {
  if (seconds === undefined) return { amount: '', unit: 'minutes' };
  if (seconds % 3600 === 0) return { amount: seconds / 3600, unit: 'hours' };
  if (seconds % 60 === 0) return { amount: seconds / 60, unit: 'minutes' };
  return { amount: seconds, unit: 'seconds' };
}
const secondsOf = (t: Target) => (t.amount === '' ? undefined : Math.round(t.amount * UNITS[t.unit]));

export function SlaPage() {
  const { t } = useTranslation();
  const current = useQuery({ queryKey: SLA_KEY, queryFn: ({ signal }) => api.get<{ data: SlaConfig; version: number }>('/api/admin/sla', undefined, signal) });
  if (current.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (current.isError) return <ErrorAlert error={current.error} />;
  return <SlaForm key={current.data.version} config={current.data.data} version={current.data.version} />;
}

function TargetInput({ label, value, onChange, error }: { label: string; value: Target; onChange: (t: Target) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <NumberInput aria-label={label} min={1} w={110} value={value.amount} onChange={(v) => onChange({ ...value, amount: typeof v === 'number' ? v : '' })} error={error} />
      <NativeSelect
        aria-label={t('slaAdmin.unitFor', { label })}
        value={value.unit}
        onChange={(e) => onChange({ ...value, unit: e.currentTarget.value as Unit })}
        data={(Object.keys(UNITS) as Unit[]).map((u) => ({ value: u, label: t(`slaAdmin.unit.${u}`) }))}
      />
    </Group>
  );
}

function SlaForm({ config, version }: { config: SlaConfig; version: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [channels, setChannels] = useState<Record<string, Target>>(() => Object.fromEntries(CHANNELS.map((c) => [c, toTarget(config.channels[c]?.answerSeconds)])));
  const [types, setTypes] = useState<Record<string, Target>>(() =>
    Object.fromEntries(DATA_REQUEST_TYPES.map((r) => [r, toTarget(config.requestTypes?.[r]?.answerSeconds)])),
  );
  const [amber, setAmber] = useState<number | ''>(Math.round((config.amberFraction ?? 0.75) * 100));
  const [touched, setTouched] = useState(false);

  const amberError = amber === '' || amber < 1 || amber > 99 ? t('slaAdmin.amberInvalid') : undefined;
  const invalid = (target: Target) => target.amount !== '' && !(target.amount > 0);

  const save = useMutation({
    mutationFn: () => {
      const data: SlaConfig = {
        channels: Object.fromEntries(CHANNELS.flatMap((c) => (secondsOf(channels[c]) ? [[c, { answerSeconds: secondsOf(channels[c])! }]] : []))),
        requestTypes: Object.fromEntries(DATA_REQUEST_TYPES.flatMap((r) => (secondsOf(types[r]) ? [[r, { answerSeconds: secondsOf(types[r])! }]] : []))),
        amberFraction: (amber as number) / 100,
      };
      return api.put<{ version: number }>('/api/admin/sla', { data });
    },
    onSuccess: async (answer) => {
      notifications.show({ color: 'green', message: t('slaAdmin.saved', { version: answer.version }) });
      await queryClient.invalidateQueries({ queryKey: SLA_KEY });
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (amberError || [...Object.values(channels), ...Object.values(types)].some(invalid)) return;
    save.mutate();
  };

  const row = (key: string, label: string, value: Target, set: (t: Target) => void, fallback: string) => (
    <Table.Tr key={key}>
      <Table.Th scope="row">{label}</Table.Th>
      <Table.Td>
        <TargetInput label={label} value={value} onChange={set} error={touched && invalid(value) ? t('slaAdmin.positive') : undefined} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {secondsOf(value) ? describeTarget(secondsOf(value)!, t) : fallback}
        </Text>
      </Table.Td>
    </Table.Tr>
  );

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md" maw={900}>
        <PageHeader title={t('slaAdmin.title')} context={t('nav.admin')} description={t('slaAdmin.intro', { version })} />
        <ErrorAlert error={save.error} title={t('slaAdmin.saveFailed')} />
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sla-channels">
          <Title order={2} size="h4" id="sla-channels" mb="xs">
            {t('slaAdmin.byChannel')}
          </Title>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('channels.channel')}</Table.Th>
                <Table.Th scope="col">{t('slaAdmin.target')}</Table.Th>
                <Table.Th scope="col">{t('slaAdmin.meaning')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {CHANNELS.map((c) => row(c, t(`channel.${c}`), channels[c], (v) => setChannels({ ...channels, [c]: v }), t('slaAdmin.default24h')))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sla-types">
          <Title order={2} size="h4" id="sla-types" mb="xs">
            {t('slaAdmin.byType')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('slaAdmin.byTypeHint')}
          </Text>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('contact.field.requestType')}</Table.Th>
                <Table.Th scope="col">{t('slaAdmin.target')}</Table.Th>
                <Table.Th scope="col">{t('slaAdmin.meaning')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {DATA_REQUEST_TYPES.map((r) => row(r, t(`requestType.${r}`), types[r], (v) => setTypes({ ...types, [r]: v }), t('slaAdmin.channelTarget')))}
            </Table.Tbody>
          </Table>
        </Paper>
        <NumberInput
          label={t('slaAdmin.amber')}
          description={t('slaAdmin.amberHint')}
          min={1}
          max={99}
          suffix=" %"
          w={260}
          value={amber}
          onChange={(v) => setAmber(typeof v === 'number' ? v : '')}
          error={touched ? amberError : undefined}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('slaAdmin.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
