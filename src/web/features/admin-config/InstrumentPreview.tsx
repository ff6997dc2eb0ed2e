import { Alert, Badge, Grid, Group, List, NativeSelect, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compileInstrument } from '../../../shared/assessment/compile.js';
import { evaluateAssessment } from '../../../shared/assessment/evaluate.js';
import { parseInstrument } from '../../../shared/assessment/instrument.validate.js';
import { NON_ANSWERS, type AgeGroup } from '../../../shared/assessment/vocabulary.js';
import { LOCALE_NAMES, LOCALES } from '../../i18n/index.js';
import type { InstrumentDraft } from './InstrumentEditor.js';

const LEVEL_COLORS = { none: 'gray', low: 'yellow', moderate: 'orange', high: 'red' } as const;

/**
 * Answer the draft as an advocate would and see the levels and the explanation, computed in the browser by the same
 * pure evaluator the server uses. Nothing is sent or stored.
 */
export function InstrumentPreview({ data, version }: { data: InstrumentDraft; version: number }) {
  const { t } = useTranslation();
  const [lang, setLang] = useState<'en' | 'es' | 'fr'>('en');
  const [ageGroup, setAgeGroup] = useState<AgeGroup>('unknown');
  const [form, setForm] = useState<'short' | 'full'>('full');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const compiled = useMemo(() => {
    const parsed = parseInstrument({ ...data, version });
    return parsed.ok ? compileInstrument(parsed.instrument) : null;
  }, [data, version]);
  const evaluation = useMemo(() => {
    if (!compiled) return null;
    // Answers to items that no longer exist (edited away) are dropped rather than refused.
    const known = Object.fromEntries(Object.entries(answers).filter(([id, value]) => compiled.itemIndexById.has(id) && compiled.items[compiled.itemIndexById.get(id)!].validAnswers.has(value)));
    return evaluateAssessment(compiled, known, { ageGroup }, { form });
  }, [compiled, answers, ageGroup, form]);

  if (!compiled || !evaluation) return <Alert color="yellow" variant="light" c="dark.8">{t('adminConfig.previewNeedsValid')}</Alert>;
  const visible = new Set(evaluation.visibleItems);
  const items = compiled.instrument.items.filter((item) => visible.has(item.id));

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-questions">
          <Stack gap="sm">
            <Title order={3} size="h5" id="preview-questions">{t('adminConfig.previewQuestions')}</Title>
            <Group gap="sm" wrap="wrap">
              <SegmentedControl size="xs" value={lang} onChange={(v) => setLang(v as typeof lang)} aria-label={t('adminConfig.previewLanguage')} data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} />
              <SegmentedControl size="xs" value={form} onChange={(v) => setForm(v as typeof form)} aria-label={t('adminConfig.previewForm')} data={[{ value: 'short', label: t('adminConfig.shortFormName') }, { value: 'full', label: t('adminConfig.fullFormName') }]} />
              <NativeSelect size="xs" label={t('adminConfig.previewAge')} value={ageGroup} onChange={(e) => setAgeGroup(e.currentTarget.value as AgeGroup)} data={(['unknown', 'adult', 'minor'] as const).map((a) => ({ value: a, label: t(`adminConfig.ageGroup.${a}`) }))} />
            </Group>
            <Stack gap="xs" data-testid="instrument-preview" lang={lang}>
              {items.map((item) => {
                const choices = item.answer.type === 'yes_no' ? ['yes', 'no', ...NON_ANSWERS] : [...item.answer.options.map((o) => o.id), ...NON_ANSWERS];
                const label = (choice: string) => {
                  if (item.answer.type === 'choice') {
                    const option = item.answer.options.find((o) => o.id === choice);
                    if (option) return option.label[lang];
                  }
                  return t(`adminConfig.answer.${choice}`, { lng: lang });
                };
                return (
                  <NativeSelect
                    key={item.id}
                    label={item.text[lang]}
                    description={item.guidance?.[lang]}
                    value={answers[item.id] ?? ''}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setAnswers((current) => ({ ...current, [item.id]: value }));
                    }}
                    data={[{ value: '', label: t('adminConfig.notAsked', { lng: lang }) }, ...choices.map((choice) => ({ value: choice, label: label(choice) }))]}
                  />
                );
              })}
            </Stack>
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-result" aria-live="polite" data-testid="preview-result">
          <Stack gap="sm">
            <Title order={3} size="h5" id="preview-result">{t('adminConfig.previewResult')}</Title>
            <Group gap="sm">
              {(['sex', 'labour'] as const).map((type) => (
                <Badge key={type} size="lg" variant="light" color={LEVEL_COLORS[evaluation.levels[type]]} c="dark.9" data-testid={`preview-level-${type}`}>
                  {t(`adminConfig.type.${type}`)}: {t(`adminConfig.level.${evaluation.levels[type]}`)}
                </Badge>
              ))}
            </Group>
            {evaluation.explanation.length ? (
              <List size="sm" spacing={6}>
                {evaluation.explanation.map((entry, i) => (
                  <List.Item key={i}>
                    <Text span fw={entry.decisive ? 700 : 400} lang={lang}>{entry.ruleText[lang]}</Text>{' '}
                    <Text span size="xs" c="dark.6">
                      ({t(`adminConfig.type.${entry.type}`)}, {t(`adminConfig.level.${entry.level}`)}; {t('adminConfig.because')} {entry.matchedAnswers.map((m) => `${m.itemId}=${m.answer}`).join(', ')})
                    </Text>
                  </List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">{t('adminConfig.noRuleFired')}</Text>
            )}
            <Text size="xs" c="dark.6">{t('adminConfig.pending', { count: evaluation.pendingItems.length })}</Text>
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
