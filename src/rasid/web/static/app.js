// rasid workbench: the only script the pages load (CSP: script-src 'self').
// It never inserts markup: job status is written with textContent.
"use strict";

function pollJob(box) {
  const url = box.dataset.statusUrl;
  const state = document.getElementById("job-state");
  const takenIn = document.getElementById("job-taken-in");
  const current = document.getElementById("job-current");
  const error = document.getElementById("job-error");
  const report = document.getElementById("job-report");
  let delay = 500;

  async function tick() {
    let job;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) { error.textContent = "HTTP " + response.status; return; }
      job = await response.json();
    } catch (err) {
      error.textContent = String(err);
      return;
    }
    state.textContent = job.state;
    state.className = "state-" + job.state;
    takenIn.textContent = String(job.taken_in);
    current.textContent = job.current || "";
    error.textContent = job.error || "";
    if (job.report) { report.textContent = JSON.stringify(job.report, null, 2); }
    if (job.state === "queued" || job.state === "running") {
      delay = Math.min(delay * 1.5, 3000);
      window.setTimeout(tick, delay);
    }
  }
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("job");
  if (box && box.dataset.statusUrl) { pollJob(box); }
});
