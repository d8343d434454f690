import type { AppStore } from "./store.ts";
import { encodeView } from "./url-codec.ts";

/**
 * Keep the address bar equal to the current view, so it is always the link to share. While a
 * linked view waits for its trace, the address stays the link (reloading it still works).
 */
export function syncViewToUrl(store: AppStore): void {
  store.subscribe((state) => {
    if (state.pendingLink || !state.trace) return;
    const { ref, fingerprint } = state.trace;
    const hash = encodeView({ view: state.view, trace: ref, fingerprint });
    if (hash !== location.hash) history.replaceState(history.state, "", hash || location.pathname + location.search);
  });
}
