import { Badge, Button, Group, Menu, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDateTime } from '../../i18n/format.js';
import { userStatus, type AdminUser, type UserStatus } from './adminApi.js';

export type UserAction = 'edit' | 'reset-password' | 'reset-mfa' | 'deactivate' | 'reactivate';

interface UsersTableProps {
  users: AdminUser[];
  currentUserId: string;
  can: (permission: string) => boolean;
  onAction: (action: UserAction, user: AdminUser) => void;
}

const STATUS_COLOR: Record<UserStatus, string> = { active: 'green', locked: 'orange', deactivated: 'gray' };

export function UsersTable({ users, currentUserId, can, onAction }: UsersTableProps) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();

  return (
    <Table.ScrollContainer minWidth={880}>
      <Table striped highlightOnHover verticalSpacing="sm" captionSide="top">
        <Table.Caption className="visually-hidden">{t('users.tableCaption', { count: users.length })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('users.email')}</Table.Th>
            <Table.Th scope="col">{t('users.displayName')}</Table.Th>
            <Table.Th scope="col">{t('users.roles')}</Table.Th>
            <Table.Th scope="col">{t('users.status')}</Table.Th>
            <Table.Th scope="col">{t('users.mfa')}</Table.Th>
            <Table.Th scope="col">{t('users.lastSignIn')}</Table.Th>
            <Table.Th scope="col">
              <span className="visually-hidden">{t('users.actions')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const status = userStatus(user);
            const isSelf = user.id === currentUserId;
            return (
              <Table.Tr key={user.id}>
                <Table.Th scope="row" fw={500}>
                  {user.email}
                </Table.Th>
                <Table.Td>{user.displayName}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {user.roles.map((role) => (
                      <Badge key={role} variant="light" size="md">
                        {t(`roles.${role}`, { defaultValue: role })}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[status]} variant="light" size="md">
                    {t(`users.statusValue.${status}`)}
                  </Badge>
                  {status === 'locked' && user.lockedUntil ? (
                    <Text size="xs" c="dimmed">
                      {t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) })}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{user.mfaEnrolled ? t('users.mfaEnrolled') : t('users.mfaNotEnrolled')}</Table.Td>
                <Table.Td>{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : t('users.never')}</Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button variant="default" size="xs" aria-label={t('users.actionsFor', { email: user.email })}>
                        {t('users.actions')}
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {can('user.update') ? (
                        <Menu.Item onClick={() => onAction('edit', user)}>{t('users.edit')}</Menu.Item>
                      ) : null}
                      {can('user.reset') ? (
                        <>
                          <Menu.Item onClick={() => onAction('reset-password', user)}>{t('users.resetPassword')}</Menu.Item>
                          <Menu.Item onClick={() => onAction('reset-mfa', user)}>{t('users.resetMfa')}</Menu.Item>
                        </>
                      ) : null}
                      {can('user.deactivate') && !isSelf ? (
                        user.isActive ? (
                          <Menu.Item color="red" onClick={() => onAction('deactivate', user)}>
                            {t('users.deactivate')}
                          </Menu.Item>
                        ) : (
                          <Menu.Item onClick={() => onAction('reactivate', user)}>{t('users.reactivate')}</Menu.Item>
                        )
                      ) : null}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
