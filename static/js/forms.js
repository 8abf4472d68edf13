// Forms marked data-submit-once send one request per click burst: a double click on
// "Create Ticket" must not make two tickets. The server also refuses a repeated
// submission key; this only spares the second request.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.matches("form[data-submit-once]")) return;
  if (form.dataset.submitting === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.setAttribute("aria-disabled", "true");
    button.classList.add("disabled");
  });
});
// Coming back with the browser's Back button shows the form usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    delete form.dataset.submitting;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.removeAttribute("aria-disabled");
      button.classList.remove("disabled");
    });
  });
});

// A canned response chosen in the Response box's select is added to the text, not sent.
document.addEventListener("change", function (event) {
  const select = event.target;
  if (!select.matches("select[data-canned-target]")) return;
  const option = select.selectedOptions[0];
  const box = document.getElementById(select.dataset.cannedTarget);
  if (!option || !option.dataset.body || !box) return;
  box.value = box.value ? box.value + "\n\n" + option.dataset.body : option.dataset.body;
  select.value = "";
  box.focus();
});

// The ticket page tells the server every 20 s that this agent is here (and whether the
// Response box holds text), and shows who else is: two agents see each other coming.
(function () {
  const region = document.querySelector("[data-presence-url]");
  if (!region) return;
  const tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  function beat() {
    const reply = document.querySelector("textarea[name='reply-body']");
    const body = new FormData();
    body.append("replying", reply && reply.value.trim() ? "1" : "0");
    fetch(region.dataset.presenceUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        region.textContent = data.others.length ? "Also here: " + data.others.join(", ") : "";
      })
      .catch(function () {});
  }
  beat();
  setInterval(beat, 20000);
})();

// A page that comes back with a form's errors shows them first: the summary at the top
// takes the focus (and so the screen), and each of its links puts the cursor in its field.
document.addEventListener("DOMContentLoaded", function () {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
document.addEventListener("click", function (event) {
  const link = event.target.closest("a[data-error-link]");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  field.scrollIntoView({ block: "center" });
  field.focus();
});
