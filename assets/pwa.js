// What the page needs beyond Reflex: the service worker (offline page, updates) and, while Reflex's
// websocket is down, stopping taps from being queued and replayed behind the person's back.
// Loaded from <head> with the build version in its URL (/pwa.js?v=...).
(() => {
  const version = new URL(document.currentScript.src).searchParams.get("v") || "unversioned";

  // --- Saves are paused while disconnected -------------------------------------------------------
  // Reflex renders #connection-banner while its websocket has connection errors
  // (planner_app/components/connection.py). Meanwhile Reflex would queue every event and send it on
  // reconnect, so a tap on Save now could save minutes later, unseen. Buttons and form submits are
  // stopped before React sees them; typed text stays in its field. Links still work.
  const banner = () => document.getElementById("connection-banner");
  const BUTTONS = "button, [role='button'], input[type='submit'], input[type='button']";
  // Opening the phone menu is handled in the browser alone, so it stays usable.
  const CLIENT_ONLY = "[aria-haspopup]";

  const nudge = (current) => {
    // Restart the banner's highlight, so the person sees why nothing happened.
    current.removeAttribute("data-nudge");
    void current.offsetWidth;
    current.setAttribute("data-nudge", "");
  };

  const stop = (event) => {
    const current = banner();
    if (!current || !(event.target instanceof Element)) return;
    if (event.target.closest("#connection-banner, #update-notice")) return;
    event.preventDefault();
    event.stopPropagation();
    nudge(current);
  };

  window.addEventListener(
    "click",
    (event) => {
      const control = event.target instanceof Element && event.target.closest(BUTTONS);
      if (control && !control.matches(CLIENT_ONLY)) stop(event);
    },
    true,
  );
  window.addEventListener("submit", stop, true);
  // Fields outside a form save when left (the planning grid's cells): their blur is not passed on,
  // so the typed value stays in the cell, unsaved, instead of being sent on reconnect.
  window.addEventListener(
    "focusout",
    (event) => {
      const field = event.target;
      if (banner() && field instanceof HTMLInputElement && !field.form && field.closest("#page-content")) {
        event.stopPropagation();
      }
    },
    true,
  );

  // --- Typed text survives the reconnect --------------------------------------------------------
  // On reconnect Reflex hydrates the page again, and the shell shows a page only while it is
  // hydrated (components/shell.py), so the page is remounted and fields typed in while offline
  // would come back empty. Their values are noted while disconnected and put back into the fields
  // that replace them, matched by id or label; restoring fires `input`, as typing would.
  const FIELDS = ":is(#page-content, [role='dialog']) :is(input:not([type='checkbox'], [type='radio'], [type='hidden'], [type='file']), textarea)";
  const RESTORE_FOR_MS = 10000;
  const keyOf = (field) => field.id || field.getAttribute("aria-label") || "";
  const typed = new Map(); // key -> { value, field }
  let typedOn = ""; // the page they were typed on
  let down = false;
  let restoring = false;

  const note = (field) => {
    const key = keyOf(field);
    if (key) typed.set(key, { value: field.value, field });
  };
  const restore = () => {
    for (const field of document.querySelectorAll(FIELDS)) {
      const entry = typed.get(keyOf(field));
      if (!entry || entry.field === field || field.value === entry.value) continue;
      const setValue = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), "value").set;
      setValue.call(field, entry.value);
      field.dispatchEvent(new Event("input", { bubbles: true }));
      entry.field = field;
    }
  };

  new MutationObserver(() => {
    const isDown = banner() !== null;
    if (isDown && !down) {
      typed.clear();
      typedOn = window.location.pathname;
      restoring = false;
      for (const field of document.querySelectorAll(FIELDS)) {
        if (field.value !== field.defaultValue) note(field);
      }
    } else if (!isDown && down && typed.size > 0) {
      restoring = true;
      window.setTimeout(() => {
        restoring = false;
        typed.clear();
      }, RESTORE_FOR_MS);
    }
    down = isDown;
    if (restoring && window.location.pathname === typedOn) restore();
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener(
    "input",
    (event) => {
      if (down && event.target instanceof Element && event.target.matches(FIELDS)) note(event.target);
    },
    true,
  );

  // --- Service worker and updates ------------------------------------------------------------------
  if (!("serviceWorker" in navigator)) return;

  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only after the person chose Reload: the first install also changes the controller.
    if (reloading) window.location.reload();
  });

  const showUpdateNotice = (worker) => {
    if (document.getElementById("update-notice")) return;
    const notice = document.createElement("div");
    notice.id = "update-notice";
    notice.className = "update-notice";
    notice.setAttribute("role", "status");
    const text = document.createElement("span");
    text.textContent = "A new version is available";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload";
    button.addEventListener("click", () => {
      reloading = true;
      button.disabled = true;
      worker.postMessage({ type: "skip-waiting" });
    });
    notice.append(text, button);
    document.body.append(notice);
  };

  const watch = (registration) => {
    // A worker that is waiting while another controls the page is a new deployment.
    if (registration.waiting && navigator.serviceWorker.controller) showUpdateNotice(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdateNotice(worker);
      });
    });
  };

  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register(`/sw.js?v=${encodeURIComponent(version)}`, { scope: "/", updateViaCache: "none" })
      .then(watch)
      .catch((error) => console.warn("Planner: the service worker was not registered:", error));
  });
})();
