/** A metav1.Status failure body, as the API server writes it with an error code. */
export function statusBody(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

/** The same body as the JSON text on the wire. */
export function statusBodyJson(code: number, reason: string, message: string): string {
  return JSON.stringify(statusBody(code, reason, message));
}
