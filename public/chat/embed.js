// Catalyst web chat, the visitor's side (runs in the page /chat/<key>/embed, usually inside the widget's iframe).
// No build step, no dependencies. The session token is kept in sessionStorage (scoped to this tab), never in a cookie.
(function () {
  'use strict';

  var config = {};
  try {
    config = JSON.parse(document.body.getAttribute('data-config') || '{}');
  } catch (e) {
    config = {};
  }
  var KEY = config.key || '';
  var STORE_KEY = 'catalyst-chat:' + KEY;
  var EXIT_URL = 'https://www.google.com/';

  var TEXT = {
    en: {
      title: 'Confidential chat', exit: 'Quick exit', exitHint: 'Leave this page right away',
      intro: 'You can talk with a trained advocate. You do not have to give your name.',
      language: 'Language', nickname: 'First name or nickname (optional)', nicknameHint: 'Only if you want to. You can make one up.',
      safe: 'Are you safe to talk now?', yes: 'Yes', no: 'No', safeRequired: 'Please tell us whether you are safe to talk.',
      safeTip: 'If someone comes, press Quick exit. If you are in immediate danger, call your local emergency number.',
      age: 'Age range (optional)', ageChoose: 'Choose…', under_18: 'Under 18', '18_24': '18 to 24', '25_39': '25 to 39', '40_plus': '40 or over', prefer_not_to_say: 'Prefer not to say',
      start: 'Start chat', privacy: 'Your messages are encrypted and kept confidential. Closing this tab ends your access to the conversation.',
      waiting: 'Thank you. An advocate will answer you soon.', joined: 'An advocate has joined the chat.',
      typing: 'The advocate is typing…', you: 'You', advocate: 'Hotline',
      sending: 'Waiting to send', sent: 'Sent', delivered: 'Delivered', read: 'Read',
      messageLabel: 'Your message', send: 'Send', log: 'Conversation',
      offline: 'Connection lost. Reconnecting… Your messages will be sent when the connection is back.',
      ended: 'This chat has ended. Thank you for reaching out.', newChat: 'Start a new chat',
      expired: 'Your previous chat has ended or expired. You can start a new one.',
      slowDown: 'You are sending messages very fast. Please wait a moment.',
      unavailable: 'The chat is not available right now. Please try again later.',
      closedHeading: 'The chat is closed right now', closed: 'Please come back during our opening hours.',
      closedTip: 'You can write to the hotline now with the online form:', tipLink: 'Open the online form',
      closedEmergency: 'If you are in immediate danger, call your local emergency number.',
      unstaffedHeading: 'Nobody is available to chat right now', unstaffed: 'Please try again in a little while.', checkAgain: 'Check again', hoursTitle: 'Opening hours ({zone} time)', attach: 'Attach a file', fileTooLarge: 'That file is too large (at most 5 MB).', fileType: 'Only photos, PDF documents and text files can be sent.', fileFailed: 'The file could not be sent. Please try again.',
    },
    es: {
      title: 'Chat confidencial', exit: 'Salida rápida', exitHint: 'Salir de esta página de inmediato',
      intro: 'Puede hablar con una persona capacitada. No tiene que dar su nombre.',
      language: 'Idioma', nickname: 'Nombre o apodo (opcional)', nicknameHint: 'Solo si lo desea. Puede inventar uno.',
      safe: '¿Puede hablar con seguridad ahora?', yes: 'Sí', no: 'No', safeRequired: 'Indíquenos si puede hablar con seguridad.',
      safeTip: 'Si alguien se acerca, pulse Salida rápida. Si está en peligro inmediato, llame al número de emergencias local.',
      age: 'Rango de edad (opcional)', ageChoose: 'Elija…', under_18: 'Menos de 18', '18_24': 'De 18 a 24', '25_39': 'De 25 a 39', '40_plus': '40 o más', prefer_not_to_say: 'Prefiero no decirlo',
      start: 'Iniciar chat', privacy: 'Sus mensajes se cifran y se mantienen confidenciales. Al cerrar esta pestaña ya no podrá ver la conversación.',
      waiting: 'Gracias. Una persona de apoyo le responderá pronto.', joined: 'Una persona de apoyo se unió al chat.',
      typing: 'La persona de apoyo está escribiendo…', you: 'Usted', advocate: 'Línea de ayuda',
      sending: 'Pendiente de envío', sent: 'Enviado', delivered: 'Entregado', read: 'Leído',
      messageLabel: 'Su mensaje', send: 'Enviar', log: 'Conversación',
      offline: 'Se perdió la conexión. Reconectando… Sus mensajes se enviarán cuando vuelva la conexión.',
      ended: 'Este chat ha terminado. Gracias por comunicarse.', newChat: 'Iniciar un nuevo chat',
      expired: 'Su chat anterior terminó o caducó. Puede iniciar uno nuevo.',
      slowDown: 'Está enviando mensajes muy rápido. Espere un momento.',
      unavailable: 'El chat no está disponible en este momento. Inténtelo más tarde.',
      closedHeading: 'El chat está cerrado en este momento', closed: 'Vuelva durante nuestro horario de atención.',
      closedTip: 'Puede escribir a la línea ahora con el formulario en línea:', tipLink: 'Abrir el formulario en línea',
      closedEmergency: 'Si está en peligro inmediato, llame al número de emergencias local.',
      unstaffedHeading: 'No hay nadie disponible para chatear en este momento', unstaffed: 'Vuelva a intentarlo en un rato.', checkAgain: 'Volver a comprobar', hoursTitle: 'Horario de atención (hora de {zone})', attach: 'Adjuntar un archivo', fileTooLarge: 'Ese archivo es demasiado grande (máximo 5 MB).', fileType: 'Solo se pueden enviar fotos, documentos PDF y archivos de texto.', fileFailed: 'No se pudo enviar el archivo. Inténtelo de nuevo.',
    },
    fr: {
      title: 'Discussion confidentielle', exit: 'Sortie rapide', exitHint: 'Quitter cette page immédiatement',
      intro: 'Vous pouvez parler avec une personne formée. Vous n’avez pas à donner votre nom.',
      language: 'Langue', nickname: 'Prénom ou surnom (facultatif)', nicknameHint: 'Seulement si vous le souhaitez. Vous pouvez en inventer un.',
      safe: 'Pouvez-vous parler en sécurité maintenant ?', yes: 'Oui', no: 'Non', safeRequired: 'Dites-nous si vous pouvez parler en sécurité.',
      safeTip: 'Si quelqu’un arrive, appuyez sur Sortie rapide. Si vous êtes en danger immédiat, appelez le numéro d’urgence local.',
      age: 'Tranche d’âge (facultatif)', ageChoose: 'Choisir…', under_18: 'Moins de 18 ans', '18_24': '18 à 24 ans', '25_39': '25 à 39 ans', '40_plus': '40 ans ou plus', prefer_not_to_say: 'Je préfère ne pas le dire',
      start: 'Commencer la discussion', privacy: 'Vos messages sont chiffrés et restent confidentiels. En fermant cet onglet, vous n’aurez plus accès à la conversation.',
      waiting: 'Merci. Une personne de l’équipe va vous répondre bientôt.', joined: 'Une personne de l’équipe s’est jointe à la discussion.',
      typing: 'La personne de l’équipe écrit…', you: 'Vous', advocate: 'Ligne d’aide',
      sending: 'En attente d’envoi', sent: 'Envoyé', delivered: 'Remis', read: 'Lu',
      messageLabel: 'Votre message', send: 'Envoyer', log: 'Conversation',
      offline: 'Connexion perdue. Reconnexion… Vos messages seront envoyés dès le retour de la connexion.',
      ended: 'Cette discussion est terminée. Merci de nous avoir écrit.', newChat: 'Commencer une nouvelle discussion',
      expired: 'Votre discussion précédente est terminée ou a expiré. Vous pouvez en commencer une nouvelle.',
      slowDown: 'Vous envoyez des messages très vite. Patientez un instant.',
      unavailable: 'La discussion n’est pas disponible pour le moment. Réessayez plus tard.',
      closedHeading: 'La discussion est fermée pour le moment', closed: 'Revenez pendant nos heures d’ouverture.',
      closedTip: 'Vous pouvez écrire à la ligne dès maintenant avec le formulaire en ligne :', tipLink: 'Ouvrir le formulaire en ligne',
      closedEmergency: 'Si vous êtes en danger immédiat, appelez le numéro d’urgence local.',
      unstaffedHeading: 'Personne n’est disponible pour discuter en ce moment', unstaffed: 'Réessayez un peu plus tard.', checkAgain: 'Vérifier à nouveau', hoursTitle: 'Heures d’ouverture (heure de {zone})', attach: 'Joindre un fichier', fileTooLarge: 'Ce fichier est trop volumineux (5 Mo au plus).', fileType: 'Seuls les photos, les documents PDF et les fichiers texte peuvent être envoyés.', fileFailed: 'Le fichier n’a pas pu être envoyé. Réessayez.',
    },
  };
  var LANGUAGE_NAMES = { en: 'English', es: 'Español', fr: 'Français' };
  var AGE_RANGES = ['under_18', '18_24', '25_39', '40_plus', 'prefer_not_to_say'];
  var languages = (config.languages || ['en', 'es', 'fr']).filter(function (l) { return TEXT[l]; });
  if (languages.length === 0) languages = ['en'];

  // ---- storage: this tab only ----------------------------------------------------------------------------------
  var memory = {};
  function load() {
    try {
      return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || 'null') || {};
    } catch (e) {
      return memory;
    }
  }
  function save() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state.store));
    } catch (e) {
      memory = state.store;
    }
  }
  function forget() {
    try {
      window.sessionStorage.removeItem(STORE_KEY);
    } catch (e) { /* storage unavailable */ }
    memory = {};
  }

  var state = {
    store: load(), // { token, lang, outbox: [{ clientId, body }] }
    lang: 'en',
    ws: null,
    ready: false, // the socket has a session (after start/resume)
    attempt: 0,
    retry: null,
    pendingStart: null,
    ended: false,
    joinedShown: false,
    typingSent: false,
    typingTimer: null,
    remoteTypingTimer: null,
    lastAdvocateId: null,
    readSent: null,
    closedReason: config.closedReason || null,
  };
  if (!state.store.outbox) state.store.outbox = [];
  state.lang = state.store.lang && TEXT[state.store.lang] ? state.store.lang : languages.indexOf(config.lang) >= 0 ? config.lang : languages[0];

  var $ = function (id) { return document.getElementById(id); };
  var t = function (key) { return (TEXT[state.lang] || TEXT.en)[key] || TEXT.en[key] || key; };

  // ---- rendering ------------------------------------------------------------------------------------------------
  function renderTexts() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    $('title').textContent = t('title');
    $('exit').textContent = t('exit');
    $('exit').title = t('exitHint');
    $('intro').textContent = t('intro');
    $('lang-legend').textContent = t('language');
    $('nickname-label').textContent = t('nickname');
    $('nickname-hint').textContent = t('nicknameHint');
    $('safe-legend').textContent = t('safe');
    $('safe-yes').textContent = t('yes');
    $('safe-no').textContent = t('no');
    $('safe-tip').textContent = t('safeTip');
    if (!$('safe-error').hidden) $('safe-error').textContent = t('safeRequired');
    $('age-label').textContent = t('age');
    var age = $('age');
    var chosen = age.value;
    age.textContent = '';
    [''].concat(AGE_RANGES).forEach(function (value) {
      var option = document.createElement('option');
      option.value = value;
      option.textContent = value ? t(value) : t('ageChoose');
      age.appendChild(option);
    });
    age.value = chosen;
    $('start').textContent = t('start');
    $('privacy').textContent = t('privacy');
    $('text-label').textContent = t('messageLabel');
    $('send').textContent = t('send');
    $('attach-label').textContent = t('attach');
    $('attach').title = t('attach');
    $('log').setAttribute('aria-label', t('log'));
    $('ended-text').textContent = t('ended');
    $('new-chat').textContent = t('newChat');
    var items = $('log').querySelectorAll('[data-key]');
    for (var i = 0; i < items.length; i++) items[i].textContent = t(items[i].getAttribute('data-key'));
    var states = $('log').querySelectorAll('.state');
    for (var j = 0; j < states.length; j++) states[j].textContent = t(states[j].getAttribute('data-state'));
    var whos = $('log').querySelectorAll('.who');
    for (var k = 0; k < whos.length; k++) whos[k].textContent = t(whos[k].getAttribute('data-who'));
    if (state.ws && !state.ready && $('conn').textContent) $('conn').textContent = t('offline');
    renderClosed();
  }

  function renderLanguageChoices() {
    renderLanguageBox($('lang-options'), 'lang');
    renderLanguageBox($('closed-lang-options'), 'closed-lang');
  }

  function renderLanguageBox(box, name) {
    box.textContent = '';
    languages.forEach(function (code) {
      var label = document.createElement('label');
      label.className = 'choice';
      label.lang = code;
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = name;
      input.value = code;
      input.checked = code === state.lang;
      input.addEventListener('change', function () {
        state.lang = code;
        var same = document.querySelectorAll('input[value="' + code + '"][name$="lang"]');
        for (var i = 0; i < same.length; i++) same[i].checked = true;
        renderTexts();
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + LANGUAGE_NAMES[code]));
      box.appendChild(label);
    });
  }

  function systemLine(key, text) {
    var li = document.createElement('li');
    li.className = 'system';
    if (key) {
      li.setAttribute('data-key', key);
      li.textContent = t(key);
    } else li.textContent = text;
    $('log').appendChild(li);
    scrollDown();
  }

  function scrollDown() {
    var log = $('log');
    log.scrollTop = log.scrollHeight;
  }

  function findMessage(attr, value) {
    if (!value) return null;
    var nodes = $('log').querySelectorAll('li[' + attr + ']');
    for (var i = 0; i < nodes.length; i++) if (nodes[i].getAttribute(attr) === value) return nodes[i];
    return null;
  }

  /** Adds a message once (by server id or client id), or updates its state. */
  function showMessage(m) {
    var li = findMessage('data-id', m.id) || findMessage('data-client-id', m.clientId);
    if (!li) {
      li = document.createElement('li');
      li.className = 'msg ' + m.from;
      var who = document.createElement('span');
      who.className = 'who';
      who.setAttribute('data-who', m.from === 'visitor' ? 'you' : 'advocate');
      who.textContent = t(m.from === 'visitor' ? 'you' : 'advocate');
      var body = document.createElement('span');
      body.className = 'body';
      body.textContent = m.body;
      li.appendChild(who);
      li.appendChild(body);
      if (m.from === 'visitor') {
        var st = document.createElement('span');
        st.className = 'state';
        li.appendChild(st);
      }
      $('log').appendChild(li);
      scrollDown();
    }
    if (m.id) li.setAttribute('data-id', m.id);
    if (m.clientId) li.setAttribute('data-client-id', m.clientId);
    if (m.from === 'visitor' && m.status) setState(li, m.status);
    if (m.from === 'advocate' && m.id) {
      state.lastAdvocateId = m.id;
      sendRead();
    }
    return li;
  }

  var ORDER = { sending: 0, sent: 1, delivered: 2, read: 3 };
  function setState(li, status) {
    var st = li.querySelector('.state');
    if (!st) return;
    var current = st.getAttribute('data-state');
    if (current && ORDER[current] > ORDER[status]) return; // states only move forward
    st.setAttribute('data-state', status);
    st.textContent = t(status);
  }

  /** "read up to X": every visitor message before X (in screen order) is read too. */
  function markReadUpto(id) {
    var nodes = $('log').querySelectorAll('li.msg.visitor');
    var upto = findMessage('data-id', id);
    if (!upto) return;
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].compareDocumentPosition(upto) & Node.DOCUMENT_POSITION_FOLLOWING || nodes[i] === upto) {
        if (nodes[i].getAttribute('data-id')) setState(nodes[i], 'read');
      }
    }
  }

  function setConn(text) {
    $('conn').textContent = text;
  }

  function showView(view) {
    $('closed').hidden = view !== 'closed';
    $('prechat').hidden = view !== 'prechat';
    $('chat').hidden = view !== 'chat';
  }

  // Outside the opening hours: the hotline's own after-hours message (else ours) and, if the hotline has one, its
  // web tip form, which is open around the clock.
  // The opening hours, Monday first, weekday names in the visitor's language; times as configured (the hotline's zone).
  var WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  function weekdayName(day) {
    // 2024-01-01 was a Monday.
    var date = new Date(Date.UTC(2024, 0, 1 + WEEK.indexOf(day), 12));
    try {
      return new Intl.DateTimeFormat(state.lang, { weekday: 'long', timeZone: 'UTC' }).format(date);
    } catch (e) {
      return day;
    }
  }
  function renderHours(hours) {
    var list = $('closed-hours');
    list.textContent = '';
    $('closed-hours-box').hidden = hours.length === 0;
    if (hours.length === 0) return;
    var zone = (config.timeZone || '').split('/').pop().replace(/_/g, ' ');
    $('closed-hours-title').textContent = t('hoursTitle').replace('{zone}', zone);
    hours.slice().sort(function (a, b) { return WEEK.indexOf(a.day) - WEEK.indexOf(b.day) || (a.open < b.open ? -1 : 1); }).forEach(function (slot) {
      var li = document.createElement('li');
      var close = slot.close === '00:00' || slot.close === '24:00' ? '24:00' : slot.close;
      li.textContent = weekdayName(slot.day) + ' ' + slot.open + '–' + close;
      list.appendChild(li);
    });
  }

  function renderClosed() {
    var unstaffed = state.closedReason === 'unstaffed';
    var own = !unstaffed && config.afterHours && config.afterHours[state.lang];
    $('closed-heading').textContent = t(unstaffed ? 'unstaffedHeading' : 'closedHeading');
    $('closed-text').textContent = own || t(unstaffed ? 'unstaffed' : 'closed');
    $('closed-emergency').textContent = t('closedEmergency');
    $('closed-retry').textContent = t('checkAgain');
    renderHours(unstaffed ? [] : config.hours || []);
    $('closed-lang-legend').textContent = t('language');
    $('closed-lang-set').hidden = languages.length < 2;
    if (config.tipPath) {
      $('closed-tip').hidden = false;
      $('closed-tip-text').textContent = t('closedTip');
      $('tip-link').textContent = t('tipLink');
      $('tip-link').href = config.tipPath + '/' + encodeURIComponent(state.lang);
    }
  }

  function showEnded() {
    state.ended = true;
    $('composer').hidden = true;
    $('ended').hidden = false;
    $('typing').textContent = '';
  }

  // ---- the socket -----------------------------------------------------------------------------------------------
  function socketUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/chat/visitor?hotline=' + encodeURIComponent(KEY);
  }

  function send(frame) {
    if (state.ws && state.ws.readyState === 1) {
      state.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function connect() {
    if (state.ws && (state.ws.readyState === 0 || state.ws.readyState === 1)) return;
    var ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    state.ready = false;
    ws.onopen = function () {
      if (state.store.token) send({ type: 'resume', token: state.store.token });
      else if (state.pendingStart) send(state.pendingStart);
    };
    ws.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      onFrame(frame);
    };
    ws.onclose = function () {
      if (state.ws !== ws) return;
      state.ready = false;
      state.ws = null;
      if (state.exiting || state.ended) return;
      if (state.store.token || state.pendingStart) setConn(t('offline'));
      scheduleReconnect();
    };
  }

  /** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 15 s; at once when the browser says it is online. */
  function scheduleReconnect() {
    if (state.retry) return;
    var delay = Math.min(15000, 500 * Math.pow(2, state.attempt)) * (0.5 + Math.random());
    state.attempt++;
    state.retry = setTimeout(function () {
      state.retry = null;
      connect();
    }, delay);
  }

  window.addEventListener('online', function () {
    if (state.retry) {
      clearTimeout(state.retry);
      state.retry = null;
    }
    state.attempt = 0;
    if (state.store.token || state.pendingStart) connect();
  });

  function onFrame(frame) {
    switch (frame.type) {
      case 'session':
        state.ready = true;
        state.attempt = 0;
        state.pendingStart = null;
        setConn('');
        if (frame.token) state.store.token = frame.token;
        state.store.lang = frame.language || state.lang;
        save();
        if (!frame.resumed) $('log').textContent = '';
        showView('chat');
        if ($('log').children.length === 0) {
          var greeting = config.greetings && config.greetings[state.lang];
          if (greeting) systemLine(null, greeting);
          systemLine('waiting');
        }
        (frame.messages || []).forEach(function (m) {
          showMessage(m);
        });
        // What the server already has is done; the rest of the outbox goes (again) now. The server stores each
        // client id once, so a message that did arrive before the connection dropped is not stored twice.
        var known = {};
        (frame.messages || []).forEach(function (m) {
          if (m.clientId) known[m.clientId] = true;
        });
        state.store.outbox = state.store.outbox.filter(function (item) {
          return !known[item.clientId];
        });
        save();
        if (frame.ended) showEnded();
        else flushOutbox();
        break;
      case 'ack': {
        state.store.outbox = state.store.outbox.filter(function (item) {
          return item.clientId !== frame.clientId;
        });
        save();
        var li = findMessage('data-client-id', frame.clientId);
        if (li) {
          li.setAttribute('data-id', frame.id);
          setState(li, 'delivered');
        }
        break;
      }
      case 'message':
        if (frame.message) showMessage(frame.message);
        $('typing').textContent = '';
        break;
      case 'typing':
        $('typing').textContent = frame.on ? t('typing') : '';
        clearTimeout(state.remoteTypingTimer);
        if (frame.on) state.remoteTypingTimer = setTimeout(function () { $('typing').textContent = ''; }, 8000);
        break;
      case 'status':
        if (frame.status === 'read') markReadUpto(frame.upto);
        break;
      case 'joined':
        if (!state.joinedShown) {
          state.joinedShown = true;
          systemLine('joined');
        }
        break;
      case 'ended':
        if (frame.by !== 'visitor') showEnded();
        break;
      case 'error':
        onError(frame);
        break;
    }
  }

  function onError(frame) {
    if (frame.session === 'expired') {
      // The token no longer opens a session: start over, keeping nothing of the old one.
      state.store = { outbox: [], lang: state.lang };
      forget();
      $('log').textContent = '';
      state.joinedShown = false;
      showView('prechat');
      var notice = $('prechat-notice');
      notice.textContent = t('expired');
      notice.hidden = false;
      return;
    }
    if (frame.clientId && (frame.code === 'rate_limited' || frame.code === 'internal_error')) {
      if (frame.code === 'rate_limited') setConn(t('slowDown'));
      setTimeout(function () {
        setConn('');
        flushOutbox();
      }, 3000);
      return;
    }
    if (frame.code === 'chat_closed') {
      // The hours ended (or the last advocate left) while the questions were being answered.
      state.closedReason = frame.reason || 'hours';
      renderClosed();
      $('start').disabled = false;
      showView('closed');
      $('closed-heading').focus();
      return;
    }
    if (frame.code === 'conflict' && frame.clientId) {
      showEnded();
      return;
    }
    if (frame.code === 'rate_limited') setConn(t('slowDown'));
    else if (!frame.clientId && frame.code !== 'validation_failed') setConn(t('unavailable'));
  }

  var inFlight = {};
  function flushOutbox() {
    if (!state.ready) return;
    state.store.outbox.forEach(function (item) {
      if (send({ type: 'message', clientId: item.clientId, body: item.body })) {
        var li = findMessage('data-client-id', item.clientId);
        if (li) setState(li, 'sent');
        inFlight[item.clientId] = true;
      }
    });
  }

  function newClientId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function sendRead() {
    if (!state.ready || !state.lastAdvocateId || document.visibilityState !== 'visible') return;
    if (state.readSent === state.lastAdvocateId) return;
    if (send({ type: 'read', upto: state.lastAdvocateId })) state.readSent = state.lastAdvocateId;
  }
  document.addEventListener('visibilitychange', sendRead);

  function typing(on) {
    if (state.typingSent === on) return;
    if (send({ type: 'typing', on: on })) state.typingSent = on;
  }

  // ---- quick exit -----------------------------------------------------------------------------------------------
  function quickExit() {
    state.exiting = true;
    send({ type: 'leave' });
    forget();
    document.body.textContent = '';
    if (window.top !== window.self) {
      // The widget on the host page removes this frame and replaces the host page; if it cannot, try ourselves.
      window.parent.postMessage({ type: 'catalyst-chat:exit' }, '*');
      setTimeout(function () {
        try {
          window.top.location.replace(EXIT_URL);
        } catch (e) {
          location.replace(EXIT_URL);
        }
      }, 300);
    } else {
      location.replace(EXIT_URL);
    }
  }

  // ---- wiring ---------------------------------------------------------------------------------------------------
  $('exit').addEventListener('click', quickExit);
  // The page says whether the line is open when it is served: asking again is loading it again (same language).
  $('closed-retry').addEventListener('click', function () {
    location.replace(location.pathname + '?lang=' + encodeURIComponent(state.lang));
  });

  $('prechat').addEventListener('submit', function (event) {
    event.preventDefault();
    var safe = document.querySelector('input[name="safe"]:checked');
    if (!safe) {
      $('safe-error').hidden = false;
      $('safe-error').textContent = t('safeRequired');
      document.querySelector('input[name="safe"]').focus();
      return;
    }
    $('safe-error').hidden = true;
    var frame = { type: 'start', language: state.lang, safeToTalk: safe.value };
    var nickname = $('nickname').value.trim();
    if (nickname) frame.nickname = nickname.slice(0, 60);
    if ($('age').value) frame.ageRange = $('age').value;
    state.pendingStart = frame;
    state.store.lang = state.lang;
    $('prechat-notice').hidden = true;
    $('start').disabled = true;
    setTimeout(function () { $('start').disabled = false; }, 3000);
    if (state.ws && state.ws.readyState === 1) send(frame);
    else connect();
  });

  document.querySelectorAll('input[name="safe"]').forEach(function (input) {
    input.addEventListener('change', function () {
      $('safe-error').hidden = true;
      $('safe-tip').hidden = input.value !== 'no';
    });
  });

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('text').value;
    if (!text.trim() || state.ended) return;
    var item = { clientId: newClientId(), body: text.slice(0, 4000) };
    state.store.outbox.push(item);
    save();
    showMessage({ clientId: item.clientId, from: 'visitor', body: item.body, status: 'sending' });
    $('text').value = '';
    typing(false);
    flushOneOrWait(item);
    $('text').focus();
  });

  // ---- files: sent over HTTP with the session token (the socket carries text only) ---------------------------------
  var MAX_FILE_BYTES = 5 * 1024 * 1024;
  function sendFile(file) {
    if (!state.store.token || state.ended) return;
    if (file.size > MAX_FILE_BYTES) return systemLine('fileTooLarge');
    var clientId = newClientId();
    var li = showMessage({ clientId: clientId, from: 'visitor', body: '\uD83D\uDCCE ' + file.name, status: 'sending' });
    var url = '/api/chat/visitor/files?hotline=' + encodeURIComponent(KEY) + '&clientId=' + clientId + '&name=' + encodeURIComponent(file.name.slice(0, 200));
    var fail = function (key) {
      if (li.parentNode) li.parentNode.removeChild(li);
      systemLine(key);
    };
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-chat-token': state.store.token }, body: file })
      .then(function (response) {
        if (response.status === 201) {
          return response.json().then(function (result) {
            showMessage({ id: result.message.id, clientId: clientId, from: 'visitor', status: 'delivered' });
          });
        }
        fail(response.status === 415 ? 'fileType' : response.status === 413 ? 'fileTooLarge' : 'fileFailed');
      })
      .catch(function () { fail('fileFailed'); });
  }

  function flushOneOrWait(item) {
    if (state.ready && send({ type: 'message', clientId: item.clientId, body: item.body })) {
      var li = findMessage('data-client-id', item.clientId);
      if (li) setState(li, 'sent');
    } else if (!state.ws) connect();
  }

  $('attach').addEventListener('click', function () { $('file').click(); });
  $('file').addEventListener('change', function () {
    var file = $('file').files && $('file').files[0];
    $('file').value = '';
    if (file) sendFile(file);
  });

  $('text').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('text').addEventListener('input', function () {
    clearTimeout(state.typingTimer);
    if ($('text').value) {
      typing(true);
      state.typingTimer = setTimeout(function () { typing(false); }, 4000);
    } else typing(false);
  });

  $('new-chat').addEventListener('click', function () {
    state.store = { outbox: [], lang: state.lang };
    forget();
    state.ended = false;
    state.joinedShown = false;
    $('log').textContent = '';
    $('composer').hidden = false;
    $('ended').hidden = true;
    if (state.ws) state.ws.close();
    state.ws = null;
    showView(config.open === false ? 'closed' : 'prechat');
  });

  renderLanguageChoices();
  renderTexts();
  if (state.store.token) {
    // A reload or a return to this tab: resume the conversation with the tab's token.
    showView('chat');
    connect();
  } else {
    showView(config.open === false ? 'closed' : 'prechat');
  }
})();
