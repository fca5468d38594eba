// Keeps a details sheet and the URL's hash in step: /projects#project-12 is "the list, with
// project 12's sheet open over it". Opening pushes that hash, so Back closes the sheet; closing
// it goes back (or, for a link someone opened directly, replaces the hash).
//
// Why the hash, and why "#all" for the list once a sheet was opened from it: Reflex runs the
// page's on_load (and hides the page while it does) on any change of path or query, and on a
// change back to no hash at all.
// A change between two hashes on the same page it leaves alone, so the list underneath stays
// mounted, loaded and scrolled where it was.
import { useEffect, useRef } from "react";
import { useLocation, useNavigate } from "react-router";

const LIST_HASH = "#all";

export function UrlSheet({ prefix, onOpenItem, onClose }) {
  const location = useLocation();
  const navigate = useNavigate();
  const pushed = useRef(false);
  const id = location.hash.startsWith(`#${prefix}`) ? location.hash.slice(prefix.length + 1) : "";

  useEffect(() => {
    // Links to a sheet: a hash navigation that keeps the page where it is scrolled. Taken in the
    // capture phase, before a router link would navigate (and scroll to the top) on its own.
    const follow = (event) => {
      const link = event.target.closest && event.target.closest("a.sheet-link");
      if (!link || !link.hash.startsWith(`#${prefix}`)) return;
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      event.stopPropagation();
      // The list's own entry, that Back returns to, gets its hash first, without a navigation
      // (react-router is not told, so nothing reloads).
      if (!window.location.hash) {
        window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search + LIST_HASH);
      }
      pushed.current = true;
      navigate(link.hash, { preventScrollReset: true });
    };
    document.addEventListener("click", follow, true);
    // What the sheet's Close (and Escape) call, through the page state.
    window.plannerCloseSheet = () => {
      if (pushed.current) {
        pushed.current = false;
        navigate(-1);
      } else {
        navigate(LIST_HASH, { replace: true, preventScrollReset: true });
      }
    };
    return () => {
      document.removeEventListener("click", follow, true);
      delete window.plannerCloseSheet;
    };
  }, [prefix, navigate]);

  const shown = useRef("");
  useEffect(() => {
    if (/^\d+$/.test(id)) onOpenItem?.(Number(id));
    else if (shown.current) onClose?.();
    shown.current = id;
  }, [id]);

  return null;
}
