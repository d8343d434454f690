import type { TraceTree } from "../engine/trace-tree.ts";
import { errorDataOf, type EngineClient } from "../worker/client.ts";
import type { TraceSource } from "../worker/protocol.ts";
import { fetchExample } from "./example.ts";
import { EXAMPLE_NAME, NOTICES, type Notice } from "./notices.ts";
import type { LinkedModel, SharedView, TraceRef, ViewState } from "./view.ts";

export interface OpenedTraceState {
  tree: TraceTree;
  fingerprint: string;
  ref: TraceRef;
}

/** A model open beside others: its trace, and the name its rows carry in the model column. */
export interface ModelState extends OpenedTraceState {
  name: string;
}

export interface ModelsActions {
  /** Whether the next trace opened is added as another model instead of replacing those open. */
  setAddingModel(adding: boolean): void;
  renameModel(index: number, name: string): Promise<void>;
  removeModel(index: number): Promise<void>;
}

interface ModelsFields {
  trace?: OpenedTraceState;
  models: ModelState[];
  addingModel: boolean;
  linkedModels: LinkedModel[];
  notice?: Notice;
}

interface Store {
  get(): ModelsFields & { view: ViewState; result?: unknown };
  set(change: Partial<ModelsFields>): void;
  runQuery(): Promise<void>;
  runLoo(): void;
  openSource(source: TraceSource, ref: TraceRef, label: string): Promise<void>;
  exampleUrl: string;
}

/**
 * The models open beside the first: renamed, removed, and the ones a link names added. Every
 * change is made in the worker first, then here, and the query and the LOO section read again.
 */
export function createModelsSlice(engine: EngineClient, store: Store): ModelsActions & { modelsChanged(): Promise<void>; addLinkedModels(shared: SharedView): Promise<void> } {
  const { get, set } = store;

  /** After a model was added, renamed or removed: the query read again from every model, and the LOO section recomputed. */
  async function modelsChanged(): Promise<void> {
    if (get().view.loo) store.runLoo();
    if (get().result || get().view.query) await store.runQuery();
  }

  /** Keep the models at `keep` (in that order) with `names`, in the worker and here. */
  async function keepModels(keep: number[], names: string[]): Promise<void> {
    const models = get().models;
    try {
      await engine.models(keep, names).result;
    } catch (error) {
      set({ notice: NOTICES.modelsNotChanged(errorDataOf(error)) });
      return;
    }
    const kept = keep.map((index, k) => ({ ...models[index], name: names[k] }));
    set({ models: kept, trace: kept[0] && { tree: kept[0].tree, fingerprint: kept[0].fingerprint, ref: kept[0].ref } });
    await modelsChanged();
  }

  const actions: ModelsActions = {
    setAddingModel(adding) {
      set({ addingModel: adding && get().trace !== undefined });
    },
    async renameModel(index, name) {
      const models = get().models;
      const wanted = name.trim();
      if (!wanted || wanted === models[index]?.name) return;
      if (models.some((m, i) => i !== index && m.name === wanted)) {
        set({ notice: NOTICES.modelNameTaken(wanted) });
        return;
      }
      await keepModels(
        models.map((_, i) => i),
        models.map((m, i) => (i === index ? wanted : m.name)),
      );
    },
    async removeModel(index) {
      const models = get().models;
      if (models.length < 2) return;
      const keep = models.map((_, i) => i).filter((i) => i !== index);
      await keepModels(
        keep,
        keep.map((i) => models[i].name),
      );
    },
  };

  /**
   * The models a link names beside its first trace: the first renamed as in the link, the example
   * and URL traces reopened and added, and the ones on the link maker's computer listed in a
   * notice, to add with Add model.
   */
  async function addLinkedModels(shared: SharedView): Promise<void> {
    const wanted = shared.models ?? [];
    if (!wanted.length) return;
    if (shared.firstModel && get().models[0]?.name !== shared.firstModel) await actions.renameModel(0, shared.firstModel);
    const local: string[] = [];
    const changed: string[] = [];
    set({ linkedModels: wanted.filter((m) => m.trace.kind === "local") });
    for (const model of wanted) {
      if (model.trace.kind === "local") {
        local.push(`‘${model.trace.label}’ as ${model.name}`);
        continue;
      }
      let source: TraceSource;
      if (model.trace.kind === "url") source = { kind: "url", url: model.trace.url };
      else {
        const blob = await fetchExample(store.exampleUrl).catch(() => undefined);
        if (!blob) continue;
        source = { kind: "zip", blob, name: EXAMPLE_NAME };
      }
      set({ addingModel: true });
      const before = get().models.length;
      await store.openSource(source, model.trace, model.name);
      const added = get().models[before];
      if (added && model.fingerprint && added.fingerprint !== model.fingerprint) changed.push(added.name);
    }
    const notice = NOTICES.linkComparesModels(local, changed);
    if (notice) set({ notice });
  }

  return { ...actions, modelsChanged, addLinkedModels };
}
