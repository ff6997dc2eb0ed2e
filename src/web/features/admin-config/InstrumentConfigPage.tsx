import { useTranslation } from 'react-i18next';
import { parseInstrument } from '../../../shared/assessment/instrument.validate.js';
import type { ConfigIssue } from './adminConfigApi.js';
import { ConfigWorkspace } from './ConfigWorkspace.js';
import { InstrumentEditor, type InstrumentDraft } from './InstrumentEditor.js';

/** The same validation the server runs on save and publish, live while the admin types. */
function validateInstrument(data: InstrumentDraft, version: number): ConfigIssue[] {
  const parsed = parseInstrument({ ...data, version });
  return parsed.ok ? [] : parsed.issues;
}

export function InstrumentConfigPage() {
  const { t } = useTranslation();
  return (
    <ConfigWorkspace<InstrumentDraft>
      kind="instrument"
      title={t('adminConfig.instrumentPageTitle')}
      intro={t('adminConfig.instrumentIntro')}
      validate={validateInstrument}
      renderEditor={(props) => <InstrumentEditor {...props} />}
    />
  );
}
