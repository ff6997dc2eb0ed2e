import { text, type ItemInput } from './text.js';

/**
 * Context items: they evidence no AMP element but open the right follow-up questions (nationality), point to a
 * Polaris typology type (setting), or help tell trafficking apart from smuggling and intimate-partner violence.
 */
export const contextItems: ItemInput[] = [
  {
    id: 'ctx_nationality',
    domain: 'context',
    scope: { ages: ['adult', 'minor'], types: ['sex', 'labour'] },
    short: true,
    text: text(
      'Is the person a national of this country, or a foreign national?',
      '¿La persona es nacional de este país o extranjera?',
      'La personne est-elle ressortissante de ce pays ou étrangère ?',
    ),
    answer: {
      type: 'choice',
      options: [
        { id: 'national', label: text('National', 'Nacional', 'Ressortissante') },
        { id: 'foreign_national', label: text('Foreign national', 'Extranjera', 'Étrangère') },
      ],
    },
  },
  {
    id: 'ctx_setting',
    domain: 'context',
    scope: { ages: ['adult', 'minor'], types: ['sex', 'labour'] },
    short: true,
    text: text(
      'Where does the work or the commercial sex mainly take place?',
      '¿Dónde se realiza principalmente el trabajo o el sexo comercial?',
      'Où le travail ou le sexe tarifé a-t-il principalement lieu ?',
    ),
    guidance: text(
      'Used to suggest a Polaris typology type; the advocate confirms the classification.',
      'Sirve para sugerir un tipo de la tipología de Polaris; la persona consejera confirma la clasificación.',
      'Sert à suggérer un type de la typologie de Polaris ; l’intervenant·e confirme la classification.',
    ),
    answer: {
      type: 'choice',
      options: [
        { id: 'escort_or_online_ads', label: text('Escort services or online ads', 'Servicios de acompañantes o anuncios en línea', 'Services d’escorte ou annonces en ligne'), polarisTypes: [1] },
        { id: 'massage_or_spa', label: text('Massage parlour or spa', 'Salón de masajes o spa', 'Salon de massage ou spa'), polarisTypes: [2] },
        { id: 'street', label: text('On the street', 'En la calle', 'Dans la rue'), polarisTypes: [3] },
        { id: 'private_residence_brothel', label: text('A private house or flat used for commercial sex', 'Una casa o departamento privado usado para sexo comercial', 'Une maison ou un appartement privé servant au sexe tarifé'), polarisTypes: [4] },
        { id: 'domestic_work', label: text('Domestic work in a private home', 'Trabajo doméstico en un hogar', 'Travail domestique chez un particulier'), polarisTypes: [5] },
        { id: 'bar_club_cantina', label: text('Bar, strip club or cantina', 'Bar, club de striptease o cantina', 'Bar, club de striptease ou cantina'), polarisTypes: [6] },
        { id: 'pornography_or_webcam', label: text('Pornography or live webcam', 'Pornografía o cámara web en vivo', 'Pornographie ou webcam en direct'), polarisTypes: [7, 21] },
        { id: 'traveling_sales_crew', label: text('Travelling sales crew', 'Equipo de ventas ambulante', 'Équipe de vente itinérante'), polarisTypes: [8] },
        { id: 'restaurant', label: text('Restaurant or food service', 'Restaurante o servicio de comidas', 'Restaurant ou restauration'), polarisTypes: [9] },
        { id: 'peddling_or_begging', label: text('Street selling or begging', 'Venta ambulante o mendicidad', 'Vente de rue ou mendicité'), polarisTypes: [10] },
        { id: 'agriculture', label: text('Farm, agriculture or animal husbandry', 'Granja, agricultura o ganadería', 'Ferme, agriculture ou élevage'), polarisTypes: [11] },
        { id: 'beauty_salon', label: text('Nail or beauty salon', 'Salón de uñas o de belleza', 'Onglerie ou salon de beauté'), polarisTypes: [13] },
        { id: 'construction', label: text('Construction', 'Construcción', 'Construction'), polarisTypes: [14] },
        { id: 'hotel', label: text('Hotel or hospitality', 'Hotel u hostelería', 'Hôtellerie'), polarisTypes: [15] },
        { id: 'landscaping', label: text('Landscaping or gardening', 'Jardinería o paisajismo', 'Aménagement paysager ou jardinage'), polarisTypes: [16] },
        { id: 'forced_criminal_activity', label: text('Drug selling or other criminal activity', 'Venta de drogas u otra actividad delictiva', 'Vente de drogue ou autre activité criminelle'), polarisTypes: [17] },
        { id: 'commercial_cleaning', label: text('Commercial cleaning', 'Limpieza comercial', 'Nettoyage commercial'), polarisTypes: [19] },
        { id: 'factory', label: text('Factory or manufacturing', 'Fábrica o manufactura', 'Usine ou fabrication'), polarisTypes: [20] },
        { id: 'carnival', label: text('Carnival or fair', 'Feria ambulante', 'Fête foraine'), polarisTypes: [22] },
        { id: 'forestry', label: text('Forestry or logging', 'Silvicultura o tala', 'Foresterie ou exploitation forestière'), polarisTypes: [23] },
        { id: 'health_care', label: text('Health or care work', 'Salud o cuidado de personas', 'Santé ou soins aux personnes'), polarisTypes: [24] },
        { id: 'other_setting', label: text('Other or not known', 'Otro o no se sabe', 'Autre ou inconnu') },
      ],
    },
  },
  {
    id: 'ctx_smuggling_fee',
    domain: 'context',
    scope: { ages: ['adult', 'minor'], types: ['sex', 'labour'] },
    short: false,
    showIf: { op: 'answer', item: 'ctx_nationality', in: ['foreign_national'] },
    text: text(
      'Did the person pay, or agree to pay, someone to help them cross a border?',
      '¿La persona pagó, o aceptó pagar, a alguien para que la ayudara a cruzar una frontera?',
      'La personne a-t-elle payé, ou accepté de payer, quelqu’un pour l’aider à passer une frontière ?',
    ),
    guidance: text(
      'Smuggling alone is not trafficking: look for what happened after arrival (debt, control, threats).',
      'El tráfico ilícito de migrantes por sí solo no es trata: observe lo que pasó después de la llegada (deuda, control, amenazas).',
      'Le trafic de migrants seul n’est pas de la traite : regardez ce qui s’est passé après l’arrivée (dette, contrôle, menaces).',
    ),
    answer: { type: 'yes_no' },
  },
  {
    id: 'ctx_controller_is_partner_or_family',
    domain: 'context',
    scope: { ages: ['adult', 'minor'], types: ['sex', 'labour'] },
    short: false,
    text: text(
      'Is the person who controls them an intimate partner or a family member?',
      '¿Quien la controla es su pareja o un familiar?',
      'La personne qui la contrôle est-elle un·e partenaire intime ou un membre de la famille ?',
    ),
    guidance: text(
      'Partners and relatives can be traffickers; this answer alone neither raises nor lowers a level.',
      'Las parejas y los familiares pueden ser tratantes; esta respuesta por sí sola no sube ni baja el nivel.',
      'Partenaires et proches peuvent être trafiquants ; cette réponse seule ne change pas le niveau.',
    ),
    answer: { type: 'yes_no' },
  },
];
