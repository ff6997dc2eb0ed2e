import { Center, Grid, Loader, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { hasPermission, type Session, type SessionUser } from '../auth/session.js';
import type { Contact } from '../intake/intakeApi.js';
import { useAssessments, useInstrument, type Preview } from './assessmentApi.js';
import { AssessmentPanel } from './AssessmentPanel.js';
import { ConsentReports } from './ConsentReports.js';
import { ProtocolsSection } from './ProtocolsSection.js';

/**
 * Everything issue 4 adds to a contact: the assessment with its live level, the protocols and their tasks, consent
 * and reports. The handling advocate and supervisors act; colleagues who may read the contact see it read-only
 * (the server decides either way).
 */
export function AssessmentWorkspace({ contact, session }: { contact: Contact; session: Session & { user: SessionUser } }) {
  const { t } = useTranslation();
  const me = session.user.id;
  const isSupervisor = hasPermission(session, 'queue.supervise');
  const canAct = contact.status !== 'closed' && (contact.assignedTo === me || isSupervisor) && hasPermission(session, 'assessment.record');
  const instrument = useInstrument();
  const assessments = useAssessments(contact.id);
  const [preview, setPreview] = useState<Preview | undefined>(undefined);

  if (!hasPermission(session, 'assessment.record') && !isSupervisor) {
    // The instrument and preview need assessment.record; without it there is nothing to fill in here.
    return null;
  }
  if (instrument.isPending || assessments.isPending) {
    return (
      <Center py="md" role="status">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('assessment.loading')}</Text>
      </Center>
    );
  }
  if (instrument.isError || assessments.isError) return <ErrorAlert error={instrument.error ?? assessments.error} title={t('assessment.loadFailed')} />;

  return (
    <Grid gap="lg">
      <Grid.Col span={12}>
        <AssessmentPanel key={assessments.data.latest?.id ?? 'new'} contact={contact} instrument={instrument.data} latest={assessments.data.latest} canAct={canAct} onPreview={setPreview} />
      </Grid.Col>
      <Grid.Col span={12}>
        <ProtocolsSection contactId={contact.id} me={me} protocols={preview?.protocols} canAct={canAct} canReadTasks={hasPermission(session, 'task.read')} />
      </Grid.Col>
      <Grid.Col span={12}>
        <ConsentReports contactId={contact.id} me={me} canAct={canAct} canApprove={hasPermission(session, 'report.approve')} />
      </Grid.Col>
    </Grid>
  );
}
