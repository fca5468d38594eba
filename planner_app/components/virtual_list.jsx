// A list of any length that mounts only the rows on screen (components/virtual_list.py).
//
// @tanstack/react-virtual is hook-only, hence this component. It scrolls with the window (no
// inner scroll area, so no scroll trap on a phone) and places the rows Reflex rendered for the
// state's window at `offset + k`; a row outside that window is a same-height "Loading…" row
// until the state has fetched it. Wide screens get table rows, phones cards.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";

// The breakpoint of components/lists.py: tables from 48em, cards below.
const WIDE = "(min-width: 48em)";
// How long the list waits after scrolling stops before it tells the state what is on screen.
const SETTLE_MS = 120;
// A list this short is rendered whole (it is one page of the state's window anyway): find in
// page and printing then see every row.
const RENDER_ALL = 25;

function useWide() {
  const [wide, setWide] = useState(() => typeof window !== "undefined" && window.matchMedia(WIDE).matches);
  useEffect(() => {
    const query = window.matchMedia(WIDE);
    const update = () => setWide(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return wide;
}

// The key of this list's saved position: one per history entry, so Back finds it again and a
// fresh visit (a new entry) starts at the top.
function positionKey(listId) {
  const entry = (typeof window !== "undefined" && window.history.state?.key) || "default";
  return `planner-list:${listId}:${entry}`;
}

function readPosition(key) {
  try {
    return JSON.parse(window.sessionStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

const border = "1px solid var(--gray-a5)";
const styles = {
  surface: { width: "100%", border, borderRadius: "var(--radius-3)", background: "var(--color-panel-solid)", overflow: "hidden" },
  header: { display: "grid", alignItems: "center", background: "var(--gray-a2)", borderBottom: border,
            fontWeight: 500, fontSize: "var(--font-size-2)" },
  cell: { padding: "0.625rem 0.75rem", minWidth: 0, overflowWrap: "anywhere" },
  row: { display: "grid", alignItems: "center", borderBottom: border, boxSizing: "border-box" },
  card: { paddingBottom: "0.5rem", boxSizing: "border-box" },
  placeholder: { color: "var(--gray-11)", fontSize: "var(--font-size-2)", padding: "0.625rem 0.75rem" },
  cardPlaceholder: { border, borderRadius: "var(--radius-4)", display: "flex", alignItems: "center" },
};

export function VirtualList({
  count = 0,
  offset = 0,
  columns = [],
  gridColumns = "",
  rowEstimate = 48,
  cardEstimate = 112,
  label = "",
  listId = "list",
  resetKey = 0,
  onRangeChange,
  children,
  ref,
  ...rest
}) {
  // children = [table rows, cards], each an array of the state's window (two rx.foreach).
  const [rows = [], cards = []] = Array.isArray(children) ? children : [children];
  const wide = useWide();
  const loaded = (wide ? rows : cards) || [];
  const estimate = wide ? rowEstimate : cardEstimate;

  // Reflex passes `ref` as a prop (React 19): merge it with ours rather than lose either.
  const bodyRef = useRef(null);
  const setBody = (el) => {
    bodyRef.current = el;
    if (typeof ref === "function") ref(el);
    else if (ref) ref.current = el;
  };

  // Where the rows start in the document: what is above the list (filters, a message) moves it.
  const [margin, setMargin] = useState(null);
  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    const top = Math.round(el.getBoundingClientRect().top + window.scrollY);
    if (top !== margin) setMargin(top);
  });

  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => estimate,
    overscan: count <= RENDER_ALL ? RENDER_ALL : 3,
    scrollMargin: margin ?? 0,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [wide]);

  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;
  // Rows on screen that the state's window does not hold (yet).
  const missing = first < offset || last > offset + loaded.length;

  // Back to the position this history entry had, once the list knows its length.
  const key = useRef(null);
  const restored = useRef(false);
  useLayoutEffect(() => {
    key.current = positionKey(listId);
  }, []);
  useEffect(() => {
    if (restored.current || margin === null || !count) return;
    restored.current = true;
    const saved = readPosition(key.current);
    if (!saved || saved.index >= count) return;
    const target = virtualizer.getOffsetForIndex(saved.index, "start");
    if (target) virtualizer.scrollToOffset(target[0] - saved.delta);
  }, [count, margin]);

  // Filters changed: the list starts again from its first row.
  const firstReset = useRef(true);
  useEffect(() => {
    if (firstReset.current) {
      firstReset.current = false;
      return;
    }
    if (key.current) window.sessionStorage.removeItem(key.current);
    if (margin !== null && window.scrollY > margin) window.scrollTo(0, 0);
  }, [resetKey]);

  // Once scrolling settles: tell the state which rows are on screen, and remember the position.
  // Asked again while rows on screen are missing after the window changed (a reply to an
  // older range may have landed last).
  const report = useRef(onRangeChange);
  report.current = onRangeChange;
  useEffect(() => {
    if (!count || margin === null) return;
    const timer = setTimeout(() => {
      report.current?.(first, last);
      const scrolled = virtualizer.scrollOffset ?? window.scrollY;
      const top = virtualizer.getVirtualItems().find((item) => item.end > scrolled);
      if (restored.current && key.current && top) {
        window.sessionStorage.setItem(key.current, JSON.stringify({ index: top.index, delta: top.start - scrolled }));
      }
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [first, last, count, margin, missing && offset, missing && loaded.length]);

  const shift = margin ?? 0;
  const place = (item) => ({
    position: "absolute",
    top: 0,
    left: 0,
    width: "100%",
    transform: `translateY(${item.start - shift}px)`,
  });
  const body = (
    <div ref={setBody} style={{ position: "relative", width: "100%", height: virtualizer.getTotalSize() }}>
      {items.map((item) => {
        const child = item.index >= offset ? loaded[item.index - offset] : undefined;
        const busy = child === undefined;
        if (wide) {
          return (
            <div
              key={item.index}
              data-index={item.index}
              ref={virtualizer.measureElement}
              role="row"
              aria-rowindex={item.index + 2}
              aria-busy={busy ? "true" : undefined}
              style={{ ...styles.row, gridTemplateColumns: gridColumns, ...place(item), ...(busy ? { minHeight: estimate } : {}) }}
            >
              {busy ? <div role="cell" style={{ ...styles.placeholder, gridColumn: "1 / -1" }}>Loading…</div> : child}
            </div>
          );
        }
        return (
          <div
            key={item.index}
            data-index={item.index}
            ref={virtualizer.measureElement}
            role="listitem"
            aria-setsize={count}
            aria-posinset={item.index + 1}
            aria-busy={busy ? "true" : undefined}
            style={{ ...styles.card, ...place(item) }}
          >
            {busy ? (
              <div style={{ ...styles.placeholder, ...styles.cardPlaceholder, height: estimate - 8 }}>Loading…</div>
            ) : (
              child
            )}
          </div>
        );
      })}
    </div>
  );

  if (!wide) {
    return (
      <div {...rest} role="list" aria-label={label} style={{ width: "100%" }}>
        {body}
      </div>
    );
  }
  return (
    <div {...rest} role="table" aria-label={label} aria-rowcount={count + 1} style={styles.surface}>
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} style={{ ...styles.header, gridTemplateColumns: gridColumns }}>
          {columns.map((title, n) => (
            <div key={n} role="columnheader" style={styles.cell}>
              {title}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup">{body}</div>
    </div>
  );
}
