// docgen serve: the problems and the totals of a report, shown as it is typed.
// The server checks (the same checks and messages as the command line); this script only sends the form to
// /check a moment after each change and puts what comes back at each field. Without it, saving does the same.
"use strict";

(function () {
  const form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  const url = form.dataset.check;
  const list = document.getElementById("issues");
  let timer = null;
  let asked = 0;

  function show(answer) {
    for (const message of form.querySelectorAll(".cell-issue")) {
      message.textContent = "";
    }
    for (const field of form.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
    }
    for (const [name, value] of Object.entries(answer.computed)) {
      const field = document.getElementById("f-" + name);
      if (field && field.value.trim() === "") {
        field.placeholder = value;
      }
    }
    const heading = list.querySelector("h2");
    const items = list.querySelector("ul");
    items.replaceChildren();
    let errors = 0;
    for (const issue of answer.issues) {
      const said = "[" + issue.rule + "] " + issue.message;
      const error = issue.severity === "error";
      errors += error ? 1 : 0;
      const item = document.createElement("li");
      if (!error) {
        item.className = "warning";
      }
      if (issue.field) {
        const link = document.createElement("a");
        link.className = "link";
        link.href = "#f-" + issue.field;
        link.textContent = said;
        item.append(link);
        const message = document.getElementById("m-" + issue.field);
        if (message) {
          message.textContent = message.textContent ? message.textContent + "\n" + said : said;
        }
        const field = document.getElementById("f-" + issue.field);
        if (field && error) {
          field.setAttribute("aria-invalid", "true");
        }
      } else {
        item.textContent = said;
      }
      items.append(item);
    }
    const warnings = answer.issues.length - errors;
    heading.textContent = answer.issues.length
      ? "有 " + errors + " 处错误、" + warnings + " 处提醒（尚未保存）"
      : "校验通过：没有发现问题（尚未保存）";
    list.classList.toggle("clean", answer.issues.length === 0);
  }

  async function check() {
    const mine = ++asked;
    const body = new URLSearchParams(new FormData(form));
    try {
      const response = await fetch(url, {
        method: "POST",
        body: body,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
      });
      if (response.ok && mine === asked) {
        show(await response.json());
      }
    } catch (error) {
      // offline for a moment: saving still checks
    }
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
