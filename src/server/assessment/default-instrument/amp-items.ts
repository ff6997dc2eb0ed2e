import { ALL_AGES, BOTH_TYPES, text, yesNo, type ItemInput } from './text.js';

/**
 * Action and purpose items of the AMP model (DOMAIN.md §1 [S17]): what was done to the person (recruiting,
 * transporting, harbouring, advertising) and for what (commercial sex, labour or services). Means are in
 * means-items.ts. The wording is written for Catalyst.
 */
export const actionItems: ItemInput[] = [
  yesNo({
    id: 'act_recruited',
    domain: 'action',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: true,
    text: text(
      'Did someone recruit the person, offer them this work, or arrange for them to come to where they now work or live?',
      '¿Alguien reclutó a la persona, le ofreció este trabajo o hizo arreglos para que llegara a donde ahora trabaja o vive?',
      'Quelqu’un a-t-il recruté la personne, lui a-t-il proposé ce travail ou organisé sa venue là où elle travaille ou vit aujourd’hui ?',
    ),
  }),
  yesNo({
    id: 'act_transported',
    domain: 'action',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: false,
    text: text(
      'Did someone arrange, pay for or provide the person’s travel, or move them from place to place for work or sex?',
      '¿Alguien organizó, pagó o proporcionó el viaje de la persona, o la trasladó de un lugar a otro para trabajar o para sexo?',
      'Quelqu’un a-t-il organisé, payé ou fourni le voyage de la personne, ou l’a-t-il déplacée d’un endroit à l’autre pour travailler ou pour du sexe ?',
    ),
  }),
  yesNo({
    id: 'act_housed_by_controller',
    domain: 'action',
    redFlag: 'work_and_living_conditions',
    scope: { ages: ALL_AGES, types: BOTH_TYPES },
    short: true,
    text: text(
      'Does the person live in housing provided or controlled by whoever they work for or whoever arranges their work?',
      '¿La persona vive en un alojamiento proporcionado o controlado por quien la emplea o por quien le organiza el trabajo?',
      'La personne vit-elle dans un logement fourni ou contrôlé par son employeur ou par la personne qui organise son travail ?',
    ),
  }),
  yesNo({
    id: 'act_third_party_arranges',
    domain: 'action',
    redFlag: 'lack_of_control',
    scope: { ages: ALL_AGES, types: ['sex'] },
    short: true,
    showIf: { op: 'yes', item: 'pur_commercial_sex' },
    text: text(
      'Does someone else arrange the buyers or “dates”, set the prices, or collect the money?',
      '¿Otra persona consigue a los clientes o las “citas”, fija los precios o cobra el dinero?',
      'Quelqu’un d’autre trouve-t-il les clients ou les « rendez-vous », fixe-t-il les prix ou encaisse-t-il l’argent ?',
    ),
  }),
  yesNo({
    id: 'act_advertised',
    domain: 'action',
    scope: { ages: ALL_AGES, types: ['sex'] },
    short: false,
    showIf: { op: 'any', of: [{ op: 'yes', item: 'pur_commercial_sex' }, { op: 'yes', item: 'pur_sexual_images' }] },
    text: text(
      'Has anyone advertised the person online or elsewhere to find people who pay for sex?',
      '¿Alguien ha anunciado a la persona en internet o en otro lugar para conseguir gente que pague por sexo?',
      'Quelqu’un a-t-il publié des annonces sur la personne, en ligne ou ailleurs, pour trouver des gens qui paient pour du sexe ?',
    ),
  }),
];

export const purposeItems: ItemInput[] = [
  yesNo({
    id: 'pur_commercial_sex',
    domain: 'purpose',
    scope: { ages: ALL_AGES, types: ['sex'] },
    short: true,
    text: text(
      'Has the person exchanged sex or sexual acts for money, a place to stay, food, drugs or anything else of value — or has someone else been paid for it?',
      '¿La persona ha intercambiado sexo o actos sexuales por dinero, un lugar donde quedarse, comida, drogas u otra cosa de valor, o alguien más ha cobrado por ello?',
      'La personne a-t-elle échangé des relations ou des actes sexuels contre de l’argent, un logement, de la nourriture, de la drogue ou toute autre chose de valeur — ou quelqu’un d’autre a-t-il été payé pour cela ?',
    ),
  }),
  yesNo({
    id: 'pur_sexual_images',
    domain: 'purpose',
    scope: { ages: ALL_AGES, types: ['sex'] },
    short: false,
    text: text(
      'Has anyone made, sold or streamed sexual images or videos of the person, or had them perform sexual acts on camera?',
      '¿Alguien ha hecho, vendido o transmitido imágenes o videos sexuales de la persona, o la ha hecho realizar actos sexuales frente a una cámara?',
      'Quelqu’un a-t-il produit, vendu ou diffusé des images ou vidéos sexuelles de la personne, ou lui a-t-il fait accomplir des actes sexuels devant une caméra ?',
    ),
  }),
  yesNo({
    id: 'pur_labour',
    domain: 'purpose',
    scope: { ages: ALL_AGES, types: ['labour'] },
    short: true,
    text: text(
      'Is the person working or providing services for someone, paid or unpaid — in a home, on a farm, in a business, or selling or begging on the street?',
      '¿La persona trabaja o presta servicios para alguien, con o sin pago: en una casa, en el campo, en un negocio, o vendiendo o pidiendo en la calle?',
      'La personne travaille-t-elle ou fournit-elle des services pour quelqu’un, payée ou non — dans une maison, une ferme, une entreprise, ou en vendant ou mendiant dans la rue ?',
    ),
    guidance: text(
      'Answer “no” when the only “work” is commercial sex: that is covered by the commercial-sex question.',
      'Responda “no” si el único “trabajo” es sexo comercial: eso lo cubre la pregunta sobre sexo comercial.',
      'Répondez « non » si le seul « travail » est le sexe tarifé : la question sur le sexe tarifé le couvre.',
    ),
  }),
  yesNo({
    id: 'pur_forced_crime',
    domain: 'purpose',
    scope: { ages: ALL_AGES, types: ['labour'] },
    short: false,
    text: text(
      'Has the person been made to commit crimes — such as selling drugs, stealing or carrying goods — for someone else’s benefit?',
      '¿Han obligado a la persona a cometer delitos, como vender drogas, robar o transportar mercancía, en beneficio de otra persona?',
      'A-t-on fait commettre des délits à la personne — vendre de la drogue, voler, transporter des marchandises — au profit de quelqu’un d’autre ?',
    ),
  }),
];
