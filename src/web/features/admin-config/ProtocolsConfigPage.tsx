import { useTranslation } from 'react-i18next';
import { ConfigWorkspace } from './ConfigWorkspace.js';
import { ProtocolsEditor } from './ProtocolsEditor.js';
import { validateProtocolSetDraft, type ProtocolSetDraft } from './protocolSet.js';

export function ProtocolsConfigPage() {
  const { t } = useTranslation();
  return (
    <ConfigWorkspace<ProtocolSetDraft>
      kind="protocols"
      title={t('adminConfig.protocolsPageTitle')}
      intro={t('adminConfig.protocolsIntro')}
      validate={(data) => validateProtocolSetDraft(data).issues}
      renderEditor={(props) => <ProtocolsEditor {...props} />}
    />
  );
}
