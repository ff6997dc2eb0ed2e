import { SegmentedControl, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../auth/errors.js';
import { useAvailability } from './intakeApi.js';
import { AVAILABILITIES, type Availability } from './vocabulary.js';

/** Available / busy / on break / offline: radio buttons under one visible group name. */
export function AvailabilitySwitch({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const labelId = useId();
  const { value, change } = useAvailability(userId);
  return (
    <fieldset className="bare-fieldset" aria-labelledby={labelId}>
      <Text component="legend" id={labelId} size="sm" fw={600} mb={4}>
        {t('queue.availability.label')}
      </Text>
      <SegmentedControl
        value={change.isPending && change.variables ? change.variables : value}
        onChange={(next) =>
          change.mutate(next as Availability, {
            onError: (error) =>
              notifications.show({ color: 'red', title: t('queue.availability.failed'), message: describeError(error, t, i18n.resolvedLanguage ?? 'en') }),
          })
        }
        data={AVAILABILITIES.map((a) => ({ value: a, label: t(`queue.availability.${a}`) }))}
        color={value === 'available' ? 'green' : value === 'offline' ? 'gray' : 'blue'}
        disabled={change.isPending}
      />
    </fieldset>
  );
}
