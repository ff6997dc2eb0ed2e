import { localized as text } from '../../../shared/assessment/vocabulary.js';
import type { ProtocolInput } from '../protocol.schema.js';

/** Referral requests and non-data contacts (Aselo's non-data call types, DOMAIN.md §1 [S50]). */
export const referralRequestProtocol: ProtocolInput = {
  id: 'referral_request',
  version: 1,
  priority: 60,
  title: text('Referral request', 'Solicitud de derivación', 'Demande d’orientation'),
  summary: text(
    'The person asks for services or organisations: find vetted partners and send the referrals.',
    'La persona pide servicios u organizaciones: busque aliados verificados y envíe las derivaciones.',
    'La personne demande des services ou des organismes : trouvez des partenaires vérifiés et transmettez les orientations.',
  ),
  triggers: [{ requestTypes: ['referral_request'] }],
  steps: [
    {
      id: 'clarify_need',
      kind: 'check',
      text: text('Clarify the service needed, the area and the language.', 'Aclare el servicio que necesita, la zona y el idioma.', 'Précisez le service nécessaire, la zone et la langue.'),
      next: 'no_endorsement',
    },
    {
      id: 'no_endorsement',
      kind: 'script',
      text: text('Say that referrals are not endorsements.', 'Aclare que las derivaciones no son recomendaciones.', 'Précisez que les orientations ne sont pas des recommandations.'),
      script: text(
        'These organisations are partners we know, but we cannot guarantee their services. Please tell us if anything goes wrong.',
        'Estas organizaciones son aliadas que conocemos, pero no podemos garantizar sus servicios. Díganos si algo sale mal.',
        'Ces organismes sont des partenaires que nous connaissons, mais nous ne pouvons pas garantir leurs services. Dites-nous si quelque chose se passe mal.',
      ),
    },
  ],
  actions: [
    {
      id: 'send_referrals',
      taskKey: 'send_referrals',
      title: text('Send the requested referrals', 'Enviar las derivaciones solicitadas', 'Transmettre les orientations demandées'),
      ownerRole: 'advocate',
      dueWithinMinutes: 24 * 60,
      escalateToSupervisorWhenOverdue: true,
    },
  ],
};

export const nonDataContactProtocol: ProtocolInput = {
  id: 'non_data_contact',
  version: 1,
  priority: 90,
  title: text('Non-data contact', 'Contacto sin datos', 'Contact sans données'),
  summary: text(
    'Hang-ups, silent, wrong-number, abusive and test contacts: close quickly, keeping the door open for silent callers.',
    'Llamadas colgadas, silenciosas, equivocadas, abusivas y de prueba: cierre rápido, dejando la puerta abierta a quien llama en silencio.',
    'Appels raccrochés, silencieux, erronés, abusifs et de test : clôture rapide, en laissant la porte ouverte aux appels silencieux.',
  ),
  triggers: [{ requestTypes: ['hang_up', 'silent', 'wrong_number', 'abusive', 'test'] }],
  steps: [
    {
      id: 'silent_script',
      kind: 'script',
      text: text('If the line is silent, read the script before closing.', 'Si la línea está en silencio, lea el guion antes de cerrar.', 'Si la ligne est silencieuse, lisez le texte avant de clore.'),
      script: text(
        'If you cannot talk right now, you can text or chat with us at any time. We are here 24 hours a day.',
        'Si no puede hablar ahora, puede escribirnos por mensaje o chat en cualquier momento. Estamos aquí las 24 horas.',
        'Si vous ne pouvez pas parler maintenant, vous pouvez nous écrire par SMS ou par chat à tout moment. Nous sommes là 24 heures sur 24.',
      ),
      next: 'close',
    },
    {
      id: 'close',
      kind: 'check',
      text: text('Close the contact with its non-data type; record no personal details.', 'Cierre el contacto con su tipo sin datos; no registre datos personales.', 'Clôturez le contact avec son type sans données ; n’enregistrez aucune donnée personnelle.'),
    },
  ],
  actions: [
    {
      id: 'close_contact',
      taskKey: 'close_non_data_contact',
      title: text('Close the contact as a non-data contact', 'Cerrar el contacto como contacto sin datos', 'Clore le contact comme contact sans données'),
      ownerRole: 'advocate',
      dueWithinMinutes: 15,
      escalateToSupervisorWhenOverdue: false,
    },
    {
      id: 'review_abusive_contact',
      taskKey: 'review_abusive_contact',
      title: text('Supervisor reviews the abusive contact (block if repeated)', 'La supervisión revisa el contacto abusivo (bloquear si se repite)', 'La supervision examine le contact abusif (bloquer s’il se répète)'),
      ownerRole: 'supervisor',
      dueWithinMinutes: 24 * 60,
      escalateToSupervisorWhenOverdue: false,
      onlyIf: { requestTypes: ['abusive'] },
    },
  ],
};
