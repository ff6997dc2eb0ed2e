import { localized as text } from '../../../shared/assessment/vocabulary.js';
import type { ProtocolInput } from '../protocol.schema.js';

/**
 * Imminent danger and crisis. The 24-hour crisis rule and the immediate supervisor alert follow the NHTH practice
 * described in DOMAIN.md §2 and §4 [S4][S6][S12]; the suicide-risk action follows the Lifeline imminent-risk
 * approach (desire, capability, intent, buffers; active engagement) [S48]. Wording is Catalyst's own.
 */
export const imminentDangerProtocol: ProtocolInput = {
  id: 'imminent_danger',
  version: 1,
  priority: 10,
  title: text('Imminent danger', 'Peligro inminente', 'Danger imminent'),
  summary: text(
    'Someone is in danger now (violence, suicide risk or a medical emergency): alert a supervisor and get emergency help.',
    'Alguien está en peligro ahora (violencia, riesgo suicida o emergencia médica): avise a la supervisión y consiga ayuda de emergencia.',
    'Quelqu’un est en danger maintenant (violence, risque suicidaire ou urgence médicale) : alertez la supervision et obtenez une aide d’urgence.',
  ),
  triggers: [{ anyFlags: ['imminent_danger', 'suicide_risk', 'medical_emergency'] }],
  steps: [
    {
      id: 'can_talk_safely',
      kind: 'decision',
      text: text('Can the person talk safely right now?', '¿La persona puede hablar con seguridad en este momento?', 'La personne peut-elle parler en sécurité maintenant ?'),
      options: [
        { id: 'yes', label: text('Yes', 'Sí', 'Oui'), next: 'locate' },
        { id: 'no', label: text('No', 'No', 'Non'), next: 'yes_no_questions' },
      ],
    },
    {
      id: 'yes_no_questions',
      kind: 'script',
      text: text('Switch to yes/no questions so the person can answer without being overheard.', 'Pase a preguntas de sí o no para que la persona pueda responder sin que la escuchen.', 'Passez à des questions fermées pour que la personne puisse répondre sans être entendue.'),
      script: text(
        'You can just answer yes or no. Are you in danger right now?',
        'Puede responder solo sí o no. ¿Está en peligro en este momento?',
        'Vous pouvez répondre simplement par oui ou non. Êtes-vous en danger en ce moment ?',
      ),
      next: 'locate',
    },
    {
      id: 'locate',
      kind: 'check',
      text: text('Confirm where the person is and a safe way to reach them again.', 'Confirme dónde está la persona y una forma segura de volver a contactarla.', 'Confirmez où se trouve la personne et un moyen sûr de la recontacter.'),
      next: 'emergency_help',
    },
    {
      id: 'emergency_help',
      kind: 'check',
      text: text(
        'With the supervisor, contact emergency services or the designated police partner, as the person agrees or the law requires.',
        'Con la supervisión, contacte a los servicios de emergencia o a la policía designada, según lo acepte la persona o lo exija la ley.',
        'Avec la supervision, contactez les services d’urgence ou la police partenaire désignée, selon l’accord de la personne ou ce qu’exige la loi.',
      ),
    },
  ],
  actions: [
    {
      id: 'alert_supervisor_now',
      taskKey: 'supervisor_alert',
      title: text('Alert the supervisor on duty now', 'Avisar ahora a la supervisión de turno', 'Alerter maintenant la supervision de garde'),
      ownerRole: 'supervisor',
      dueWithinMinutes: 0,
      escalateToSupervisorWhenOverdue: true,
    },
    {
      id: 'coordinate_emergency_response',
      taskKey: 'emergency_response',
      title: text('Coordinate the emergency response', 'Coordinar la respuesta de emergencia', 'Coordonner l’intervention d’urgence'),
      ownerRole: 'advocate',
      dueWithinMinutes: 15,
      escalateToSupervisorWhenOverdue: true,
      onlyIf: { flags: ['imminent_danger'] },
    },
    {
      id: 'assess_suicide_risk',
      taskKey: 'suicide_risk_assessment',
      title: text(
        'Assess suicide risk (desire, capability, intent, buffers) and connect to a crisis line',
        'Evaluar el riesgo suicida (deseo, capacidad, intención, factores de protección) y conectar con una línea de crisis',
        'Évaluer le risque suicidaire (désir, capacité, intention, facteurs de protection) et mettre en relation avec une ligne de crise',
      ),
      ownerRole: 'advocate',
      dueWithinMinutes: 0,
      escalateToSupervisorWhenOverdue: true,
      onlyIf: { flags: ['suicide_risk'] },
    },
    {
      id: 'call_medical_help',
      taskKey: 'medical_emergency_call',
      title: text('Get emergency medical help', 'Conseguir atención médica de emergencia', 'Obtenir une aide médicale d’urgence'),
      ownerRole: 'advocate',
      dueWithinMinutes: 0,
      escalateToSupervisorWhenOverdue: true,
      onlyIf: { flags: ['medical_emergency'] },
    },
  ],
};

export const crisisProtocol: ProtocolInput = {
  id: 'crisis',
  version: 1,
  priority: 20,
  title: text('Crisis', 'Crisis', 'Crise'),
  summary: text(
    'The person needs emergency help or a response within 24 hours (shelter, extraction, transport, safety planning).',
    'La persona necesita ayuda de emergencia o una respuesta en 24 horas (refugio, extracción, transporte, plan de seguridad).',
    'La personne a besoin d’une aide d’urgence ou d’une réponse sous 24 heures (hébergement, exfiltration, transport, plan de sécurité).',
  ),
  triggers: [{ requestTypes: ['crisis'] }],
  steps: [
    {
      id: 'identify_needs',
      kind: 'check',
      text: text('Identify the emergency needs: shelter, extraction, transport, medical care, food.', 'Identifique las necesidades de emergencia: refugio, extracción, transporte, atención médica, comida.', 'Identifiez les besoins urgents : hébergement, exfiltration, transport, soins, nourriture.'),
      next: 'safety_plan',
    },
    {
      id: 'safety_plan',
      kind: 'script',
      text: text('Build a safety plan with the person.', 'Elabore un plan de seguridad con la persona.', 'Élaborez un plan de sécurité avec la personne.'),
      script: text(
        'Let’s think together about what would keep you safer tonight and over the next few days.',
        'Pensemos juntos qué le ayudaría a estar más segura esta noche y en los próximos días.',
        'Réfléchissons ensemble à ce qui vous mettrait plus en sécurité ce soir et les prochains jours.',
      ),
      next: 'consent_for_help',
    },
    {
      id: 'consent_for_help',
      kind: 'decision',
      text: text('Does the person agree to be connected to services or to a report?', '¿La persona acepta que la conecten con servicios o que se haga un reporte?', 'La personne accepte-t-elle d’être mise en relation avec des services ou qu’un signalement soit fait ?'),
      options: [
        { id: 'agrees', label: text('Agrees', 'Acepta', 'Accepte'), next: 'record_consent' },
        { id: 'declines', label: text('Declines', 'No acepta', 'Refuse') },
      ],
    },
    {
      id: 'record_consent',
      kind: 'check',
      text: text('Record the consent: what may be shared, with whom, and how it was given.', 'Registre el consentimiento: qué se puede compartir, con quién y cómo se dio.', 'Enregistrez le consentement : ce qui peut être partagé, avec qui, et comment il a été donné.'),
    },
  ],
  actions: [
    {
      id: 'respond_within_24h',
      taskKey: 'crisis_response',
      title: text('Respond to the crisis needs within 24 hours', 'Responder a las necesidades de crisis en 24 horas', 'Répondre aux besoins de crise sous 24 heures'),
      ownerRole: 'advocate',
      dueWithinMinutes: 24 * 60,
      escalateToSupervisorWhenOverdue: true,
    },
    {
      id: 'supervisor_review',
      taskKey: 'supervisor_crisis_review',
      title: text('Supervisor reviews the crisis response plan', 'La supervisión revisa el plan de respuesta a la crisis', 'La supervision examine le plan de réponse à la crise'),
      ownerRole: 'supervisor',
      dueWithinMinutes: 60,
      escalateToSupervisorWhenOverdue: true,
    },
    {
      id: 'safety_plan',
      taskKey: 'safety_plan',
      title: text('Complete a safety plan with the person', 'Completar un plan de seguridad con la persona', 'Établir un plan de sécurité avec la personne'),
      ownerRole: 'advocate',
      dueWithinMinutes: 4 * 60,
      escalateToSupervisorWhenOverdue: false,
    },
  ],
};
