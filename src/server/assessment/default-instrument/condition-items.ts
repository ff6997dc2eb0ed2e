import { ALL_AGES, BOTH_TYPES, text, yesNo, type ItemInput } from './text.js';

/**
 * Exploitative conditions and observed signs: context items (not means) that still evidence an ILO indicator or a
 * Polaris red-flag group, and minors screening. Minor items are asked only when the person is a minor or the age is
 * not known. The wording is written for Catalyst.
 */
export const conditionItems: ItemInput[] = [
  yesNo({
    id: 'cond_living_conditions',
    domain: 'context',
    ilo: 'abusive_working_and_living_conditions',
    redFlag: 'work_and_living_conditions',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: false,
    text: text(
      'Are the places where the person lives or works unsafe, overcrowded or unhealthy — no proper bed, toilet, food, heating or protective equipment?',
      '¿Los lugares donde la persona vive o trabaja son inseguros, están hacinados o son insalubres: sin cama adecuada, baño, comida, calefacción o equipo de protección?',
      'Les lieux où la personne vit ou travaille sont-ils dangereux, surpeuplés ou insalubres — sans vrai lit, toilettes, nourriture, chauffage ou équipement de protection ?',
    ),
  }),
  yesNo({
    id: 'cond_excessive_hours',
    domain: 'context',
    ilo: 'excessive_overtime',
    redFlag: 'work_and_living_conditions',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: false,
    text: text(
      'Does the person work very long hours or without rest days, more than agreed or more than the law allows?',
      '¿La persona trabaja jornadas muy largas o sin días de descanso, más de lo acordado o de lo que permite la ley?',
      'La personne travaille-t-elle des journées très longues ou sans jour de repos, plus que convenu ou que ce que la loi permet ?',
    ),
  }),
  yesNo({
    id: 'sign_untreated_injury',
    domain: 'context',
    redFlag: 'physical_health',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: false,
    text: text(
      'Does the person have injuries or an illness that they have not been allowed, or able, to get treated?',
      '¿La persona tiene lesiones o una enfermedad que no le han permitido, o no ha podido, atender?',
      'La personne a-t-elle des blessures ou une maladie qu’on ne l’a pas laissée, ou qu’elle n’a pas pu, faire soigner ?',
    ),
  }),
  yesNo({
    id: 'sign_fearful_or_submissive',
    domain: 'context',
    redFlag: 'mental_health',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: false,
    text: text(
      'Does the person seem fearful, anxious, depressed or submissive, especially when the person in control is mentioned or present?',
      '¿La persona parece temerosa, ansiosa, deprimida o sumisa, sobre todo cuando se menciona o está presente quien la controla?',
      'La personne semble-t-elle craintive, anxieuse, déprimée ou soumise, surtout quand on évoque la personne qui la contrôle ou en sa présence ?',
    ),
  }),
  yesNo({
    id: 'sign_branding',
    domain: 'context',
    redFlag: 'physical_health',
    scope: { ages: ALL_AGES, types: ['sex'] },
    short: false,
    text: text(
      'Does the person have tattoos or marks that show “ownership” by someone?',
      '¿La persona tiene tatuajes o marcas que indican que “pertenece” a alguien?',
      'La personne porte-t-elle des tatouages ou des marques signifiant qu’elle « appartient » à quelqu’un ?',
    ),
  }),
];

export const minorItems: ItemInput[] = [
  yesNo({
    id: 'min_adult_benefits',
    domain: 'action',
    redFlag: 'lack_of_control',
    scope: { ages: ['minor'], types: ['sex'] },
    short: true,
    text: text(
      'Does an adult or an older person arrange the minor’s sexual contacts, or receive money or anything of value from them?',
      '¿Un adulto o una persona mayor organiza los contactos sexuales del menor, o recibe dinero u otra cosa de valor por ellos?',
      'Un adulte ou une personne plus âgée organise-t-il les contacts sexuels du mineur, ou en reçoit-il de l’argent ou toute autre chose de valeur ?',
    ),
  }),
  yesNo({
    id: 'min_away_from_guardian',
    domain: 'action',
    scope: { ages: ['minor'], types: BOTH_TYPES },
    short: false,
    text: text(
      'Is the minor living or working away from their parents or legal guardian, under the control of an unrelated adult?',
      '¿El menor vive o trabaja lejos de sus padres o de su tutor legal, bajo el control de un adulto que no es de la familia?',
      'Le mineur vit-il ou travaille-t-il loin de ses parents ou de son tuteur légal, sous le contrôle d’un adulte sans lien familial ?',
    ),
  }),
  yesNo({
    id: 'min_runaway_or_homeless',
    domain: 'context',
    scope: { ages: ['minor'], types: BOTH_TYPES },
    short: false,
    text: text(
      'Has the minor run away or been thrown out, or do they have no safe place to stay?',
      '¿El menor se escapó o lo echaron de casa, o no tiene un lugar seguro donde quedarse?',
      'Le mineur a-t-il fugué ou été mis à la porte, ou n’a-t-il pas d’endroit sûr où dormir ?',
    ),
  }),
  yesNo({
    id: 'min_older_partner_gifts',
    domain: 'context',
    redFlag: 'lack_of_control',
    scope: { ages: ['minor'], types: ['sex'] },
    short: false,
    text: text(
      'Does the minor have a much older “boyfriend”, “girlfriend” or friend who gives them gifts, money, drugs or a place to stay?',
      '¿El menor tiene un “novio”, una “novia” o un amigo mucho mayor que le da regalos, dinero, drogas o un lugar donde quedarse?',
      'Le mineur a-t-il un « petit ami », une « petite amie » ou un ami beaucoup plus âgé qui lui offre des cadeaux, de l’argent, de la drogue ou un hébergement ?',
    ),
  }),
  yesNo({
    id: 'min_unsafe_work',
    domain: 'context',
    ilo: 'abusive_working_and_living_conditions',
    redFlag: 'work_and_living_conditions',
    scope: { ages: ['minor'], types: ['labour'] },
    short: false,
    text: text(
      'Is the minor working instead of going to school, or doing work that is dangerous or unsuitable for their age?',
      '¿El menor trabaja en lugar de ir a la escuela, o hace trabajos peligrosos o inadecuados para su edad?',
      'Le mineur travaille-t-il au lieu d’aller à l’école, ou fait-il un travail dangereux ou inadapté à son âge ?',
    ),
  }),
];
