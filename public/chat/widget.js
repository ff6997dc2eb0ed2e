// Catalyst web chat loader. Paste on a site:
//   <script src="https://<catalyst>/chat/widget.js" data-hotline="<key>" async></script>
// Optional: data-lang="en|es|fr", data-exit-url="https://neutral.example/" (where Quick exit goes).
// It adds one launcher button; the chat itself runs in an iframe served by Catalyst, which only the sites configured
// for this hotline may frame. Nothing of the conversation touches the host page.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.getAttribute('data-hotline')) return;
  if (window.__catalystChatLoaded) return;
  window.__catalystChatLoaded = true;

  var base = new URL(script.src, location.href).origin;
  var key = script.getAttribute('data-hotline');
  var supported = ['en', 'es', 'fr'];
  var lang = (script.getAttribute('data-lang') || document.documentElement.lang || navigator.language || 'en').slice(0, 2).toLowerCase();
  if (supported.indexOf(lang) < 0) lang = 'en';
  var exitUrl = script.getAttribute('data-exit-url') || 'https://www.google.com/';
  var LABELS = {
    en: { open: 'Chat with us', close: 'Close chat', frame: 'Confidential chat' },
    es: { open: 'Chatee con nosotros', close: 'Cerrar el chat', frame: 'Chat confidencial' },
    fr: { open: 'Discutez avec nous', close: 'Fermer la discussion', frame: 'Discussion confidentielle' },
  };
  var L = LABELS[lang];

  var host = document.createElement('div');
  host.setAttribute('data-catalyst-chat', '');
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var css =
    '.launcher{position:fixed;right:16px;bottom:16px;z-index:2147483646;font:600 16px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;' +
    'background:#0b5cad;color:#fff;border:2px solid #fff;border-radius:999px;padding:12px 20px;box-shadow:0 2px 10px rgba(0,0,0,.3);cursor:pointer}' +
    '.launcher:hover{background:#084a8c}.launcher:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}' +
    '.frame{position:fixed;right:16px;bottom:76px;z-index:2147483647;width:min(380px,calc(100vw - 32px));height:min(620px,calc(100vh - 100px));' +
    'border:1px solid #6b7280;border-radius:12px;box-shadow:0 6px 24px rgba(0,0,0,.25);background:#fff}' +
    '@media (max-width:480px){.frame{right:0;bottom:68px;width:100vw;height:calc(100vh - 68px);border-radius:0}}';
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    var style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'launcher';
  button.textContent = L.open;
  button.setAttribute('aria-expanded', 'false');
  root.appendChild(button);

  var frame = null;
  button.addEventListener('click', function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.className = 'frame';
      frame.title = L.frame;
      frame.id = 'catalyst-chat-frame';
      frame.src = base + '/chat/' + encodeURIComponent(key) + '/embed?lang=' + lang;
      frame.setAttribute('referrerpolicy', 'no-referrer');
      root.appendChild(frame);
      button.setAttribute('aria-controls', frame.id);
    } else {
      frame.hidden = !frame.hidden;
    }
    var open = !frame.hidden;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? L.close : L.open;
    if (open) frame.focus();
  });

  // Quick exit, asked for by the chat frame (and only by it): remove every trace from this page and leave it,
  // replacing the history entry so Back does not return here.
  window.addEventListener('message', function (event) {
    if (!frame || event.origin !== base || event.source !== frame.contentWindow) return;
    if (!event.data || event.data.type !== 'catalyst-chat:exit') return;
    host.remove();
    frame = null;
    location.replace(exitUrl);
  });

  if (document.body) document.body.appendChild(host);
  else document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(host); });
})();
