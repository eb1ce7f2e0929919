// corroborator web app: progress of checks and uploads. Ours, no dependencies; the pages work
// without it (they refresh themselves), this only makes them live.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function showProgress(job) {
  const status = document.getElementById("job-status");
  const stage = document.getElementById("job-stage");
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  if (!status) return;
  status.textContent = job.status;
  status.className = "status-" + job.status;
  stage.textContent = job.progress.stage || "";
  bar.max = Math.max(1, job.progress.total);
  bar.value = job.progress.done;
  count.textContent = progressText(job);
}

// what the count means, in words: claims for a check, articles for an upload
function progressText(job) {
  const p = job.progress;
  if (job.status === "queued") return "waiting for a free worker";
  if (p.stage === "finishing") return "putting the report together";
  if (p.stage === "passages") return "reading passages: " + p.done + " of " + p.total + " claims";
  if (p.stage === "verification") return p.done + " of " + p.total + " claims verified";
  if (p.stage === "claims") return "finding the claims";
  if (job.kind === "index") return p.done + " of " + p.total + " articles";
  return p.done + " of " + p.total;
}

function pollJob(box) {
  const id = box.dataset.job;
  const url = box.dataset.kind === "check" ? "/v1/checks/" + id : "/v1/jobs/" + id;
  const tick = async () => {
    try {
      const response = await fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}});
      if (response.ok) {
        const job = await response.json();
        showProgress(job);
        if (job.status === "done" || job.status === "failed" || job.status === "cancelled") {
          window.location.reload();
          return;
        }
      }
    } catch (err) { /* the server restarting: try again */ }
    window.setTimeout(tick, 1000);
  };
  if (box.dataset.status === "queued" || box.dataset.status === "running") tick();
}

function enhanceUpload(form) {
  const bar = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRF-Token", csrfToken());
    bar.hidden = false;
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
      status.textContent = "Uploading… " + Math.round(100 * e.loaded / Math.max(1, e.total)) + "%";
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) {
        const job = JSON.parse(request.responseText);
        window.location.assign(job.links.page);
      } else {
        let message = "Upload failed (" + request.status + ")";
        try { message = JSON.parse(request.responseText).error.message; } catch (e) { /* not JSON */ }
        status.textContent = message;
        status.className = "error";
      }
    });
    request.addEventListener("error", () => { status.textContent = "The upload did not reach the server."; });
    request.send(new FormData(form));
  });
}

function localTimes() {
  // times are sent in UTC; shown in the reader's own time zone (the UTC text stays without script)
  for (const el of document.querySelectorAll("time.local")) {
    const when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when)) { el.title = el.textContent; el.textContent = when.toLocaleString(); }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  localTimes();
  const box = document.getElementById("job");
  if (box) pollJob(box);
  const form = document.getElementById("upload-form");
  if (form) enhanceUpload(form);
});
