// Follow a background task: poll its JSON and update the page; reload once it has finished
// so the outcome is shown by the server-rendered page. Without JavaScript, the page's
// <noscript> refresh does the same job.
const box = document.getElementById("task");
if (box && box.dataset.finished === "0") {
  const url = box.dataset.taskUrl;
  const status = document.getElementById("task-status");
  const bar = document.getElementById("task-bar");
  const message = document.getElementById("task-message");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const task = await response.json();
        if (task.finished) { window.location.reload(); return; }
        status.textContent = task.status_label;
        bar.max = task.total || 1;
        bar.value = task.done;
        message.textContent = task.message + (task.total ? ` (${task.done} of ${task.total})` : "");
      }
    } catch (error) { /* a missed poll is retried */ }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
}
