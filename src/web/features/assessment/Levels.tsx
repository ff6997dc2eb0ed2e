import { Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InstrumentShape } from '../../../shared/assessment/instrument.schema.js';
import { localize, type AssessmentResult, type IndicatorLevel, type TraffickingType } from './assessmentApi.js';

const LEVEL_COLOR: Record<IndicatorLevel, string> = { high: 'red', moderate: 'orange', low: 'yellow', none: 'gray' };
// A shape as well as a colour and a word, so the level reads without colour.
const LEVEL_SYMBOL: Record<IndicatorLevel, string> = { high: '▲', moderate: '◆', low: '▼', none: '○' };

export function LevelBadge({ level, size = 'lg' }: { level: IndicatorLevel; size?: 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={LEVEL_COLOR[level]} variant={level === 'high' ? 'filled' : 'light'} size={size} data-level={level} leftSection={<span aria-hidden>{LEVEL_SYMBOL[level]}</span>}>
      {t(`assessment.level.${level}`)}
    </Badge>
  );
}

/** The level per trafficking type, each with the rules that fired and the answers behind them. */
export function LevelsWithExplanation({ result, instrument, testId }: { result: AssessmentResult; instrument: InstrumentShape; testId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const itemText = (id: string) => localize(instrument.items.find((item) => item.id === id)?.text, lang);
  const answerText = (itemId: string, answer: string) => {
    const item = instrument.items.find((candidate) => candidate.id === itemId);
    if (item?.answer.type === 'choice') {
      const option = item.answer.options.find((o) => o.id === answer);
      if (option) return localize(option.label, lang);
    }
    return t(`assessment.answer.${answer}`, { defaultValue: answer });
  };
  return (
    <Stack gap="sm" data-testid={testId}>
      {(['sex', 'labour'] as TraffickingType[]).map((type) => {
        const entries = result.explanation.filter((entry) => entry.type === type);
        return (
          <Stack key={type} gap={4} data-testid={`${testId}-${type}`}>
            <Group gap="sm">
              <Title order={4} size="h5">
                {t(`assessment.type.${type}`)}
              </Title>
              <LevelBadge level={result.levels[type]} />
            </Group>
            {entries.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('assessment.noRuleFired')}
              </Text>
            ) : (
              <List size="sm" spacing={4}>
                {entries.map((entry) => (
                  <List.Item key={entry.ruleId}>
                    <Text size="sm" span fw={entry.decisive ? 600 : 400}>
                      {localize(entry.ruleText, lang)}
                    </Text>{' '}
                    <Text size="sm" span c="dimmed">
                      ({t(`assessment.level.${entry.level}`)}
                      {entry.decisive ? ` · ${t('assessment.decisive')}` : ''})
                    </Text>
                    {entry.matchedAnswers.length > 0 ? (
                      <Text size="xs" c="dimmed">
                        {t('assessment.because')} {entry.matchedAnswers.map((m) => `${itemText(m.itemId)} — ${answerText(m.itemId, m.answer)}`).join('; ')}
                      </Text>
                    ) : null}
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}
