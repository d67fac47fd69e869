/**
 * A failed connection's error code as the few words a message says (`connection refused`): for the API client
 * (node-fetch: the system's codes) and the webhook and Pushgateway senders (undici adds its own UND_ERR_ codes).
 */
export const NETWORK_PROBLEMS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending the request",
  ENOTFOUND: "host name not found (DNS)",
  EAI_AGAIN: "host name lookup failed (DNS)",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed before the answer",
  UND_ERR_CLOSED: "connection closed before the answer",
};
