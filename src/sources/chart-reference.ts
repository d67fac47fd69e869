/** SemVer 2 as Helm requires for chart versions, with the optional leading `v` Helm accepts (`v1.14.0`). */
const SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Splits `name-version` as `helm list` prints a chart (and as the `helm.sh/chart` label holds it), where both
 * parts may contain dashes (`gha-runner-scale-set-0.14.2`, `mychart-1.2.3-rc.1`). The version is the longest
 * dash-separated tail that is a full SemVer; failing that, the last part that starts with a digit
 * (`chart-1.0`). Without either, the whole text is the name and the version is null.
 */
export function splitChartReference(chart: string): { name: string | null; version: string | null } {
  if (chart === "") return { name: null, version: null };
  const parts = chart.split("-");
  for (let i = 1; i < parts.length; i++) {
    const version = parts.slice(i).join("-");
    if (SEMVER.test(version)) return { name: parts.slice(0, i).join("-"), version };
  }
  for (let i = parts.length - 1; i >= 1; i--) {
    if (/^v?\d/.test(parts[i] ?? "")) {
      return { name: parts.slice(0, i).join("-"), version: parts.slice(i).join("-") };
    }
  }
  return { name: chart, version: null };
}
