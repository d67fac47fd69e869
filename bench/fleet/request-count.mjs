// The API server's own count of the requests it served: the sum of every `apiserver_request_total` series
// on GET /metrics (resource and non-resource requests, every verb and code). Read before and after a command
// on a cluster nothing else talks to, the difference is what the command sent. The scrape itself is not
// counted (the metric leaves out /metrics); bench/fleet.mjs measures the idle background and prints it.
import { readFileSync } from "node:fs";
import https from "node:https";

/** @param {{server: string, caFile: string, adminTokenFile: string}} cluster cluster.json of the state dir */
export function requestCounter(cluster) {
  const ca = readFileSync(cluster.caFile);
  const token = readFileSync(cluster.adminTokenFile, "utf8").trim();
  return () =>
    new Promise((resolve, reject) => {
      const request = https.get(
        `${cluster.server}/metrics`,
        { ca, headers: { Authorization: `Bearer ${token}` } },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => {
            body += chunk;
          });
          response.on("end", () => {
            if (response.statusCode !== 200) {
              reject(new Error(`GET /metrics: HTTP ${response.statusCode}`));
              return;
            }
            let sum = 0;
            for (const line of body.split("\n")) {
              if (line.startsWith("apiserver_request_total{"))
                sum += Number(line.slice(line.lastIndexOf(" ")));
            }
            resolve(sum);
          });
        },
      );
      request.on("error", reject);
    });
}
