// Etalase's own script: small, optional help on top of pages that work without
// it. Served from this origin (the CSP allows no inline script).
//
//  - A form that is being sent cannot be sent twice (a double tap on a slow
//    phone would otherwise make two products).
//  - A photo chosen for upload is made smaller in the browser when it is over
//    the limit or larger than 2000 px, so a 14 MB phone photo just works; a PDF
//    over the limit is refused before it is sent.
//  - Before the session ends for inactivity, a warning offers to stay signed in.
//  - After a refused form, the focus goes to the list of its errors.
(function () {
  "use strict";

  // One submission per form: the buttons are disabled just after the browser
  // has read the form (disabling them in the event itself would drop the
  // clicked button's name and value from what is sent).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.sending === "1") {
      e.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
    // A form whose page is shown again from the cache (back button) may be sent again.
    window.addEventListener("pageshow", function () { delete form.dataset.sending; }, { once: true });
  });

  // After a refused form, the list of its errors takes the focus, so a screen
  // reader reads it first and the keyboard starts there (autofocus alone is not
  // applied by every browser to an element that is not a control).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var LONG_SIDE = 2000;
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var words = {
    id: {
      scaled: "Foto diperkecil sebelum diunggah: {0} → {1}.",
      tooLarge: "Berkas ini {0}, lebih dari batas {1}. Perkecil atau pindai ulang dengan resolusi lebih rendah, lalu pilih lagi.",
      reading: "Memperkecil foto…"
    },
    en: {
      scaled: "The photo was made smaller before upload: {0} → {1}.",
      tooLarge: "This file is {0}, over the {1} limit. Make it smaller or scan it again at a lower resolution, then choose it again.",
      reading: "Making the photo smaller…"
    }
  }[lang];

  function say(tpl, a, b) { return tpl.replace("{0}", a).replace("{1}", b); }
  function size(n) {
    var mb = n / 1048576;
    return (mb >= 1 ? mb.toFixed(1) + " MB" : Math.round(n / 1024) + " KB").replace(".", lang === "id" ? "," : ".");
  }

  // note shows a message under the file field, announced to screen readers.
  function note(input, text, isError) {
    var id = input.id + "-note";
    var p = document.getElementById(id);
    // No empty note is added: a line appearing under the field moves the
    // button below it, and a tap aimed at the button would miss.
    if (!p && !text) { return; }
    if (!p) {
      p = document.createElement("p");
      p.id = id;
      p.setAttribute("role", isError ? "alert" : "status");
      input.insertAdjacentElement("afterend", p);
      var by = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (by.indexOf(id) < 0) { by.push(id); input.setAttribute("aria-describedby", by.join(" ")); }
    }
    p.className = isError ? "field-error" : "hint";
    p.textContent = text;
    if (isError) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function shrink(input, file, max) {
    if (!window.createImageBitmap || !window.DataTransfer) { return; }
    // Only a file over the limit says it is being worked on; a small photo is
    // looked at silently (the page does not move under the person's finger).
    if (file.size > max) { note(input, words.reading, false); }
    createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bmp.width, bmp.height));
      if (scale === 1 && file.size <= max) { note(input, "", false); return; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob) { note(input, "", false); return; }
        var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
        var dt = new DataTransfer();
        dt.items.add(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        input.files = dt.files;
        note(input, say(words.scaled, size(file.size), size(blob.size)), false);
      }, "image/jpeg", 0.85);
    }).catch(function () { note(input, "", false); }); // the server scales what gets through
  }

  document.addEventListener("change", function (e) {
    var input = e.target;
    if (input.type !== "file" || !input.files || !input.files[0]) { return; }
    var form = input.form;
    var max = form && Number(form.dataset.max);
    if (!max) { return; }
    var file = input.files[0];
    if (/^image\/(jpeg|png)$/.test(file.type)) {
      shrink(input, file, max);
    } else if (file.size > max) {
      note(input, say(words.tooLarge, size(file.size), size(max)), true);
      input.value = "";
    } else {
      note(input, "", false);
    }
  });

  // The session ends after a time without activity (the server's setting,
  // on <body data-session-idle>): five minutes before, say so and offer to
  // stay signed in. Staying asks the server, which counts as activity.
  var idle = Number(document.body.dataset.sessionIdle);
  var box = document.getElementById("session-warning");
  if (idle > 0 && box) {
    var warnAt = Math.max(idle - 300, idle / 2) * 1000;
    var timer;
    var arm = function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var end = new Date(Date.now() + (idle * 1000 - warnAt));
        box.querySelector("[data-session-end]").textContent =
          end.toLocaleTimeString(lang === "en" ? "en-GB" : "id-ID", { hour: "2-digit", minute: "2-digit" });
        box.hidden = false;
        box.querySelector("[data-session-stay]").focus();
      }, warnAt);
    };
    box.querySelector("[data-session-stay]").addEventListener("click", function () {
      fetch("/session/keepalive", { credentials: "same-origin" }).then(function (r) {
        if (r.ok) { box.hidden = true; arm(); }
      });
    });
    arm();
  }
})();
