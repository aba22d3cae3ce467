// kam's own script: behaviour that the Content-Security-Policy keeps out of the markup.
// A select marked data-submit submits its form when its value changes (the header's
// language selector); without script the form's button does the same.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit") && target.form) {
    target.form.requestSubmit();
  }
});
