import { localized as text } from '../../../shared/assessment/vocabulary.js';
import type { ProtocolInput } from '../protocol.schema.js';

/**
 * Minors, likely trafficking and labour exploitation without immediate danger. Supervisor escalation when trafficking
 * is likely and the minor exception to consent follow DOMAIN.md §2 [S6][S7][S15]; whether and to whom a report may be
 * made is decided by the jurisdiction rules (report-gate.ts), never by these tasks.
 */
export const minorProtocol: ProtocolInput = {
  id: 'minor',
  version: 1,
  priority: 30,
  title: text('Minor', 'Menor de edad', 'Mineur'),
  summary: text(
    'A minor is involved with trafficking indicators or in a crisis or tip: mandatory child-protection duties apply.',
    'Hay un menor con indicadores de trata o en una crisis o aviso: se aplican las obligaciones de protección infantil.',
    'Un mineur est concerné avec des indicateurs de traite ou dans une crise ou un signalement : les obligations de protection de l’enfance s’appliquent.',
  ),
  triggers: [
    { flags: ['minor'], level: { type: 'any', atLeast: 'low' } },
    { flags: ['minor'], requestTypes: ['crisis', 'tip', 'high_risk'] },
  ],
  steps: [
    {
      id: 'explain_limits',
      kind: 'script',
      text: text('Explain honestly what you must report.', 'Explique con honestidad lo que debe reportar.', 'Expliquez honnêtement ce que vous devez signaler.'),
      script: text(
        'Because you are under 18, there are some things I have to share with child protection so they can help keep you safe. I will tell you what I share.',
        'Como eres menor de 18 años, hay cosas que debo compartir con protección infantil para que te ayuden a estar a salvo. Te diré qué comparto.',
        'Comme tu as moins de 18 ans, je dois transmettre certaines informations à la protection de l’enfance pour qu’elle t’aide à être en sécurité. Je te dirai ce que je transmets.',
      ),
      next: 'safe_place',
    },
    {
      id: 'safe_place',
      kind: 'decision',
      text: text('Does the minor have a safe place to stay tonight?', '¿El menor tiene un lugar seguro donde quedarse esta noche?', 'Le mineur a-t-il un endroit sûr où dormir ce soir ?'),
      options: [
        { id: 'yes', label: text('Yes', 'Sí', 'Oui'), next: 'gather_report_facts' },
        { id: 'no', label: text('No', 'No', 'Non'), next: 'youth_shelter' },
      ],
    },
    {
      id: 'youth_shelter',
      kind: 'check',
      text: text('Find a youth shelter or emergency placement with the supervisor.', 'Busque con la supervisión un refugio juvenil o un lugar de acogida de emergencia.', 'Trouvez avec la supervision un foyer pour jeunes ou un placement d’urgence.'),
      next: 'gather_report_facts',
    },
    {
      id: 'gather_report_facts',
      kind: 'check',
      text: text('Gather only the facts the child-protection report needs.', 'Reúna solo los datos que necesita el reporte de protección infantil.', 'Recueillez seulement les faits nécessaires au signalement de protection de l’enfance.'),
    },
  ],
  actions: [
    {
      id: 'supervisor_review_minor',
      taskKey: 'supervisor_minor_review',
      title: text('Supervisor reviews the mandatory child-protection report', 'La supervisión revisa el reporte obligatorio de protección infantil', 'La supervision examine le signalement obligatoire de protection de l’enfance'),
      ownerRole: 'supervisor',
      dueWithinMinutes: 60,
      escalateToSupervisorWhenOverdue: true,
    },
    {
      id: 'child_protection_report',
      taskKey: 'child_protection_report',
      title: text('Make the mandatory child-protection report', 'Hacer el reporte obligatorio a protección infantil', 'Faire le signalement obligatoire à la protection de l’enfance'),
      ownerRole: 'advocate',
      dueWithinMinutes: 24 * 60,
      escalateToSupervisorWhenOverdue: true,
    },
  ],
};

export const likelyTraffickingProtocol: ProtocolInput = {
  id: 'likely_trafficking',
  version: 1,
  priority: 40,
  title: text('Trafficking likely', 'Trata probable', 'Traite probable'),
  summary: text(
    'The assessment shows high trafficking indicators: alert a supervisor immediately and offer reporting and services.',
    'La evaluación muestra indicadores altos de trata: avise de inmediato a la supervisión y ofrezca reporte y servicios.',
    'L’évaluation montre des indicateurs de traite élevés : alertez immédiatement la supervision et proposez signalement et services.',
  ),
  triggers: [{ level: { type: 'any', atLeast: 'high' } }],
  steps: [
    {
      id: 'options',
      kind: 'script',
      text: text('Explain the options without pressure.', 'Explique las opciones sin presionar.', 'Expliquez les options sans pression.'),
      script: text(
        'What you describe sounds serious. You decide what happens next: we can connect you with services, and, if you want, with law enforcement we work with.',
        'Lo que describe suena grave. Usted decide qué pasa ahora: podemos ponerle en contacto con servicios y, si lo desea, con la policía con la que trabajamos.',
        'Ce que vous décrivez semble grave. C’est vous qui décidez de la suite : nous pouvons vous mettre en relation avec des services et, si vous le souhaitez, avec les forces de l’ordre avec lesquelles nous travaillons.',
      ),
      next: 'record_choice',
    },
    {
      id: 'record_choice',
      kind: 'check',
      text: text('Record the person’s choices and any consent given.', 'Registre las decisiones de la persona y cualquier consentimiento dado.', 'Enregistrez les choix de la personne et tout consentement donné.'),
    },
  ],
  actions: [
    {
      id: 'alert_supervisor',
      taskKey: 'supervisor_alert',
      title: text('Alert the supervisor on duty now', 'Avisar ahora a la supervisión de turno', 'Alerter maintenant la supervision de garde'),
      ownerRole: 'supervisor',
      dueWithinMinutes: 0,
      escalateToSupervisorWhenOverdue: true,
    },
    {
      id: 'offer_report_and_services',
      taskKey: 'offer_report_and_services',
      title: text('Offer services and, with consent, a report to designated law enforcement', 'Ofrecer servicios y, con consentimiento, un reporte a la policía designada', 'Proposer des services et, avec consentement, un signalement aux forces de l’ordre désignées'),
      ownerRole: 'advocate',
      dueWithinMinutes: 24 * 60,
      escalateToSupervisorWhenOverdue: true,
    },
  ],
};

export const labourExploitationProtocol: ProtocolInput = {
  id: 'labour_exploitation',
  version: 1,
  priority: 50,
  title: text('Labour exploitation without immediate danger', 'Explotación laboral sin peligro inmediato', 'Exploitation par le travail sans danger immédiat'),
  summary: text(
    'Labour trafficking indicators but no immediate danger: referrals for labour rights and legal help, and a report only with consent.',
    'Indicadores de trata laboral sin peligro inmediato: derivaciones para derechos laborales y ayuda legal, y reporte solo con consentimiento.',
    'Indicateurs de traite par le travail sans danger immédiat : orientations vers le droit du travail et l’aide juridique, signalement seulement avec consentement.',
  ),
  triggers: [{ level: { type: 'labour', atLeast: 'moderate' }, withoutFlags: ['imminent_danger'] }],
  steps: [
    {
      id: 'document_conditions',
      kind: 'check',
      text: text('Note the employer, place and conditions only as far as the person agrees.', 'Anote el empleador, el lugar y las condiciones solo en la medida en que la persona lo acepte.', 'Notez l’employeur, le lieu et les conditions seulement dans la mesure où la personne l’accepte.'),
      next: 'wants_to_leave',
    },
    {
      id: 'wants_to_leave',
      kind: 'decision',
      text: text('Does the person want to leave the job now?', '¿La persona quiere dejar el trabajo ahora?', 'La personne veut-elle quitter cet emploi maintenant ?'),
      options: [
        { id: 'yes', label: text('Yes', 'Sí', 'Oui'), next: 'exit_plan' },
        { id: 'not_now', label: text('Not now', 'Ahora no', 'Pas maintenant'), next: 'rights_info' },
      ],
    },
    {
      id: 'exit_plan',
      kind: 'check',
      text: text('Plan a safe exit: documents, money, transport, a place to stay.', 'Planifique una salida segura: documentos, dinero, transporte, un lugar donde quedarse.', 'Planifiez un départ sûr : papiers, argent, transport, hébergement.'),
      next: 'rights_info',
    },
    {
      id: 'rights_info',
      kind: 'script',
      text: text('Explain workers’ rights, whatever the immigration status.', 'Explique los derechos laborales, sea cual sea la situación migratoria.', 'Expliquez les droits des travailleurs, quel que soit le statut migratoire.'),
      script: text(
        'You have rights at work whatever your papers say, including the right to be paid for the work you did.',
        'Usted tiene derechos en el trabajo, tenga o no papeles, incluido el derecho a cobrar por el trabajo que hizo.',
        'Vous avez des droits au travail, quels que soient vos papiers, y compris le droit d’être payé pour le travail effectué.',
      ),
    },
  ],
  actions: [
    {
      id: 'labour_referrals',
      taskKey: 'labour_referrals',
      title: text('Send labour-rights and legal-aid referrals', 'Enviar derivaciones de derechos laborales y asistencia legal', 'Envoyer des orientations en droit du travail et aide juridique'),
      ownerRole: 'advocate',
      dueWithinMinutes: 72 * 60,
      escalateToSupervisorWhenOverdue: true,
    },
    {
      id: 'ask_consent_to_report',
      taskKey: 'ask_consent_to_report',
      title: text('Ask whether the person consents to a report (law enforcement or labour inspection)', 'Preguntar si la persona consiente un reporte (policía o inspección del trabajo)', 'Demander si la personne consent à un signalement (police ou inspection du travail)'),
      ownerRole: 'advocate',
      dueWithinMinutes: 24 * 60,
      escalateToSupervisorWhenOverdue: false,
    },
    {
      id: 'follow_up',
      taskKey: 'follow_up',
      title: text('Follow up with the person if they agreed to be contacted', 'Dar seguimiento a la persona si aceptó que la contacten', 'Recontacter la personne si elle l’a accepté'),
      ownerRole: 'advocate',
      dueWithinMinutes: 7 * 24 * 60,
      escalateToSupervisorWhenOverdue: false,
    },
  ],
};
