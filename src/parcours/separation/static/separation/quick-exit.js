// The quick exit of the unsafe path (templates/separation/_quick_exit.html, its style in
// core/static/core/parcours.css): the button replaces this page in the history, and Échap pressed twice
// within a second does the same. Deferred: it runs once the page is read, the link works before as a link.
(function () {
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  function leave(event) { if (event) { event.preventDefault(); } window.location.replace(link.href); }
  link.addEventListener("click", leave);
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - last < 1000) { leave(event); }
    last = now;
  });
})();
