/* Behaviour shared by every page. The Content-Security-Policy forbids inline scripts and handlers, so
   pages declare behaviour with data- attributes and this file attaches it. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests that change state carry the CSRF token in the header Django reads.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb && event.detail.verb.toLowerCase() !== "get") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // When the session has ended, an htmx request is redirected to the sign-in page: never swap that page
  // into a fragment. A polling element (data-poll) just stops updating; anything the person did
  // themselves takes them to the sign-in page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var loginPath = document.body.getAttribute("data-login-url");
    if (!xhr || !xhr.responseURL || !loginPath) {
      return;
    }
    if (new URL(xhr.responseURL).pathname === loginPath) {
      event.detail.shouldSwap = false;
      if (!event.detail.elt.closest("[data-poll]")) {
        window.location.assign(xhr.responseURL);
      }
    }
  });

  // <form data-confirm="…">: ask before submitting (revoking a token, and the like).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <select data-autosubmit>: submit the form on change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit();
    }
  });

  // <button data-copy-target="id">: copy the element's value or text to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy-target]") : null;
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) {
      return;
    }
    var text = "value" in source ? source.value : source.textContent;
    navigator.clipboard.writeText(text.trim()).then(function () {
      var done = button.getAttribute("data-copied-label");
      if (done) {
        button.textContent = done;
      }
    });
  });
})();
