import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { AppActions, AppState, AppStore } from "../state/store.ts";
import type { EngineClient } from "../worker/client.ts";

export const StoreContext = createContext<AppStore | null>(null);

function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("StoreContext is missing: render the app inside its provider");
  return store;
}

/** A slice of the app state; the component re-renders only when that slice changes. */
export function useApp<T>(select: (state: AppState) => T): T {
  return useStore(useAppStore(), select);
}

export function useActions(): AppActions {
  return useAppStore().actions;
}

/** The engine client, for what a component asks the worker itself (a panel's data, rows, exports). */
export function useEngine(): EngineClient {
  return useAppStore().engine;
}
