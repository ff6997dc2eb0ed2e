// The tip form's small helper. The page works without it (plain form posts); with it, the quick exit leaves without
// a trace in the history, files are checked before upload, and a refused post keeps the text and the chosen files.
(function () {
  'use strict';
  var body = document.body;
  var exitUrl = body.getAttribute('data-exit-url') || 'https://www.wikipedia.org/';
  var MAX_FILES = 3;
  var MAX_BYTES = 5 * 1024 * 1024;
  var ACCEPTED = /\.(jpe?g|png|webp|pdf|txt)$/i;

  function clearForms() {
    var forms = document.querySelectorAll('form');
    for (var i = 0; i < forms.length; i++) {
      forms[i].reset();
      var fields = forms[i].querySelectorAll('input:not([type=hidden]):not([type=radio]), textarea');
      for (var j = 0; j < fields.length; j++) fields[j].value = '';
    }
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    clearForms();
    body.style.visibility = 'hidden';
    document.title = '';
    // replace(): this page does not stay in the history, so Back does not bring it back.
    window.location.replace(exitUrl);
  }

  var exitLink = document.getElementById('quick-exit');
  if (exitLink) exitLink.addEventListener('click', quickExit);

  var lastEscape = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var now = Date.now();
    if (now - lastEscape < 1500) quickExit(event);
    lastEscape = now;
  });

  // A page restored from the back-forward cache must not show what was typed.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) clearForms();
  });

  function showErrors(form, messages, heading) {
    var old = document.getElementById('form-errors');
    if (old) old.parentNode.removeChild(old);
    var box = document.createElement('div');
    box.id = 'form-errors';
    box.className = 'error-summary';
    box.setAttribute('role', 'alert');
    box.tabIndex = -1;
    var h = document.createElement('h2');
    h.textContent = heading;
    box.appendChild(h);
    var list = document.createElement('ul');
    for (var i = 0; i < messages.length; i++) {
      var li = document.createElement('li');
      li.textContent = messages[i];
      list.appendChild(li);
    }
    box.appendChild(list);
    form.parentNode.insertBefore(box, form);
    box.focus();
  }

  function checkFiles(form) {
    var input = form.querySelector('input[type=file]');
    if (!input || !input.files) return null;
    var files = input.files;
    if (files.length > MAX_FILES) return form.getAttribute('data-msg-too-many');
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > MAX_BYTES) return form.getAttribute('data-msg-too-large');
      if (!ACCEPTED.test(files[i].name)) return (form.getAttribute('data-msg-type') || '').replace('{name}', files[i].name);
    }
    return null;
  }

  function enhance(form) {
    var button = form.querySelector('button[type=submit]');
    var label = button ? button.textContent : '';
    var busy = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) return;
      var heading = form.getAttribute('data-msg-heading') || '';
      var required = form.querySelector('[data-required]');
      if (required && !required.value.trim()) {
        required.setAttribute('aria-invalid', 'true');
        showErrors(form, [form.getAttribute('data-msg-required')], heading);
        return;
      }
      var fileProblem = checkFiles(form);
      if (fileProblem) {
        showErrors(form, [fileProblem], heading);
        return;
      }
      busy = true;
      if (button) {
        button.disabled = true;
        button.textContent = form.getAttribute('data-msg-sending') || label;
      }
      var done = function () {
        busy = false;
        if (button) {
          button.disabled = false;
          button.textContent = label;
        }
      };
      fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'text/html' }, credentials: 'same-origin', referrerPolicy: 'no-referrer', cache: 'no-store' })
        .then(function (response) {
          return response.text().then(function (html) {
            var page = new DOMParser().parseFromString(html, 'text/html');
            if (response.ok) {
              var main = document.getElementById('main');
              var next = page.getElementById('main');
              if (main && next) {
                main.innerHTML = next.innerHTML;
                var title = document.getElementById('page-title');
                if (title) {
                  title.setAttribute('tabindex', '-1');
                  title.focus();
                }
                window.scrollTo(0, 0);
              }
              return;
            }
            // Refused: show the server's words, take its fresh form token, keep what the person typed and chose.
            var summary = page.getElementById('form-errors');
            var messages = [];
            if (summary) {
              var items = summary.querySelectorAll('li');
              for (var i = 0; i < items.length; i++) messages.push(items[i].textContent);
            }
            if (messages.length === 0) messages.push(form.getAttribute('data-msg-network'));
            var freshToken = page.querySelector('input[name=t]');
            var token = form.querySelector('input[name=t]');
            if (freshToken && token) token.value = freshToken.value;
            var invalid = page.querySelectorAll('[aria-invalid=true]');
            var mine = form.querySelectorAll('[aria-invalid]');
            for (var k = 0; k < mine.length; k++) mine[k].removeAttribute('aria-invalid');
            for (var m = 0; m < invalid.length; m++) {
              var field = invalid[m].id && document.getElementById(invalid[m].id);
              if (field) field.setAttribute('aria-invalid', 'true');
            }
            done();
            showErrors(form, messages, heading);
          });
        })
        .catch(function () {
          done();
          showErrors(form, [form.getAttribute('data-msg-network')], heading);
        });
    });
  }

  var forms = document.querySelectorAll('form[data-enhance]');
  for (var f = 0; f < forms.length; f++) enhance(forms[f]);

  var summary = document.getElementById('form-errors');
  if (summary) summary.focus();
})();
