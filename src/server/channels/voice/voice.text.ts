import type { Locale } from '../../../shared/roles.js';

/** What callers hear when the access point has no text of its own. Short, calm, and safe to hear on a shared phone. */
export const DEFAULT_GREETINGS: Record<Locale, string> = {
  en: 'Thank you for calling the hotline. This call is confidential. Please stay on the line: an advocate will answer shortly. If you are in immediate danger, hang up and call your local emergency number.',
  es: 'Gracias por llamar a la línea de ayuda. Esta llamada es confidencial. Por favor, permanezca en la línea: una persona de nuestro equipo le atenderá en breve. Si está en peligro inmediato, cuelgue y llame al número de emergencias local.',
  fr: 'Merci d’appeler la ligne d’aide. Cet appel est confidentiel. Veuillez rester en ligne : une intervenante ou un intervenant vous répondra sous peu. Si vous êtes en danger immédiat, raccrochez et composez le numéro d’urgence local.',
};

export const DEFAULT_AFTER_HOURS: Record<Locale, string> = {
  en: 'Thank you for calling the hotline. We are closed right now. Please call again during our opening hours. If you are in immediate danger, hang up and call your local emergency number.',
  es: 'Gracias por llamar a la línea de ayuda. En este momento estamos cerrados. Por favor, vuelva a llamar durante nuestro horario de atención. Si está en peligro inmediato, cuelgue y llame al número de emergencias local.',
  fr: 'Merci d’appeler la ligne d’aide. Nous sommes fermés en ce moment. Veuillez rappeler pendant nos heures d’ouverture. Si vous êtes en danger immédiat, raccrochez et composez le numéro d’urgence local.',
};

export const DEFAULT_HOLD: Record<Locale, string> = {
  en: 'Thank you for waiting. An advocate will be with you as soon as possible.',
  es: 'Gracias por esperar. Una persona de nuestro equipo le atenderá lo antes posible.',
  fr: 'Merci de patienter. Une personne de notre équipe vous répondra dès que possible.',
};

export const DEFAULT_NOT_CONNECTED: Record<Locale, string> = {
  en: 'We are sorry, we cannot connect your call right now. Please call again in a few minutes. If you are in immediate danger, call your local emergency number.',
  es: 'Lo sentimos, no podemos conectar su llamada en este momento. Por favor, vuelva a llamar en unos minutos. Si está en peligro inmediato, llame al número de emergencias local.',
  fr: 'Nous sommes désolés, nous ne pouvons pas prendre votre appel pour le moment. Veuillez rappeler dans quelques minutes. Si vous êtes en danger immédiat, composez le numéro d’urgence local.',
};

/** Twilio <Say language> for a hotline language, by the hotline's country where the accent differs. */
export function sayLanguage(locale: Locale, country: string): string {
  const c = country.toUpperCase();
  if (locale === 'es') return c === 'ES' ? 'es-ES' : 'es-MX';
  if (locale === 'fr') return c === 'CA' ? 'fr-CA' : 'fr-FR';
  if (['GB', 'IE'].includes(c)) return 'en-GB';
  if (c === 'AU') return 'en-AU';
  if (c === 'CA') return 'en-CA';
  return 'en-US';
}
