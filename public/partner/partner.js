// The partner's referral page: no account, no cookies. The link's secret sits in the URL fragment (#...), which the
// browser never sends to a server or in a Referer; this script posts it in a request body.
(function () {
  'use strict';
  var T = {
    en: {
      reportTitle: 'Report from {hotline}', reportIntro: 'The hotline reports a situation to {org} under its reporting rules. Please acknowledge by {due}.', reportKind: 'Report', reportShared: 'What the hotline shares with you', acknowledge: 'Acknowledge the report', kinds: { adult_trafficking: 'Trafficking of an adult', minor_trafficking: 'Trafficking of a minor', imminent_danger: 'Imminent danger' },
      title: 'Referral from {hotline}', intro: 'A person has been referred to {service} ({org}). Please respond by {due}.', needs: 'Needs', shared: 'What the person agreed to share',
      none: 'Nothing else was shared.', status: 'Status', accept: 'Accept the referral', decline: 'Decline', note: 'Note to the hotline (optional)', respondTitle: 'Your answer',
      outcomeTitle: 'Report the outcome', outcome: 'Outcome', send: 'Send the outcome', invalid: 'This link is not valid: it may have expired, been replaced, or the referral may be closed. Please contact the hotline.',
      noToken: 'This page needs the full link you were given.', withdrawn: 'The person has withdrawn their consent. Their details are no longer shown. Please contact the hotline.',
      thanksAccept: 'Thank you: the referral is accepted. Please report the outcome here when you can.', thanksDecline: 'Thank you: the hotline has been told you declined.', thanksOutcome: 'Thank you: the outcome was sent to the hotline.',
      closed: 'This referral is closed. Thank you.', failed: 'Sending failed. Please try again.', expires: 'This link works until {date}.', language: 'Language',
      statuses: { sent: 'Waiting for your answer', accepted: 'Accepted', declined: 'Declined', closed: 'Closed', cancelled: 'Cancelled' },
      outcomes: { contacted: 'We contacted the person', services_provided: 'Services provided', could_not_reach: 'Could not reach the person', declined: 'The person declined services' },
      fields: { given_names: 'Given names', family_names: 'Family names', phone: 'Phone', email: 'Email', languages: 'Languages', age_range: 'Age range', gender: 'Gender', nationality: 'Nationality', message: 'Message from the hotline' },
    },
    es: {
      reportTitle: 'Denuncia de {hotline}', reportIntro: 'La línea comunica una situación a {org} según sus reglas de denuncia. Acuse recibo antes del {due}.', reportKind: 'Denuncia', reportShared: 'Lo que la línea le comunica', acknowledge: 'Acusar recibo de la denuncia', kinds: { adult_trafficking: 'Trata de una persona adulta', minor_trafficking: 'Trata de una persona menor', imminent_danger: 'Peligro inminente' },
      title: 'Derivación de {hotline}', intro: 'Se ha derivado a una persona a {service} ({org}). Responda antes del {due}.', needs: 'Necesidades', shared: 'Lo que la persona aceptó compartir',
      none: 'No se compartió nada más.', status: 'Estado', accept: 'Aceptar la derivación', decline: 'Rechazar', note: 'Nota para la línea (opcional)', respondTitle: 'Su respuesta',
      outcomeTitle: 'Informar del resultado', outcome: 'Resultado', send: 'Enviar el resultado', invalid: 'Este enlace no es válido: puede haber caducado, haber sido sustituido o la derivación puede estar cerrada. Póngase en contacto con la línea.',
      noToken: 'Esta página necesita el enlace completo que recibió.', withdrawn: 'La persona ha retirado su consentimiento. Sus datos ya no se muestran. Póngase en contacto con la línea.',
      thanksAccept: 'Gracias: la derivación está aceptada. Informe aquí del resultado cuando pueda.', thanksDecline: 'Gracias: se ha informado a la línea de que rechazó la derivación.', thanksOutcome: 'Gracias: el resultado se ha enviado a la línea.',
      closed: 'Esta derivación está cerrada. Gracias.', failed: 'No se pudo enviar. Inténtelo de nuevo.', expires: 'Este enlace funciona hasta el {date}.', language: 'Idioma',
      statuses: { sent: 'Esperando su respuesta', accepted: 'Aceptada', declined: 'Rechazada', closed: 'Cerrada', cancelled: 'Cancelada' },
      outcomes: { contacted: 'Contactamos a la persona', services_provided: 'Servicios prestados', could_not_reach: 'No se pudo contactar a la persona', declined: 'La persona rechazó los servicios' },
      fields: { given_names: 'Nombres', family_names: 'Apellidos', phone: 'Teléfono', email: 'Correo electrónico', languages: 'Idiomas', age_range: 'Franja de edad', gender: 'Género', nationality: 'Nacionalidad', message: 'Mensaje de la línea' },
    },
    fr: {
      reportTitle: 'Signalement de {hotline}', reportIntro: 'La ligne signale une situation à {org} selon ses règles de signalement. Merci d’accuser réception avant le {due}.', reportKind: 'Signalement', reportShared: 'Ce que la ligne vous transmet', acknowledge: 'Accuser réception du signalement', kinds: { adult_trafficking: 'Traite d’une personne adulte', minor_trafficking: 'Traite d’une personne mineure', imminent_danger: 'Danger imminent' },
      title: 'Orientation de la part de {hotline}', intro: 'Une personne est orientée vers {service} ({org}). Merci de répondre avant le {due}.', needs: 'Besoins', shared: 'Ce que la personne a accepté de partager',
      none: 'Rien d’autre n’a été partagé.', status: 'État', accept: 'Accepter l’orientation', decline: 'Refuser', note: 'Note pour la ligne (facultatif)', respondTitle: 'Votre réponse',
      outcomeTitle: 'Indiquer le résultat', outcome: 'Résultat', send: 'Envoyer le résultat', invalid: 'Ce lien n’est pas valide : il a peut-être expiré, été remplacé, ou l’orientation est close. Veuillez contacter la ligne.',
      noToken: 'Cette page a besoin du lien complet que vous avez reçu.', withdrawn: 'La personne a retiré son consentement. Ses informations ne sont plus affichées. Veuillez contacter la ligne.',
      thanksAccept: 'Merci : l’orientation est acceptée. Indiquez ici le résultat dès que possible.', thanksDecline: 'Merci : la ligne sait que vous avez refusé.', thanksOutcome: 'Merci : le résultat a été transmis à la ligne.',
      closed: 'Cette orientation est close. Merci.', failed: 'L’envoi a échoué. Veuillez réessayer.', expires: 'Ce lien fonctionne jusqu’au {date}.', language: 'Langue',
      statuses: { sent: 'En attente de votre réponse', accepted: 'Acceptée', declined: 'Refusée', closed: 'Close', cancelled: 'Annulée' },
      outcomes: { contacted: 'Nous avons contacté la personne', services_provided: 'Services fournis', could_not_reach: 'Personne injoignable', declined: 'La personne a refusé les services' },
      fields: { given_names: 'Prénoms', family_names: 'Noms de famille', phone: 'Téléphone', email: 'Courriel', languages: 'Langues', age_range: 'Tranche d’âge', gender: 'Genre', nationality: 'Nationalité', message: 'Message de la ligne' },
    },
  };
  var NEEDS = {
    en: { shelter: 'Shelter', emergency_shelter: 'Emergency shelter', legal: 'Legal assistance', immigration: 'Immigration assistance', medical: 'Medical care', mental_health: 'Mental health', case_management: 'Case management', labour_rights: 'Labour rights' },
    es: { shelter: 'Albergue', emergency_shelter: 'Albergue de emergencia', legal: 'Asistencia jurídica', immigration: 'Asistencia migratoria', medical: 'Atención médica', mental_health: 'Salud mental', case_management: 'Gestión de casos', labour_rights: 'Derechos laborales' },
    fr: { shelter: 'Hébergement', emergency_shelter: 'Hébergement d’urgence', legal: 'Aide juridique', immigration: 'Aide en matière d’immigration', medical: 'Soins médicaux', mental_health: 'Santé mentale', case_management: 'Gestion de cas', labour_rights: 'Droits du travail' },
  };
  var params = new URLSearchParams(location.search);
  var lang = params.get('lang') || (navigator.language || 'en').slice(0, 2).toLowerCase();
  if (!T[lang]) lang = 'en';
  var token = decodeURIComponent(location.hash.replace(/^#/, ''));
  var main = document.getElementById('main');
  var state = { referral: null, message: null, error: null };

  function t(key, vars) {
    var s = T[lang][key] || T.en[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.replace('{' + k + '}', vars[k]); });
    return s;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'onclick' || k === 'onchange' || k === 'onsubmit') node[k] = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function date(iso) {
    try { return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)); } catch (e) { return iso; }
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' })
      .then(function (response) { return response.json().then(function (data) { return { status: response.status, data: data }; }); });
  }

  function render() {
    document.documentElement.lang = lang;
    main.textContent = '';
    var picker = el('select', { id: 'lang', onchange: function (e) { lang = e.target.value; render(); } }, ['en', 'es', 'fr'].map(function (l) {
      var o = el('option', { value: l, text: { en: 'English', es: 'Español', fr: 'Français' }[l] });
      if (l === lang) o.selected = true;
      return o;
    }));
    main.appendChild(el('div', { class: 'lang' }, [el('label', { for: 'lang', text: t('language') }), picker]));
    if (state.error) {
      document.title = t('invalid');
      main.appendChild(el('h1', { text: '—' }));
      main.appendChild(el('p', { class: 'notice', role: 'alert', text: t(state.error) }));
      return;
    }
    var r = state.referral;
    if (!r) return;
    // A report sent to a reporting agency (police unit, child protection) under the jurisdiction's rules.
    var title = t(r.isReport ? 'reportTitle' : 'title', { hotline: r.hotlineName });
    document.title = title;
    main.appendChild(el('h1', { text: title }));
    main.appendChild(el('p', { text: t(r.isReport ? 'reportIntro' : 'intro', { service: r.serviceName, org: r.organizationName, due: date(r.respondBy) }) }));
    if (state.message) main.appendChild(el('p', { class: 'done', role: 'status', text: t(state.message) }));
    var needs = r.needs.map(function (n) { return (NEEDS[lang] && NEEDS[lang][n]) || n.replace(/_/g, ' '); }).join(', ');
    main.appendChild(el('div', { class: 'card' }, [el('dl', {}, [
      el('dt', { text: t('status') }), el('dd', {}, [el('span', { class: 'status', 'data-testid': 'partner-status', text: T[lang].statuses[r.status] || r.status })]),
    ].concat(r.isReport && r.shared && r.shared.report
      ? [el('dt', { text: t('reportKind') }), el('dd', { 'data-testid': 'partner-report-kind', text: T[lang].kinds[r.shared.report] || r.shared.report })]
      : [el('dt', { text: t('needs') }), el('dd', { text: needs })]))]));
    main.appendChild(el('h2', { text: t(r.isReport ? 'reportShared' : 'shared') }));
    if (!r.consentActive) main.appendChild(el('p', { class: 'notice', role: 'alert', text: t('withdrawn') }));
    else {
      var keys = Object.keys(r.shared || {}).filter(function (k) { return k !== 'report'; });
      if (!keys.length) main.appendChild(el('p', { class: 'muted', text: t('none') }));
      else main.appendChild(el('div', { class: 'card' }, [el('dl', { 'data-testid': 'partner-shared' }, keys.reduce(function (list, k) {
        list.push(el('dt', { text: T[lang].fields[k] || k }));
        list.push(el('dd', { text: r.shared[k] == null ? '—' : String(r.shared[k]) }));
        return list;
      }, []))]));
    }
    if (r.status === 'sent') main.appendChild(respondForm());
    else if (r.status === 'accepted') main.appendChild(outcomeForm());
    else if (r.status === 'closed' && !state.message) main.appendChild(el('p', { class: 'done', text: t('closed') }));
    main.appendChild(el('p', { class: 'muted', text: t('expires', { date: date(r.linkExpiresAt) }) }));
  }

  function failure(res) {
    if (res.status === 404) state.error = 'invalid';
    else alertFailed(res);
    render();
  }
  function alertFailed(res) {
    state.message = null;
    var msg = el('p', { class: 'error', role: 'alert', text: (res && res.data && res.data.error && res.data.error.message) || t('failed') });
    main.appendChild(msg);
  }

  function respondForm() {
    var note = el('textarea', { id: 'respond-note', maxlength: '2000' });
    function send(decision) {
      post('/api/partner/referral/respond', { token: token, decision: decision, note: note.value || undefined }).then(function (res) {
        if (res.status !== 200) return failure(res);
        state.referral = res.data.referral;
        state.message = decision === 'accept' ? 'thanksAccept' : 'thanksDecline';
        render();
      }, function () { alertFailed(); });
    }
    return el('fieldset', {}, [
      el('legend', { text: t('respondTitle') }),
      el('label', { for: 'respond-note', text: t('note') }), note,
      el('button', { type: 'button', onclick: function () { send('accept'); }, text: t(state.referral && state.referral.isReport ? 'acknowledge' : 'accept') }),
      el('button', { type: 'button', class: 'secondary', onclick: function () { send('decline'); }, text: t('decline') }),
    ]);
  }

  function outcomeForm() {
    var choices = Object.keys(T[lang].outcomes).map(function (k, i) {
      var input = el('input', { type: 'radio', name: 'outcome', value: k, id: 'outcome-' + k });
      if (i === 0) input.required = true;
      return el('label', { for: 'outcome-' + k }, [input, document.createTextNode(' ' + T[lang].outcomes[k])]);
    });
    var note = el('textarea', { id: 'outcome-note', maxlength: '2000' });
    var form = el('form', { onsubmit: function (e) {
      e.preventDefault();
      var chosen = form.querySelector('input[name=outcome]:checked');
      if (!chosen) return;
      post('/api/partner/referral/outcome', { token: token, outcome: chosen.value, note: note.value || undefined }).then(function (res) {
        if (res.status !== 200) return failure(res);
        state.referral = res.data.referral;
        state.message = 'thanksOutcome';
        render();
      }, function () { alertFailed(); });
    } }, [
      el('fieldset', {}, [el('legend', { text: t('outcomeTitle') })].concat(choices).concat([el('label', { for: 'outcome-note', text: t('note') }), note, el('button', { type: 'submit', text: t('send') })])),
    ]);
    return form;
  }

  if (!token || token.length < 20) { state.error = 'noToken'; render(); return; }
  post('/api/partner/referral', { token: token }).then(function (res) {
    if (res.status !== 200) { state.error = 'invalid'; render(); return; }
    state.referral = res.data.referral;
    render();
  }, function () { state.error = 'invalid'; render(); });
})();
