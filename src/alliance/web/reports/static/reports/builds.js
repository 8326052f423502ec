// Follow unfinished SNA builds: poll their state and update the page; reload once one has
// finished, so the server-rendered page shows its files or why it failed. Without JavaScript
// the page's <noscript> refresh does the same job.
const box = document.querySelector("[data-progress-url]");
const unfinished = box ? [...box.querySelectorAll("[data-build][data-finished='0']")] : [];
if (unfinished.length) {
  const ids = unfinished.map((element) => element.dataset.build);
  const url = `${box.dataset.progressUrl}?builds=${ids.join(",")}`;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const { builds } = await response.json();
        if (builds.some((build) => build.finished) || builds.length < ids.length) {
          window.location.reload();
          return;
        }
        for (const build of builds) {
          const element = box.querySelector(`[data-build='${build.id}']`);
          element.querySelector("[data-role=status]").textContent = build.status_label;
          const bar = element.querySelector("progress");
          bar.max = build.total || 1;
          bar.value = build.done;
          element.querySelector("[data-role=message]").textContent = build.message;
        }
      }
    } catch (error) { /* a missed poll is retried */ }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
}
