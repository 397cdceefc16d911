// Subscribe page: a Copy button next to each feed address. Without JavaScript the
// buttons stay hidden and the read-only fields can be selected and copied by hand.
(function () {
  "use strict";

  function copyText(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.focus();
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll(".copy-button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(field).then(function () {
        button.textContent = "✓ " + label;
        button.setAttribute("data-copied", "");
        setTimeout(function () {
          button.textContent = label;
          button.removeAttribute("data-copied");
        }, 2000);
      }, function () {
        field.focus();
        field.select();
      });
    });
  });

  // A click in an address selects all of it, ready to copy.
  document.querySelectorAll(".feed-copy input[readonly]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
