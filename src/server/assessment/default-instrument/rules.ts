import type { InstrumentInput } from '../../../shared/assessment/instrument.schema.js';
import { text } from './text.js';

type RuleInput = InstrumentInput['rules'][number];
const BOTH: ('sex' | 'labour')[] = ['sex', 'labour'];

/**
 * The default rules. Hard rules are legal floors; combination rules encode the AMP model (one action, one means and
 * one purpose = trafficking under US law, DOMAIN.md §1) and the ILO guidance that one indicator may suffice but
 * several are usually needed (DOMAIN.md §3). A level for a type always needs evidence of that type's purpose, except
 * the minors rules, so domestic violence or smuggling without exploitation stays at "none".
 * These thresholds are Catalyst's own synthesis, not a validated scale: hotlines should review them (docs/assessment.md).
 */
export const defaultRules: RuleInput[] = [
  {
    id: 'minor_in_commercial_sex',
    kind: 'hard',
    types: ['sex'],
    level: 'high',
    when: {
      op: 'all',
      of: [
        { op: 'person', is: 'minor' },
        { op: 'any', of: [{ op: 'yes', item: 'pur_commercial_sex' }, { op: 'yes', item: 'pur_sexual_images' }, { op: 'yes', item: 'min_adult_benefits' }] },
      ],
    },
    text: text(
      'A minor involved in commercial sex is a victim of sex trafficking, whether or not force, fraud or coercion is present.',
      'Un menor involucrado en sexo comercial es víctima de trata con fines de explotación sexual, haya o no fuerza, fraude o coerción.',
      'Un mineur impliqué dans le sexe tarifé est victime de traite à des fins d’exploitation sexuelle, qu’il y ait ou non force, fraude ou contrainte.',
    ),
  },
  {
    id: 'amp_all_elements',
    kind: 'combination',
    types: BOTH,
    level: 'high',
    when: { op: 'all', of: [{ op: 'amp', element: 'action' }, { op: 'amp', element: 'means' }, { op: 'amp', element: 'purpose' }] },
    text: text(
      'An action, a means (force, fraud or coercion) and a purpose of exploitation are all present.',
      'Están presentes una acción, un medio (fuerza, fraude o coerción) y un fin de explotación.',
      'Une action, un moyen (force, fraude ou contrainte) et une finalité d’exploitation sont tous présents.',
    ),
  },
  {
    id: 'purpose_means_three_indicators',
    kind: 'combination',
    types: BOTH,
    level: 'high',
    when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'amp', element: 'means' }, { op: 'iloCount', atLeast: 3 }] },
    text: text(
      'Exploitation with force, fraud or coercion and at least three ILO forced-labour indicators.',
      'Explotación con fuerza, fraude o coerción y al menos tres indicadores de trabajo forzoso de la OIT.',
      'Exploitation avec force, fraude ou contrainte et au moins trois indicateurs de travail forcé de l’OIT.',
    ),
  },
  {
    id: 'purpose_means_weighted',
    kind: 'combination',
    types: BOTH,
    level: 'high',
    when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'amp', element: 'means' }, { op: 'score', atLeast: 8 }] },
    text: text(
      'Exploitation with force, fraud or coercion, and the weighted indicators (violence, documents, confinement, threats, wages, debt) reach 8.',
      'Explotación con fuerza, fraude o coerción, y los indicadores ponderados (violencia, documentos, encierro, amenazas, salario, deuda) suman 8.',
      'Exploitation avec force, fraude ou contrainte, et les indicateurs pondérés (violence, papiers, enfermement, menaces, salaire, dette) atteignent 8.',
    ),
  },
  {
    id: 'purpose_and_means',
    kind: 'combination',
    types: BOTH,
    level: 'moderate',
    when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'amp', element: 'means' }] },
    text: text(
      'Exploitation together with force, fraud or coercion.',
      'Explotación junto con fuerza, fraude o coerción.',
      'Exploitation accompagnée de force, de fraude ou de contrainte.',
    ),
  },
  {
    id: 'purpose_two_indicators',
    kind: 'combination',
    types: BOTH,
    level: 'moderate',
    when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'iloCount', atLeast: 2 }] },
    text: text(
      'Exploitation with at least two ILO forced-labour indicators.',
      'Explotación con al menos dos indicadores de trabajo forzoso de la OIT.',
      'Exploitation avec au moins deux indicateurs de travail forcé de l’OIT.',
    ),
  },
  {
    id: 'possible_minor_sold_by_third_party',
    kind: 'combination',
    types: ['sex'],
    level: 'moderate',
    when: { op: 'all', of: [{ op: 'person', is: 'unknown_age' }, { op: 'yes', item: 'min_adult_benefits' }, { op: 'amp', element: 'purpose' }] },
    text: text(
      'Someone else profits from the commercial sex of a person whose age is not known: establish the age, it may be a minor.',
      'Otra persona se beneficia del sexo comercial de alguien cuya edad no se conoce: averigüe la edad, podría ser menor.',
      'Quelqu’un d’autre profite du sexe tarifé d’une personne dont l’âge est inconnu : établissez l’âge, il peut s’agir d’un mineur.',
    ),
  },
  {
    id: 'minor_labour_under_control',
    kind: 'combination',
    types: ['labour'],
    level: 'moderate',
    when: {
      op: 'all',
      of: [
        { op: 'person', is: 'minor' },
        { op: 'amp', element: 'purpose' },
        { op: 'any', of: [{ op: 'yes', item: 'min_unsafe_work' }, { op: 'yes', item: 'min_away_from_guardian' }] },
      ],
    },
    text: text(
      'A minor works in unsafe conditions or under the control of an unrelated adult.',
      'Un menor trabaja en condiciones inseguras o bajo el control de un adulto ajeno a su familia.',
      'Un mineur travaille dans des conditions dangereuses ou sous le contrôle d’un adulte sans lien familial.',
    ),
  },
  {
    id: 'purpose_with_one_indicator',
    kind: 'combination',
    types: BOTH,
    level: 'low',
    when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'any', of: [{ op: 'iloCount', atLeast: 1 }, { op: 'redFlagCount', atLeast: 1 }] }] },
    text: text(
      'Work or commercial sex with at least one ILO indicator or red flag.',
      'Trabajo o sexo comercial con al menos un indicador de la OIT o una señal de alerta.',
      'Travail ou sexe tarifé avec au moins un indicateur de l’OIT ou un signal d’alerte.',
    ),
  },
  {
    id: 'commercial_sex_third_party',
    kind: 'combination',
    types: ['sex'],
    level: 'low',
    when: { op: 'all', of: [{ op: 'amp', element: 'purpose' }, { op: 'any', of: [{ op: 'yes', item: 'act_third_party_arranges' }, { op: 'yes', item: 'act_advertised' }] }] },
    text: text(
      'A third party arranges or advertises the person’s commercial sex.',
      'Un tercero organiza o anuncia el sexo comercial de la persona.',
      'Un tiers organise ou fait la publicité du sexe tarifé de la personne.',
    ),
  },
  {
    id: 'minor_grooming_signs',
    kind: 'combination',
    types: ['sex'],
    level: 'low',
    when: { op: 'all', of: [{ op: 'person', is: 'minor_or_unknown_age' }, { op: 'yes', item: 'min_older_partner_gifts' }] },
    text: text(
      'A possible minor receives gifts, money or shelter from a much older person: a sign of grooming for sexual exploitation.',
      'Una persona posiblemente menor recibe regalos, dinero o alojamiento de alguien mucho mayor: señal de captación para explotación sexual.',
      'Une personne peut-être mineure reçoit cadeaux, argent ou hébergement d’une personne beaucoup plus âgée : signe de manipulation en vue d’exploitation sexuelle.',
    ),
  },
];
