import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.js';
import { hasPermission, type Session } from '../auth/session.js';
import { CalculatorPanel } from './CalculatorPanel.js';
import { ForecastPanel } from './ForecastPanel.js';
import { MyShiftsPanel } from './MyShiftsPanel.js';
import { RequestsPanel } from './RequestsPanel.js';
import { RosterPanel } from './RosterPanel.js';
import { SettingsPanel } from './SettingsPanel.js';
import { StaffPanel } from './StaffPanel.js';

/** Scheduling: supervisors plan (roster, forecast, calculator, requests); everyone on shifts sees their own. */
export function SchedulingPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const canPlan = hasPermission(session, 'scheduling.plan');
  const canSelf = hasPermission(session, 'scheduling.self');
  return (
    <>
      <PageHeader title={t('nav.scheduling')} description={canPlan ? t('scheduling.introPlan') : t('scheduling.introSelf')} />
      <Tabs defaultValue={canPlan ? 'roster' : 'mine'} keepMounted={false}>
        <Tabs.List aria-label={t('scheduling.sections')} mb="md">
          {canPlan ? <Tabs.Tab value="roster">{t('scheduling.tabs.roster')}</Tabs.Tab> : null}
          {canPlan ? <Tabs.Tab value="requests">{t('scheduling.tabs.requests')}</Tabs.Tab> : null}
          {canPlan ? <Tabs.Tab value="forecast">{t('scheduling.tabs.forecast')}</Tabs.Tab> : null}
          {canPlan ? <Tabs.Tab value="staff">{t('scheduling.tabs.staff')}</Tabs.Tab> : null}
          {canPlan ? <Tabs.Tab value="settings">{t('scheduling.tabs.settings')}</Tabs.Tab> : null}
          {canPlan ? <Tabs.Tab value="calculator">{t('scheduling.tabs.calculator')}</Tabs.Tab> : null}
          {canSelf ? <Tabs.Tab value="mine">{t('scheduling.tabs.mine')}</Tabs.Tab> : null}
        </Tabs.List>
        {canPlan ? <Tabs.Panel value="roster"><RosterPanel /></Tabs.Panel> : null}
        {canPlan ? <Tabs.Panel value="requests"><RequestsPanel /></Tabs.Panel> : null}
        {canPlan ? <Tabs.Panel value="forecast"><ForecastPanel /></Tabs.Panel> : null}
        {canPlan ? <Tabs.Panel value="staff"><StaffPanel /></Tabs.Panel> : null}
        {canPlan ? <Tabs.Panel value="settings"><SettingsPanel /></Tabs.Panel> : null}
        {canPlan ? <Tabs.Panel value="calculator"><CalculatorPanel /></Tabs.Panel> : null}
        {canSelf ? <Tabs.Panel value="mine"><MyShiftsPanel /></Tabs.Panel> : null}
      </Tabs>
    </>
  );
}
