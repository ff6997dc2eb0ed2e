import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SlaState } from '../../../shared/sla.js';
import { CONTACT_FLAGS } from './vocabulary.js';
import type { Flags } from './intakeApi.js';

// Each state has its own shape and word, so it reads without colour: ✓ within target, ◔ nearly due, ! overdue.
const SLA_SYMBOL: Record<SlaState, string> = { ok: '✓', amber: '◔', red: '!' };
const SLA_COLOR: Record<SlaState, string> = { ok: 'green', amber: 'yellow', red: 'red' };

export function SlaBadge({ state }: { state: SlaState }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={SLA_COLOR[state]}
      variant={state === 'red' ? 'filled' : 'light'}
      className={`sla-badge sla-${state}`}
      leftSection={<span aria-hidden className="sla-symbol">{SLA_SYMBOL[state]}</span>}
      data-sla={state}
    >
      {t(`sla.${state}`)}
    </Badge>
  );
}

/** Flags that change how urgent a contact is: filled and first, so nobody misses them. */
export function FlagBadges({ flags, size = 'md' }: { flags: Flags | null | undefined; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const set = CONTACT_FLAGS.filter((flag) => flags?.[flag]);
  if (set.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      {set.map((flag) => (
        <Badge key={flag} color={flag === 'minor' ? 'grape' : 'red'} variant="filled" size={size} className="flag-badge" leftSection={<span aria-hidden>⚠</span>}>
          {t(`flag.${flag}`)}
        </Badge>
      ))}
    </Group>
  );
}
