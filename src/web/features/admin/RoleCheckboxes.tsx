import { Checkbox, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useRoles } from './adminApi.js';

interface RoleCheckboxesProps {
  value: string[];
  onChange: (roles: string[]) => void;
  error?: string;
  /** A partner account must belong to a partner organisation, and organisations cannot be picked here yet. */
  hasOrganisation: boolean;
}

export function RoleCheckboxes({ value, onChange, error, hasOrganisation }: RoleCheckboxesProps) {
  const { t } = useTranslation();
  const roles = useRoles();
  if (roles.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (roles.isError) return <ErrorAlert error={roles.error} />;
  return (
    <Checkbox.Group label={t('users.roles')} description={t('users.rolesHint')} value={value} onChange={onChange} error={error} withAsterisk>
      <Group mt="xs" gap="md">
        {roles.data.map((role) => {
          const needsOrganisation = role === 'partner' && !hasOrganisation && !value.includes(role);
          return (
            <Checkbox
              key={role}
              value={role}
              disabled={needsOrganisation}
              description={needsOrganisation ? t('users.partnerNeedsOrganisation') : undefined}
              label={
                <Text span size="sm">
                  {t(`roles.${role}`, { defaultValue: role })}
                </Text>
              }
            />
          );
        })}
      </Group>
    </Checkbox.Group>
  );
}
