import { SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorAt, type ConfigIssue } from './adminConfigApi.js';

export type Localized = { en: string; es: string; fr: string };
const LANGS = ['en', 'es', 'fr'] as const;

/** One text in the three languages; each input shows the issue at its own path beside it. */
export function LocalizedInput(props: {
  label: string;
  value: Partial<Localized> | undefined;
  onChange: (value: Localized) => void;
  path: string;
  issues: readonly ConfigIssue[];
  readOnly: boolean;
  multiline?: boolean;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const value = { en: '', es: '', fr: '', ...props.value };
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
      {LANGS.map((lang) => {
        const common = {
          id: `${props.idPrefix}-${lang}`,
          label: t('adminConfig.inLanguage', { field: props.label, language: t(`adminConfig.lang.${lang}`) }),
          value: value[lang],
          readOnly: props.readOnly,
          error: errorAt(props.issues, `${props.path}.${lang}`),
          lang,
          onChange: (e: { currentTarget: { value: string } }) => props.onChange({ ...value, [lang]: e.currentTarget.value }),
        };
        return props.multiline ? <Textarea key={lang} {...common} autosize minRows={2} /> : <TextInput key={lang} {...common} />;
      })}
    </SimpleGrid>
  );
}

/**
 * A JSON value edited as text (rules, skip logic, triggers). The value changes only when the text parses;
 * `onValidity` tells the editor when it does not, so an unparsed edit is never silently dropped on save.
 */
export function JsonField(props: {
  label: string;
  description?: string;
  value: unknown;
  onChange: (value: unknown) => void;
  onValidity: (ok: boolean) => void;
  path: string;
  issues: readonly ConfigIssue[];
  readOnly: boolean;
  optional?: boolean;
  minRows?: number;
}) {
  const { t } = useTranslation();
  const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));
  const [text, setText] = useState(() => show(props.value));
  const [parseError, setParseError] = useState<string | null>(null);
  // A value replaced from outside (another item or step shown at this path) resets the text; typing does not.
  useEffect(() => {
    setText(show(props.value));
    setParseError(null);
    props.onValidity(true);
  }, [props.path]);
  const onText = (next: string) => {
    setText(next);
    if (props.optional && next.trim() === '') {
      setParseError(null);
      props.onValidity(true);
      props.onChange(undefined);
      return;
    }
    try {
      const parsed = JSON.parse(next) as unknown;
      setParseError(null);
      props.onValidity(true);
      props.onChange(parsed);
    } catch (error) {
      setParseError((error as Error).message);
      props.onValidity(false);
    }
  };
  const serverError = errorAt(props.issues, props.path);
  return (
    <Textarea
      label={props.label}
      description={props.description}
      value={text}
      readOnly={props.readOnly}
      onChange={(e) => onText(e.currentTarget.value)}
      autosize
      minRows={props.minRows ?? 3}
      maxRows={24}
      spellCheck={false}
      classNames={{ input: 'json-editor' }}
      error={parseError ? t('adminConfig.badJson', { message: parseError }) : serverError}
    />
  );
}

/** Ids are code-like: monospace in the input only (not the label or description). */
export const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } as const;
