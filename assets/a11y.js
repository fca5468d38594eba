// After each in-app navigation, move focus to the new page's heading, so keyboard and screen
// reader users start on the page they opened rather than on <body> (or on the menu button the
// closing menu hands focus back to). The first load keeps the browser's own focus handling.
(() => {
  let lastPath = location.pathname;

  const focusHeading = () => {
    const heading = document.querySelector("main h1");
    // preventScroll: the page keeps its scroll position (a list restores it on Back).
    if (heading && !heading.closest("main").contains(document.activeElement)) heading.focus({ preventScroll: true });
  };

  const onNavigate = () => {
    if (location.pathname === lastPath) return;
    lastPath = location.pathname;
    // Once React has rendered the page, and again after the menu dialog's close animation.
    requestAnimationFrame(() => requestAnimationFrame(focusHeading));
    setTimeout(focusHeading, 400);
  };

  // While a dialog (the menu, a form) is open, the page behind it is inert: out of reach of the
  // pointer, the keyboard and assistive technology. Radix renders modal dialogs (and only those)
  // in an overlay outside #app-shell; popovers are role=dialog too but leave the page usable.
  // Radix gives focus back to what opened the dialog while the page is still inert, which fails,
  // so once the page is live again the opener gets it here.
  let opener = null;
  let lastFocused = null;
  document.addEventListener("focusin", (event) => {
    const shell = document.getElementById("app-shell");
    if (shell && shell.contains(event.target)) lastFocused = event.target;
  });
  const syncInert = () => {
    const shell = document.getElementById("app-shell");
    if (!shell) return;
    const open = document.querySelector(".rt-BaseDialogOverlay") !== null;
    if (open === shell.inert) return;
    // By now Radix has moved focus into the dialog: the opener is what had it last in the page.
    if (open) opener = lastFocused;
    shell.inert = open;
    if (!open && opener) {
      const back = opener;
      opener = null;
      setTimeout(() => {
        if (back.isConnected && (document.activeElement === document.body || document.activeElement === null)) back.focus();
      }, 0);
    }
  };

  // The skip link jumps without a router navigation (which would only add #main-content to the URL).
  document.addEventListener("click", (event) => {
    const skip = event.target.closest && event.target.closest(".skip-link");
    if (!skip) return;
    event.preventDefault();
    const main = document.getElementById("main-content");
    if (main) main.focus();
  }, true);

  const watch = () => {
    // Every page sets its own <title>: a change of title is a change of page.
    new MutationObserver(onNavigate).observe(document.head, { subtree: true, childList: true, characterData: true });
    new MutationObserver(syncInert).observe(document.body, { childList: true, subtree: true });
  };
  if (document.body) watch();
  else document.addEventListener("DOMContentLoaded", watch);
  window.addEventListener("popstate", () => setTimeout(onNavigate, 0));
})();
