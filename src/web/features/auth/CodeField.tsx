import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface CodeFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  autoFocus?: boolean;
}

/**
 * One plain text field for the 6-digit code: screen readers read it as one value, password managers
 * and phones fill it from `one-time-code`, and pasted codes with spaces still work.
 */
export function CodeField({ value, onChange, error, autoFocus }: CodeFieldProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('auth.code')}
      description={t('auth.codeHint')}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={7}
      required
      autoFocus={autoFocus}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.replace(/[^0-9]/g, '').slice(0, 6))}
      error={error}
      styles={{ input: { fontSize: '1.25rem', letterSpacing: '0.3em', fontVariantNumeric: 'tabular-nums' } }}
    />
  );
}

export function isSixDigits(code: string): boolean {
  return /^[0-9]{6}$/.test(code);
}
