/** The bundled example's bytes, from the URL the app serves it at; throws with the server's status when it answers with an error. */
export async function fetchExample(url: string, signal?: AbortSignal): Promise<Blob> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
  return response.blob();
}
