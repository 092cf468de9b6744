// A step of the declaration sent back with errors: the summary of the errors takes the focus, so that
// a screen reader announces it first (templates/separation/declare.html).
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
