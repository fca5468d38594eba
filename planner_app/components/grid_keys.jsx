// The planning grid's keyboard model and its phone/desktop switch. Plain DOM work in the
// browser: moving focus never waits for the server, only a saved value goes to Reflex (through
// the cell's own onBlur handler, as a click elsewhere would).
import { useCallback, useEffect, useRef, useSyncExternalStore } from "react";

const CELLS = "[role=gridcell],[role=rowheader],[role=columnheader]";
const WIDGETS = "a[href],button,input";

// What one can land on in a row: each widget of a cell, or the cell itself when it has none.
function rowItems(row) {
  const items = [];
  let col = 0;
  for (const cell of row.querySelectorAll(CELLS)) {
    const widgets = cell.querySelectorAll(WIDGETS);
    if (widgets.length) widgets.forEach((w) => items.push({ el: w, col }));
    else items.push({ el: cell, col });
    col += cell.colSpan || 1;
  }
  return items;
}

function gridRows(grid) {
  return Array.from(grid.querySelectorAll("[role=row]")).filter((r) => r.querySelector(CELLS));
}

function locate(rows, el) {
  for (let r = 0; r < rows.length; r++) {
    const items = rowItems(rows[r]);
    const i = items.findIndex((it) => it.el === el || it.el.contains(el));
    if (i >= 0) return { r, i, items };
  }
  return null;
}

const isEditing = (el) => el.dataset.editing === "true";

function startEditing(input, replace) {
  if (input.readOnly) return;
  input.dataset.editing = "true";
  if (replace) input.select();
  else input.setSelectionRange(input.value.length, input.value.length);
}

function stopEditing(input) {
  delete input.dataset.editing;
}

// The grid's container: one Tab stop (roving tabindex), arrows/Home/End between cells, Enter or
// a typed character to edit a cell, Enter or Tab to save it, Escape to put the saved value back.
export function GridKeys({ children, ref, ...rest }) {
  const gridRef = useRef(null);
  // Where the single tabbable item is, by position: a saved cell is remounted by React, so the
  // element itself does not last.
  const active = useRef({ r: -1, i: 0 });
  const lastFocused = useRef(null);

  const setRefs = useCallback(
    (el) => {
      gridRef.current = el;
      if (typeof ref === "function") ref(el);
      else if (ref) ref.current = el;
    },
    [ref],
  );

  const activeItem = useCallback((rows) => {
    let { r, i } = active.current;
    if (r < 0 || r >= rows.length) {
      // Nothing chosen yet: the first hours cell, else the first cell.
      r = Math.max(0, rows.findIndex((row) => row.querySelector("input")));
      i = Math.max(0, rowItems(rows[r] || document.createElement("tr")).findIndex((it) => it.el.tagName === "INPUT"));
      active.current = { r, i };
    }
    const items = rows[r] ? rowItems(rows[r]) : [];
    return items[Math.min(i, items.length - 1)];
  }, []);

  const sync = useCallback(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const rows = gridRows(grid);
    const current = activeItem(rows);
    for (const row of rows) {
      for (const { el } of rowItems(row)) {
        const want = current && el === current.el ? "0" : "-1";
        if (el.getAttribute("tabindex") !== want) el.setAttribute("tabindex", want);
      }
    }
    // The focused cell was saved and re-rendered: keep the keyboard where it was.
    if (current && lastFocused.current && !lastFocused.current.isConnected && document.activeElement === document.body) {
      lastFocused.current = current.el;
      current.el.focus();
    }
  }, [activeItem]);

  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return undefined;
    sync();
    let queued = false;
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        sync();
      });
    });
    observer.observe(grid, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [sync]);

  const moveTo = (rows, r, i) => {
    const items = rowItems(rows[r]);
    const target = items[Math.max(0, Math.min(i, items.length - 1))];
    if (!target) return;
    active.current = { r, i: items.indexOf(target) };
    sync();
    target.el.focus();
  };

  // The same column in the nearest row above or below that has something in it.
  const moveVertically = (rows, from, step) => {
    const col = from.items[from.i].col;
    for (let r = from.r + step; r >= 0 && r < rows.length; r += step) {
      const items = rowItems(rows[r]);
      const i = items.findIndex((it) => it.col === col);
      if (i >= 0) return moveTo(rows, r, i);
      const last = items.length - 1;
      if (last >= 0 && items[last].col < col) return moveTo(rows, r, last);
    }
    return undefined;
  };

  const onFocus = (event) => {
    const rows = gridRows(gridRef.current);
    const at = locate(rows, event.target);
    if (!at) return;
    lastFocused.current = at.items[at.i].el;
    if (at.r !== active.current.r || at.i !== active.current.i) {
      active.current = { r: at.r, i: at.i };
      sync();
    }
  };

  const onBlur = (event) => {
    if (event.target.tagName === "INPUT") stopEditing(event.target);
  };

  // A click or a pasted/filled value means editing has begun, as typing would.
  const onInput = (event) => {
    if (event.target.tagName === "INPUT" && !isEditing(event.target)) event.target.dataset.editing = "true";
  };
  const onPointerDown = (event) => {
    if (event.target.tagName === "INPUT" && !event.target.readOnly) event.target.dataset.editing = "true";
  };

  const onKeyDown = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const grid = gridRef.current;
    const el = event.target;
    const input = el.tagName === "INPUT" ? el : null;

    if (input && isEditing(input)) {
      if (event.key === "Escape") {
        event.preventDefault();
        input.value = input.defaultValue;
        stopEditing(input);
      } else if (event.key === "Enter") {
        // Saved by the cell's onBlur, as leaving it would; the keyboard stays on the cell.
        event.preventDefault();
        stopEditing(input);
        input.blur();
        input.focus();
      } else if (event.key === "Tab") {
        // Saves (by leaving) and moves along the row, as in a spreadsheet.
        const rows = gridRows(grid);
        const at = locate(rows, input);
        const next = at && at.items[at.i + (event.shiftKey ? -1 : 1)];
        stopEditing(input);
        if (next) {
          event.preventDefault();
          moveTo(rows, at.r, at.i + (event.shiftKey ? -1 : 1));
        }
      }
      return;
    }

    const rows = gridRows(grid);
    const at = locate(rows, el);
    if (!at) return;
    switch (event.key) {
      case "ArrowRight":
        event.preventDefault();
        return moveTo(rows, at.r, at.i + 1);
      case "ArrowLeft":
        event.preventDefault();
        return moveTo(rows, at.r, at.i - 1);
      case "ArrowDown":
        event.preventDefault();
        return moveVertically(rows, at, 1);
      case "ArrowUp":
        event.preventDefault();
        return moveVertically(rows, at, -1);
      case "Home":
        event.preventDefault();
        return moveTo(rows, at.r, 0);
      case "End":
        event.preventDefault();
        return moveTo(rows, at.r, Number.MAX_SAFE_INTEGER);
      case "Enter":
        if (input) {
          event.preventDefault();
          startEditing(input, false);
        }
        return undefined;
      case "Backspace":
      case "Delete":
        if (input) startEditing(input, true);
        return undefined;
      default:
        // A typed character replaces the cell's value, as in a spreadsheet.
        if (input && event.key.length === 1 && event.key !== " ") startEditing(input, true);
        else if (input && event.key.length === 1) event.preventDefault();
        return undefined;
    }
  };

  return (
    <div
      {...rest}
      ref={setRefs}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onBlur={onBlur}
      onInput={onInput}
      onPointerDown={onPointerDown}
    >
      {children}
    </div>
  );
}

// Renders its first child from `minWidth` up and its second below it, and mounts only that one:
// a phone does not build the desktop grid's hundreds of inputs, nor a desktop the cards.
export function ByWidth({ children, minWidth = "48em" }) {
  const query = `(min-width: ${minWidth})`;
  const subscribe = useCallback(
    (notify) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", notify);
      return () => list.removeEventListener("change", notify);
    },
    [query],
  );
  const wide = useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => null,
  );
  if (wide === null) return null;
  const [desktop, phone] = Array.isArray(children) ? children : [children, null];
  return wide ? desktop : phone;
}
