import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { DataView } from './DataView.js';
import { EChart } from './EChart.js';
import { schedulingApi, type CalculatorResult } from './schedulingApi.js';

interface Inputs {
  calls: number;
  chats: number;
  callMinutes: number;
  chatMinutes: number;
  serviceLevel: number;
  answerSeconds: number;
  shrinkage: number;
  costPerFte: number | '';
  currency: string;
}

const INITIAL: Inputs = { calls: 20000, chats: 8000, callMinutes: 15, chatMinutes: 25, serviceLevel: 80, answerSeconds: 30, shrinkage: 30, costPerFte: 55000, currency: 'USD' };

/** For a hotline being designed: expected yearly contacts and targets → people, hours and cost. */
export function CalculatorPanel() {
  const { t, i18n } = useTranslation();
  const [inputs, setInputs] = useState<Inputs>(INITIAL);
  const set = <K extends keyof Inputs>(key: K) => (value: Inputs[K]) => setInputs((s) => ({ ...s, [key]: value }));
  const num = (key: keyof Inputs) => (v: string | number) => set(key)((typeof v === 'number' ? v : 0) as never);
  const calculate = useMutation({
    mutationFn: () => {
      const target = { serviceLevel: inputs.serviceLevel / 100, answerSeconds: inputs.answerSeconds };
      const channels = [
        ...(inputs.calls > 0 ? [{ id: 'voice', kind: 'voice', annualContacts: inputs.calls, ahtSeconds: inputs.callMinutes * 60, target }] : []),
        ...(inputs.chats > 0 ? [{ id: 'chat', kind: 'chat', annualContacts: inputs.chats, ahtSeconds: inputs.chatMinutes * 60, maxConcurrentChats: 2, target }] : []),
      ];
      return schedulingApi.calculator({
        channels,
        shrinkage: inputs.shrinkage / 100,
        ...(inputs.costPerFte === '' ? {} : { annualCostPerFte: inputs.costPerFte, currency: inputs.currency.toUpperCase() }),
      });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    calculate.mutate();
  };
  return (
    <Stack>
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="calculator-title">
        <Title order={2} size="h4" id="calculator-title" mb="sm">{t('scheduling.calculator.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput label={t('scheduling.calculator.calls')} min={0} value={inputs.calls} onChange={num('calls')} thousandSeparator />
          <NumberInput label={t('scheduling.calculator.callMinutes')} min={1} value={inputs.callMinutes} onChange={num('callMinutes')} />
          <NumberInput label={t('scheduling.calculator.chats')} min={0} value={inputs.chats} onChange={num('chats')} thousandSeparator />
          <NumberInput label={t('scheduling.calculator.chatMinutes')} min={1} value={inputs.chatMinutes} onChange={num('chatMinutes')} />
          <NumberInput label={t('scheduling.calculator.serviceLevel')} min={1} max={99} value={inputs.serviceLevel} onChange={num('serviceLevel')} suffix=" %" />
          <NumberInput label={t('scheduling.calculator.answerSeconds')} min={0} value={inputs.answerSeconds} onChange={num('answerSeconds')} />
          <NumberInput label={t('scheduling.calculator.shrinkage')} min={0} max={90} value={inputs.shrinkage} onChange={num('shrinkage')} suffix=" %" />
          <NumberInput label={t('scheduling.calculator.costPerFte')} min={0} value={inputs.costPerFte} onChange={(v) => set('costPerFte')(typeof v === 'number' ? v : '')} thousandSeparator />
          <TextInput label={t('scheduling.calculator.currency')} maxLength={3} value={inputs.currency} onChange={(e) => set('currency')(e.currentTarget.value)} />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" loading={calculate.isPending}>{t('scheduling.calculator.calculate')}</Button>
        </Group>
      </Paper>
      <ErrorAlert error={calculate.error} />
      {calculate.data ? <CalculatorResultView result={calculate.data} locale={i18n.resolvedLanguage ?? 'en'} /> : null}
    </Stack>
  );
}

function CalculatorResultView({ result, locale }: { result: CalculatorResult; locale: string }) {
  const { t } = useTranslation();
  const fmt = (v: number, digits = 1) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v);
  const curves = result.channels.filter((c) => c.peakCurve);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 24, top: 40, bottom: 48 },
      xAxis: { type: 'value', name: t('scheduling.calculator.staffAxis'), nameLocation: 'middle', nameGap: 28, minInterval: 1 },
      yAxis: { type: 'value', name: t('scheduling.calculator.slAxis'), min: 0, max: 100 },
      series: curves.map((c) => ({ type: 'line', name: t(`scheduling.channel.${c.id}`), data: c.peakCurve!.map((p) => [p.staff, Math.round(p.serviceLevel * 1000) / 10]) })),
    }),
    [curves, t],
  );
  const header = [t('scheduling.channelHeader'), t('scheduling.calculator.staffAxis'), t('scheduling.calculator.slAxis'), t('scheduling.calculator.asa'), t('scheduling.calculator.occupancy')];
  const rows = curves.flatMap((c) => c.peakCurve!.map((p) => [t(`scheduling.channel.${c.id}`), p.staff, Math.round(p.serviceLevel * 1000) / 10, p.asaSeconds === null ? null : Math.round(p.asaSeconds), Math.round(p.occupancy * 1000) / 10]));
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 1, sm: 4 }} mb="md">
        <Figure label={t('scheduling.calculator.fte')} value={fmt(result.fte)} />
        <Figure label={t('scheduling.calculator.paidHours')} value={fmt(result.paidHoursPerWeek, 0)} />
        <Figure label={t('scheduling.calculator.peak')} value={fmt(result.peakScheduled, 0)} />
        <Figure label={t('scheduling.calculator.cost')} value={result.annualCost === null ? '—' : new Intl.NumberFormat(locale, { style: 'currency', currency: result.currency ?? 'USD', maximumFractionDigits: 0 }).format(result.annualCost)} />
      </SimpleGrid>
      <Title order={3} size="h5" mb="xs">{t('scheduling.calculator.curveTitle')}</Title>
      <DataView title={t('scheduling.calculator.curveTitle')} fileName="service-level-curve.csv" header={header} rows={rows} chart={<EChart option={option} label={t('scheduling.calculator.curveTitle')} />} />
    </Paper>
  );
}

export function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text size="xl" fw={700} data-testid={`figure-${label}`}>{value}</Text>
    </Stack>
  );
}
