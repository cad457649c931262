// Answer boxes (docs/hooks/exercises.py writes their HTML): the reader's formula goes to gancheck's own checker,
// running in Python in a worker (checker-worker.js), and the verdict comes back as the CLI would print it.
// Python starts loading with the page, so it is usually ready by the first Check.
(function () {
  const WORKER_URL = new URL("checker-worker.js", document.currentScript.src);
  const TIMEOUT_S = 20; // per check, once Python is ready: SymPy can think for very long on a pathological input
  const MARKS = { "equivalent": "✓", "not equivalent": "✗", "undecided": "?", "invalid": "!" };

  let worker = null, state = "idle", stateMessage = "", nextId = 0;
  const pending = new Map(); // id → {form, timer}
  const queue = []; // checks asked for before Python was ready

  function status(form, text) {
    form.querySelector(".gc-answer__status").textContent = text;
  }

  function everyForm(fn) {
    document.querySelectorAll("form.gc-answer").forEach(fn);
  }

  function startWorker() {
    if (worker) return;
    worker = new Worker(WORKER_URL, { type: "module" });
    const first = document.querySelector("form.gc-answer");
    if (first) worker.postMessage({ type: "warm", quantity: first.dataset.quantity });
    state = "loading";
    stateMessage = "loading Python…";
    everyForm((form) => status(form, stateMessage));
    worker.onmessage = ({ data }) => {
      if (data.type === "status") {
        state = data.state;
        window.gancheckChecker = { state, timings: data.timings }; // read by the browser test and its timings
        stateMessage = {
          loading: () => "loading Python…",
          ready: () => `Python ready (${data.seconds.toFixed(1)} s)`,
          unavailable: () => "The in-browser checker is not part of this build of the site; the command line checks the same:",
          failed: () => `Python could not start: ${data.message}`,
        }[data.state]();
        everyForm((form) => { if (!pending.size || state !== "ready") status(form, stateMessage); });
        if (state === "ready") queue.splice(0).forEach(send);
        if (state === "unavailable" || state === "failed") {
          queue.splice(0).forEach(({ form }) => showUnavailable(form));
        }
      } else if (data.type === "verdict" || data.type === "error") {
        const job = pending.get(data.id);
        if (!job) return;
        pending.delete(data.id);
        clearTimeout(job.timer);
        job.form.classList.remove("gc-answer--busy");
        if (data.type === "verdict") show(job.form, data.result, job);
        else showError(job.form, data.message);
      }
    };
    worker.onerror = (event) => {
      state = "failed";
      stateMessage = `Python could not start: ${event.message || "the worker failed to load"}`;
      everyForm((form) => status(form, stateMessage));
    };
  }

  function send(job) {
    const id = ++nextId;
    job.started = performance.now();
    job.timer = setTimeout(() => timeout(id), TIMEOUT_S * 1000);
    pending.set(id, job);
    status(job.form, "checking…");
    worker.postMessage({ type: "check", id, quantity: job.form.dataset.quantity, expression: job.expression });
  }

  function timeout(id) {
    const job = pending.get(id);
    pending.clear();
    worker.terminate(); // the only way to stop SymPy mid-thought; the next Check starts a fresh Python
    worker = null;
    state = "idle";
    if (job) {
      job.form.classList.remove("gc-answer--busy");
      show(job.form, {
        verdict: "undecided",
        text: `? ${job.form.dataset.quantity}    undecided       ${job.expression}\n` +
              `    the check took longer than ${TIMEOUT_S} s in the browser; try gancheck check-formula`,
        counterexample: null,
        counterexample_text: null,
        diagnosis: `the check took longer than ${TIMEOUT_S} s in the browser`,
      }, job);
    }
  }

  function line(parent, label, text) {
    const p = document.createElement("p");
    const b = document.createElement("strong");
    b.textContent = `${label}: `;
    p.append(b, text); // textContent only: nothing the reader typed is ever parsed as HTML
    parent.append(p);
  }

  function show(form, result, job) {
    const box = form.querySelector(".gc-verdict");
    box.replaceChildren();
    box.hidden = false;
    box.className = `gc-verdict gc-verdict--${result.verdict.replace(" ", "-")}`;
    const head = document.createElement("p");
    head.className = "gc-verdict__head";
    const mark = document.createElement("span");
    mark.className = "gc-verdict__mark";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = MARKS[result.verdict] || "?";
    head.append(mark, result.verdict);
    box.append(head);
    if (result.diagnosis) line(box, "diagnosis", result.diagnosis);
    if (result.counterexample_text) line(box, "counterexample", result.counterexample_text);
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "as gancheck check-formula prints it";
    const pre = document.createElement("pre");
    pre.textContent = result.text;
    details.append(summary, pre);
    box.append(details);
    const took = job && job.started ? ` (${((performance.now() - job.started) / 1000).toFixed(2)} s)` : "";
    status(form, `checked${took}`);
  }

  function showError(form, message) {
    const box = form.querySelector(".gc-verdict");
    box.hidden = false;
    box.className = "gc-verdict gc-verdict--invalid";
    box.replaceChildren();
    line(box, "the checker failed", message.trim().split("\n").pop());
    status(form, "");
  }

  function showUnavailable(form) {
    form.classList.remove("gc-answer--busy");
    const input = form.querySelector("input");
    status(form, `${stateMessage} \n$ gancheck check-formula ${form.dataset.quantity} '${input.value}'`);
  }

  function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const expression = form.querySelector("input").value.trim();
    if (!expression) {
      status(form, "type a formula first");
      return;
    }
    form.classList.add("gc-answer--busy");
    startWorker();
    const job = { form, expression };
    if (state === "ready") send(job);
    else if (state === "unavailable" || state === "failed") showUnavailable(form);
    else {
      queue.push(job);
      status(form, stateMessage);
    }
  }

  function init() {
    const forms = [...document.querySelectorAll("form.gc-answer:not([data-bound])")];
    if (!forms.length) return;
    for (const form of forms) {
      form.dataset.bound = "";
      form.addEventListener("submit", submit);
      form.querySelector("input").addEventListener("focus", startWorker, { once: true });
    }
    // Python starts at once, in its worker's own thread (its files come from the browser's cache after the first
    // visit), so that it is ready by the time the reader has read the exercise; waiting for the page to be idle
    // would wait for MathJax to typeset a long page first.
    startWorker();
  }

  // Material's document$ emits on every page, also after instant navigation swaps the content.
  if (typeof document$ !== "undefined") document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
