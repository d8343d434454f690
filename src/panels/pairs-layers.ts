// The trace panel and chain styles import the divergent draws' colour from here; it lives in style.ts.
export { DIVERGENT_COLOUR } from "./style.ts";
